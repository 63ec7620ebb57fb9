-- Views filtering leads by the flags of their status (sql/40_state.sql). In a
-- late file because l.* is expanded when a view is created: the columns that
-- other concerns add to lead must exist by then.

CREATE OR REPLACE VIEW @extschema@.open_leads AS
SELECT l.*
  FROM @extschema@.lead l
  JOIN @extschema@.tenant x ON x.tenant_id = l.tenant_id
  JOIN @extschema@.workflow_state s
	ON s.tenant_id = l.tenant_id AND s.workflow = x.status_workflow AND s.code = l.status
 WHERE l.tenant_id = @extschema@.current_tenant() AND NOT s.closed AND l.merged_into IS NULL;
COMMENT ON VIEW @extschema@.open_leads IS
'leads of the current tenant whose status is not closed (not won, lost or otherwise finished), merged leads left out';

CREATE OR REPLACE VIEW @extschema@.lost_leads AS
SELECT l.*,
	   coalesce((SELECT h.changed_at FROM @extschema@.lead_history h
				  WHERE h.tenant_id = l.tenant_id AND h.lead_id = l.id AND h.field = 'status'
				  ORDER BY h.id DESC LIMIT 1), l.created_at) AS lost_at
  FROM @extschema@.lead l
  JOIN @extschema@.tenant x ON x.tenant_id = l.tenant_id
  JOIN @extschema@.workflow_state s
	ON s.tenant_id = l.tenant_id AND s.workflow = x.status_workflow AND s.code = l.status
 WHERE l.tenant_id = @extschema@.current_tenant() AND s.lost AND l.merged_into IS NULL;
COMMENT ON VIEW @extschema@.lost_leads IS
'lost leads of the current tenant (status in a lost state, e.g. after mark_lost), with when they were lost';

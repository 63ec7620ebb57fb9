-- Lead state machines: workflows (states and allowed transitions with guards)
-- stored as data per tenant, the tenant's choice of workflow for lead.status
-- and lead.lifecycle, checks of definitions, the C triggers that enforce every
-- change, and the calls around transitions (set_status, mark_lost, restore ...).

CREATE TABLE IF NOT EXISTS @extschema@.workflow (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
	label_vi text NOT NULL CHECK (btrim(label_vi) <> ''),
	label_en text NOT NULL CHECK (btrim(label_en) <> ''),
	description text,
	PRIMARY KEY (tenant_id, code)
);
COMMENT ON TABLE @extschema@.workflow IS
'state machines a tenant can put on lead.status or lead.lifecycle (tenant.status_workflow, tenant.lifecycle_workflow)';

CREATE TABLE IF NOT EXISTS @extschema@.workflow_state (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant(),
	workflow text NOT NULL,
	code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
	label_vi text NOT NULL CHECK (btrim(label_vi) <> ''),
	label_en text NOT NULL CHECK (btrim(label_en) <> ''),
	position integer NOT NULL DEFAULT 0,
	initial boolean NOT NULL DEFAULT false,
	won boolean NOT NULL DEFAULT false,
	lost boolean NOT NULL DEFAULT false,
	closed boolean NOT NULL DEFAULT false,
	folded boolean NOT NULL DEFAULT false,
	probability numeric CHECK (probability BETWEEN 0 AND 100),
	PRIMARY KEY (tenant_id, workflow, code),
	FOREIGN KEY (tenant_id, workflow) REFERENCES @extschema@.workflow (tenant_id, code)
		ON UPDATE CASCADE ON DELETE CASCADE,
	CHECK (NOT (won AND lost))
);
COMMENT ON TABLE @extschema@.workflow_state IS
'states of a workflow: the code stored in the lead, labels, kanban position, flags and default probability';
COMMENT ON COLUMN @extschema@.workflow_state.initial IS
'a lead inserted without a value starts here; exactly one per workflow';
COMMENT ON COLUMN @extschema@.workflow_state.won IS 'the lead is won here (counts as a success in reports)';
COMMENT ON COLUMN @extschema@.workflow_state.lost IS
'the lead is lost here: mark_lost() moves leads to it, lead_crm.lost_leads lists them';
COMMENT ON COLUMN @extschema@.workflow_state.closed IS
'no more sales work expected: the lead leaves lead_crm.open_leads';
COMMENT ON COLUMN @extschema@.workflow_state.folded IS 'shown folded (collapsed) in a kanban view';
COMMENT ON COLUMN @extschema@.workflow_state.probability IS
'default chance to win in percent, used where lead.probability is NULL';

CREATE UNIQUE INDEX IF NOT EXISTS workflow_state_one_initial
	ON @extschema@.workflow_state (tenant_id, workflow) WHERE initial;

CREATE TABLE IF NOT EXISTS @extschema@.workflow_transition (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant(),
	workflow text NOT NULL,
	from_state text NOT NULL,
	to_state text NOT NULL,
	-- guards: what must hold for the move (overridable with a recorded reason)
	required_fields text[] NOT NULL DEFAULT '{}',
	requires_bant_score boolean NOT NULL DEFAULT false,
	reason_required boolean NOT NULL DEFAULT false,
	restore boolean NOT NULL DEFAULT false,
	PRIMARY KEY (tenant_id, workflow, from_state, to_state),
	FOREIGN KEY (tenant_id, workflow, from_state)
		REFERENCES @extschema@.workflow_state (tenant_id, workflow, code)
		ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (tenant_id, workflow, to_state)
		REFERENCES @extschema@.workflow_state (tenant_id, workflow, code)
		ON UPDATE CASCADE ON DELETE CASCADE,
	CHECK (from_state <> to_state)
);
COMMENT ON TABLE @extschema@.workflow_transition IS
'allowed moves between states of a workflow, with their guards; a move not listed is refused';
COMMENT ON COLUMN @extschema@.workflow_transition.required_fields IS
'lead columns (or custom.<name> for custom fields) that must be filled for the move';
COMMENT ON COLUMN @extschema@.workflow_transition.requires_bant_score IS
'the move needs lead_crm.bant_score(lead) >= tenant.min_bant_score (inert while bant_score does not exist)';
COMMENT ON COLUMN @extschema@.workflow_transition.reason_required IS
'the move needs a reason (set_status(..., reason) or the setting lead_crm.reason)';
COMMENT ON COLUMN @extschema@.workflow_transition.restore IS
'the move only takes a lead back to the state it was in before from_state (Odoo''s Restore)';

CREATE INDEX IF NOT EXISTS workflow_transition_to_idx
	ON @extschema@.workflow_transition (tenant_id, workflow, to_state);

-- The tenant's choices. No foreign keys to workflow: tenant and workflow would
-- reference each other and a data-only restore could not load them; the
-- deferred check below keeps them consistent instead.
ALTER TABLE @extschema@.tenant
	ADD COLUMN IF NOT EXISTS status_workflow text NOT NULL DEFAULT 'contact',
	ADD COLUMN IF NOT EXISTS lifecycle_workflow text NOT NULL DEFAULT 'lifecycle',
	ADD COLUMN IF NOT EXISTS min_bant_score integer NOT NULL DEFAULT 50 CHECK (min_bant_score BETWEEN 0 AND 100),
	ADD COLUMN IF NOT EXISTS notify_events boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN @extschema@.tenant.status_workflow IS
'workflow governing lead.status; change it with lead_crm.set_status_workflow()';
COMMENT ON COLUMN @extschema@.tenant.lifecycle_workflow IS
'workflow governing lead.lifecycle; change it with lead_crm.set_lifecycle_workflow()';
COMMENT ON COLUMN @extschema@.tenant.notify_events IS
'send NOTIFY lead_crm_events on lead creation and state changes; off by default because NOTIFY costs every committing transaction';
COMMENT ON COLUMN @extschema@.tenant.min_bant_score IS
'minimum lead_crm.bant_score() for transitions with requires_bant_score (built in: to SQL)';

-- Without a value a lead starts in the initial state of its tenant's workflow
-- (filled in by the state trigger), so a tenant on the distributor workflow
-- gets no_info, not the contact workflow's "new".
ALTER TABLE @extschema@.lead ALTER COLUMN status DROP DEFAULT,
	ALTER COLUMN lifecycle DROP DEFAULT;
CREATE INDEX IF NOT EXISTS lead_lifecycle_idx ON @extschema@.lead (tenant_id, lifecycle);

CREATE OR REPLACE TRIGGER workflow_tenant_provision BEFORE INSERT ON @extschema@.workflow
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE OR REPLACE TRIGGER workflow_state_tenant_provision BEFORE INSERT ON @extschema@.workflow_state
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE OR REPLACE TRIGGER workflow_transition_tenant_provision BEFORE INSERT ON @extschema@.workflow_transition
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE OR REPLACE TRIGGER workflow_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.workflow
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE OR REPLACE TRIGGER workflow_state_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.workflow_state
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE OR REPLACE TRIGGER workflow_transition_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.workflow_transition
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

-- Overrides of guards, one row per move that skipped one (who, why, what was missing).
CREATE TABLE IF NOT EXISTS @extschema@.guard_override (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant(),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	lead_id bigint NOT NULL,
	field name NOT NULL,
	from_state text,
	to_state text NOT NULL,
	missing text[] NOT NULL,
	reason text NOT NULL,
	overridden_by name NOT NULL DEFAULT CURRENT_USER,
	actor text,
	overridden_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE @extschema@.guard_override IS
'state changes that skipped a guard (lead_crm.override_status or the setting lead_crm.override_guards), with the reason';
COMMENT ON COLUMN @extschema@.guard_override.missing IS
'the guards that did not hold, e.g. {lost_reason} or {"bant_score 35 < 50"}';
CREATE INDEX IF NOT EXISTS guard_override_lead_idx ON @extschema@.guard_override (tenant_id, lead_id);

------------------------------------------------------------------------------
-- Built-in workflows (template tenant 0, copied into every tenant)
------------------------------------------------------------------------------

INSERT INTO @extschema@.workflow (tenant_id, code, label_vi, label_en, description) VALUES
	(0, 'lifecycle',   'Hành trình khách hàng',              'Customer journey',
	 'Rodi CRM: lead, MQL, SQL, target customer, customer, resale customer, loyal customer; unknown'),
	(0, 'contact',     'Trạng thái liên hệ',                 'Contact status',
	 'Rodi CRM: new, contacting, promising, unreachable, lost potential'),
	(0, 'distributor', 'Trạng thái khách tiềm năng (phân phối)', 'Distributor lead status',
	 'A distributor''s lead statuses: from a first contact through quotation and sample to an order'),
	(0, 'pipeline',    'Quy trình bán hàng',                 'Sales pipeline',
	 'Odoo-style opportunity stages: new, qualified, proposition, won; lost from any open stage; restore')
ON CONFLICT DO NOTHING;

INSERT INTO @extschema@.workflow_state
	(tenant_id, workflow, code, label_vi, label_en, position, initial, won, lost, closed, folded, probability) VALUES
	(0, 'lifecycle', 'lead',     'Khách hàng tiềm năng',   'Lead',                      10, true,  false, false, false, false, NULL),
	(0, 'lifecycle', 'mql',      'MQL',                    'Marketing qualified lead',  20, false, false, false, false, false, NULL),
	(0, 'lifecycle', 'sql',      'SQL',                    'Sales qualified lead',      30, false, false, false, false, false, NULL),
	(0, 'lifecycle', 'target',   'Khách hàng mục tiêu',    'Target customer',           40, false, false, false, false, false, NULL),
	(0, 'lifecycle', 'customer', 'Khách hàng',             'Customer',                  50, false, true,  false, false, false, NULL),
	(0, 'lifecycle', 'resale',   'Khách hàng tái bán',     'Resale customer',           60, false, true,  false, false, false, NULL),
	(0, 'lifecycle', 'loyal',    'Khách hàng trung thành', 'Loyal customer',            70, false, true,  false, false, false, NULL),
	(0, 'lifecycle', 'unknown',  'Không xác định',         'Unknown',                   90, false, false, false, false, true,  NULL),

	(0, 'contact', 'new',         'Mới',               'New',            10, true,  false, false, false, false, 10),
	(0, 'contact', 'contacting',  'Đang liên hệ',      'Contacting',     20, false, false, false, false, false, 20),
	(0, 'contact', 'promising',   'Khả quan',          'Promising',      30, false, false, false, false, false, 50),
	(0, 'contact', 'unreachable', 'Không thể liên hệ', 'Unreachable',    40, false, false, false, false, false, 5),
	(0, 'contact', 'lost',        'Mất tiềm năng',     'Lost potential', 50, false, false, true,  true,  true,  0),

	(0, 'distributor', 'no_info',        'Khách mới nội địa chưa có thông tin',    'New domestic customer, no information yet', 10, true,  false, false, false, false, 5),
	(0, 'distributor', 'awaiting_quote', 'Khách chờ báo giá',                      'Waiting for a quotation',                   20, false, false, false, false, false, 20),
	(0, 'distributor', 'quoted',         'Khách đã báo giá, tham khảo giá',        'Quoted, comparing prices',                  30, false, false, false, false, false, 40),
	(0, 'distributor', 'sample_sent',    'Khách đã gửi mẫu chờ chốt đơn',          'Sample sent, waiting for the order',        40, false, false, false, false, false, 60),
	(0, 'distributor', 'ordered',        'Khách chốt đơn',                         'Order closed',                              50, false, true,  false, true,  true,  100),
	(0, 'distributor', 'keep_in_touch',  'Khách giữ liên lạc',                     'Keeping in touch',                          60, false, false, false, false, false, 10),
	(0, 'distributor', 'supplier',       'Nhà cung cấp chào hàng',                 'Supplier offering goods',                   70, false, false, false, true,  true,  0),
	(0, 'distributor', 'not_prospect',   'Khách không tiềm năng - Ngưng làm việc', 'Not a prospect, stopped working',           80, false, false, true,  true,  true,  0),

	(0, 'pipeline', 'new',         'Mới',          'New',         10, true,  false, false, false, false, 10),
	(0, 'pipeline', 'qualified',   'Đủ điều kiện', 'Qualified',   20, false, false, false, false, false, 30),
	(0, 'pipeline', 'proposition', 'Đề xuất',      'Proposition', 30, false, false, false, false, false, 60),
	(0, 'pipeline', 'won',         'Thành công',   'Won',         40, false, true,  false, true,  true,  100),
	(0, 'pipeline', 'lost',        'Thất bại',     'Lost',        50, false, false, true,  true,  true,  0)
ON CONFLICT DO NOTHING;

INSERT INTO @extschema@.workflow_transition
	(tenant_id, workflow, from_state, to_state, required_fields, requires_bant_score, reason_required, restore) VALUES
	-- Rodi journey: forward, a purchase from any stage, back one step for
	-- re-qualification, and any stage can fall back to unknown
	(0, 'lifecycle', 'lead',     'mql',      '{}',       false, false, false),
	(0, 'lifecycle', 'lead',     'sql',      '{}',       true,  false, false),
	(0, 'lifecycle', 'lead',     'customer', '{}',       false, false, false),
	(0, 'lifecycle', 'lead',     'unknown',  '{}',       false, false, false),
	(0, 'lifecycle', 'mql',      'lead',     '{}',       false, false, false),
	(0, 'lifecycle', 'mql',      'sql',      '{}',       true,  false, false),
	(0, 'lifecycle', 'mql',      'customer', '{}',       false, false, false),
	(0, 'lifecycle', 'mql',      'unknown',  '{}',       false, false, false),
	(0, 'lifecycle', 'sql',      'mql',      '{}',       false, false, false),
	(0, 'lifecycle', 'sql',      'target',   '{need}',   false, false, false),
	(0, 'lifecycle', 'sql',      'customer', '{}',       false, false, false),
	(0, 'lifecycle', 'sql',      'unknown',  '{}',       false, false, false),
	(0, 'lifecycle', 'target',   'sql',      '{}',       false, false, false),
	(0, 'lifecycle', 'target',   'customer', '{}',       false, false, false),
	(0, 'lifecycle', 'target',   'unknown',  '{}',       false, false, false),
	(0, 'lifecycle', 'customer', 'resale',   '{}',       false, false, false),
	(0, 'lifecycle', 'customer', 'unknown',  '{}',       false, false, false),
	(0, 'lifecycle', 'resale',   'loyal',    '{}',       false, false, false),
	(0, 'lifecycle', 'resale',   'unknown',  '{}',       false, false, false),
	(0, 'lifecycle', 'loyal',    'unknown',  '{}',       false, false, false),
	(0, 'lifecycle', 'unknown',  'lead',     '{}',       false, false, false),
	(0, 'lifecycle', 'unknown',  'mql',      '{}',       false, false, false),
	(0, 'lifecycle', 'unknown',  'customer', '{}',       false, false, false),

	-- Rodi contact status: losing needs a lost reason; a lost lead is restored
	-- to the status it had
	(0, 'contact', 'new',         'contacting',  '{}',            false, false, false),
	(0, 'contact', 'new',         'promising',   '{}',            false, false, false),
	(0, 'contact', 'new',         'unreachable', '{}',            false, false, false),
	(0, 'contact', 'new',         'lost',        '{lost_reason}', false, false, false),
	(0, 'contact', 'contacting',  'promising',   '{}',            false, false, false),
	(0, 'contact', 'contacting',  'unreachable', '{}',            false, false, false),
	(0, 'contact', 'contacting',  'lost',        '{lost_reason}', false, false, false),
	(0, 'contact', 'promising',   'contacting',  '{}',            false, false, false),
	(0, 'contact', 'promising',   'unreachable', '{}',            false, false, false),
	(0, 'contact', 'promising',   'lost',        '{lost_reason}', false, false, false),
	(0, 'contact', 'unreachable', 'contacting',  '{}',            false, false, false),
	(0, 'contact', 'unreachable', 'lost',        '{lost_reason}', false, false, false),
	(0, 'contact', 'lost',        'new',         '{}',            false, false, true),
	(0, 'contact', 'lost',        'contacting',  '{}',            false, false, true),
	(0, 'contact', 'lost',        'promising',   '{}',            false, false, true),
	(0, 'contact', 'lost',        'unreachable', '{}',            false, false, true),

	-- the distributor (seed 004): quotation, sample, order; any open status can
	-- go to keeping in touch or to not a prospect (with a lost reason); a
	-- supplier filed by mistake goes back to no_info with a reason
	(0, 'distributor', 'no_info',        'awaiting_quote', '{}',            false, false, false),
	(0, 'distributor', 'no_info',        'quoted',         '{}',            false, false, false),
	(0, 'distributor', 'no_info',        'sample_sent',    '{}',            false, false, false),
	(0, 'distributor', 'no_info',        'keep_in_touch',  '{}',            false, false, false),
	(0, 'distributor', 'no_info',        'supplier',       '{}',            false, false, false),
	(0, 'distributor', 'no_info',        'not_prospect',   '{lost_reason}', false, false, false),
	(0, 'distributor', 'awaiting_quote', 'quoted',         '{}',            false, false, false),
	(0, 'distributor', 'awaiting_quote', 'keep_in_touch',  '{}',            false, false, false),
	(0, 'distributor', 'awaiting_quote', 'not_prospect',   '{lost_reason}', false, false, false),
	(0, 'distributor', 'quoted',         'awaiting_quote', '{}',            false, false, false),
	(0, 'distributor', 'quoted',         'sample_sent',    '{}',            false, false, false),
	(0, 'distributor', 'quoted',         'ordered',        '{}',            false, false, false),
	(0, 'distributor', 'quoted',         'keep_in_touch',  '{}',            false, false, false),
	(0, 'distributor', 'quoted',         'not_prospect',   '{lost_reason}', false, false, false),
	(0, 'distributor', 'sample_sent',    'quoted',         '{}',            false, false, false),
	(0, 'distributor', 'sample_sent',    'ordered',        '{}',            false, false, false),
	(0, 'distributor', 'sample_sent',    'keep_in_touch',  '{}',            false, false, false),
	(0, 'distributor', 'sample_sent',    'not_prospect',   '{lost_reason}', false, false, false),
	(0, 'distributor', 'ordered',        'awaiting_quote', '{}',            false, false, false),
	(0, 'distributor', 'ordered',        'keep_in_touch',  '{}',            false, false, false),
	(0, 'distributor', 'ordered',        'not_prospect',   '{lost_reason}', false, false, false),
	(0, 'distributor', 'keep_in_touch',  'awaiting_quote', '{}',            false, false, false),
	(0, 'distributor', 'keep_in_touch',  'quoted',         '{}',            false, false, false),
	(0, 'distributor', 'keep_in_touch',  'sample_sent',    '{}',            false, false, false),
	(0, 'distributor', 'keep_in_touch',  'ordered',        '{}',            false, false, false),
	(0, 'distributor', 'keep_in_touch',  'not_prospect',   '{lost_reason}', false, false, false),
	(0, 'distributor', 'supplier',       'no_info',        '{}',            false, true,  false),
	(0, 'distributor', 'not_prospect',   'no_info',        '{}',            false, false, true),
	(0, 'distributor', 'not_prospect',   'awaiting_quote', '{}',            false, false, true),
	(0, 'distributor', 'not_prospect',   'quoted',         '{}',            false, false, true),
	(0, 'distributor', 'not_prospect',   'sample_sent',    '{}',            false, false, true),
	(0, 'distributor', 'not_prospect',   'ordered',        '{}',            false, false, true),
	(0, 'distributor', 'not_prospect',   'keep_in_touch',  '{}',            false, false, true),

	-- Odoo pipeline: forward or one step back, won from any open stage, lost
	-- from any open stage with a lost reason, restore to the stage it left; a
	-- won deal is reopened only with a reason
	(0, 'pipeline', 'new',         'qualified',   '{}',                 false, false, false),
	(0, 'pipeline', 'new',         'proposition', '{expected_revenue}', false, false, false),
	(0, 'pipeline', 'new',         'won',         '{}',                 false, false, false),
	(0, 'pipeline', 'new',         'lost',        '{lost_reason}',      false, false, false),
	(0, 'pipeline', 'qualified',   'new',         '{}',                 false, false, false),
	(0, 'pipeline', 'qualified',   'proposition', '{expected_revenue}', false, false, false),
	(0, 'pipeline', 'qualified',   'won',         '{}',                 false, false, false),
	(0, 'pipeline', 'qualified',   'lost',        '{lost_reason}',      false, false, false),
	(0, 'pipeline', 'proposition', 'qualified',   '{}',                 false, false, false),
	(0, 'pipeline', 'proposition', 'won',         '{}',                 false, false, false),
	(0, 'pipeline', 'proposition', 'lost',        '{lost_reason}',      false, false, false),
	(0, 'pipeline', 'won',         'proposition', '{}',                 false, true,  false),
	(0, 'pipeline', 'lost',        'new',         '{}',                 false, false, true),
	(0, 'pipeline', 'lost',        'qualified',   '{}',                 false, false, true),
	(0, 'pipeline', 'lost',        'proposition', '{}',                 false, false, true)
ON CONFLICT DO NOTHING;

------------------------------------------------------------------------------
-- Checking definitions
------------------------------------------------------------------------------

-- Every problem of a workflow definition, with how to fix it; no rows = valid.
CREATE OR REPLACE FUNCTION @extschema@.workflow_problems(workflow text,
											  tenant integer DEFAULT @extschema@.current_tenant())
RETURNS TABLE (problem text, hint text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	wf ALIAS FOR workflow;
	t ALIAS FOR tenant;
	ninitial integer;
	nstates integer;
	names text;
BEGIN
	IF wf IS NULL THEN
		problem := 'no workflow code was given';
		hint := 'Name a workflow, e.g. ''contact''.';
		RETURN NEXT;
		RETURN;
	END IF;
	IF NOT EXISTS (SELECT FROM @extschema@.workflow w WHERE w.tenant_id = t AND w.code = wf) THEN
		problem := format('workflow "%s" does not exist in tenant %s', wf, t);
		hint := format('Create it: INSERT INTO lead_crm.workflow (code, label_vi, label_en) VALUES (%L, ..., ...); or use one of: %s.',
					   wf, coalesce((SELECT string_agg(w.code, ', ' ORDER BY w.code)
									   FROM @extschema@.workflow w WHERE w.tenant_id = t), 'none'));
		RETURN NEXT;
		RETURN;
	END IF;

	SELECT count(*), count(*) FILTER (WHERE s.initial) INTO nstates, ninitial
	  FROM @extschema@.workflow_state s WHERE s.tenant_id = t AND s.workflow = wf;
	IF nstates = 0 THEN
		problem := 'it has no states';
		hint := format('Add states: INSERT INTO lead_crm.workflow_state (workflow, code, label_vi, label_en, initial) VALUES (%L, ''new'', ''Mới'', ''New'', true), ...', wf);
		RETURN NEXT;
		RETURN;
	END IF;
	IF ninitial <> 1 THEN
		problem := format('it has %s initial states; it needs exactly one', ninitial);
		hint := format('Mark one state initial: UPDATE lead_crm.workflow_state SET initial = true WHERE workflow = %L AND code = ...;', wf);
		RETURN NEXT;
	END IF;

	-- restore moves only return to a state the lead left, so they do not make a state reachable
	IF ninitial = 1 THEN
		WITH RECURSIVE reach (code) AS (
			SELECT s.code FROM @extschema@.workflow_state s
			 WHERE s.tenant_id = t AND s.workflow = wf AND s.initial
			UNION
			SELECT tr.to_state FROM reach
			  JOIN @extschema@.workflow_transition tr
				ON tr.tenant_id = t AND tr.workflow = wf AND tr.from_state = reach.code AND NOT tr.restore
		)
		SELECT string_agg(s.code, ', ' ORDER BY s.position, s.code) INTO names
		  FROM @extschema@.workflow_state s
		 WHERE s.tenant_id = t AND s.workflow = wf AND s.code NOT IN (SELECT code FROM reach);
		IF names IS NOT NULL THEN
			problem := format('states %s cannot be reached from the initial state', names);
			hint := 'Add transitions leading to them (restore transitions do not count), or delete them.';
			RETURN NEXT;
		END IF;
	END IF;

	SELECT string_agg(s.code, ', ' ORDER BY s.position, s.code) INTO names
	  FROM @extschema@.workflow_state s
	 WHERE s.tenant_id = t AND s.workflow = wf AND NOT s.closed
	   AND NOT EXISTS (SELECT FROM @extschema@.workflow_transition tr
						WHERE tr.tenant_id = t AND tr.workflow = wf AND tr.from_state = s.code);
	IF names IS NOT NULL THEN
		problem := format('open states %s have no way out', names);
		hint := 'Add a transition leaving them, or mark them closed: UPDATE lead_crm.workflow_state SET closed = true WHERE ...;';
		RETURN NEXT;
	END IF;

	SELECT string_agg(format('%s -> %s', tr.from_state, tr.to_state), ', '
					  ORDER BY tr.from_state, tr.to_state) INTO names
	  FROM @extschema@.workflow_transition tr
	 WHERE tr.tenant_id = t AND tr.workflow = wf AND tr.restore
	   AND NOT EXISTS (SELECT FROM @extschema@.workflow_transition back
						WHERE back.tenant_id = t AND back.workflow = wf
						  AND back.from_state = tr.to_state AND back.to_state = tr.from_state);
	IF names IS NOT NULL THEN
		problem := format('restore transitions %s can never be used: no transition leads the other way', names);
		hint := 'A restore goes back to the state a lead left; add the forward transition or make it a normal one (restore = false).';
		RETURN NEXT;
	END IF;

	SELECT string_agg(DISTINCT format('%s (%s -> %s)', coalesce(f, 'NULL'), tr.from_state, tr.to_state), ', ')
	  INTO names
	  FROM @extschema@.workflow_transition tr, pg_catalog.unnest(tr.required_fields) AS f
	 WHERE tr.tenant_id = t AND tr.workflow = wf
	   AND NOT coalesce(CASE WHEN f LIKE 'custom.%'
							 THEN EXISTS (SELECT FROM @extschema@.custom_field c
										   WHERE c.tenant_id = t AND c.name = substr(f, 8))
							 ELSE f NOT IN ('id', 'tenant_id', 'created_at', 'updated_at')
								  AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
											   WHERE a.attrelid = '@extschema@.lead'::regclass
												 AND a.attname = f AND a.attnum > 0 AND NOT a.attisdropped)
						END, false);
	IF names IS NOT NULL THEN
		problem := format('required fields %s are not lead columns or custom fields', names);
		hint := 'Name columns of lead_crm.lead (e.g. phone, need, lost_reason) or custom.<name> of a field in lead_crm.custom_field.';
		RETURN NEXT;
	END IF;

	-- vn_fold needs a UTF8 database; elsewhere compare in lower case
	SELECT string_agg(d.label, ', ' ORDER BY d.label) INTO names
	  FROM (SELECT l.label
			  FROM (SELECT CASE WHEN pg_catalog.getdatabaseencoding() = 'UTF8'
								THEN @extschema@.vn_fold(s.label_vi) ELSE pg_catalog.lower(s.label_vi) END
						   AS label
					  FROM @extschema@.workflow_state s
					 WHERE s.tenant_id = t AND s.workflow = wf) l
			 GROUP BY l.label HAVING count(*) > 1) d;
	IF names IS NOT NULL THEN
		problem := format('several states share the label "%s"', names);
		hint := 'Give each state its own Vietnamese label: leads may be written with labels instead of codes.';
		RETURN NEXT;
	END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.workflow_problems(text, integer) IS
'problems of a workflow definition with hints (no rows: the workflow is valid)';

CREATE OR REPLACE FUNCTION @extschema@.validate_workflow(workflow text,
											  tenant integer DEFAULT @extschema@.current_tenant())
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	problems text;
	first_hint text;
BEGIN
	SELECT string_agg(p.problem, '; '), (array_agg(p.hint))[1] INTO problems, first_hint
	  FROM @extschema@.workflow_problems(workflow, tenant) AS p;
	IF problems IS NOT NULL THEN
		RAISE EXCEPTION 'workflow "%" of tenant % is invalid', coalesce(workflow, ''), tenant
			USING ERRCODE = 'LC004', DETAIL = problems || '.', HINT = first_hint;
	END IF;
	RETURN true;
END;
$$;
COMMENT ON FUNCTION @extschema@.validate_workflow(text, integer) IS
'raises SQLSTATE LC004 listing the problems of a workflow definition; true when it is valid';

-- The values of a lead column that are not states of a workflow, as "code (n leads)".
CREATE OR REPLACE FUNCTION @extschema@.workflow_strays(tenant integer, field text, workflow text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT string_agg(format('%s (%s %s)', c.v, c.n, CASE c.n WHEN 1 THEN 'lead' ELSE 'leads' END), ', '
					  ORDER BY c.n DESC, c.v)
	  FROM (SELECT CASE workflow_strays.field WHEN 'status' THEN l.status ELSE l.lifecycle END AS v,
				   count(*) AS n
			  FROM @extschema@.lead l
			 WHERE l.tenant_id = workflow_strays.tenant
			 GROUP BY 1) c
	 WHERE NOT EXISTS (SELECT FROM @extschema@.workflow_state s
						WHERE s.tenant_id = workflow_strays.tenant
						  AND s.workflow = workflow_strays.workflow AND s.code = c.v);
$$;
COMMENT ON FUNCTION @extschema@.workflow_strays(integer, text, text) IS
'values of lead.status or lead.lifecycle in a tenant that are not states of the given workflow';

-- What the deferred check below verifies for one workflow of a tenant (NULL:
-- every workflow the tenant uses): a workflow in use exists and is valid, and
-- with check_leads every lead is in a state of it. Drafts (not in use) pass.
CREATE OR REPLACE FUNCTION @extschema@.check_workflow_use(tenant integer, workflow text, check_leads boolean)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t ALIAS FOR tenant;
	f text;
	wf text;
	strays text;
BEGIN
	FOR f, wf IN
		SELECT 'status', x.status_workflow FROM @extschema@.tenant x WHERE x.tenant_id = t
		UNION ALL
		SELECT 'lifecycle', x.lifecycle_workflow FROM @extschema@.tenant x WHERE x.tenant_id = t
	LOOP
		IF check_workflow_use.workflow IS NOT NULL AND wf <> check_workflow_use.workflow THEN
			CONTINUE;
		END IF;
		IF NOT EXISTS (SELECT FROM @extschema@.workflow w WHERE w.tenant_id = t AND w.code = wf) THEN
			RAISE EXCEPTION 'tenant % uses workflow "%" for %, which does not exist', t, wf, f
				USING ERRCODE = 'LC004',
					  DETAIL = format('Workflows of tenant %s: %s.', t,
									  coalesce((SELECT string_agg(w.code, ', ' ORDER BY w.code)
												  FROM @extschema@.workflow w WHERE w.tenant_id = t), 'none')),
					  HINT = format('Keep the workflow, or first choose another one with lead_crm.set_%s_workflow().', f);
		END IF;
		PERFORM @extschema@.validate_workflow(wf, t);
		IF check_leads THEN
			strays := @extschema@.workflow_strays(t, f, wf);
			IF strays IS NOT NULL THEN
				RAISE EXCEPTION 'leads of tenant % have a % that is not a state of workflow "%"', t, f, wf
					USING ERRCODE = 'LC004',
						  DETAIL = format('Values outside the workflow: %s.', strays),
						  HINT = format('Move those leads to states of "%s" in the same transaction, e.g. with lead_crm.set_%s_workflow(%L, ''{"old": "new"}''), or keep the states.', wf, f, wf);
			END IF;
		END IF;
	END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.check_workflow_use(integer, text, boolean) IS
'raises LC004 when a workflow the tenant uses is missing or invalid, or (check_leads) a lead is outside it';

-- Deferred constraint trigger (src/workflow.c): at commit every workflow in use
-- is valid and every lead in a state of its workflows. Deferred, because a
-- workflow is built with several INSERTs; drafts not in use are checked on
-- demand with validate_workflow() and when a tenant starts using them.
CREATE OR REPLACE FUNCTION @extschema@.workflow_check() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_workflow_check'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.workflow_check() IS
'deferred constraint trigger: workflows in use stay valid and every lead stays in a state of its workflows';

DROP TRIGGER IF EXISTS workflow_valid ON @extschema@.workflow;
CREATE CONSTRAINT TRIGGER workflow_valid AFTER INSERT OR UPDATE OR DELETE ON @extschema@.workflow
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_check();
DROP TRIGGER IF EXISTS workflow_state_valid ON @extschema@.workflow_state;
CREATE CONSTRAINT TRIGGER workflow_state_valid AFTER INSERT OR UPDATE OR DELETE ON @extschema@.workflow_state
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_check();
DROP TRIGGER IF EXISTS workflow_transition_valid ON @extschema@.workflow_transition;
CREATE CONSTRAINT TRIGGER workflow_transition_valid AFTER INSERT OR UPDATE OR DELETE ON @extschema@.workflow_transition
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_check();
-- on UPDATE only: a tenant inserted by create_tenant() gets copies of the
-- template workflows its defaults name
DROP TRIGGER IF EXISTS tenant_workflow_valid ON @extschema@.tenant;
CREATE CONSTRAINT TRIGGER tenant_workflow_valid AFTER UPDATE OF status_workflow, lifecycle_workflow
	ON @extschema@.tenant
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_check();

-- The built-ins must be valid, in use or not.
SELECT @extschema@.validate_workflow(code, 0) FROM @extschema@.workflow WHERE tenant_id = 0;

------------------------------------------------------------------------------
-- Enforcement (src/state.c) and events
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.lead_state_check() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_state_check'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_state_check() IS
'BEFORE INSERT OR UPDATE row trigger on lead: status and lifecycle follow the tenant''s workflows; queues events of moves';

CREATE OR REPLACE FUNCTION @extschema@.lead_state_events() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_state_events'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_state_events() IS
'AFTER row trigger on lead: "created" events of inserts; BANT guard and override records of the updates that need them';

CREATE OR REPLACE FUNCTION @extschema@.state_after_pending() RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_state_after_pending'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.state_after_pending() IS
'internal: true while state changes of this transaction wait for the AFTER UPDATE trigger (BANT guard, override record)';

-- lead_20_state checks, fills in, and queues the events of updates; the AFTER
-- triggers announce inserted leads, and run for the few updates that need the
-- stored row, so that a common move costs one trigger call.
CREATE OR REPLACE TRIGGER lead_20_state BEFORE INSERT OR UPDATE OF status, lifecycle ON @extschema@.lead
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_state_check();
CREATE OR REPLACE TRIGGER lead_80_state_events AFTER INSERT ON @extschema@.lead
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_state_events();
CREATE OR REPLACE TRIGGER lead_81_state_guards AFTER UPDATE OF status, lifecycle ON @extschema@.lead
	FOR EACH ROW WHEN (@extschema@.state_after_pending())
	EXECUTE FUNCTION @extschema@.lead_state_events();

------------------------------------------------------------------------------
-- Moving leads
------------------------------------------------------------------------------

-- The one path of every state call: lock the lead, then move it with the
-- reason (and override) set for the history and state triggers.
CREATE OR REPLACE FUNCTION @extschema@.move_lead(lead_id bigint, field text, new_state text,
									  reason text, override boolean DEFAULT false,
									  lost_reason text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t integer := @extschema@.current_tenant();
	was text;
	is_now text;
	prev_reason text := current_setting('lead_crm.reason');
	prev_override text := current_setting('lead_crm.override_guards');
BEGIN
	IF new_state IS NULL OR btrim(new_state) = '' THEN
		RAISE EXCEPTION 'a new % is required', field
			USING ERRCODE = '22004',
				  HINT = 'Give a state code or label of the tenant''s workflow.';
	END IF;
	IF override AND (reason IS NULL OR btrim(reason) = '') THEN
		RAISE EXCEPTION 'overriding a guard needs a reason'
			USING ERRCODE = 'LC002',
				  DETAIL = format('Lead %s was to move to %s without a reason.', lead_id, new_state),
				  HINT = 'Say why the guard does not apply, e.g. ''giám đốc đã duyệt''.';
	END IF;
	-- lock first: a concurrent move commits before we decide, and we see it
	IF field = 'status' THEN
		SELECT l.status INTO was FROM @extschema@.lead l
		 WHERE l.tenant_id = t AND l.id = lead_id FOR UPDATE;
	ELSE
		SELECT l.lifecycle INTO was FROM @extschema@.lead l
		 WHERE l.tenant_id = t AND l.id = lead_id FOR UPDATE;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'lead % does not exist', coalesce(lead_id::text, 'NULL')
			USING ERRCODE = 'P0002',
				  DETAIL = format('Tenant %s has no lead with id %s.', t, coalesce(lead_id::text, 'NULL')),
				  HINT = format('Leads are looked up in the session''s tenant (lead_crm.tenant = %s); check the id or the tenant.', t);
	END IF;

	IF reason IS NOT NULL THEN
		PERFORM pg_catalog.set_config('lead_crm.reason', reason, true);
	END IF;
	IF override THEN
		PERFORM pg_catalog.set_config('lead_crm.override_guards', 'on', true);
	END IF;
	IF field = 'status' THEN
		IF lost_reason IS NULL THEN
			UPDATE @extschema@.lead l SET status = new_state
			 WHERE l.tenant_id = t AND l.id = lead_id RETURNING l.status INTO is_now;
		ELSE
			UPDATE @extschema@.lead l SET status = new_state, lost_reason = move_lead.lost_reason
			 WHERE l.tenant_id = t AND l.id = lead_id RETURNING l.status INTO is_now;
		END IF;
	ELSE
		UPDATE @extschema@.lead l SET lifecycle = new_state
		 WHERE l.tenant_id = t AND l.id = lead_id RETURNING l.lifecycle INTO is_now;
	END IF;
	PERFORM pg_catalog.set_config('lead_crm.reason', prev_reason, true),
			pg_catalog.set_config('lead_crm.override_guards', prev_override, true);
	RETURN is_now IS DISTINCT FROM was;
END;
$$;
COMMENT ON FUNCTION @extschema@.move_lead(bigint, text, text, text, boolean, text) IS
'internal: locks a lead and moves its status or lifecycle with a reason; use set_status() and friends';

CREATE OR REPLACE FUNCTION @extschema@.set_status(lead_id bigint, new_status text, reason text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql
AS $$ SELECT @extschema@.move_lead(lead_id, 'status', new_status, reason) $$;
COMMENT ON FUNCTION @extschema@.set_status(bigint, text, text) IS
'moves a lead to another status (code or label) of the tenant''s status workflow; false when it was already there';

CREATE OR REPLACE FUNCTION @extschema@.set_lifecycle(lead_id bigint, new_stage text, reason text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql
AS $$ SELECT @extschema@.move_lead(lead_id, 'lifecycle', new_stage, reason) $$;
COMMENT ON FUNCTION @extschema@.set_lifecycle(bigint, text, text) IS
'moves a lead to another lifecycle stage (code or label); false when it was already there';

CREATE OR REPLACE FUNCTION @extschema@.override_status(lead_id bigint, new_status text, reason text)
RETURNS boolean
LANGUAGE sql
AS $$ SELECT @extschema@.move_lead(lead_id, 'status', new_status, reason, true) $$;
COMMENT ON FUNCTION @extschema@.override_status(bigint, text, text) IS
'set_status() that skips unmet guards of an allowed move; the reason is required and recorded in lead_crm.guard_override';

CREATE OR REPLACE FUNCTION @extschema@.override_lifecycle(lead_id bigint, new_stage text, reason text)
RETURNS boolean
LANGUAGE sql
AS $$ SELECT @extschema@.move_lead(lead_id, 'lifecycle', new_stage, reason, true) $$;
COMMENT ON FUNCTION @extschema@.override_lifecycle(bigint, text, text) IS
'set_lifecycle() that skips unmet guards of an allowed move; the reason is required and recorded';

-- The lost state of the tenant's status workflow (the first by position).
CREATE OR REPLACE FUNCTION @extschema@.status_state(flag text, tenant integer DEFAULT @extschema@.current_tenant())
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	wf text;
	code text;
BEGIN
	SELECT x.status_workflow INTO wf FROM @extschema@.tenant x WHERE x.tenant_id = tenant;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'tenant % does not exist', tenant
			USING ERRCODE = 'P0002',
				  HINT = format('Create it with SELECT lead_crm.create_tenant(%s, ''name'');', tenant);
	END IF;
	SELECT s.code INTO code FROM @extschema@.workflow_state s
	 WHERE s.tenant_id = tenant AND s.workflow = wf
	   AND CASE flag WHEN 'lost' THEN s.lost WHEN 'won' THEN s.won END
	 ORDER BY s.position, s.code LIMIT 1;
	IF code IS NULL THEN
		RAISE EXCEPTION 'status workflow "%" has no % state', wf, flag
			USING ERRCODE = 'LC004',
				  DETAIL = format('Tenant %s uses workflow "%s" for lead.status.', tenant, wf),
				  HINT = format('Mark a state %s: UPDATE lead_crm.workflow_state SET %s = true, closed = true WHERE workflow = %L AND code = ...;', flag, flag, wf);
	END IF;
	RETURN code;
END;
$$;
COMMENT ON FUNCTION @extschema@.status_state(text, integer) IS
'internal: the lost or won state of a tenant''s status workflow';

CREATE OR REPLACE FUNCTION @extschema@.mark_lost(lead_id bigint, reason text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF reason IS NULL OR btrim(reason) = '' THEN
		RAISE EXCEPTION 'a lost reason is required'
			USING ERRCODE = 'LC002',
				  DETAIL = format('Lead %s was to be marked lost without a reason.', lead_id),
				  HINT = 'Give a lost reason code or label, e.g. SELECT lead_crm.mark_lost(42, ''Giá quá cao'');';
	END IF;
	RETURN @extschema@.move_lead(lead_id, 'status', @extschema@.status_state('lost'), reason,
								 lost_reason => reason);
END;
$$;
COMMENT ON FUNCTION @extschema@.mark_lost(bigint, text) IS
'moves a lead to the lost state of its status workflow with a lost reason (code, label or text)';

CREATE OR REPLACE FUNCTION @extschema@.mark_won(lead_id bigint, reason text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql
AS $$ SELECT @extschema@.move_lead(lead_id, 'status', @extschema@.status_state('won'), reason) $$;
COMMENT ON FUNCTION @extschema@.mark_won(bigint, text) IS
'moves a lead to the won state of its status workflow';

CREATE OR REPLACE FUNCTION @extschema@.restore_lead(lead_id bigint)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t integer := @extschema@.current_tenant();
	wf text;
	cur text;
	is_lost boolean;
	back text;
	prev_reason text := current_setting('lead_crm.reason');
BEGIN
	SELECT l.status, x.status_workflow, s.lost INTO cur, wf, is_lost
	  FROM @extschema@.lead l
	  JOIN @extschema@.tenant x ON x.tenant_id = l.tenant_id
	  LEFT JOIN @extschema@.workflow_state s
		ON s.tenant_id = l.tenant_id AND s.workflow = x.status_workflow AND s.code = l.status
	 WHERE l.tenant_id = t AND l.id = lead_id
	   FOR UPDATE OF l;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'lead % does not exist', coalesce(lead_id::text, 'NULL')
			USING ERRCODE = 'P0002',
				  DETAIL = format('Tenant %s has no lead with id %s.', t, coalesce(lead_id::text, 'NULL')),
				  HINT = format('Leads are looked up in the session''s tenant (lead_crm.tenant = %s); check the id or the tenant.', t);
	END IF;
	IF NOT coalesce(is_lost, false) THEN
		RAISE EXCEPTION 'lead % is not lost', lead_id
			USING ERRCODE = '55000',
				  DETAIL = format('Its status is %s in workflow "%s".', cur, wf),
				  HINT = 'Only lost leads are restored; move others with lead_crm.set_status().';
	END IF;
	-- the status it had before it was lost
	SELECT CASE WHEN h.new_value = cur THEN h.old_value END INTO back
	  FROM @extschema@.lead_history h
	 WHERE h.tenant_id = t AND h.lead_id = restore_lead.lead_id AND h.field = 'status'
	 ORDER BY h.id DESC LIMIT 1;
	IF back IS NULL THEN
		-- lost since it was loaded: the initial state, if a restore leads there
		SELECT tr.to_state INTO back
		  FROM @extschema@.workflow_transition tr
		  JOIN @extschema@.workflow_state s
			ON s.tenant_id = tr.tenant_id AND s.workflow = tr.workflow AND s.code = tr.to_state
		 WHERE tr.tenant_id = t AND tr.workflow = wf AND tr.from_state = cur AND s.initial;
	END IF;
	IF back IS NULL OR NOT EXISTS (SELECT FROM @extschema@.workflow_transition tr
									WHERE tr.tenant_id = t AND tr.workflow = wf
									  AND tr.from_state = cur AND tr.to_state = back) THEN
		RAISE EXCEPTION 'lead % cannot be restored', lead_id
			USING ERRCODE = 'LC001',
				  DETAIL = format('Workflow "%s" has no transition from %s back to %s.', wf, cur,
								  coalesce(back, 'its initial state')),
				  HINT = 'Move it with lead_crm.set_status() to a state the workflow allows, or add a restore transition.';
	END IF;
	PERFORM pg_catalog.set_config('lead_crm.reason', 'restored', true);
	UPDATE @extschema@.lead l SET status = back, lost_reason = NULL
	 WHERE l.tenant_id = t AND l.id = restore_lead.lead_id;
	PERFORM pg_catalog.set_config('lead_crm.reason', prev_reason, true);
	RETURN back;
END;
$$;
COMMENT ON FUNCTION @extschema@.restore_lead(bigint) IS
'brings a lost lead back to the status it had before it was lost and clears its lost reason; returns that status';

-- What a lead can do next (buttons of a UI), in the tenant's language.
CREATE OR REPLACE FUNCTION @extschema@.next_states(lead_id bigint)
RETURNS TABLE (field text, state text, label text, restore boolean, needs text[])
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	WITH l AS (
		SELECT l.tenant_id, l.id, f.field, f.value, f.workflow, x.language
		  FROM @extschema@.lead l
		  JOIN @extschema@.tenant x ON x.tenant_id = l.tenant_id
		 CROSS JOIN LATERAL (VALUES ('status', l.status, x.status_workflow),
									('lifecycle', l.lifecycle, x.lifecycle_workflow)) AS f (field, value, workflow)
		 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = next_states.lead_id
	), left_state AS (
		SELECT l.field,
			   (SELECT CASE WHEN h.new_value = l.value THEN h.old_value END
				  FROM @extschema@.lead_history h
				 WHERE h.tenant_id = l.tenant_id AND h.lead_id = l.id AND h.field = l.field
				 ORDER BY h.id DESC LIMIT 1) AS code
		  FROM l
	)
	SELECT l.field, tr.to_state,
		   CASE l.language WHEN 'en' THEN s.label_en ELSE s.label_vi END,
		   tr.restore,
		   tr.required_fields
		   || CASE WHEN tr.reason_required THEN '{reason}'::text[] ELSE '{}' END
		   || CASE WHEN tr.requires_bant_score THEN '{bant_score}'::text[] ELSE '{}' END
	  FROM l
	  JOIN @extschema@.workflow_transition tr
		ON tr.tenant_id = l.tenant_id AND tr.workflow = l.workflow AND tr.from_state = l.value
	  JOIN @extschema@.workflow_state s
		ON s.tenant_id = tr.tenant_id AND s.workflow = tr.workflow AND s.code = tr.to_state
	  JOIN left_state ls ON ls.field = l.field
	 WHERE NOT tr.restore OR ls.code IS NULL OR ls.code = tr.to_state
	 ORDER BY l.field DESC, s.position, s.code;
$$;
COMMENT ON FUNCTION @extschema@.next_states(bigint) IS
'the states a lead may move to next, per field, with the guards each move needs';

------------------------------------------------------------------------------
-- Choosing a workflow
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.use_workflow(field text, workflow text, mapping jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t integer := @extschema@.current_tenant();
	old_wf text;
	bad text;
	strays text;
	moved bigint := 0;
	prev_reason text := current_setting('lead_crm.reason');
BEGIN
	IF field NOT IN ('status', 'lifecycle') THEN
		RAISE EXCEPTION 'workflows govern status or lifecycle, not %', field USING ERRCODE = '22023';
	END IF;
	PERFORM @extschema@.create_tenant(t) WHERE NOT EXISTS (SELECT FROM @extschema@.tenant WHERE tenant_id = t);
	PERFORM @extschema@.validate_workflow(workflow, t);
	IF mapping IS NOT NULL AND pg_catalog.jsonb_typeof(mapping) <> 'object' THEN
		RAISE EXCEPTION 'the mapping must be a JSON object'
			USING ERRCODE = '22023', HINT = 'Write it as {"old_state": "new_state", ...}.';
	END IF;
	-- keys: values outside the new workflow; values: states of it
	SELECT string_agg(format('%s -> %s', m.key, m.value), ', ') INTO bad
	  FROM pg_catalog.jsonb_each_text(coalesce(mapping, '{}')) AS m
	 WHERE m.value IS NULL
		OR NOT EXISTS (SELECT FROM @extschema@.workflow_state s
						WHERE s.tenant_id = t AND s.workflow = use_workflow.workflow AND s.code = m.value)
		OR EXISTS (SELECT FROM @extschema@.workflow_state s
					WHERE s.tenant_id = t AND s.workflow = use_workflow.workflow AND s.code = m.key);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'invalid mapping to workflow "%"', workflow
			USING ERRCODE = '22023',
				  DETAIL = format('Entries: %s. A mapping takes values that are not states of "%s" to states of it; values that are states stay as they are.', bad, workflow),
				  HINT = format('States of "%s": %s.', workflow,
								(SELECT string_agg(s.code, ', ' ORDER BY s.position)
								   FROM @extschema@.workflow_state s
								  WHERE s.tenant_id = t AND s.workflow = use_workflow.workflow));
	END IF;
	SELECT string_agg(v, ', ' ORDER BY v), string_agg(format('"%s": "%s"', v, i.code), ', ' ORDER BY v)
	  INTO strays, bad
	  FROM (SELECT DISTINCT CASE field WHEN 'status' THEN l.status ELSE l.lifecycle END AS v
			  FROM @extschema@.lead l WHERE l.tenant_id = t) c
	  CROSS JOIN (SELECT s.code FROM @extschema@.workflow_state s
				   WHERE s.tenant_id = t AND s.workflow = use_workflow.workflow AND s.initial) i
	 WHERE NOT EXISTS (SELECT FROM @extschema@.workflow_state s
						WHERE s.tenant_id = t AND s.workflow = use_workflow.workflow AND s.code = c.v)
	   AND NOT coalesce(mapping, '{}') ? c.v;
	IF strays IS NOT NULL THEN
		RAISE EXCEPTION 'leads of tenant % have % values that workflow "%" does not have', t, field, workflow
			USING ERRCODE = 'LC004',
				  DETAIL = format('Values without a state: %s.', @extschema@.workflow_strays(t, field, workflow)),
				  HINT = format('Map them to states of "%s", e.g. SELECT lead_crm.set_%s_workflow(%L, ''{%s}'');',
								workflow, field, workflow, bad);
	END IF;

	-- switch, then map: checked once both are done, below and at commit
	SET CONSTRAINTS @extschema@.tenant_workflow_valid DEFERRED;
	IF field = 'status' THEN
		SELECT x.status_workflow INTO old_wf FROM @extschema@.tenant x WHERE x.tenant_id = t FOR UPDATE;
		UPDATE @extschema@.tenant x SET status_workflow = workflow WHERE x.tenant_id = t;
	ELSE
		SELECT x.lifecycle_workflow INTO old_wf FROM @extschema@.tenant x WHERE x.tenant_id = t FOR UPDATE;
		UPDATE @extschema@.tenant x SET lifecycle_workflow = workflow WHERE x.tenant_id = t;
	END IF;
	IF mapping IS NOT NULL THEN
		PERFORM pg_catalog.set_config('lead_crm.reason',
			format('%s workflow changed from %s to %s', field, old_wf, workflow), true);
		IF field = 'status' THEN
			UPDATE @extschema@.lead l SET status = mapping ->> l.status
			 WHERE l.tenant_id = t AND mapping ? l.status;
		ELSE
			UPDATE @extschema@.lead l SET lifecycle = mapping ->> l.lifecycle
			 WHERE l.tenant_id = t AND mapping ? l.lifecycle;
		END IF;
		GET DIAGNOSTICS moved = ROW_COUNT;
		PERFORM pg_catalog.set_config('lead_crm.reason', prev_reason, true);
	END IF;
	PERFORM @extschema@.check_workflow_use(t, workflow, true);
	RETURN moved;
END;
$$;
COMMENT ON FUNCTION @extschema@.use_workflow(text, text, jsonb) IS
'internal: puts a workflow on status or lifecycle of the session''s tenant, mapping lead values it lacks';

CREATE OR REPLACE FUNCTION @extschema@.set_status_workflow(workflow text, mapping jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE sql
AS $$ SELECT @extschema@.use_workflow('status', workflow, mapping) $$;
COMMENT ON FUNCTION @extschema@.set_status_workflow(text, jsonb) IS
'makes a workflow govern lead.status in the session''s tenant; mapping {"old": "new"} moves leads whose status it lacks; returns the number moved';

CREATE OR REPLACE FUNCTION @extschema@.set_lifecycle_workflow(workflow text, mapping jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE sql
AS $$ SELECT @extschema@.use_workflow('lifecycle', workflow, mapping) $$;
COMMENT ON FUNCTION @extschema@.set_lifecycle_workflow(text, jsonb) IS
'makes a workflow govern lead.lifecycle in the session''s tenant; mapping as in set_status_workflow()';

------------------------------------------------------------------------------
-- Time in states
------------------------------------------------------------------------------

-- One row per stay of a lead in a state, from lead_history: the first stay
-- starts at created_at in the state the first change left (or the current
-- one); each recorded change starts the next. The state rows of the history
-- are numbered per lead and field once (in the order of the partial index
-- lead_history_state_idx, merged with the leads for created_at, which also
-- drops the history of deleted leads); each lead's current stay comes from
-- its last move or, never moved, from the lead itself.
CREATE OR REPLACE VIEW @extschema@.lead_state_durations AS
WITH moves AS (
	SELECT h.tenant_id, h.lead_id, h.field::text COLLATE "default" AS field, h.old_value, h.new_value,
		   h.changed_at, l.created_at,
		   pg_catalog.row_number() OVER w AS n,
		   pg_catalog.lead(h.changed_at) OVER w AS next_at
	  FROM @extschema@.lead_history h
	  JOIN @extschema@.lead l ON l.tenant_id = h.tenant_id AND l.id = h.lead_id
	 WHERE h.tenant_id = @extschema@.current_tenant() AND h.field IN ('status', 'lifecycle')
	WINDOW w AS (PARTITION BY h.lead_id, h.field ORDER BY h.changed_at, h.id)
)
-- the stay each lead is in now
SELECT l.tenant_id, l.id AS lead_id, f.field COLLATE "default" AS field, coalesce(m.new_value, f.value) AS state,
	   coalesce(m.changed_at, l.created_at) AS entered_at, NULL::timestamptz AS left_at,
	   pg_catalog.now() - coalesce(m.changed_at, l.created_at) AS duration, true AS current
  FROM @extschema@.lead l
 CROSS JOIN LATERAL (VALUES ('status'::text, l.status), ('lifecycle'::text, l.lifecycle)) AS f (field, value)
  LEFT JOIN moves m ON m.next_at IS NULL AND m.lead_id = l.id AND m.field = f.field
 WHERE l.tenant_id = @extschema@.current_tenant()
UNION ALL
-- the first stay of moved leads: from created_at in the state the first move left
SELECT m.tenant_id, m.lead_id, m.field, m.old_value, m.created_at, m.changed_at, m.changed_at - m.created_at, false
  FROM moves m
 WHERE m.n = 1
UNION ALL
-- the stays that later moves ended
SELECT m.tenant_id, m.lead_id, m.field, m.new_value, m.changed_at, m.next_at, m.next_at - m.changed_at, false
  FROM moves m
 WHERE m.next_at IS NOT NULL;
COMMENT ON VIEW @extschema@.lead_state_durations IS
'each stay of a lead of the current tenant in a status or lifecycle state: entered_at, left_at, duration (until now for the current one)';

------------------------------------------------------------------------------
-- pg_dump
------------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('@extschema@.workflow', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.workflow_state', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.workflow_transition', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.guard_override', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.guard_override', 'id')::regclass, '');

CREATE OR REPLACE FUNCTION @extschema@.notify_event(tenant integer, lead_id bigint, event text,
										 from_value text DEFAULT NULL, to_value text DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'lc_notify_event'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.notify_event(integer, bigint, text, text, text) IS
'queues a lead_crm_events notification (sent at commit) unless the tenant turned events off';

-- Demo tour: lead state machines. Uses its own tenant (40), a distributor on
-- the seed-004 workflow, so the sample leads of the other parts stay as they are.
-- Refused moves are caught and shown, so the tour runs under ON_ERROR_STOP.
\set QUIET on
SET lead_crm.tenant = 40;
SELECT lead_crm.create_tenant(40, 'Công ty Nông sản Xanh (demo)') \g /dev/null
SELECT lead_crm.set_status_workflow('distributor') \g /dev/null

-- what a statement says when it is refused
CREATE FUNCTION pg_temp.try(stmt text, OUT code text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	message := 'ok';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
END $$;
\set QUIET off
\pset footer off

\echo
\echo '== State machines: built-in workflows (lead_crm.workflow, workflow_state, workflow_transition)'
SELECT w.code AS workflow, w.label_vi, count(s.*) AS states,
       (SELECT count(*) FROM lead_crm.workflow_transition t
         WHERE t.tenant_id = w.tenant_id AND t.workflow = w.code) AS transitions
  FROM lead_crm.workflow w
  JOIN lead_crm.workflow_state s ON s.tenant_id = w.tenant_id AND s.workflow = w.code
 WHERE w.tenant_id = 40 GROUP BY w.tenant_id, w.code, w.label_vi ORDER BY w.code;

\echo '== A distributor''s lead: it starts in the initial status of the tenant''s workflow'
INSERT INTO lead_crm.lead (full_name, company_name, kind, phone, source, tags)
VALUES ('Anh Trọng', 'Cơ sở chế biến Hạt Vàng', 'business', '0912 345 678', 'Hội chợ', '{dau_xanh}')
RETURNING id AS demo_lead, status, lifecycle \gset
\echo 'lead' :demo_lead 'is in' :status '/' :lifecycle
SELECT field, state, label, needs FROM lead_crm.next_states(:demo_lead) WHERE field = 'status';

\echo '== Moves: set_status() with a reason, a plain UPDATE, a refused jump, a guard'
SELECT lead_crm.set_status(:demo_lead, 'awaiting_quote', 'khách hỏi giá 2 tấn đậu xanh');
UPDATE lead_crm.lead SET status = 'Khách đã báo giá, tham khảo giá' WHERE tenant_id = 40 AND id = :demo_lead;
\x on
SELECT * FROM pg_temp.try(format($$UPDATE lead_crm.lead SET status = 'no_info' WHERE tenant_id = 40 AND id = %s$$, :demo_lead));
SELECT * FROM pg_temp.try(format($$UPDATE lead_crm.lead SET status = 'not_prospect' WHERE tenant_id = 40 AND id = %s$$, :demo_lead));
\x off

\echo '== Lost and restored: back to the status it left'
SELECT lead_crm.mark_lost(:demo_lead, 'Giá không khớp');
SELECT id, status, lost_reason, lost_at IS NOT NULL AS has_lost_at FROM lead_crm.lost_leads;
SELECT lead_crm.restore_lead(:demo_lead);

\echo '== Every move is in lead_history; time in each status comes from it'
SELECT field, old_value, new_value, reason FROM lead_crm.lead_history
 WHERE tenant_id = 40 AND lead_id = :demo_lead ORDER BY id;
SELECT field, state, current FROM lead_crm.lead_state_durations WHERE lead_id = :demo_lead ORDER BY field, entered_at;

\echo '== Converted into an opportunity with a new company customer'
SELECT lead_crm.convert_lead(:demo_lead);
SELECT kind, name, company_id IS NOT NULL AS has_company FROM lead_crm.customer WHERE tenant_id = 40 ORDER BY id;

\echo '== Integrations: with notify_events on, LISTEN lead_crm_events gets {"tenant","lead","event","from","to","seq"} at commit'
UPDATE lead_crm.tenant SET notify_events = true WHERE tenant_id = 40;
LISTEN lead_crm_events;
SELECT lead_crm.set_status(:demo_lead, 'sample_sent', 'gửi 1kg mẫu');
UNLISTEN lead_crm_events;
RESET lead_crm.tenant;

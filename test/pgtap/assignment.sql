-- test/pgtap/assignment.sql - automatic assignment: declarations, fairness,
-- capacity, who is left out, SQLSTATEs.
BEGIN;
SELECT plan(17);
SET LOCAL lead_crm.tenant = 82;

SELECT has_trigger('lead_crm', 'lead', 'lead_30_assign', 'the assignment trigger is on lead');
SELECT hasnt_table('lead_crm', 'salesperson_load', 'no counter table: loads are counted from the leads');
SELECT trigger_is('lead_crm', 'lead', 'lead_30_assign', 'lead_crm', 'lead_assign', 'it runs the C function');
SELECT volatility_is('lead_crm', 'assignment_period_start', ARRAY['integer', 'timestamp with time zone'],
					 'stable', 'the period start reads the tenant''s settings');
SELECT col_is_pk('lead_crm', 'assignment_rule', ARRAY['tenant_id', 'id'], 'rule key is tenant-led');

INSERT INTO lead_crm.sales_team (id, name) VALUES (8201, 'Telesales');
INSERT INTO lead_crm.salesperson (id, full_name, team_id, capacity, auto_assign, active) VALUES
	(8201, 'A', 8201, NULL, true, true), (8202, 'B', 8201, NULL, true, true),
	(8203, 'C', 8201, NULL, true, true), (8204, 'D', 8201, NULL, true, true),
	(8205, 'Nghỉ phép', 8201, NULL, false, true), (8206, 'Đã nghỉ việc', 8201, NULL, true, false),
	(8207, 'Không nhận', 8201, 0, true, true);
INSERT INTO lead_crm.assignment_rule (name, tags, team_id) VALUES ('Telesales', '{Tiêu}', 8201);

INSERT INTO lead_crm.lead (full_name, tags) SELECT 'Khách ' || g, '{pepper}' FROM generate_series(1, 40) g;
SELECT results_eq(
	$$SELECT salesperson_id, count(*) FROM lead_crm.lead WHERE tenant_id = 82 GROUP BY 1 ORDER BY 1$$,
	$$VALUES (8201::bigint, 10::bigint), (8202, 10), (8203, 10), (8204, 10)$$,
	'40 leads over 4 available people: 10 each; nobody on leave, gone or at capacity 0');
SELECT results_eq(
	$$SELECT salesperson_id FROM lead_crm.lead WHERE tenant_id = 82 ORDER BY id LIMIT 8$$,
	$$VALUES (8201::bigint), (8202), (8203), (8204), (8201), (8202), (8203), (8204)$$,
	'strict rotation in id order when loads are equal');
SELECT is((SELECT count(*) FROM lead_crm.lead WHERE tenant_id = 82 AND team_id = 8201), 40::bigint,
		  'the rule''s team is set on the lead');

-- capacity 11 each: 4 more places, then leads are left unassigned
UPDATE lead_crm.salesperson SET capacity = 11 WHERE id BETWEEN 8201 AND 8204;
INSERT INTO lead_crm.lead (full_name, tags) SELECT 'Thêm ' || g, '{pepper}' FROM generate_series(1, 6) g;
SELECT is((SELECT max(assigned_in_period) FROM lead_crm.salesperson_workload), 11::bigint, 'nobody over capacity');
SELECT is((SELECT count(*) FROM lead_crm.lead WHERE tenant_id = 82 AND salesperson_id IS NULL), 2::bigint,
		  'the leads beyond capacity stay unassigned');
SELECT is((SELECT count(*) FROM lead_crm.lead_history h JOIN lead_crm.lead l ON l.tenant_id = h.tenant_id AND l.id = h.lead_id
			WHERE l.tenant_id = 82 AND l.salesperson_id IS NULL AND h.new_value IS NULL AND h.reason LIKE 'chưa phân công%'),
		  2::bigint, 'and their history says why');

-- a manual reassignment past capacity is allowed (a person decides) and counted
UPDATE lead_crm.lead SET salesperson_id = 8201
 WHERE tenant_id = 82 AND id = (SELECT min(id) FROM lead_crm.lead WHERE tenant_id = 82 AND salesperson_id = 8202);
SELECT results_eq(
	$$SELECT salesperson_id, assigned_in_period FROM lead_crm.salesperson_workload WHERE salesperson_id IN (8201, 8202) ORDER BY 1$$,
	$$VALUES (8201::bigint, 12::bigint), (8202, 10)$$, 'the load moves with the lead');
SELECT is((SELECT salesperson_id FROM lead_crm.assign_leads() LIMIT 1), 8202::bigint,
		  'assign_leads gives a waiting lead to the one with room');

-- errors
SELECT throws_ok($$INSERT INTO lead_crm.assignment_rule (name, tags, team_id) VALUES ('x', '{ô tô}', 8201)$$,
				 '23503', NULL, 'a rule with an unknown tag is refused');
SELECT throws_ok($$INSERT INTO lead_crm.assignment_rule (name) VALUES ('x')$$,
				 '23514', NULL, 'a rule needs one target');
SELECT throws_ok($$UPDATE lead_crm.tenant SET assignment_period = 'year' WHERE tenant_id = 82$$,
				 '23514', NULL, 'capacity periods are day, week or month');
SELECT throws_ok($$SELECT lead_crm.choose_salesperson(jsonb_populate_record(NULL::lead_crm.lead,
																				 '{"tenant_id": 0, "full_name": "x"}'))$$,
				 '22023', NULL, 'choose_salesperson refuses a row of the template tenant');

SELECT * FROM finish();
ROLLBACK;

-- Pipeline views on a small hand-made dataset (tenant 92, explicit ids): every
-- figure below was worked out by hand first; the comments give the working.
-- History rows are written directly with fixed times, so the durations do
-- not depend on guards or on the clock; activity states are relative to now().
SET lead_crm.tenant = 92;
SET timezone = 'Asia/Ho_Chi_Minh';
SET datestyle = 'ISO, YMD';
SELECT lead_crm.set_status_workflow('pipeline');

INSERT INTO lead_crm.sales_team (id, name) VALUES (9201, 'Miền Nam');
INSERT INTO lead_crm.salesperson (id, full_name, team_id) VALUES
	(9201, 'Nguyễn Văn An', 9201), (9202, 'Trần Thị Bình', 9201);

-- L1-L4 created 10 January, L5-L8 10 February 2025 (09:00 in Vietnam).
-- status (pipeline workflow) / lifecycle / outcome:
--   L1 new / lead / open          L5 lost / lead (back from mql) / lost
--   L2 qualified / mql / open     L6 lost / lead / lost
--   L3 proposition / sql / open   L7 lost / unknown / lost
--   L4 won / customer / won       L8 new / customer / won (by lifecycle)
INSERT INTO lead_crm.lead (id, full_name, source, expected_revenue, probability, salesperson_id,
						   status, lifecycle, lost_reason, lead_type, created_at) VALUES
	(9201, 'Lê Văn Một',    'facebook', 100, NULL, 9201, 'new',         'lead',     NULL, 'lead',        '2025-01-10 09:00'),
	(9202, 'Phạm Thị Hai',  'Facebook', 200, 50,   9201, 'qualified',   'mql',      NULL, 'lead',        '2025-01-10 09:00'),
	(9203, 'Hoàng Văn Ba',  'website',  300, NULL, 9202, 'proposition', 'sql',      NULL, 'opportunity', '2025-01-10 09:00'),
	(9204, 'Đỗ Thị Bốn',    'Website',  400, NULL, 9201, 'won',         'customer', NULL, 'opportunity', '2025-01-10 09:00'),
	(9205, 'Vũ Văn Năm',    'facebook', 500, NULL, 9202, 'lost',        'lead',     'too_expensive', 'lead', '2025-02-10 09:00'),
	(9206, 'Bùi Thị Sáu',   'Giới thiệu', NULL, NULL, 9202, 'lost',     'lead',     'Giá quá cao', 'lead', '2025-02-10 09:00'),
	(9207, 'Ngô Văn Bảy',   NULL,       700, NULL, NULL, 'lost',        'unknown',  'khách đi nước ngoài', 'lead', '2025-02-10 09:00'),
	(9208, 'Đinh Thị Tám',  'Hội chợ',  800, NULL, NULL, 'new',         'customer', NULL, 'lead',        '2025-02-10 09:00');
-- labels were stored as codes: Facebook, Website, Giới thiệu, Hội chợ, Giá quá cao
SELECT id, source, lost_reason FROM lead_crm.lead WHERE tenant_id = 92 ORDER BY id;

-- the history of the moves, n days after creation
INSERT INTO lead_crm.lead_history (lead_id, field, old_value, new_value, changed_at)
SELECT l.id, h.field, h.old_value, h.new_value, l.created_at + h.days * interval '1 day'
  FROM (VALUES
	(9202, 'status', 'new', 'qualified', 2),
	(9203, 'status', 'new', 'qualified', 1), (9203, 'status', 'qualified', 'proposition', 4),
	(9204, 'status', 'new', 'qualified', 2), (9204, 'status', 'qualified', 'proposition', 6),
	(9204, 'status', 'proposition', 'won', 10),
	(9205, 'status', 'new', 'lost', 5),
	(9206, 'status', 'new', 'qualified', 3), (9206, 'status', 'qualified', 'lost', 4),
	(9207, 'status', 'new', 'lost', 6),
	(9202, 'lifecycle', 'lead', 'mql', 3),
	(9203, 'lifecycle', 'lead', 'mql', 1), (9203, 'lifecycle', 'mql', 'sql', 2),
	(9204, 'lifecycle', 'lead', 'mql', 1), (9204, 'lifecycle', 'mql', 'sql', 3),
	(9204, 'lifecycle', 'sql', 'target', 5), (9204, 'lifecycle', 'target', 'customer', 10),
	(9205, 'lifecycle', 'lead', 'mql', 2), (9205, 'lifecycle', 'mql', 'lead', 4),
	(9207, 'lifecycle', 'lead', 'unknown', 1),
	(9208, 'lifecycle', 'lead', 'customer', 7)
  ) AS h (lead_id, field, old_value, new_value, days)
  JOIN lead_crm.lead l ON l.tenant_id = 92 AND l.id = h.lead_id
 ORDER BY h.lead_id, h.field, h.days;

-- Activities (states relative to now, in Vietnam):
--   An:   call on L1 done; email on L1 due a day ago (overdue); meeting on L2 tomorrow, all day (planned)
--   Bình: to-do on L3 today, all day (today); call on L5 due 3 days ago (overdue)
--   none: reminder on L7 in 5 days, all day (planned)
INSERT INTO lead_crm.activity (id, lead_id, type, summary, due_at, all_day, assignee_id, done_at) VALUES
	(9201, 9201, 'call',     'Gọi lần đầu',        now() - interval '2 days', false, 9201, now() - interval '2 days'),
	(9202, 9201, 'email',    'Gửi báo giá',        now() - interval '1 day',  false, 9201, NULL),
	(9203, 9202, 'meeting',  'Gặp tại văn phòng',  now() + interval '1 day',  true,  9201, NULL),
	(9204, 9203, 'todo',     'Chuẩn bị hợp đồng',  now(),                     true,  9202, NULL),
	(9205, 9205, 'call',     'Gọi hỏi lý do',      now() - interval '3 days', false, 9202, NULL),
	(9206, 9207, 'reminder', 'Hỏi lại sau Tết',    now() + interval '5 days', true,  NULL, NULL);

-- another tenant's lead must not show anywhere
SET lead_crm.tenant = 929;
INSERT INTO lead_crm.lead (full_name, source, expected_revenue) VALUES ('Khách tenant khác', 'facebook', 999);
SET lead_crm.tenant = 92;

-- pipeline_summary, weighted = revenue x (lead's probability, else the state's):
--   new         L1 100 x 10% + L8 800 x 10%  = 90.00, 2 leads, 900
--   qualified   L2 200 x own 50%             = 100.00
--   proposition L3 300 x 60%                 = 180.00, 1 opportunity
--   won         L4 400 x 100%                = 400.00, 1 opportunity
--   lost        L5 500 + L6 none + L7 700    = 1200 expected, 0.00 weighted, 3 leads
SELECT workflow, position, status, status_label, is_won, is_lost, is_closed, default_probability,
	   leads, opportunities, expected_revenue, weighted_revenue, currency
  FROM lead_crm.pipeline_summary;

-- funnel: furthest stage per lead: L1 lead, L2 mql, L3 sql, L4 customer,
-- L5 mql (went back), L6 lead, L7 lead (then unknown, not a stage), L8 customer (skipped 3)
--   reached lead 8, mql 5, sql 3, target 2 (L4, L8 skipped past), customer 2, resale 0, loyal 0
--   in stage now: lead L1 L5 L6 = 3, mql 1, sql 1, target 0, customer 2
--   conversion 5/8 = 62.50, 3/5 = 60.00, 2/3 = 66.67, 2/2 = 100.00, 0/2 = 0.00, 0/0 = NULL
SELECT * FROM lead_crm.funnel;

-- source_effectiveness (conversion = won outcome):
--   facebook   L1 open 100, L2 open 200, L5 lost 500: 3 leads, 0 conv, expected 800,
--              open weighted 10 + 100 = 110.00
--   website    L3 open 300 (opp), L4 won 400 (opp): 2 leads, 1 conv 50.00%, won 400, open weighted 180.00
--   referral   L6 lost; trade_fair L8 won 800 (100.00%); no source L7 lost 700
SELECT * FROM lead_crm.source_effectiveness;
-- per month of creation: January L1-L4, February L5-L8
SELECT month, source, source_label, leads, conversions, conversion_pct, expected_revenue, won_revenue
  FROM lead_crm.source_effectiveness_monthly;

-- salesperson_performance:
--   An    L1 L2 L4: 3 leads, 2 open, 1 won, 0 lost, win rate 100.00, won 400, open 300 (weighted 110.00);
--         activities 1 done, 2 open, 1 overdue
--   Bình  L3 L5 L6: 1 open, 2 lost, win rate 0.00, open 300 (weighted 180.00); 2 open, 1 overdue
--   none  L7 L8: 1 won (L8 800), 1 lost, 50.00; 1 open activity, none overdue
SELECT * FROM lead_crm.salesperson_performance;

-- activity_agenda: the five open activities; A1 is done
SELECT activity_id, lead_name, type, type_label, summary, all_day, days_until_due,
	   assignee_name, state, state_label, colour, due_time IS NULL AS no_time
  FROM lead_crm.activity_agenda ORDER BY due_at, activity_id;

-- lost_reasons: L5 and L6 too_expensive (the label was mapped), revenue 500 (L6 has none):
-- 2 of 3 = 66.67%; L7's own words 700, 33.33%
SELECT * FROM lead_crm.lost_reasons;

-- stage_velocity, finished stays in days (running stays are counted, not measured):
--   status new: L2 2, L3 1, L4 2, L5 5, L6 3, L7 6 -> 6 stays, avg 19/6 = 3.17,
--     median (2+3)/2 = 2.50, p90 at rank 4.5 of 0..5 = 5 + 0.5 = 5.50, max 6; now L1 L8
--   qualified: L3 3, L4 4, L6 1 -> avg 2.67, median 3, p90 at 1.8 = 3 + 0.8 = 3.80; now L2
--   proposition: L4 4; now L3.  won: now L4.  lost: now L5 L6 L7
--   lifecycle lead: L2 3, L3 1, L4 1, L5 2 (first stay), L7 1, L8 7 = sorted 1 1 1 2 3 7 ->
--     6 stays, avg 15/6 = 2.50, median (1+2)/2 = 1.50, p90 at 4.5 = 3 + 0.5 x 4 = 5.00; now L1 L5 L6
--   mql: L3 1, L4 2, L5 2 -> avg 1.67, median 2, p90 at 1.8 = 2; now L2
--   sql: L4 2 (3 -> 5); now L3.  target: L4 5.  customer: now L4 L8.  unknown: now L7
SELECT field, workflow, position, state, state_label, finished_stays, avg_days, median_days, p90_days,
	   max_days, current_leads
  FROM lead_crm.stage_velocity;

-- the stays behind it, for L4: created in new and lead on 10 January, four moves each
SELECT field, state, entered_at, left_at, current FROM lead_crm.lead_state_durations
 WHERE lead_id = 9204 ORDER BY field DESC, entered_at;
-- the history of a deleted lead is left out
INSERT INTO lead_crm.lead (id, full_name, created_at) VALUES (9209, 'Xóa sau', '2025-03-01 09:00');
INSERT INTO lead_crm.lead_history (lead_id, field, old_value, new_value, changed_at)
VALUES (9209, 'status', 'new', 'qualified', '2025-03-02 09:00');
DELETE FROM lead_crm.lead WHERE id = 9209;
SELECT count(*) FROM lead_crm.lead_state_durations WHERE lead_id = 9209;

-- a merged lead is archived: the views count its survivor only, and count it
-- again once the merge is undone (new: L1, L8 and the copy of L1, then 2, then 3)
INSERT INTO lead_crm.lead (id, full_name, source, expected_revenue, salesperson_id, status, lifecycle, created_at)
VALUES (9210, 'Lê Văn Một', 'facebook', 100, 9201, 'new', 'lead', '2025-01-11 09:00');
SELECT leads, expected_revenue FROM lead_crm.pipeline_summary WHERE status = 'new';
SELECT lead_crm.merge_leads(9201, ARRAY[9210]::bigint[]) AS merge_id \gset
SELECT leads, expected_revenue FROM lead_crm.pipeline_summary WHERE status = 'new';
SELECT count(*) FROM lead_crm.pipeline_leads WHERE lead_id = 9210;
SELECT source, leads FROM lead_crm.source_effectiveness WHERE source = 'facebook';
SELECT count(*) FROM lead_crm.open_leads WHERE id = 9210;
SELECT lead_crm.undo_merge(:merge_id);
SELECT leads, expected_revenue FROM lead_crm.pipeline_summary WHERE status = 'new';
DELETE FROM lead_crm.lead WHERE id = 9210;

-- labels follow the tenant's language
UPDATE lead_crm.tenant SET language = 'en' WHERE tenant_id = 92;
SELECT status, status_label FROM lead_crm.pipeline_summary;
SELECT stage, stage_label FROM lead_crm.funnel WHERE stage_no <= 2;
SELECT source, source_label FROM lead_crm.source_effectiveness WHERE source IS NULL OR source = 'referral';
SELECT salesperson_name FROM lead_crm.salesperson_performance WHERE salesperson_id IS NULL;
SELECT DISTINCT state, state_label FROM lead_crm.activity_agenda ORDER BY state;
SELECT lost_reason, lost_reason_label, in_catalogue FROM lead_crm.lost_reasons;

-- plain types a BI tool reads (no arrays, no jsonb) and security_invoker on every view
SELECT c.relname, pg_catalog.string_agg(DISTINCT pg_catalog.format_type(a.atttypid, NULL), ', ') AS types
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.relnamespace = 'lead_crm'::regnamespace
   AND c.relname IN ('pipeline_summary', 'funnel', 'source_effectiveness', 'source_effectiveness_monthly',
					 'salesperson_performance', 'activity_agenda', 'lost_reasons', 'stage_velocity',
					 'pipeline_leads')
 GROUP BY c.relname ORDER BY c.relname;
SELECT c.relname, c.reloptions FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind = 'v'
   AND c.relname IN ('pipeline_summary', 'funnel', 'source_effectiveness', 'source_effectiveness_monthly',
					 'salesperson_performance', 'activity_agenda', 'lost_reasons', 'stage_velocity',
					 'pipeline_leads')
 ORDER BY c.relname;

-- the funnel flag: side states of the built-in workflows are not stages
SELECT workflow, code FROM lead_crm.workflow_state WHERE tenant_id = 0 AND NOT funnel ORDER BY workflow, code;

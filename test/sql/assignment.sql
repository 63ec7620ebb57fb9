-- Assignment: rules, priorities, round-robin fairness, capacity, overflow,
-- unassigned leads with their reason, reassignment history, load bookkeeping.
-- Tenant 75 is this file's own; explicit ids keep the output independent of other tests.
SET lead_crm.tenant = 75;
SET timezone = 'UTC';

INSERT INTO lead_crm.sales_team (id, name) VALUES
	(7501, 'Miền Bắc'), (7502, 'Miền Nam'), (7503, 'Tổng đài'), (7504, 'Đội cũ');
INSERT INTO lead_crm.salesperson (id, full_name, team_id, capacity) VALUES
	(7501, 'An', 7501, 2), (7502, 'Bình', 7501, 2), (7503, 'Cường', 7501, 2),
	(7504, 'Dung', 7502, NULL), (7505, 'Giang', 7502, NULL),
	(7506, 'Hải', 7503, 1),
	(7507, 'Khoa', 7504, 5),
	(7508, 'Lan', NULL, 3);
UPDATE lead_crm.sales_team SET active = false WHERE id = 7504;

-- rules: values typed as labels are stored as catalogue codes; empty lists mean any
INSERT INTO lead_crm.assignment_rule (id, name, priority, provinces, sources, tags, industries, team_id, salesperson_id) VALUES
	(7501, 'Cà phê ở hội chợ', 5, NULL, '{Hội chợ}', '{Cà phê, tiêu}', NULL, 7502, NULL),
	(7502, 'Phía Bắc', 10, '{Hà Nội, Hải Phòng}', NULL, NULL, NULL, 7501, NULL),
	(7503, 'Bất động sản', 15, '{}', NULL, NULL, '{Bất động sản}', NULL, 7508),
	(7504, 'Đội cũ', 20, '{Huế}', NULL, NULL, NULL, 7504, NULL),
	(7505, 'Còn lại', 100, NULL, NULL, NULL, NULL, 7503, NULL);
SELECT id, name, priority, provinces, sources, tags, industries, team_id, salesperson_id
  FROM lead_crm.assignment_rule WHERE tenant_id = 75 ORDER BY priority;

-- what a lead got and why (the history row written by the assignment)
CREATE TEMP VIEW got AS
SELECT l.id, l.full_name, s.full_name AS salesperson, t.name AS team,
	   (SELECT h.reason FROM lead_crm.lead_history h
		 WHERE h.tenant_id = l.tenant_id AND h.lead_id = l.id AND h.field = 'salesperson_id'
		 ORDER BY h.id DESC LIMIT 1) AS why
  FROM lead_crm.lead l
  LEFT JOIN lead_crm.salesperson s ON s.tenant_id = l.tenant_id AND s.id = l.salesperson_id
  LEFT JOIN lead_crm.sales_team t ON t.tenant_id = l.tenant_id AND t.id = l.team_id
 WHERE l.tenant_id = 75;

-- province spellings all match "Hà Nội"; the North team takes turns: fewest
-- leads first, then least recently assigned, then lowest id
INSERT INTO lead_crm.lead (id, full_name, province) VALUES
	(7501, 'Người mua 1', 'Hà Nội'), (7502, 'Người mua 2', 'Thành phố Hà Nội'), (7503, 'Người mua 3', 'ha noi'),
	(7504, 'Người mua 4', 'TP. HÀ NỘI'), (7505, 'Người mua 5', 'Hải Phòng');
SELECT * FROM got ORDER BY id;

-- priority: coffee from a trade fair goes South even from Hà Nội; both conditions needed
INSERT INTO lead_crm.lead (id, full_name, province, source, tags) VALUES
	(7506, 'Cà phê Hà Nội', 'Hà Nội', 'Hội chợ', '{Cà phê}'),
	(7507, 'Tiêu Gia Lai', 'Gia Lai', 'trade_fair', '{pepper, beans}'),
	(7508, 'Cà phê online', 'Gia Lai', 'website', '{coffee}');
-- industry rule to one salesperson; an inactive team's rule finds nobody and falls through
INSERT INTO lead_crm.lead (id, full_name, province, industry) VALUES
	(7509, 'Nhà đất Sài Gòn', 'Hồ Chí Minh', 'Bất động sản'),
	(7510, 'Người mua Huế', 'Huế', NULL);
SELECT * FROM got WHERE id >= 7506 ORDER BY id;

-- capacity: the North team (2 each) has one place left, then overflow to Tổng đài
-- (capacity 1), then nobody: the lead stays unassigned and the history says why
INSERT INTO lead_crm.lead (id, full_name, province) VALUES
	(7511, 'Người mua 11', 'Hà Nội'), (7512, 'Người mua 12', 'Hà Nội'), (7513, 'Người mua 13', 'Hà Nội');
SELECT * FROM got WHERE id >= 7511 ORDER BY id;
SELECT salesperson_id, full_name, capacity, assigned_in_period, remaining
  FROM lead_crm.salesperson_workload ORDER BY salesperson_id;

-- a lead that names its team is assigned within that team, whatever the rules say
INSERT INTO lead_crm.lead (id, full_name, province, team_id) VALUES (7514, 'Người mua Nam', 'Hà Nội', 7502);
-- a lead created with a salesperson keeps it and counts towards their load
INSERT INTO lead_crm.lead (id, full_name, province, salesperson_id) VALUES (7515, 'Người mua quen', 'Hà Nội', 7504);
-- switched off for this transaction (loading old leads): no assignment, no history row
BEGIN;
SET LOCAL lead_crm.auto_assign = off;
INSERT INTO lead_crm.lead (id, full_name, province) VALUES (7516, 'Người mua cũ', 'Hà Nội');
COMMIT;
SELECT * FROM got WHERE id >= 7514 ORDER BY id;
SELECT l.id, l.assigned_at = l.created_at AS assigned_when_created
  FROM lead_crm.lead l WHERE l.tenant_id = 75 AND l.id IN (7514, 7515) ORDER BY l.id;

-- Dung has three leads, Giang one: the next South lead goes to Giang
INSERT INTO lead_crm.lead (id, full_name, source, tags) VALUES (7517, 'Cà phê 2', 'trade_fair', '{coffee}');
SELECT * FROM got WHERE id = 7517;

-- reassignment by UPDATE: recorded with the reason, loads move with the lead
BEGIN;
SELECT set_config('lead_crm.reason', 'khách muốn làm việc với chị Lan', true);
UPDATE lead_crm.lead SET salesperson_id = 7508 WHERE tenant_id = 75 AND id = 7501;
COMMIT;
SELECT field, old_value, new_value, reason FROM lead_crm.lead_history
 WHERE tenant_id = 75 AND lead_id = 7501 ORDER BY id;
-- An has a free place again: the unassigned leads get one with assign_leads()
SELECT lead_id, salesperson_id, explanation FROM lead_crm.assign_leads() ORDER BY lead_id;
SELECT lead_id, field, old_value, new_value, reason FROM lead_crm.lead_history
 WHERE tenant_id = 75 AND lead_id IN (7512, 7513) ORDER BY id;

-- deletes and moves change the loads at once, in this transaction too
BEGIN;
DELETE FROM lead_crm.lead WHERE tenant_id = 75 AND id = 7502;
UPDATE lead_crm.lead SET salesperson_id = NULL WHERE tenant_id = 75 AND id = 7503;
SELECT salesperson_id, assigned_in_period FROM lead_crm.salesperson_workload ORDER BY 1;
-- Bình and Cường have room again; the rotation sees it in the same transaction
INSERT INTO lead_crm.lead (id, full_name, province) VALUES (7518, 'Người mua 18', 'Hà Nội'), (7519, 'Người mua 19', 'Hà Nội');
COMMIT;
SELECT * FROM got WHERE id >= 7518 ORDER BY id;
SELECT assigned_at IS NULL AS unassigned_has_no_time FROM lead_crm.lead WHERE tenant_id = 75 AND id = 7503;

-- leads assigned in an earlier period do not count
UPDATE lead_crm.lead SET assigned_at = assigned_at - interval '2 days'
 WHERE tenant_id = 75 AND salesperson_id = 7501;
INSERT INTO lead_crm.lead (id, full_name, province) VALUES (7520, 'Người mua 20', 'Hà Nội');
SELECT * FROM got WHERE id = 7520;
SELECT salesperson_id, assigned_in_period, remaining FROM lead_crm.salesperson_workload
 WHERE team_id = 7501 ORDER BY 1;

-- who would get a lead now, without assigning it
SELECT * FROM lead_crm.choose_salesperson((SELECT l FROM lead_crm.lead l WHERE tenant_id = 75 AND id = 7510));

-- capacity periods in the tenant's time zone: day, week (from Monday), month
UPDATE lead_crm.tenant SET assignment_period = 'week' WHERE tenant_id = 75;
SELECT lead_crm.assignment_period_start(75, '2025-03-05 23:30+07') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS week_starts;
UPDATE lead_crm.tenant SET assignment_period = 'month' WHERE tenant_id = 75;
SELECT lead_crm.assignment_period_start(75, '2025-03-05 23:30+07') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS month_starts;
UPDATE lead_crm.tenant SET assignment_period = 'day' WHERE tenant_id = 75;
SELECT lead_crm.assignment_period_start(75, '2025-03-05 23:30+07') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS day_starts,
	   lead_crm.assignment_period_start(75, '2025-03-05 17:30+00') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS next_day_starts;

-- a tenant without rules assigns nothing and writes nothing
SET lead_crm.tenant = 76;
INSERT INTO lead_crm.lead (id, full_name, province) VALUES (7601, 'Không quy tắc', 'Hà Nội');
SELECT salesperson_id, (SELECT count(*) FROM lead_crm.lead_history WHERE tenant_id = 76) AS history_rows
  FROM lead_crm.lead WHERE tenant_id = 76;
SELECT * FROM lead_crm.choose_salesperson((SELECT l FROM lead_crm.lead l WHERE tenant_id = 76 AND id = 7601));

-- English tenant
SET lead_crm.tenant = 77;
SELECT lead_crm.create_tenant(77, 'Saigon Coffee Export', 'en');
INSERT INTO lead_crm.sales_team (id, name) VALUES (7701, 'Export');
INSERT INTO lead_crm.salesperson (id, full_name, team_id, capacity) VALUES (7701, 'Mai', 7701, 1);
INSERT INTO lead_crm.assignment_rule (name, team_id) VALUES ('Everything', 7701);
INSERT INTO lead_crm.lead (id, full_name) VALUES (7701, 'Buyer 1'), (7702, 'Buyer 2');
SELECT lead_id, new_value, reason FROM lead_crm.lead_history WHERE tenant_id = 77 ORDER BY id;

-- errors
SET lead_crm.tenant = 75;
INSERT INTO lead_crm.assignment_rule (name, sources, team_id) VALUES ('Sai', '{Tivi}', 7501);
\set VERBOSITY terse
INSERT INTO lead_crm.assignment_rule (name, team_id, salesperson_id) VALUES ('Hai đích', 7501, 7501);
INSERT INTO lead_crm.assignment_rule (name) VALUES ('Không đích');
\set VERBOSITY default
SET lead_crm.auto_assign = 'maybe';

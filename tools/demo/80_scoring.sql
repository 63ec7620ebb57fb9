-- Demo tour: lead scoring. Uses its own tenant (80) with a copy of the sample
-- leads, so the other parts of the tour keep theirs as they are. Refused moves
-- are caught and shown, so the tour runs under ON_ERROR_STOP.
\set QUIET on
SET lead_crm.tenant = 80;
SELECT lead_crm.create_tenant(80, 'Công ty Nông sản Xanh (chấm điểm)') \g /dev/null
SET lead_crm.auto_assign = off;
INSERT INTO lead_crm.salesperson (id, full_name) VALUES (1, 'Đỗ Minh Tuấn'), (2, 'Ngô Thị Hằng'), (3, 'Trương Quốc Bảo');
INSERT INTO lead_crm.lead (kind, full_name, company_name, phone, email, province, source, industry, tags,
						   need, expected_revenue, priority, salesperson_id, created_at)
SELECT kind, full_name, company_name, phone, email, province, source, industry, tags, need,
	   expected_revenue, priority, 1 + (row_number() OVER (ORDER BY id)) % 3, created_at
  FROM lead_crm.lead WHERE tenant_id = 1 ORDER BY id;

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
\echo '== 8. Scoring: BANT (Odoo, before MQL -> SQL), hot / warm / cold (SlimCRM), profile completeness (Rodi), win probability'
\echo '-- BANT answers are plain lead columns; labels and codes both work, stored as codes'
INSERT INTO lead_crm.lead (full_name, company_name, kind, phone, email, source, lifecycle, need,
						   authority, need_level, timeline, budget_amount)
VALUES ('Chị Lan', 'Công ty TNHH Cà phê Đất Đỏ', 'business', '0912 345 678', 'lan@datdo.vn', 'Hội chợ', 'mql',
		'Cần 2 tấn cà phê robusta mỗi tháng', 'Người quyết định', 'Có nhu cầu rõ ràng', NULL, NULL)
RETURNING id AS demo_lead, authority, need_level \gset
\echo 'lead' :demo_lead ': authority' :authority ', need' :need_level
SELECT criterion, answer, label, points, max_points, missing, explanation FROM lead_crm.bant_breakdown(:demo_lead);

\echo '-- the gate: MQL -> SQL needs bant_score >= tenant.min_bant_score (default 50)'
SELECT lead_crm.bant_score(:demo_lead) AS bant_score;
\x on
SELECT * FROM pg_temp.try(format($$SELECT lead_crm.set_lifecycle(%s, 'sql')$$, :demo_lead));
\x off
\echo '-- the budget is asked: 120 triệu reaches the medium level (from 50 triệu), the score 60, the move passes'
UPDATE lead_crm.lead SET budget_amount = 120000000 WHERE tenant_id = 80 AND id = :demo_lead;
SELECT * FROM pg_temp.try(format($$SELECT lead_crm.set_lifecycle(%s, 'sql', 'BANT đủ điểm')$$, :demo_lead));
\echo '-- a decision date scores by how near it is (here: within a month)'
UPDATE lead_crm.lead SET decision_date = current_date + 20 WHERE tenant_id = 80 AND id = :demo_lead;
SELECT lead_crm.bant_score(:demo_lead) AS with_decision_in_20_days;
\echo '-- a weak lead is refused, unless a manager overrides with a reason (recorded)'
INSERT INTO lead_crm.lead (full_name, lifecycle, authority) VALUES ('Anh Hải', 'mql', 'Người sử dụng')
RETURNING id AS weak_lead \gset
\x on
SELECT * FROM pg_temp.try(format($$UPDATE lead_crm.lead SET lifecycle = 'sql' WHERE tenant_id = 80 AND id = %s$$, :weak_lead));
\x off
SELECT lead_crm.override_lifecycle(:weak_lead, 'sql', 'giám đốc duyệt: khách quen');
SELECT lead_id, from_state, to_state, missing, reason FROM lead_crm.guard_override WHERE lead_id = :weak_lead;

\echo '-- temperature: BANT score and the last done activity (calendar days in the tenant time zone)'
INSERT INTO lead_crm.activity (lead_id, type, summary, due_at, done_at)
VALUES (:demo_lead, 'Gọi', 'Gọi chốt lịch gửi mẫu', now() - interval '2 days', now() - interval '2 days');
SELECT d AS days_later, lead_crm.lead_temperature(:demo_lead, now() + d * interval '1 day') AS temperature
  FROM unnest(ARRAY[0, 12, 30, 60]) AS d;

\echo '-- profile completeness and what to fill in first'
SELECT lead_crm.lead_completeness(:demo_lead) AS completeness;
SELECT field, label, weight FROM lead_crm.completeness_breakdown(:demo_lead) WHERE NOT filled LIMIT 4;

\echo '-- win probability: NULL until the history is enough, and why'
SELECT ready, reason FROM lead_crm.win_model_status();
\echo '-- most sample leads close; referrals, trade fairs, and companies with an e-mail win more often'
UPDATE lead_crm.lead SET lifecycle = 'customer'
 WHERE tenant_id = 80 AND id % 5 <> 0 AND lifecycle = 'lead'
   AND (source IN ('referral', 'trade_fair') OR (email IS NOT NULL AND company_name IS NOT NULL))
   AND id % 3 <> 0;
UPDATE lead_crm.lead SET status = 'lost', lost_reason = 'Giá quá cao'
 WHERE tenant_id = 80 AND id % 5 <> 0 AND lifecycle = 'lead' AND status = 'new' AND id % 2 = 0;
SELECT ready, won, lost FROM lead_crm.win_model_status();
SELECT round(lead_crm.win_probability(:demo_lead)::numeric, 3) AS win_probability;
SELECT feature, label, round(log_odds::numeric, 2) AS log_odds FROM lead_crm.win_factors(:demo_lead, 4);

\echo '-- lead_crm.lead_scores: one row per lead, computed on read (temperature depends on the clock)'
SELECT temperature, count(*), round(avg(bant_score), 1) AS avg_bant, round(avg(completeness)) AS avg_completeness,
	   round(avg(win_probability)::numeric, 3) AS avg_win
  FROM lead_crm.lead_scores GROUP BY temperature ORDER BY temperature;
SELECT l.full_name, s.bant_score, s.temperature, s.completeness, round(s.win_probability::numeric, 3) AS win_probability
  FROM lead_crm.lead_scores s JOIN lead_crm.lead l ON l.tenant_id = 80 AND l.id = s.lead_id
 WHERE lead_crm.lead_outcome(80, l.status, l.lifecycle) IS NULL
 ORDER BY s.win_probability DESC NULLS LAST, s.lead_id LIMIT 5;

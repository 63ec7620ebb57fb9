-- Lead scoring: the public names, honest declarations, SQLSTATEs of bad input,
-- the MQL -> SQL gate, the BANT score against an independent SQL computation
-- over every combination of answers, the win model's incremental counts
-- against a recount and its probabilities against the naive Bayes formula
-- written in SQL, and the same results in parallel workers.
BEGIN;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT plan(50);

SELECT lead_crm.create_tenant(901, 'Điểm BANT', 'vi');
SELECT lead_crm.create_tenant(902, 'Win model', 'en');
SET CONSTRAINTS ALL IMMEDIATE;	-- create_tenant() deferred them
SET LOCAL lead_crm.tenant = 901;

-- the contract (API.md) and declarations
SELECT has_function('lead_crm', 'bant_score', ARRAY['bigint'], 'bant_score(lead_id bigint) exists');
SELECT function_returns('lead_crm', 'bant_score', ARRAY['bigint'], 'integer', 'bant_score returns integer');
SELECT has_view('lead_crm', 'lead_scores', 'view lead_scores exists');
SELECT results_eq(
	$$SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod) FROM pg_attribute
	   WHERE attrelid = 'lead_crm.lead_scores'::regclass AND attnum BETWEEN 1 AND 5 ORDER BY attnum$$,
	$$VALUES ('lead_id', 'bigint'), ('bant_score', 'integer'), ('temperature', 'text'),
			 ('completeness', 'integer'), ('win_probability', 'double precision')$$,
	'lead_scores starts with the five columns of API.md');
SELECT volatility_is('lead_crm', 'bant_points',
	ARRAY['integer', 'numeric', 'text', 'text', 'text', 'text', 'date', 'timestamp with time zone'],
	'stable', 'bant_points reads settings: STABLE');
SELECT volatility_is('lead_crm', 'win_features',
	ARRAY['text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text[]'],
	'immutable', 'win_features depends on its arguments only: IMMUTABLE');
SELECT volatility_is('lead_crm', 'lead_temperature', ARRAY['bigint', 'timestamp with time zone'],
	'stable', 'lead_temperature depends on the clock: STABLE, never stored');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'lead_crm'::regnamespace AND prosecdef
			AND proname IN ('bant_score', 'bant_points', 'win_probability', 'refresh_win_model')), 0,
		  'no scoring function is SECURITY DEFINER');
SELECT is((SELECT count(*)::int FROM lead_crm.bant_level WHERE tenant_id = 901), 17,
		  'a new tenant gets the template''s 17 BANT levels');
SELECT is((SELECT budget_weight + authority_weight + need_weight + timeline_weight
			 FROM lead_crm.scoring_settings WHERE tenant_id = 901), 100,
		  'and the template''s weights');

-- bad answers
INSERT INTO lead_crm.lead (id, full_name) VALUES (1, 'Khách 1');
SELECT throws_ok($$UPDATE lead_crm.lead SET authority = 'sếp' WHERE tenant_id = 901 AND id = 1$$,
				 '22023', 'unknown authority level "sếp"', 'unknown level: 22023');
SELECT throws_ok($$UPDATE lead_crm.lead SET need_level = 'rất cao' WHERE tenant_id = 901 AND id = 1$$,
				 '22023', NULL, 'unknown need level: 22023');
SELECT throws_ok($$UPDATE lead_crm.lead SET budget_amount = -1 WHERE tenant_id = 901 AND id = 1$$,
				 '23514', 'budget cannot be negative', 'negative budget: 23514');
SELECT throws_ok($$UPDATE lead_crm.lead SET budget_amount = 'NaN' WHERE tenant_id = 901 AND id = 1$$,
				 '23514', 'budget must be a finite amount', 'NaN budget: 23514');
SELECT throws_ok($$UPDATE lead_crm.lead SET budget_amount = 'Infinity' WHERE tenant_id = 901 AND id = 1$$,
				 '23514', 'budget must be a finite amount', 'infinite budget: 23514');
SELECT throws_ok($$INSERT INTO lead_crm.lead (id, full_name, timeline) VALUES (2, 'K', 'năm sau')$$,
				 '22023', NULL, 'unknown timeline on INSERT: 22023');
SELECT lives_ok($$UPDATE lead_crm.lead SET authority = 'NGUOI QUYET DINH', timeline = 'Chưa rõ' WHERE tenant_id = 901 AND id = 1$$,
				'labels in any case and without diacritics, and words for unknown, are accepted');
SELECT results_eq($$SELECT authority, timeline FROM lead_crm.lead WHERE tenant_id = 901 AND id = 1$$,
				  $$VALUES ('decision_maker'::text, 'unknown'::text)$$, 'and stored as codes');

-- bad settings
SELECT throws_ok($$UPDATE lead_crm.scoring_settings SET budget_weight = 30 WHERE tenant_id = 901$$,
				 '23514', 'BANT weights must add up to 100, not 105', 'weights adding up to 105: 23514 naming the sum');
SELECT throws_ok($$UPDATE lead_crm.scoring_settings SET budget_weight = -5, need_weight = 55 WHERE tenant_id = 901$$,
				 '23514', 'BANT weights cannot be negative', 'negative weight: 23514');
SELECT throws_ok($$UPDATE lead_crm.scoring_settings SET warm_min_score = 90 WHERE tenant_id = 901$$,
				 '23514', NULL, 'warm above hot: 23514');
SELECT throws_ok($$UPDATE lead_crm.scoring_settings SET win_features = '{source,zodiac}' WHERE tenant_id = 901$$,
				 '22023', NULL, 'unknown win feature: 22023');
SELECT throws_ok($$INSERT INTO lead_crm.bant_level (criterion, code, label_vi, label_en, points) VALUES ('need', 'huge', 'Rất lớn', 'Huge', 101)$$,
				 '23514', NULL, 'level points above 100: 23514');
SELECT throws_ok($$INSERT INTO lead_crm.bant_level (criterion, code, label_vi, label_en, points) VALUES ('need', 'unknown', 'Chưa rõ', 'Unknown', 0)$$,
				 '22023', NULL, 'level code unknown is reserved: 22023');
SELECT throws_ok($$INSERT INTO lead_crm.bant_level (criterion, code, label_vi, label_en, points) VALUES ('need', 'urgent', 'nhu cau cap thiet', 'Very urgent', 100)$$,
				 '23505', NULL, 'a label another level has (folded): 23505');
SELECT throws_ok($$UPDATE lead_crm.lead_field SET completeness_weight = 500 WHERE tenant_id = 901 AND field = 'email'$$,
				 '23514', NULL, 'completeness weight above 100: 23514');
SELECT lives_ok($$UPDATE lead_crm.scoring_settings SET budget_weight = 40, authority_weight = 30, need_weight = 20, timeline_weight = 10 WHERE tenant_id = 901$$,
				'weights changed together are accepted');

-- the BANT score against the same arithmetic written in SQL, for every
-- combination of answers (each level, unknown, no answer) under uneven weights
CREATE TEMP TABLE answers AS
SELECT b.code AS budget, a.code AS authority, n.code AS need, t.code AS timeline
  FROM (SELECT code FROM lead_crm.bant_level WHERE tenant_id = 901 AND criterion = 'budget'
		UNION ALL VALUES ('unknown'), (NULL)) b (code),
	   (SELECT code FROM lead_crm.bant_level WHERE tenant_id = 901 AND criterion = 'authority'
		UNION ALL VALUES ('unknown'), (NULL)) a (code),
	   (SELECT code FROM lead_crm.bant_level WHERE tenant_id = 901 AND criterion = 'need'
		UNION ALL VALUES ('unknown'), (NULL)) n (code),
	   (SELECT code FROM lead_crm.bant_level WHERE tenant_id = 901 AND criterion = 'timeline'
		UNION ALL VALUES ('unknown'), (NULL)) t (code);
SELECT is((SELECT count(*)::int FROM answers), 6 * 5 * 6 * 8, 'every combination of answers');
SELECT is((SELECT count(*)::int
			 FROM answers x, lead_crm.scoring_settings s
			WHERE s.tenant_id = 901
			  AND lead_crm.bant_points(901, NULL, x.budget, x.authority, x.need, x.timeline, NULL, now())
				  IS DISTINCT FROM
				  round((s.budget_weight * coalesce((SELECT points FROM lead_crm.bant_level l WHERE l.tenant_id = 901 AND l.criterion = 'budget' AND l.code = x.budget), 0)
						 + s.authority_weight * coalesce((SELECT points FROM lead_crm.bant_level l WHERE l.tenant_id = 901 AND l.criterion = 'authority' AND l.code = x.authority), 0)
						 + s.need_weight * coalesce((SELECT points FROM lead_crm.bant_level l WHERE l.tenant_id = 901 AND l.criterion = 'need' AND l.code = x.need), 0)
						 + s.timeline_weight * coalesce((SELECT points FROM lead_crm.bant_level l WHERE l.tenant_id = 901 AND l.criterion = 'timeline' AND l.code = x.timeline), 0))
						/ 100.0)::int), 0,
		  'bant_points equals sum(weight x points) / 100, rounded, for all 1440 combinations');
SELECT is((SELECT count(*)::int FROM answers x
			WHERE (SELECT count(*) FILTER (WHERE missing) FROM lead_crm.bant_breakdown_of(901, NULL, x.budget, x.authority, x.need, x.timeline, NULL, now(), NULL))
				  <> (x.budget IS NULL OR x.budget = 'unknown')::int + (x.authority IS NULL OR x.authority = 'unknown')::int
					 + (x.need IS NULL OR x.need = 'unknown')::int + (x.timeline IS NULL OR x.timeline = 'unknown')::int
			   OR (SELECT round(sum(points)) FROM lead_crm.bant_breakdown_of(901, NULL, x.budget, x.authority, x.need, x.timeline, NULL, now(), NULL))
				  <> lead_crm.bant_points(901, NULL, x.budget, x.authority, x.need, x.timeline, NULL, now())), 0,
		  'the breakdown lists exactly the unknown and unanswered criteria as missing, and its points add up to the score');
SELECT is((SELECT min(lead_crm.bant_points(901, NULL, x.budget, x.authority, x.need, x.timeline, NULL, now())) >= 0
			  AND max(lead_crm.bant_points(901, NULL, x.budget, x.authority, x.need, x.timeline, NULL, now())) = 100
			 FROM answers x), true, 'scores stay within 0..100 and the best answers reach 100');

-- the gate
UPDATE lead_crm.scoring_settings SET budget_weight = 25, authority_weight = 25, need_weight = 25, timeline_weight = 25
 WHERE tenant_id = 901;
INSERT INTO lead_crm.lead (id, full_name, lifecycle, authority) VALUES (10, 'Khách 10', 'mql', 'decision_maker');
SELECT throws_ok($$SELECT lead_crm.set_lifecycle(10, 'sql')$$, 'LC002', NULL, 'MQL -> SQL with a score of 25: LC002');
SELECT throws_ok($$UPDATE lead_crm.lead SET lifecycle = 'sql' WHERE tenant_id = 901 AND id = 10$$, 'LC002', NULL,
				 'the same move by a plain UPDATE: LC002');
SELECT throws_ok($$SELECT lead_crm.override_lifecycle(10, 'sql', NULL)$$, 'LC002', 'overriding a guard needs a reason',
				 'an override without a reason: LC002');
SELECT lives_ok($$SELECT lead_crm.override_lifecycle(10, 'sql', 'khách VIP')$$, 'an override with a reason passes');
SELECT results_eq($$SELECT missing, reason FROM lead_crm.guard_override WHERE tenant_id = 901 AND lead_id = 10$$,
				  $$VALUES ('{"bant_score 50 (the lead has 25)"}'::text[], 'khách VIP'::text)$$,
				  'the override is recorded with what was missing and why');
SELECT results_eq($$SELECT old_value, new_value, reason FROM lead_crm.lead_history
					WHERE tenant_id = 901 AND lead_id = 10 AND field = 'lifecycle'$$,
				  $$VALUES ('mql'::text, 'sql'::text, 'khách VIP'::text)$$, 'and the move is in lead_history with the reason');
INSERT INTO lead_crm.lead (id, full_name, lifecycle, authority, need_level) VALUES (11, 'Khách 11', 'mql', 'decision_maker', 'high');
SELECT is(lead_crm.bant_score(11), 50, 'lead 11 scores exactly the threshold');
SELECT lives_ok($$SELECT lead_crm.set_lifecycle(11, 'sql')$$, 'a score at the threshold passes');
SELECT is((SELECT count(*)::int FROM lead_crm.guard_override WHERE tenant_id = 901 AND lead_id = 11), 0,
		  'and records no override');

-- the win model: random closed history, changed by many statements
SET LOCAL lead_crm.tenant = 902;
SELECT setseed(0.42);
INSERT INTO lead_crm.lead (id, full_name, kind, source, industry, province, email, company_name, tags)
SELECT i, 'Lead ' || i,
	   (ARRAY['person', 'business'])[1 + floor(random() * 2)::int],
	   (ARRAY['facebook', 'website', 'referral', 'zalo', 'trade_fair'])[1 + floor(random() * 5)::int],
	   (ARRAY['food', 'retail', NULL, 'it'])[1 + floor(random() * 4)::int],
	   (ARRAY['Hà Nội', 'TP.HCM', 'Đà Nẵng', NULL])[1 + floor(random() * 4)::int],
	   CASE WHEN random() < 0.6 THEN 'k' || i || '@gmail.com' END,
	   CASE WHEN random() < 0.4 THEN 'Công ty ' || i END,
	   (ARRAY['{}', '{coffee}', '{pepper,coffee}', '{product}'])[1 + floor(random() * 4)::int]::text[]
  FROM generate_series(1, 600) i;
UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE tenant_id = 902 AND id % 5 = 0;
UPDATE lead_crm.lead SET status = 'lost', lost_reason = 'Giá quá cao' WHERE tenant_id = 902 AND id % 5 IN (1, 2);
UPDATE lead_crm.lead SET source = 'email' WHERE tenant_id = 902 AND id % 7 = 0;	-- closed and open alike
UPDATE lead_crm.lead SET lifecycle = 'unknown' WHERE tenant_id = 902 AND id % 25 = 0;	-- reopened
DELETE FROM lead_crm.lead WHERE tenant_id = 902 AND id % 11 = 1;
UPDATE lead_crm.lead SET tags = '{pepper}' WHERE tenant_id = 902 AND id % 13 = 2;
CREATE TEMP TABLE learned AS
SELECT feature, value, sum(won) AS won, sum(lost) AS lost FROM lead_crm.win_model_count
 WHERE tenant_id = 902 GROUP BY 1, 2 HAVING sum(won) <> 0 OR sum(lost) <> 0;
SELECT is((SELECT (won + lost)::bigint FROM learned WHERE feature = 'total'),
		  (SELECT count(*) FROM lead_crm.lead WHERE tenant_id = 902
			  AND lead_crm.lead_outcome(tenant_id, status, lifecycle) IS NOT NULL),
		  'the incremental totals count the closed leads');
SELECT lives_ok($$SELECT lead_crm.refresh_win_model()$$, 'refresh_win_model() recounts');
SELECT is_empty($$(SELECT feature, value, won, lost FROM lead_crm.win_model_count WHERE tenant_id = 902
				   EXCEPT SELECT * FROM learned)
				  UNION ALL
				  (SELECT * FROM learned
				   EXCEPT SELECT feature, value, won, lost FROM lead_crm.win_model_count WHERE tenant_id = 902)$$,
				'counts learned on close, reopen, edit and delete equal a recount from scratch');
SELECT is((SELECT count(*)::int FROM lead_crm.win_model_count WHERE tenant_id = 902),
		  (SELECT count(*)::int FROM learned), 'after the refresh one row per value');
SELECT is((SELECT ready FROM lead_crm.win_model_status()), true, 'the model is ready');

-- probabilities against the naive Bayes formula written in SQL
CREATE TEMP TABLE nb AS
SELECT c.feature, c.value, c.won, c.lost, t.won AS w, t.lost AS l,
	   count(*) OVER (PARTITION BY c.feature) AS v
  FROM lead_crm.win_model_count c, lead_crm.win_model_count t
 WHERE c.tenant_id = 902 AND t.tenant_id = 902 AND t.feature = 'total' AND c.feature <> 'total';
SELECT is((SELECT count(*)::int FROM (
			SELECT l.id, lead_crm.win_probability(l.id) AS p,
				   1 / (1 + exp(-((SELECT ln((w + 1.0) / (l + 1.0)) FROM nb LIMIT 1)
								  + (SELECT coalesce(sum(ln((nb.won + 1.0) / (nb.w + CASE nb.feature WHEN 'tags' THEN 2 ELSE nb.v END))
													 - ln((nb.lost + 1.0) / (nb.l + CASE nb.feature WHEN 'tags' THEN 2 ELSE nb.v END))), 0)
									   FROM lead_crm.win_features(l.source, l.campaign, l.province_canon, l.industry, l.kind,
																  l.email_key, l.company_name, l.salesperson_id, l.tags) f
									   JOIN nb ON nb.feature = f.feature AND nb.value = f.value))))::float8 AS expected
			  FROM lead_crm.lead l
			 WHERE l.tenant_id = 902 AND lead_crm.lead_outcome(l.tenant_id, l.status, l.lifecycle) IS NULL) x
			WHERE abs(p - expected) > 1e-9 OR p IS NULL), 0,
		  'win_probability of every open lead equals the smoothed naive Bayes formula computed in SQL');
SELECT is((SELECT count(*)::int FROM lead_crm.lead l
			WHERE l.tenant_id = 902 AND lead_crm.win_probability(l.id) <>
				  CASE lead_crm.lead_outcome(l.tenant_id, l.status, l.lifecycle) WHEN 'won' THEN 1 WHEN 'lost' THEN 0 END), 0,
		  'won leads have probability 1, lost leads 0');
SELECT is((SELECT count(*)::int FROM lead_crm.lead l
			WHERE l.tenant_id = 902 AND lead_crm.lead_outcome(l.tenant_id, l.status, l.lifecycle) IS NULL
			  AND abs(ln(lead_crm.win_probability(l.id) / (1 - lead_crm.win_probability(l.id)))
					  - (SELECT ln((w + 1.0) / (l + 1.0)) FROM nb LIMIT 1)
					  - (SELECT coalesce(sum(f.log_odds), 0) FROM lead_crm.win_factors(l.id, 100) f)) > 1e-6), 0,
		  'the prior plus the log-odds of all win_factors is the log-odds of win_probability');
SELECT is((SELECT bool_and(f.rn = 1 OR abs(f.log_odds) <= f.prev)
			 FROM (SELECT row_number() OVER () AS rn, f.log_odds,
						  lag(abs(f.log_odds)) OVER () AS prev
					 FROM lead_crm.win_factors(3, 3) f) f), true,
		  'win_factors come strongest first');

-- parallel workers compute the same (they load the caches themselves)
CREATE TEMP TABLE serial_result AS
SELECT count(*) FILTER (WHERE lead_crm.win_probability_of(l.tenant_id, l.status, l.lifecycle, l.source, l.campaign,
			l.province_canon, l.industry, l.kind, l.email_key, l.company_name, l.salesperson_id, l.tags) > 0.4) AS likely,
	   sum(lead_crm.completeness_of(l)) AS completeness
  FROM lead_crm.lead l WHERE l.tenant_id = 902;
SET LOCAL force_parallel_mode = on;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT results_eq(
	$$SELECT count(*) FILTER (WHERE lead_crm.win_probability_of(l.tenant_id, l.status, l.lifecycle, l.source, l.campaign,
			l.province_canon, l.industry, l.kind, l.email_key, l.company_name, l.salesperson_id, l.tags) > 0.4),
		   sum(lead_crm.completeness_of(l))
	  FROM lead_crm.lead l WHERE l.tenant_id = 902$$,
	$$SELECT likely, completeness FROM serial_result$$,
	'the same results in parallel workers');
RESET force_parallel_mode;

SELECT * FROM finish();
ROLLBACK;

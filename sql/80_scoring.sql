-- Lead scoring: BANT answers on each lead and their score (the MQL -> SQL gate
-- of the state machines uses it), hot / warm / cold, profile completeness and
-- a naive Bayes win probability learned from the tenant's closed leads; the
-- view lead_crm.lead_scores shows them all. Per-row work is C (src/scoring.c,
-- src/win_model.c, src/core/lead_score.c); settings are per-tenant tables
-- whose template rows (tenant 0) are copied into every tenant.
-- Every statement can run twice (upgrade scripts are built from these parts).

------------------------------------------------------------------------------
-- BANT answers: plain columns of lead (imports, BI tools and UPDATEs see them)
------------------------------------------------------------------------------

ALTER TABLE @extschema@.lead
	ADD COLUMN IF NOT EXISTS budget_amount numeric,
	ADD COLUMN IF NOT EXISTS budget_level text,
	ADD COLUMN IF NOT EXISTS authority text,
	ADD COLUMN IF NOT EXISTS need_level text,
	ADD COLUMN IF NOT EXISTS timeline text,
	ADD COLUMN IF NOT EXISTS decision_date date;
DO $$
BEGIN
	-- the BANT trigger refuses these first, with a hint; this holds with triggers off
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint
					WHERE conrelid = '@extschema@.lead'::regclass AND conname = 'lead_budget_amount_check') THEN
		ALTER TABLE @extschema@.lead ADD CONSTRAINT lead_budget_amount_check
			CHECK (budget_amount >= 0 AND budget_amount < 'Infinity' AND budget_amount <> 'NaN');
	END IF;
END
$$;
COMMENT ON COLUMN @extschema@.lead.budget_amount IS
'BANT budget (ngân sách): the amount the customer can spend, in the tenant''s currency; without budget_level it picks the level by bant_level.min_amount';
COMMENT ON COLUMN @extschema@.lead.budget_level IS
'BANT budget level (code of lead_crm.bant_level, criterion budget) or unknown; a label is stored as its code';
COMMENT ON COLUMN @extschema@.lead.authority IS
'BANT authority (thẩm quyền): decision_maker, influencer, user (or a tenant''s own level) or unknown';
COMMENT ON COLUMN @extschema@.lead.need_level IS
'BANT need level (mức nhu cầu): high, medium, low, none (or a tenant''s own) or unknown; the need itself is lead.need';
COMMENT ON COLUMN @extschema@.lead.timeline IS
'BANT timeline bucket (thời gian quyết định): within_1_month ... later, no_plan, or unknown; decision_date takes precedence';
COMMENT ON COLUMN @extschema@.lead.decision_date IS
'BANT timeline: the date the customer expects to decide; its distance from today picks the timeline level (bant_level.max_days)';

------------------------------------------------------------------------------
-- Settings
------------------------------------------------------------------------------

-- One row per tenant: BANT weights, temperature thresholds, win model settings.
-- (The MQL -> SQL threshold is tenant.min_bant_score, read by the state machine.)
CREATE TABLE IF NOT EXISTS @extschema@.scoring_settings (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant() PRIMARY KEY
		REFERENCES @extschema@.tenant (tenant_id),
	budget_weight integer NOT NULL DEFAULT 25,
	authority_weight integer NOT NULL DEFAULT 25,
	need_weight integer NOT NULL DEFAULT 25,
	timeline_weight integer NOT NULL DEFAULT 25,
	hot_min_score integer NOT NULL DEFAULT 70,
	hot_within_days integer NOT NULL DEFAULT 14,
	warm_min_score integer NOT NULL DEFAULT 40,
	warm_within_days integer NOT NULL DEFAULT 45,
	win_features text[] NOT NULL
		DEFAULT '{source,campaign,province,industry,kind,has_email,has_company,salesperson,tags}',
	win_min_closed integer NOT NULL DEFAULT 100,
	win_smoothing double precision NOT NULL DEFAULT 1,
	CONSTRAINT scoring_settings_weights_sum CHECK (
		budget_weight >= 0 AND authority_weight >= 0 AND need_weight >= 0 AND timeline_weight >= 0
		AND budget_weight + authority_weight + need_weight + timeline_weight = 100),
	CONSTRAINT scoring_settings_temperature CHECK (
		hot_min_score BETWEEN 0 AND 100 AND warm_min_score BETWEEN 0 AND hot_min_score
		AND hot_within_days BETWEEN 0 AND warm_within_days AND warm_within_days <= 36500),
	CONSTRAINT scoring_settings_win_model CHECK (
		win_min_closed BETWEEN 2 AND 1000000 AND win_smoothing > 0 AND win_smoothing <= 100)
);
COMMENT ON TABLE @extschema@.scoring_settings IS
'per-tenant scoring settings: BANT weights (adding up to 100), hot/warm thresholds, win model features and minimum history';
COMMENT ON COLUMN @extschema@.scoring_settings.budget_weight IS
'points the budget criterion is worth; the four weights add up to 100';
COMMENT ON COLUMN @extschema@.scoring_settings.hot_min_score IS
'hot: BANT score at least this and a done activity within hot_within_days';
COMMENT ON COLUMN @extschema@.scoring_settings.warm_min_score IS
'warm: BANT score at least this and a done activity within warm_within_days (or any score with one within hot_within_days)';
COMMENT ON COLUMN @extschema@.scoring_settings.win_features IS
'lead features the win model uses: source, campaign, province, industry, kind, has_email, has_company, salesperson, tags';
COMMENT ON COLUMN @extschema@.scoring_settings.win_min_closed IS
'win_probability is NULL until the tenant has at least this many closed (won or lost) leads';
COMMENT ON COLUMN @extschema@.scoring_settings.win_smoothing IS
'Laplace smoothing of the win model (pseudo-count added to every value)';

-- The answers a BANT criterion can have and what each is worth.
CREATE TABLE IF NOT EXISTS @extschema@.bant_level (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	criterion text NOT NULL CHECK (criterion IN ('budget', 'authority', 'need', 'timeline')),
	code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$' AND code <> 'unknown'),
	label_vi text NOT NULL CHECK (btrim(label_vi) <> ''),
	label_en text NOT NULL CHECK (btrim(label_en) <> ''),
	points integer NOT NULL CHECK (points BETWEEN 0 AND 100),
	min_amount numeric CHECK (min_amount IS NULL OR (min_amount >= 0 AND min_amount < 'Infinity' AND criterion = 'budget')),
	max_days integer CHECK (max_days IS NULL OR (max_days >= 0 AND criterion = 'timeline')),
	position integer NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant_id, criterion, code)
);
COMMENT ON TABLE @extschema@.bant_level IS
'answers of each BANT criterion per tenant (code, labels) and the percentage of the criterion''s weight each earns; unknown is built in and earns 0';
COMMENT ON COLUMN @extschema@.bant_level.points IS
'percent (0-100) of the criterion''s weight this answer earns';
COMMENT ON COLUMN @extschema@.bant_level.min_amount IS
'budget only: a lead with budget_amount >= this (and no budget_level) gets this level; the greatest such level wins';
COMMENT ON COLUMN @extschema@.bant_level.max_days IS
'timeline only: a decision_date at most this many days away gets this level; the smallest such level wins';

-- Friendly errors before the CHECK constraints: what is wrong and how to fix it.
CREATE OR REPLACE FUNCTION @extschema@.scoring_settings_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	total integer;
	bad text;
	fix text;
	old_w integer[];
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		old_w := ARRAY[OLD.budget_weight, OLD.authority_weight, OLD.need_weight, OLD.timeline_weight];
	END IF;
	IF least(NEW.budget_weight, NEW.authority_weight, NEW.need_weight, NEW.timeline_weight) < 0 THEN
		RAISE EXCEPTION 'BANT weights cannot be negative'
			USING ERRCODE = '23514',
				  DETAIL = format('Tenant %s: budget %s, authority %s, need %s, timeline %s.', NEW.tenant_id,
								  NEW.budget_weight, NEW.authority_weight, NEW.need_weight, NEW.timeline_weight),
				  HINT = 'Give each criterion 0 to 100 points, adding up to 100; 0 leaves a criterion out.';
	END IF;
	total := NEW.budget_weight + NEW.authority_weight + NEW.need_weight + NEW.timeline_weight;
	IF total <> 100 THEN
		-- suggest taking the difference from the largest weight the statement did
		-- not change, keeping the ones it did (what the user wants)
		WITH w (criterion, weight, n, changed) AS (
			VALUES ('budget', NEW.budget_weight, 1, NEW.budget_weight IS DISTINCT FROM old_w[1]),
				   ('authority', NEW.authority_weight, 2, NEW.authority_weight IS DISTINCT FROM old_w[2]),
				   ('need', NEW.need_weight, 3, NEW.need_weight IS DISTINCT FROM old_w[3]),
				   ('timeline', NEW.timeline_weight, 4, NEW.timeline_weight IS DISTINCT FROM old_w[4])
		), pick AS (
			SELECT w.criterion FROM w
			 WHERE w.weight + 100 - total BETWEEN 0 AND 100
			 ORDER BY w.changed, w.weight DESC, w.n LIMIT 1
		)
		SELECT CASE TG_OP
				   WHEN 'UPDATE' THEN
					   format('UPDATE lead_crm.scoring_settings SET %s WHERE tenant_id = %s;',
							  string_agg(format('%s_weight = %s', w.criterion, w.fixed), ', ' ORDER BY w.n)
								  FILTER (WHERE w.changed OR w.criterion = pick.criterion),
							  NEW.tenant_id)
				   ELSE
					   format('INSERT INTO lead_crm.scoring_settings (tenant_id, budget_weight, authority_weight, need_weight, timeline_weight) VALUES (%s, %s);',
							  NEW.tenant_id, string_agg(w.fixed::text, ', ' ORDER BY w.n))
			   END
		  INTO fix
		  FROM (SELECT w.*, CASE WHEN w.criterion = p.criterion THEN w.weight + 100 - total
								 ELSE w.weight END AS fixed
				  FROM w CROSS JOIN pick p) w
		 CROSS JOIN pick;
		RAISE EXCEPTION 'BANT weights must add up to 100, not %', total
			USING ERRCODE = '23514',
				  DETAIL = format('Tenant %s: budget %s + authority %s + need %s + timeline %s = %s.', NEW.tenant_id,
								  NEW.budget_weight, NEW.authority_weight, NEW.need_weight, NEW.timeline_weight, total),
				  HINT = 'Set the four weights in one statement so that they add up to 100'
						 || coalesce(', e.g. ' || fix, '.');
	END IF;
	IF NOT (NEW.hot_min_score BETWEEN 0 AND 100 AND NEW.warm_min_score BETWEEN 0 AND 100) THEN
		RAISE EXCEPTION 'temperature score thresholds must be between 0 and 100'
			USING ERRCODE = '23514',
				  DETAIL = format('hot_min_score is %s, warm_min_score is %s.', NEW.hot_min_score, NEW.warm_min_score),
				  HINT = 'They are BANT scores (0-100).';
	END IF;
	IF NEW.warm_min_score > NEW.hot_min_score THEN
		RAISE EXCEPTION 'warm_min_score % is above hot_min_score %', NEW.warm_min_score, NEW.hot_min_score
			USING ERRCODE = '23514',
				  HINT = 'A hot lead must also qualify as warm: keep warm_min_score <= hot_min_score.';
	END IF;
	IF NOT (NEW.hot_within_days BETWEEN 0 AND 36500 AND NEW.warm_within_days BETWEEN 0 AND 36500)
	   OR NEW.hot_within_days > NEW.warm_within_days THEN
		RAISE EXCEPTION 'invalid temperature day thresholds'
			USING ERRCODE = '23514',
				  DETAIL = format('hot_within_days is %s, warm_within_days is %s.', NEW.hot_within_days, NEW.warm_within_days),
				  HINT = 'Use 0 to 36500 days with hot_within_days <= warm_within_days.';
	END IF;
	SELECT string_agg(quote_literal(coalesce(f, 'NULL')), ', ') INTO bad
	  FROM pg_catalog.unnest(NEW.win_features) AS f
	 WHERE f IS NULL OR f NOT IN ('source', 'campaign', 'province', 'industry', 'kind', 'has_email',
								  'has_company', 'salesperson', 'tags');
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'unknown win model features: %', bad
			USING ERRCODE = '22023',
				  HINT = 'Use some of: source, campaign, province, industry, kind, has_email, has_company, salesperson, tags.';
	END IF;
	IF NOT (NEW.win_min_closed BETWEEN 2 AND 1000000) THEN
		RAISE EXCEPTION 'win_min_closed must be between 2 and 1000000, not %', NEW.win_min_closed
			USING ERRCODE = '23514',
				  HINT = 'With fewer closed leads the model predicted worse than the plain win rate in our calibration runs; the default is 100.';
	END IF;
	IF NOT (NEW.win_smoothing > 0 AND NEW.win_smoothing <= 100) THEN
		RAISE EXCEPTION 'win_smoothing must be above 0 and at most 100, not %', NEW.win_smoothing
			USING ERRCODE = '23514',
				  HINT = 'It is the Laplace pseudo-count; 1 is the usual choice.';
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.scoring_settings_check() IS
'BEFORE row trigger on scoring_settings: weights add up to 100, thresholds in order, known features (clear errors)';

CREATE OR REPLACE FUNCTION @extschema@.bant_level_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	clash text;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NEW;
	END IF;
	IF NEW.criterion IS NULL OR NEW.criterion NOT IN ('budget', 'authority', 'need', 'timeline') THEN
		RAISE EXCEPTION 'unknown BANT criterion "%"', coalesce(NEW.criterion, 'NULL')
			USING ERRCODE = '22023', HINT = 'Use budget, authority, need or timeline.';
	END IF;
	IF NEW.code = 'unknown' THEN
		RAISE EXCEPTION 'the level code "unknown" is built in'
			USING ERRCODE = '22023',
				  DETAIL = 'Every criterion accepts unknown; it scores 0 and is listed as missing.',
				  HINT = 'Choose another code for this level.';
	END IF;
	IF NEW.points IS NULL OR NEW.points NOT BETWEEN 0 AND 100 THEN
		RAISE EXCEPTION 'level points must be between 0 and 100, not %', coalesce(NEW.points::text, 'NULL')
			USING ERRCODE = '23514',
				  DETAIL = format('Level %s of %s.', NEW.code, NEW.criterion),
				  HINT = 'Points are the percentage of the criterion''s weight the answer earns: 100 for the best answer.';
	END IF;
	IF NEW.min_amount IS NOT NULL AND NEW.criterion <> 'budget' THEN
		RAISE EXCEPTION 'only budget levels have a min_amount'
			USING ERRCODE = '22023', DETAIL = format('Level %s of %s.', NEW.code, NEW.criterion),
				  HINT = 'Leave min_amount NULL.';
	END IF;
	IF NEW.min_amount < 0 OR NEW.min_amount = 'NaN' OR NEW.min_amount = 'Infinity' THEN
		RAISE EXCEPTION 'min_amount must be a finite amount of 0 or more, not %', NEW.min_amount
			USING ERRCODE = '23514', DETAIL = format('Budget level %s.', NEW.code),
				  HINT = 'A budget_amount of at least min_amount gets this level; NULL: never from an amount.';
	END IF;
	IF NEW.max_days IS NOT NULL AND NEW.criterion <> 'timeline' THEN
		RAISE EXCEPTION 'only timeline levels have max_days'
			USING ERRCODE = '22023', DETAIL = format('Level %s of %s.', NEW.code, NEW.criterion),
				  HINT = 'Leave max_days NULL.';
	END IF;
	IF NEW.max_days < 0 THEN
		RAISE EXCEPTION 'max_days cannot be negative, not %', NEW.max_days
			USING ERRCODE = '23514', DETAIL = format('Timeline level %s.', NEW.code),
				  HINT = 'A decision_date at most max_days days away gets this level; NULL: never from a date.';
	END IF;
	-- labels are typed into lead columns, so one must not name two levels
	SELECT l.code INTO clash
	  FROM @extschema@.bant_level l
	 WHERE l.tenant_id = NEW.tenant_id AND l.criterion = NEW.criterion AND l.code <> NEW.code
	   AND CASE WHEN pg_catalog.getdatabaseencoding() = 'UTF8'
				THEN @extschema@.vn_fold(NEW.label_vi) IN (@extschema@.vn_fold(l.label_vi), @extschema@.vn_fold(l.label_en))
				  OR @extschema@.vn_fold(NEW.label_en) IN (@extschema@.vn_fold(l.label_vi), @extschema@.vn_fold(l.label_en))
				ELSE lower(NEW.label_vi) IN (lower(l.label_vi), lower(l.label_en))
				  OR lower(NEW.label_en) IN (lower(l.label_vi), lower(l.label_en)) END
	 LIMIT 1;
	IF clash IS NOT NULL THEN
		RAISE EXCEPTION 'level % of % has the same label as level %', NEW.code, NEW.criterion, clash
			USING ERRCODE = '23505',
				  DETAIL = format('Labels: "%s", "%s".', NEW.label_vi, NEW.label_en),
				  HINT = 'Give each level its own labels: leads may be written with labels instead of codes.';
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.bant_level_check() IS
'BEFORE row trigger on bant_level: points 0-100, amounts and days only where they apply, distinct labels (clear errors)';

CREATE OR REPLACE TRIGGER scoring_settings_10_check BEFORE INSERT OR UPDATE ON @extschema@.scoring_settings
	FOR EACH ROW EXECUTE FUNCTION @extschema@.scoring_settings_check();
CREATE OR REPLACE TRIGGER scoring_settings_tenant_provision BEFORE INSERT ON @extschema@.scoring_settings
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE OR REPLACE TRIGGER scoring_settings_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.scoring_settings
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE OR REPLACE TRIGGER bant_level_10_check BEFORE INSERT OR UPDATE ON @extschema@.bant_level
	FOR EACH ROW EXECUTE FUNCTION @extschema@.bant_level_check();
CREATE OR REPLACE TRIGGER bant_level_tenant_provision BEFORE INSERT ON @extschema@.bant_level
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE OR REPLACE TRIGGER bant_level_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.bant_level
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

INSERT INTO @extschema@.scoring_settings (tenant_id) VALUES (0) ON CONFLICT DO NOTHING;

-- Odoo's BANT questions (seed 001) with Vietnamese labels; amounts in VND.
INSERT INTO @extschema@.bant_level (tenant_id, criterion, code, label_vi, label_en, points, min_amount, max_days, position) VALUES
	(0, 'budget',    'none',             'Không có ngân sách',        'No budget',              0,   0,         NULL, 10),
	(0, 'budget',    'low',              'Ngân sách thấp',            'Low budget',            40,   1,         NULL, 20),
	(0, 'budget',    'medium',           'Ngân sách trung bình',      'Medium budget',         70,   50000000,  NULL, 30),
	(0, 'budget',    'high',             'Ngân sách cao',             'High budget',          100,   200000000, NULL, 40),
	(0, 'authority', 'decision_maker',   'Người quyết định',          'Decision maker',       100,   NULL,      NULL, 10),
	(0, 'authority', 'influencer',       'Người ảnh hưởng',           'Influencer',            60,   NULL,      NULL, 20),
	(0, 'authority', 'user',             'Người sử dụng',             'User',                  30,   NULL,      NULL, 30),
	(0, 'need',      'high',             'Nhu cầu cấp thiết',         'Urgent need',          100,   NULL,      NULL, 10),
	(0, 'need',      'medium',           'Có nhu cầu rõ ràng',        'Clear need',            70,   NULL,      NULL, 20),
	(0, 'need',      'low',              'Nhu cầu thấp',              'Low need',              30,   NULL,      NULL, 30),
	(0, 'need',      'none',             'Không có nhu cầu',          'No need',                0,   NULL,      NULL, 40),
	(0, 'timeline',  'within_1_month',   'Trong 1 tháng',             'Within a month',       100,   NULL,      30,   10),
	(0, 'timeline',  'within_3_months',  'Trong 3 tháng',             'Within 3 months',       75,   NULL,      90,   20),
	(0, 'timeline',  'within_6_months',  'Trong 6 tháng',             'Within 6 months',       50,   NULL,      180,  30),
	(0, 'timeline',  'within_12_months', 'Trong 12 tháng',            'Within 12 months',      25,   NULL,      365,  40),
	(0, 'timeline',  'later',            'Sau 12 tháng',              'Later than 12 months',  10,   NULL,      3650, 50),
	(0, 'timeline',  'no_plan',          'Chưa có kế hoạch mua',      'No plan to buy',         0,   NULL,      NULL, 60)
ON CONFLICT DO NOTHING;

-- Tenants that existed before scoring (an upgrade) get the template's settings
-- and levels; a tenant that already has levels keeps its own.
INSERT INTO @extschema@.scoring_settings
SELECT (pg_catalog.jsonb_populate_record(s, pg_catalog.jsonb_build_object('tenant_id', t.tenant_id))).*
  FROM @extschema@.tenant t CROSS JOIN @extschema@.scoring_settings s
 WHERE s.tenant_id = 0 AND t.tenant_id <> 0
ON CONFLICT DO NOTHING;
INSERT INTO @extschema@.bant_level
SELECT (pg_catalog.jsonb_populate_record(b, pg_catalog.jsonb_build_object('tenant_id', t.tenant_id))).*
  FROM @extschema@.tenant t CROSS JOIN @extschema@.bant_level b
 WHERE b.tenant_id = 0 AND t.tenant_id <> 0
   AND NOT EXISTS (SELECT FROM @extschema@.bant_level x WHERE x.tenant_id = t.tenant_id)
ON CONFLICT DO NOTHING;

-- Completeness (Rodi's profile completion in the detail view): a weight per lead
-- column and per custom field; a field with weight 0 does not count.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute
					WHERE attrelid = '@extschema@.lead_field'::regclass AND attname = 'completeness_weight'
					  AND NOT attisdropped) THEN
		ALTER TABLE @extschema@.lead_field ADD COLUMN completeness_weight integer NOT NULL DEFAULT 0
			CHECK (completeness_weight BETWEEN 0 AND 100);
		-- Rodi's detail form, weighted toward what a salesperson needs to call
		-- (first install of scoring only: later runs keep the tenants' choices)
		UPDATE @extschema@.lead_field f SET completeness_weight = w.weight
		  FROM (VALUES ('kind', 5), ('full_name', 10), ('company_name', 5), ('birthday', 5),
					   ('phone', 15), ('email', 10), ('facebook', 5), ('marital_status', 3),
					   ('source', 5), ('campaign', 3), ('referral_code', 2), ('industry', 5),
					   ('street', 5), ('ward', 4), ('province', 8), ('need', 5), ('description', 5))
			   AS w (field, weight)
		 WHERE f.field = w.field;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute
					WHERE attrelid = '@extschema@.custom_field'::regclass AND attname = 'completeness_weight'
					  AND NOT attisdropped) THEN
		ALTER TABLE @extschema@.custom_field ADD COLUMN completeness_weight integer NOT NULL DEFAULT 0
			CHECK (completeness_weight BETWEEN 0 AND 100);
		UPDATE @extschema@.custom_field SET completeness_weight = 2 WHERE name = 'hubspot_sync';
	END IF;
END
$$;
COMMENT ON COLUMN @extschema@.lead_field.completeness_weight IS
'weight (0-100) of this column in the profile completeness; 0: not counted';
COMMENT ON COLUMN @extschema@.custom_field.completeness_weight IS
'weight (0-100) of this custom field in the profile completeness; 0 (the default): not counted';

CREATE OR REPLACE FUNCTION @extschema@.completeness_weight_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NEW.completeness_weight IS NULL OR NEW.completeness_weight NOT BETWEEN 0 AND 100 THEN
		RAISE EXCEPTION 'completeness weight must be between 0 and 100, not %',
			coalesce(NEW.completeness_weight::text, 'NULL')
			USING ERRCODE = '23514',
				  DETAIL = format('%s %s of tenant %s.', CASE TG_TABLE_NAME WHEN 'custom_field' THEN 'Custom field' ELSE 'Field' END,
								  CASE TG_TABLE_NAME WHEN 'custom_field' THEN to_jsonb(NEW) ->> 'name' ELSE to_jsonb(NEW) ->> 'field' END,
								  NEW.tenant_id),
				  HINT = 'Weights are relative (a field of weight 10 counts twice one of 5); 0 leaves the field out of the completeness.';
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.completeness_weight_check() IS
'BEFORE row trigger on lead_field and custom_field: completeness_weight 0-100 (clear error)';
CREATE OR REPLACE TRIGGER lead_field_completeness_check BEFORE INSERT OR UPDATE OF completeness_weight
	ON @extschema@.lead_field
	FOR EACH ROW EXECUTE FUNCTION @extschema@.completeness_weight_check();
CREATE OR REPLACE TRIGGER custom_field_completeness_check BEFORE INSERT OR UPDATE OF completeness_weight
	ON @extschema@.custom_field
	FOR EACH ROW EXECUTE FUNCTION @extschema@.completeness_weight_check();

-- The BANT columns as fields: labels, import header aliases (folded).
INSERT INTO @extschema@.lead_field (tenant_id, field, label_vi, label_en, aliases)
SELECT t.tenant_id, f.field, f.label_vi, f.label_en, f.aliases
  FROM @extschema@.tenant t
 CROSS JOIN (VALUES
	('budget_amount', 'Ngân sách',                'Budget',                 '{ngan sach,ngan sach du kien,budget,budget amount}'::text[]),
	('budget_level',  'Mức ngân sách',            'Budget level',           '{muc ngan sach,budget level}'),
	('authority',     'Thẩm quyền',               'Authority',              '{tham quyen,quyen quyet dinh,vai tro quyet dinh,authority}'),
	('need_level',    'Mức nhu cầu',              'Need level',             '{muc nhu cau,need level}'),
	('timeline',      'Thời gian quyết định',     'Timeline',               '{thoi gian quyet dinh,thoi diem mua,timeline}'),
	('decision_date', 'Ngày quyết định dự kiến',  'Expected decision date', '{ngay quyet dinh,ngay quyet dinh du kien,decision date,expected decision date}'))
	AS f (field, label_vi, label_en, aliases)
ON CONFLICT DO NOTHING;

------------------------------------------------------------------------------
-- Win model counts
------------------------------------------------------------------------------

-- How often each feature value occurs among the tenant's won and lost leads
-- (feature 'total': the class totals). The triggers only insert delta rows,
-- so closing leads never waits on a lock; refresh_win_model() recounts and
-- leaves one row per value. No foreign key to tenant: derived data, written
-- by the lead triggers for leads whose tenant exists, and a close should not
-- pay a key check per feature.
CREATE TABLE IF NOT EXISTS @extschema@.win_model_count (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant(),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	feature text NOT NULL,
	value text NOT NULL,
	won bigint NOT NULL DEFAULT 0,
	lost bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE @extschema@.win_model_count IS
'counts of the win model: (feature, value) among won and lost leads, as delta rows summed when read; refresh_win_model() compacts';
CREATE OR REPLACE TRIGGER win_model_count_tenant_provision BEFORE INSERT ON @extschema@.win_model_count
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();

-- The model of the current tenant as the predictions use it.
CREATE OR REPLACE VIEW @extschema@.win_model AS
SELECT c.feature, c.value, pg_catalog.sum(c.won)::bigint AS won, pg_catalog.sum(c.lost)::bigint AS lost,
	   c.tenant_id
  FROM @extschema@.win_model_count c
 WHERE c.tenant_id = @extschema@.current_tenant()
 GROUP BY c.tenant_id, c.feature, c.value
HAVING pg_catalog.sum(c.won) <> 0 OR pg_catalog.sum(c.lost) <> 0;
COMMENT ON VIEW @extschema@.win_model IS
'the current tenant''s win model: closed leads per feature value (delta rows summed), won and lost; feature total: the class totals';

-- Counts are not configuration: their changes must make backends re-read the
-- models only, not every tenant's settings (config_changed() would), and must
-- not invalidate the plans that write the counts. So the statement trigger
-- signals the view win_model, which stands for the models (src/win_model.c).
CREATE OR REPLACE FUNCTION @extschema@.win_model_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_win_model_changed'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.win_model_changed() IS
'statement trigger on win_model_count: backends re-read the win models at their next use';
CREATE OR REPLACE TRIGGER win_model_count_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.win_model_count
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.win_model_changed();

------------------------------------------------------------------------------
-- Per-row functions (C)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.bant_points(tenant integer, budget_amount numeric,
		budget_level text, authority text, need_level text, timeline text, decision_date date,
		as_of timestamptz)
RETURNS integer
AS 'MODULE_PATHNAME', 'lc_bant_points'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bant_points(integer, numeric, text, text, text, text, date, timestamptz) IS
'BANT score 0-100 of these answers with the tenant''s weights and levels; the decision date is judged in the tenant''s time zone at as_of';

CREATE OR REPLACE FUNCTION @extschema@.bant_breakdown_of(tenant integer, budget_amount numeric,
		budget_level text, authority text, need_level text, timeline text, decision_date date,
		as_of timestamptz, need text,
		OUT criterion text, OUT answer text, OUT label text, OUT points numeric,
		OUT max_points integer, OUT missing boolean, OUT explanation text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_bant_breakdown_of'
LANGUAGE C STABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.bant_breakdown_of(integer, numeric, text, text, text, text, date, timestamptz, text) IS
'internal: the four rows of bant_breakdown() for these answers';

CREATE OR REPLACE FUNCTION @extschema@.temperature_of(tenant integer, budget_amount numeric,
		budget_level text, authority text, need_level text, timeline text, decision_date date,
		as_of timestamptz, last_activity_at timestamptz, status text, lifecycle text)
RETURNS text
AS 'MODULE_PATHNAME', 'lc_temperature_of'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.temperature_of(integer, numeric, text, text, text, text, date, timestamptz, timestamptz, text, text) IS
'hot, warm or cold from the BANT score and the calendar days (tenant time zone) from last_activity_at to as_of, with the tenant thresholds; cold when lost or never contacted';

CREATE OR REPLACE FUNCTION @extschema@.completeness_of(lead @extschema@.lead)
RETURNS integer
AS 'MODULE_PATHNAME', 'lc_completeness_of'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.completeness_of(@extschema@.lead) IS
'profile completeness 0-100 of a lead row: weight of its filled fields over the weight of all weighted fields (rounded down); NULL when nothing is weighted';

CREATE OR REPLACE FUNCTION @extschema@.completeness_breakdown_of(lead @extschema@.lead,
		OUT field text, OUT label text, OUT weight integer, OUT filled boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_completeness_breakdown_of'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.completeness_breakdown_of(@extschema@.lead) IS
'internal: the weighted fields of a lead row and whether each is filled';

CREATE OR REPLACE FUNCTION @extschema@.lead_outcome(tenant integer, status text, lifecycle text)
RETURNS text
AS 'MODULE_PATHNAME', 'lc_lead_outcome_sql'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lead_outcome(integer, text, text) IS
'won when the status or lifecycle is a won state of the tenant''s workflows, else lost when either is a lost state, else NULL (open)';

CREATE OR REPLACE FUNCTION @extschema@.win_features(source text, campaign text, province_canon text,
		industry text, kind text, email_key text, company_name text, salesperson_id bigint, tags text[],
		OUT feature text, OUT value text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_win_features'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION @extschema@.win_features(text, text, text, text, text, text, text, bigint, text[]) IS
'the (feature, value) pairs a closed lead adds to the win model counts, with (total, '''') first';

CREATE OR REPLACE FUNCTION @extschema@.win_probability_of(tenant integer, status text, lifecycle text,
		source text, campaign text, province_canon text, industry text, kind text, email_key text,
		company_name text, salesperson_id bigint, tags text[])
RETURNS double precision
AS 'MODULE_PATHNAME', 'lc_win_probability_of'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_probability_of(integer, text, text, text, text, text, text, text, text, text, bigint, text[]) IS
'naive Bayes chance to win 0-1 of a lead with these values; 1 when won, 0 when lost, NULL while the model is not ready';

CREATE OR REPLACE FUNCTION @extschema@.win_contributions_of(tenant integer, source text, campaign text,
		province_canon text, industry text, kind text, email_key text, company_name text,
		salesperson_id bigint, tags text[],
		OUT feature text, OUT value text, OUT log_odds double precision)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_win_contributions_of'
LANGUAGE C STABLE PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION @extschema@.win_contributions_of(integer, text, text, text, text, text, text, text, bigint, text[]) IS
'internal: how much each feature value of a lead moves the log-odds of winning';

CREATE OR REPLACE FUNCTION @extschema@.win_model_status(tenant integer DEFAULT @extschema@.current_tenant(),
		OUT ready boolean, OUT reason text, OUT won bigint, OUT lost bigint,
		OUT min_closed integer, OUT features text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_win_model_status'
LANGUAGE C STABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.win_model_status(integer) IS
'whether the tenant''s win model is ready and, if not, why win_probability is NULL; closed leads it learned from';

------------------------------------------------------------------------------
-- Triggers on lead
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.lead_bant_check() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_bant_check'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_bant_check() IS
'BEFORE row trigger on lead: BANT level labels stored as codes, unknown levels and negative budgets refused';

CREATE OR REPLACE FUNCTION @extschema@.win_model_track() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_win_model_track'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.win_model_track() IS
'AFTER row trigger on lead: buffers the win model counts a closed lead adds or takes back';

CREATE OR REPLACE FUNCTION @extschema@.win_model_flush() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_win_model_flush'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.win_model_flush() IS
'AFTER statement trigger on lead: inserts the buffered win model counts as delta rows';

-- Only rows carrying BANT answers call the check (imports without them pay nothing).
CREATE OR REPLACE TRIGGER lead_30_bant BEFORE INSERT ON @extschema@.lead
	FOR EACH ROW
	WHEN (NEW.budget_amount IS NOT NULL OR NEW.budget_level IS NOT NULL OR NEW.authority IS NOT NULL
		  OR NEW.need_level IS NOT NULL OR NEW.timeline IS NOT NULL)
	EXECUTE FUNCTION @extschema@.lead_bant_check();
CREATE OR REPLACE TRIGGER lead_31_bant BEFORE UPDATE OF budget_amount, budget_level, authority, need_level, timeline
	ON @extschema@.lead
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_bant_check();

-- Learning on close: only rows that are or were won or lost.
CREATE OR REPLACE TRIGGER lead_85_win_model AFTER INSERT ON @extschema@.lead
	FOR EACH ROW WHEN (@extschema@.lead_outcome(NEW.tenant_id, NEW.status, NEW.lifecycle) IS NOT NULL)
	EXECUTE FUNCTION @extschema@.win_model_track();
CREATE OR REPLACE TRIGGER lead_86_win_model AFTER UPDATE ON @extschema@.lead
	FOR EACH ROW WHEN (@extschema@.lead_outcome(OLD.tenant_id, OLD.status, OLD.lifecycle) IS NOT NULL
					   OR @extschema@.lead_outcome(NEW.tenant_id, NEW.status, NEW.lifecycle) IS NOT NULL)
	EXECUTE FUNCTION @extschema@.win_model_track();
CREATE OR REPLACE TRIGGER lead_87_win_model AFTER DELETE ON @extschema@.lead
	FOR EACH ROW WHEN (@extschema@.lead_outcome(OLD.tenant_id, OLD.status, OLD.lifecycle) IS NOT NULL)
	EXECUTE FUNCTION @extschema@.win_model_track();
CREATE OR REPLACE TRIGGER lead_88_win_model_flush AFTER INSERT OR UPDATE OR DELETE ON @extschema@.lead
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.win_model_flush();

------------------------------------------------------------------------------
-- Per-lead functions and the view
------------------------------------------------------------------------------

-- The score the MQL -> SQL guard checks (src/state.c calls it when it exists).
CREATE OR REPLACE FUNCTION @extschema@.bant_score(lead_id bigint)
RETURNS integer
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT @extschema@.bant_points(l.tenant_id, l.budget_amount, l.budget_level, l.authority,
								   l.need_level, l.timeline, l.decision_date, pg_catalog.now())
	  FROM @extschema@.lead l
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = bant_score.lead_id
$$;
COMMENT ON FUNCTION @extschema@.bant_score(bigint) IS
'BANT score 0-100 of a lead of the current tenant (NULL when there is no such lead); see bant_breakdown()';

CREATE OR REPLACE FUNCTION @extschema@.bant_score(lead_id bigint, as_of timestamptz)
RETURNS integer
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT @extschema@.bant_points(l.tenant_id, l.budget_amount, l.budget_level, l.authority,
								   l.need_level, l.timeline, l.decision_date, bant_score.as_of)
	  FROM @extschema@.lead l
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = bant_score.lead_id
$$;
COMMENT ON FUNCTION @extschema@.bant_score(bigint, timestamptz) IS
'BANT score of a lead as it was (or will be) at as_of: the decision date is judged against that day';

CREATE OR REPLACE FUNCTION @extschema@.bant_breakdown(lead_id bigint, as_of timestamptz DEFAULT pg_catalog.now())
RETURNS TABLE (criterion text, answer text, label text, points numeric, max_points integer,
			   missing boolean, explanation text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT b.*
	  FROM @extschema@.lead l
	 CROSS JOIN LATERAL @extschema@.bant_breakdown_of(l.tenant_id, l.budget_amount, l.budget_level,
			l.authority, l.need_level, l.timeline, l.decision_date, bant_breakdown.as_of, l.need) b
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = bant_breakdown.lead_id
$$;
COMMENT ON FUNCTION @extschema@.bant_breakdown(bigint, timestamptz) IS
'one row per BANT criterion of a lead: the answer (level code or unknown) and its label, points earned of max_points, missing, and an explanation in the tenant''s language';

-- Last done activity of a lead up to as_of: the recency of temperature.
CREATE OR REPLACE FUNCTION @extschema@.last_activity_at(lead_id bigint, as_of timestamptz DEFAULT pg_catalog.now())
RETURNS timestamptz
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT max(a.done_at)
	  FROM @extschema@.activity a
	 WHERE a.tenant_id = @extschema@.current_tenant() AND a.lead_id = last_activity_at.lead_id
	   AND a.done_at <= last_activity_at.as_of
$$;
COMMENT ON FUNCTION @extschema@.last_activity_at(bigint, timestamptz) IS
'when the last activity of a lead was done (not later than as_of); NULL when none was';

CREATE OR REPLACE FUNCTION @extschema@.lead_temperature(lead_id bigint, as_of timestamptz DEFAULT pg_catalog.now())
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT @extschema@.temperature_of(l.tenant_id, l.budget_amount, l.budget_level, l.authority,
			l.need_level, l.timeline, l.decision_date, lead_temperature.as_of,
			@extschema@.last_activity_at(l.id, lead_temperature.as_of), l.status, l.lifecycle)
	  FROM @extschema@.lead l
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = lead_temperature.lead_id
$$;
COMMENT ON FUNCTION @extschema@.lead_temperature(bigint, timestamptz) IS
'hot, warm or cold at as_of (default now) from the BANT score and the last done activity';

CREATE OR REPLACE FUNCTION @extschema@.lead_completeness(lead_id bigint)
RETURNS integer
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT @extschema@.completeness_of(l)
	  FROM @extschema@.lead l
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = lead_completeness.lead_id
$$;
COMMENT ON FUNCTION @extschema@.lead_completeness(bigint) IS
'profile completeness 0-100 of a lead (Rodi''s detail view); see completeness_breakdown()';

CREATE OR REPLACE FUNCTION @extschema@.completeness_breakdown(lead_id bigint)
RETURNS TABLE (field text, label text, weight integer, filled boolean)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT b.*
	  FROM @extschema@.lead l
	 CROSS JOIN LATERAL @extschema@.completeness_breakdown_of(l) b
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = completeness_breakdown.lead_id
	 ORDER BY b.filled, b.weight DESC, b.field
$$;
COMMENT ON FUNCTION @extschema@.completeness_breakdown(bigint) IS
'the weighted fields of a lead, missing ones first: what to fill in to complete the profile';

CREATE OR REPLACE FUNCTION @extschema@.win_probability(lead_id bigint)
RETURNS double precision
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT @extschema@.win_probability_of(l.tenant_id, l.status, l.lifecycle, l.source, l.campaign,
			l.province_canon, l.industry, l.kind, l.email_key, l.company_name, l.salesperson_id, l.tags)
	  FROM @extschema@.lead l
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = win_probability.lead_id
$$;
COMMENT ON FUNCTION @extschema@.win_probability(bigint) IS
'chance to win 0-1 from the naive Bayes model of the tenant''s closed leads; NULL while win_model_status() is not ready';

CREATE OR REPLACE FUNCTION @extschema@.win_factors(lead_id bigint, max_factors integer DEFAULT 3)
RETURNS TABLE (feature text, value text, label text, log_odds double precision)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT c.feature, c.value,
		   CASE WHEN c.value = '' THEN CASE x.language WHEN 'en' THEN '(none)' ELSE '(không có)' END
				WHEN c.feature IN ('has_email', 'has_company') THEN
					CASE WHEN x.language = 'en' THEN c.value
						 WHEN c.value = 'yes' THEN 'có' ELSE 'không' END
				WHEN c.feature = 'campaign' THEN
					coalesce((SELECT k.name FROM @extschema@.campaign k
							   WHERE k.tenant_id = l.tenant_id AND k.code = c.value), c.value)
				WHEN c.feature = 'salesperson' THEN
					coalesce((SELECT p.full_name FROM @extschema@.salesperson p
							   WHERE p.tenant_id = l.tenant_id AND p.id::text = c.value), c.value)
				WHEN c.feature IN ('source', 'industry', 'tags') THEN
					coalesce((SELECT CASE x.language WHEN 'en' THEN i.label_en ELSE i.label_vi END
								FROM @extschema@.catalog_item i
							   WHERE i.tenant_id = l.tenant_id AND i.code = c.value
								 AND i.catalog = CASE c.feature WHEN 'tags' THEN 'tag' ELSE c.feature END),
							 c.value)
				ELSE c.value END,
		   c.log_odds
	  FROM @extschema@.lead l
	  JOIN @extschema@.tenant x ON x.tenant_id = l.tenant_id
	 CROSS JOIN LATERAL @extschema@.win_contributions_of(l.tenant_id, l.source, l.campaign,
			l.province_canon, l.industry, l.kind, l.email_key, l.company_name, l.salesperson_id, l.tags) c
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = win_factors.lead_id
	   AND abs(c.log_odds) > 1e-12		-- a value every closed lead shares moves nothing
	 ORDER BY abs(c.log_odds) DESC, c.feature, c.value
	 LIMIT greatest(win_factors.max_factors, 0)
$$;
COMMENT ON FUNCTION @extschema@.win_factors(bigint, integer) IS
'the feature values of a lead that move its win probability most, with their log-odds (positive: toward winning)';

-- Recounts the tenant's model from its leads in one statement (one snapshot):
-- deltas of closes that commit meanwhile are not deleted and their leads not
-- counted, so nothing is counted twice or lost.
CREATE OR REPLACE FUNCTION @extschema@.refresh_win_model()
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t integer := @extschema@.current_tenant();
	closed bigint;
BEGIN
	PERFORM @extschema@.create_tenant(t) WHERE NOT EXISTS (SELECT FROM @extschema@.tenant WHERE tenant_id = t);
	-- two refreshes of a tenant at once would each insert a full count
	PERFORM pg_advisory_xact_lock(pg_catalog.hashtext('lead_crm.refresh_win_model'), t);
	WITH gone AS (
		DELETE FROM @extschema@.win_model_count c WHERE c.tenant_id = t
	), closed_leads AS (
		SELECT l.*, @extschema@.lead_outcome(l.tenant_id, l.status, l.lifecycle) AS outcome
		  FROM @extschema@.lead l
		 WHERE l.tenant_id = t AND @extschema@.lead_outcome(l.tenant_id, l.status, l.lifecycle) IS NOT NULL
	), features AS (
		-- in the target list: no tuplestore per lead, as in a FROM clause
		SELECT c.outcome,
			   @extschema@.win_features(c.source, c.campaign, c.province_canon, c.industry, c.kind,
										c.email_key, c.company_name, c.salesperson_id, c.tags) AS f
		  FROM closed_leads c
	), counted AS (
		INSERT INTO @extschema@.win_model_count (tenant_id, feature, value, won, lost)
		SELECT t, (x.f).feature, (x.f).value, count(*) FILTER (WHERE x.outcome = 'won'),
			   count(*) FILTER (WHERE x.outcome = 'lost')
		  FROM features x
		 GROUP BY (x.f).feature, (x.f).value
		RETURNING feature, won + lost AS n
	)
	SELECT coalesce(sum(n), 0) INTO closed FROM counted WHERE feature = 'total';
	RETURN closed;
END;
$$;
COMMENT ON FUNCTION @extschema@.refresh_win_model() IS
'rebuilds the current tenant''s win model counts from its won and lost leads (one row per value); returns the number of closed leads';

-- The scores of every lead of the current tenant at as_of. An inlinable SQL
-- function: conditions on lead_id reach the lead and activity scans.
CREATE OR REPLACE FUNCTION @extschema@.lead_scores_at(as_of timestamptz)
RETURNS TABLE (lead_id bigint, bant_score integer, temperature text, completeness integer,
			   win_probability double precision, last_activity_at timestamptz, tenant_id integer)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT l.id,
		   @extschema@.bant_points(l.tenant_id, l.budget_amount, l.budget_level, l.authority,
								   l.need_level, l.timeline, l.decision_date, as_of),
		   @extschema@.temperature_of(l.tenant_id, l.budget_amount, l.budget_level, l.authority,
									  l.need_level, l.timeline, l.decision_date, as_of,
									  a.last_done_at, l.status, l.lifecycle),
		   @extschema@.completeness_of(l),
		   @extschema@.win_probability_of(l.tenant_id, l.status, l.lifecycle, l.source, l.campaign,
				l.province_canon, l.industry, l.kind, l.email_key, l.company_name, l.salesperson_id, l.tags),
		   a.last_done_at,
		   l.tenant_id
	  FROM @extschema@.lead l
	  LEFT JOIN (SELECT x.lead_id, pg_catalog.max(x.done_at) AS last_done_at
				   FROM @extschema@.activity x
				  WHERE x.tenant_id = @extschema@.current_tenant() AND x.done_at <= as_of
				  GROUP BY x.lead_id) a ON a.lead_id = l.id
	 WHERE l.tenant_id = @extschema@.current_tenant()
$$;
COMMENT ON FUNCTION @extschema@.lead_scores_at(timestamptz) IS
'lead_scores as of a given time (temperature and the timeline depend on the clock)';

CREATE OR REPLACE VIEW @extschema@.lead_scores AS
SELECT s.lead_id, s.bant_score, s.temperature, s.completeness, s.win_probability, s.last_activity_at,
	   s.tenant_id
  FROM @extschema@.lead_scores_at(pg_catalog.now()) s;
COMMENT ON VIEW @extschema@.lead_scores IS
'per lead of the current tenant: BANT score, temperature (hot/warm/cold), profile completeness, win probability, last done activity';

------------------------------------------------------------------------------
-- pg_dump
------------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('@extschema@.scoring_settings', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.bant_level', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.win_model_count', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.win_model_count', 'id')::regclass, '');

-- Duplicate detection and merge: Fellegi-Sunter scoring of per-field
-- comparisons (src/core/dedup.c), blocking indexes, the per-tenant insert
-- policy, and merges that keep every value and can be undone.

CREATE OR REPLACE FUNCTION @extschema@.dedup_name_key(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_dedup_name_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dedup_name_key(text) IS
'blocking key of a full name: folded family name (Hoàng/Huỳnh and Vũ/Võ as one) and given name, in any word order: dedup_name_key(''An Nguyễn'') = ''nguyen an''';

CREATE OR REPLACE FUNCTION @extschema@.dedup_full_key(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_dedup_full_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dedup_full_key(text) IS
'the whole name folded in Vietnamese order with the family key: dedup_full_key(''Văn An Huỳnh'') = ''hoang van an''';

CREATE OR REPLACE FUNCTION @extschema@.dedup_compare_names(text, text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_dedup_compare_names'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dedup_compare_names(text, text) IS
'comparison level of two full names: exact, no_middle, close, other_middle, given_only or different (NULL when one is empty)';

CREATE OR REPLACE FUNCTION @extschema@.dedup_phone_keys(phones text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT coalesce(pg_catalog.array_agg(DISTINCT k.v ORDER BY k.v), '{}')
		  FROM pg_catalog.unnest(phones) AS p(x),
			   LATERAL (SELECT @extschema@.phone_or_null(p.x)::text) AS k(v)
		 WHERE k.v IS NOT NULL);
COMMENT ON FUNCTION @extschema@.dedup_phone_keys(text[]) IS
'E.164 forms of the valid numbers of a list of phones (alternate phones of a lead)';

CREATE OR REPLACE FUNCTION @extschema@.dedup_email_keys(emails text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT coalesce(pg_catalog.array_agg(DISTINCT k.v ORDER BY k.v), '{}')
		  FROM pg_catalog.unnest(emails) AS e(x),
			   LATERAL (SELECT @extschema@.normalize_email(e.x)) AS k(v)
		 WHERE k.v IS NOT NULL);
COMMENT ON FUNCTION @extschema@.dedup_email_keys(text[]) IS
'matching keys of the valid addresses of a list of e-mails (alternate e-mails of a lead)';

-- Alternates collect every distinct phone and e-mail of merged leads; they are
-- matched like the main ones. A merged lead keeps its row, marked merged_into.
ALTER TABLE @extschema@.lead
	ADD COLUMN IF NOT EXISTS alt_phones text[] NOT NULL DEFAULT '{}',
	ADD COLUMN IF NOT EXISTS alt_emails text[] NOT NULL DEFAULT '{}',
	ADD COLUMN IF NOT EXISTS merged_into bigint,
	ADD COLUMN IF NOT EXISTS merged_at timestamptz,
	ADD COLUMN IF NOT EXISTS dedup_name_key text
		GENERATED ALWAYS AS (@extschema@.dedup_name_key(full_name)) STORED,
	ADD COLUMN IF NOT EXISTS dedup_full_key text
		GENERATED ALWAYS AS (@extschema@.dedup_full_key(full_name)) STORED,
	ADD COLUMN IF NOT EXISTS alt_phone_keys text[]
		GENERATED ALWAYS AS (@extschema@.dedup_phone_keys(alt_phones)) STORED,
	ADD COLUMN IF NOT EXISTS alt_email_keys text[]
		GENERATED ALWAYS AS (@extschema@.dedup_email_keys(alt_emails)) STORED;
CREATE OR REPLACE FUNCTION @extschema@.dedup_facebook_key(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_dedup_facebook_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dedup_facebook_key(text) IS
'key of a Facebook profile however it was typed (link on facebook.com, m.facebook.com, fb.com; profile.php?id=N; username in any case, periods ignored): dedup_facebook_key(''https://m.facebook.com/Nguyen.Van.An/?ref=bookmarks'') = ''nguyenvanan''; NULL when the value names no profile';

ALTER TABLE @extschema@.lead
	ADD COLUMN IF NOT EXISTS facebook_key text
		GENERATED ALWAYS AS (@extschema@.dedup_facebook_key(facebook)) STORED;
COMMENT ON COLUMN @extschema@.lead.facebook_key IS 'dedup_facebook_key(facebook): the profile key, for duplicate blocking and comparison';

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint
					WHERE conrelid = '@extschema@.lead'::regclass AND conname = 'lead_merged_into_fkey') THEN
		ALTER TABLE @extschema@.lead
			ADD CONSTRAINT lead_merged_into_fkey FOREIGN KEY (tenant_id, merged_into)
				REFERENCES @extschema@.lead (tenant_id, id),
			ADD CONSTRAINT lead_merged_into_other CHECK (merged_into <> id);
	END IF;
END;
$$;
COMMENT ON COLUMN @extschema@.lead.alt_phones IS 'other phones of this person, e.g. from merged leads';
COMMENT ON COLUMN @extschema@.lead.alt_emails IS 'other e-mails of this person, e.g. from merged leads';
COMMENT ON COLUMN @extschema@.lead.merged_into IS
'the lead this one was merged into (lead_crm.merge_leads); a merged lead is archived, not deleted';
COMMENT ON COLUMN @extschema@.lead.merged_at IS 'when it was merged into merged_into';
COMMENT ON COLUMN @extschema@.lead.dedup_name_key IS 'dedup_name_key(full_name): family and given name, for blocking';
COMMENT ON COLUMN @extschema@.lead.dedup_full_key IS 'dedup_full_key(full_name): the whole name in one order, for blocking and name frequencies';
COMMENT ON COLUMN @extschema@.lead.alt_phone_keys IS 'E.164 forms of alt_phones';
COMMENT ON COLUMN @extschema@.lead.alt_email_keys IS 'matching keys of alt_emails';

-- Blocking indexes (phone_e164 and email_key have theirs in 31_lead_keys.sql).
CREATE INDEX IF NOT EXISTS lead_dedup_name_idx ON @extschema@.lead
	(tenant_id, dedup_name_key, province_canon, company_key) INCLUDE (dedup_full_key)
	WHERE merged_into IS NULL;
CREATE INDEX IF NOT EXISTS lead_dedup_full_idx ON @extschema@.lead (tenant_id, dedup_full_key) WHERE merged_into IS NULL;
COMMENT ON INDEX @extschema@.lead_dedup_full_idx IS 'duplicate blocking and frequencies by the whole name';
CREATE INDEX IF NOT EXISTS lead_dedup_alt_phone_idx ON @extschema@.lead USING gin (alt_phone_keys)
	WHERE alt_phone_keys <> '{}';
CREATE INDEX IF NOT EXISTS lead_dedup_alt_email_idx ON @extschema@.lead USING gin (alt_email_keys)
	WHERE alt_email_keys <> '{}';
CREATE INDEX IF NOT EXISTS lead_dedup_facebook_idx ON @extschema@.lead (tenant_id, facebook_key)
	WHERE facebook_key IS NOT NULL;
COMMENT ON INDEX @extschema@.lead_dedup_facebook_idx IS 'duplicate blocking on the Facebook profile key';
CREATE INDEX IF NOT EXISTS lead_dedup_merged_idx ON @extschema@.lead (tenant_id, merged_into)
	WHERE merged_into IS NOT NULL;
COMMENT ON INDEX @extschema@.lead_dedup_name_idx IS
'duplicate blocking by name key with province or company; name frequencies for the term-frequency adjustment';
COMMENT ON INDEX @extschema@.lead_dedup_alt_phone_idx IS 'duplicate blocking on alternate phones';
COMMENT ON INDEX @extschema@.lead_dedup_alt_email_idx IS 'duplicate blocking on alternate e-mails';
COMMENT ON INDEX @extschema@.lead_dedup_merged_idx IS 'leads merged into a lead';

-- Per-tenant policy and the estimated prior; tenant 0 holds the defaults.
CREATE TABLE IF NOT EXISTS @extschema@.dedup_setting (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id) PRIMARY KEY,
	policy text NOT NULL DEFAULT 'flag' CHECK (policy IN ('off', 'flag', 'block')),
	threshold real NOT NULL DEFAULT 0.5 CHECK (threshold > 0 AND threshold <= 1),
	name_block_max integer NOT NULL DEFAULT 50 CHECK (name_block_max BETWEEN 2 AND 100000),
	prior_log2_odds double precision NOT NULL,
	lead_count double precision NOT NULL CHECK (lead_count >= 1),
	candidate_pairs bigint,
	estimated_duplicate_pairs double precision,
	em_iterations integer,
	estimated_at timestamptz
);
COMMENT ON TABLE @extschema@.dedup_setting IS
'duplicate policy of a tenant on INSERT/COPY (off, flag, block), its default score threshold, and the prior estimated by refresh_duplicate_parameters()';
COMMENT ON COLUMN @extschema@.dedup_setting.policy IS
'off: no check; flag (default): store the lead and record its candidates in duplicate_candidate; block: refuse it (SQLSTATE 23505) unless lead_crm.allow_duplicate is on';
COMMENT ON COLUMN @extschema@.dedup_setting.threshold IS
'score (posterior probability of being the same person) from which a pair counts as a duplicate when min_score is NULL: 0.5, more likely the same person than not; raise it for the block policy';
COMMENT ON COLUMN @extschema@.dedup_setting.name_block_max IS
'name key + province (or company) groups larger than this are not compared on the name alone';
COMMENT ON COLUMN @extschema@.dedup_setting.prior_log2_odds IS
'log2 of the odds that two random leads of the tenant are the same person';
COMMENT ON COLUMN @extschema@.dedup_setting.lead_count IS
'leads the u probabilities and name frequencies were estimated on';

INSERT INTO @extschema@.dedup_setting (tenant_id, prior_log2_odds, lead_count)
VALUES (0, pg_catalog.ln(0.1 / 9999) / pg_catalog.ln(2), 10000)
ON CONFLICT (tenant_id) DO NOTHING;

-- m and u of every comparison level; a DBA may adjust them.
CREATE TABLE IF NOT EXISTS @extschema@.dedup_parameter (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	comparison text NOT NULL CHECK (comparison IN ('name', 'phone', 'email', 'company', 'province',
															 'birthday', 'facebook')),
	level text NOT NULL,
	level_no smallint NOT NULL,
	m double precision NOT NULL CHECK (m > 0 AND m <= 1),
	u double precision NOT NULL CHECK (u > 0 AND u <= 1),
	weight double precision GENERATED ALWAYS AS (pg_catalog.ln(m / u) / pg_catalog.ln(2)) STORED,
	estimated_at timestamptz,
	PRIMARY KEY (tenant_id, comparison, level)
);
COMMENT ON TABLE @extschema@.dedup_parameter IS
'Fellegi-Sunter parameters of each comparison level: m = P(level | same person), u = P(level | two random leads); weight = log2(m/u)';
COMMENT ON COLUMN @extschema@.dedup_parameter.u IS
'for name exact and no_middle the frequency of the name in the tenant replaces u (term-frequency adjustment)';

CREATE OR REPLACE FUNCTION @extschema@.dedup_default_parameters()
RETURNS TABLE (comparison text, level text, level_no smallint, m double precision, u double precision)
AS 'MODULE_PATHNAME', 'lc_dedup_default_parameters'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dedup_default_parameters() IS
'the built-in m and u of every comparison level (the template rows of dedup_parameter)';

INSERT INTO @extschema@.dedup_parameter (tenant_id, comparison, level, level_no, m, u)
SELECT 0, d.comparison, d.level, d.level_no, d.m, d.u FROM @extschema@.dedup_default_parameters() d
ON CONFLICT (tenant_id, comparison, level) DO NOTHING;

CREATE OR REPLACE TRIGGER dedup_setting_tenant_provision BEFORE INSERT ON @extschema@.dedup_setting
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE OR REPLACE TRIGGER dedup_parameter_tenant_provision BEFORE INSERT ON @extschema@.dedup_parameter
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE OR REPLACE TRIGGER dedup_setting_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.dedup_setting
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE OR REPLACE TRIGGER dedup_parameter_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.dedup_parameter
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

-- Pairs found when leads were written (policy flag), lower id first.
CREATE TABLE IF NOT EXISTS @extschema@.duplicate_candidate (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	lead_id bigint NOT NULL,
	duplicate_id bigint NOT NULL,
	score real NOT NULL,
	reasons text[] NOT NULL,
	status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'merged')),
	found_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, lead_id, duplicate_id),
	FOREIGN KEY (tenant_id, lead_id) REFERENCES @extschema@.lead (tenant_id, id),
	FOREIGN KEY (tenant_id, duplicate_id) REFERENCES @extschema@.lead (tenant_id, id),
	CHECK (lead_id < duplicate_id)
);
COMMENT ON TABLE @extschema@.duplicate_candidate IS
'possible duplicates found when a lead was inserted (policy flag): score, reasons, and whether it is open, dismissed or merged';
CREATE INDEX IF NOT EXISTS duplicate_candidate_duplicate_idx ON @extschema@.duplicate_candidate (tenant_id, duplicate_id);
CREATE OR REPLACE TRIGGER duplicate_candidate_tenant_provision BEFORE INSERT ON @extschema@.duplicate_candidate
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();

-- Rodi's red icon: leads of the current tenant with open duplicate candidates.
CREATE OR REPLACE VIEW @extschema@.possible_duplicate AS
SELECT c.tenant_id, c.lead_id, pg_catalog.count(*)::integer AS duplicates, pg_catalog.max(c.score) AS best_score,
	   pg_catalog.array_agg(c.other_id ORDER BY c.score DESC, c.other_id) AS duplicate_ids
  FROM (SELECT d.tenant_id, d.lead_id, d.duplicate_id AS other_id, d.score
		  FROM @extschema@.duplicate_candidate d
		 WHERE d.status = 'open' AND d.tenant_id = @extschema@.current_tenant()
		UNION ALL
		SELECT d.tenant_id, d.duplicate_id, d.lead_id, d.score
		  FROM @extschema@.duplicate_candidate d
		 WHERE d.status = 'open' AND d.tenant_id = @extschema@.current_tenant()) c
  JOIN @extschema@.lead l ON l.tenant_id = c.tenant_id AND l.id = c.lead_id AND l.merged_into IS NULL
  JOIN @extschema@.lead o ON o.tenant_id = c.tenant_id AND o.id = c.other_id AND o.merged_into IS NULL
 GROUP BY c.tenant_id, c.lead_id;
COMMENT ON VIEW @extschema@.possible_duplicate IS
'Rodi''s red icon: each lead of the current tenant with open duplicate candidates, how many, the best score and the other leads';

CREATE OR REPLACE FUNCTION @extschema@.find_duplicates(min_score real DEFAULT NULL)
RETURNS TABLE (lead_id bigint, duplicate_id bigint, score real, reasons text[])
AS 'MODULE_PATHNAME', 'lc_find_duplicates'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.find_duplicates(real) IS
'every pair of likely duplicates among the current tenant''s leads (lead_id < duplicate_id) with score and reasons; NULL min_score = the tenant''s threshold';

CREATE OR REPLACE FUNCTION @extschema@.duplicates_of(lead_id bigint, min_score real DEFAULT NULL)
RETURNS TABLE (duplicate_id bigint, score real, reasons text[])
AS 'MODULE_PATHNAME', 'lc_duplicates_of'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.duplicates_of(bigint, real) IS
'likely duplicates of one lead, best first, with score and reasons';

CREATE OR REPLACE FUNCTION @extschema@.match_candidates(full_name text, phone text DEFAULT NULL,
											 email text DEFAULT NULL, company_name text DEFAULT NULL,
											 province text DEFAULT NULL, min_score real DEFAULT NULL)
RETURNS TABLE (lead_id bigint, score real, reasons text[])
AS 'MODULE_PATHNAME', 'lc_match_candidates'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.match_candidates(text, text, text, text, text, real) IS
'existing leads that a lead with these values would duplicate, best first: check before inserting (web forms, imports)';

CREATE OR REPLACE FUNCTION @extschema@.refresh_duplicate_parameters() RETURNS jsonb
AS 'MODULE_PATHNAME', 'lc_refresh_duplicate_parameters'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.refresh_duplicate_parameters() IS
're-estimates the current tenant''s duplicate parameters from its leads: m by EM on blocked candidate pairs, u from random pairs, the prior from the estimated number of duplicates';

CREATE OR REPLACE FUNCTION @extschema@.lead_duplicate_check() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_duplicate_check'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_duplicate_check() IS
'AFTER INSERT statement trigger on lead: applies the tenant''s duplicate policy (off, flag, block) to the new rows';

-- One check per statement: a COPY of many rows is compared with set-based joins.
CREATE OR REPLACE TRIGGER lead_20_duplicates AFTER INSERT ON @extschema@.lead
	REFERENCING NEW TABLE AS dd_new
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.lead_duplicate_check();

CREATE OR REPLACE FUNCTION @extschema@.dismiss_duplicate(lead_id bigint, duplicate_id bigint)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE @extschema@.duplicate_candidate d SET status = 'dismissed'
	 WHERE d.tenant_id = @extschema@.current_tenant()
	   AND d.lead_id = least($1, $2) AND d.duplicate_id = greatest($1, $2) AND d.status = 'open';
	RETURN FOUND;
END;
$$;
COMMENT ON FUNCTION @extschema@.dismiss_duplicate(bigint, bigint) IS
'marks a recorded candidate pair as not a duplicate (it stays dismissed when found again); false when no open pair';

-- ---- merge and undo ----

CREATE TABLE IF NOT EXISTS @extschema@.lead_merge (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	survivor_id bigint NOT NULL,
	other_ids bigint[] NOT NULL,
	survivor_before jsonb NOT NULL,
	others_before jsonb NOT NULL,
	children_before jsonb NOT NULL DEFAULT '{}',
	history_moved jsonb NOT NULL DEFAULT '[]',
	candidates_before jsonb NOT NULL DEFAULT '[]',
	after_images jsonb,
	merged_by name NOT NULL DEFAULT CURRENT_USER,
	actor text DEFAULT NULLIF(pg_catalog.current_setting('lead_crm.actor', true), ''),
	reason text,
	merged_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	undone_at timestamptz,
	undone_by name,
	undo_actor text,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, survivor_id) REFERENCES @extschema@.lead (tenant_id, id)
);
COMMENT ON TABLE @extschema@.lead_merge IS
'one row per merge_leads() call: full images of every lead and moved row before the merge and after it, who, when, and whether it was undone';
COMMENT ON COLUMN @extschema@.lead_merge.children_before IS
'activities, notes and attachments moved to the survivor, as they were: {"activity": [rows], "lead_note": [...], "attachment": [...]}';
COMMENT ON COLUMN @extschema@.lead_merge.history_moved IS
'lead_history rows moved to the survivor: [{"id": .., "lead_id": old lead}]';
COMMENT ON COLUMN @extschema@.lead_merge.after_images IS
'every involved row right after the merge, without updated_at; undo_merge refuses when any of them changed since';
CREATE INDEX IF NOT EXISTS lead_merge_survivor_idx ON @extschema@.lead_merge (tenant_id, survivor_id);
CREATE OR REPLACE TRIGGER lead_merge_tenant_provision BEFORE INSERT ON @extschema@.lead_merge
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();

-- Full images of the rows a merge touches, keyed by table: what undo compares.
CREATE OR REPLACE FUNCTION @extschema@.merge_images(tenant integer, lead_ids bigint[], child_ids jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT jsonb_build_object(
	'lead', (SELECT coalesce(jsonb_agg(to_jsonb(l) - 'updated_at' ORDER BY l.id), '[]') FROM @extschema@.lead l
			  WHERE l.tenant_id = tenant AND l.id = ANY (lead_ids)),
	'activity', (SELECT coalesce(jsonb_agg(to_jsonb(a) - 'updated_at' ORDER BY a.id), '[]') FROM @extschema@.activity a
				  WHERE a.tenant_id = tenant
					AND a.id IN (SELECT (x->>'id')::bigint FROM jsonb_array_elements(child_ids->'activity') x)),
	'lead_note', (SELECT coalesce(jsonb_agg(to_jsonb(n) - 'updated_at' ORDER BY n.id), '[]') FROM @extschema@.lead_note n
				   WHERE n.tenant_id = tenant
					 AND n.id IN (SELECT (x->>'id')::bigint FROM jsonb_array_elements(child_ids->'lead_note') x)),
	'attachment', (SELECT coalesce(jsonb_agg(to_jsonb(t) - 'updated_at' ORDER BY t.id), '[]') FROM @extschema@.attachment t
					WHERE t.tenant_id = tenant
					  AND t.id IN (SELECT (x->>'id')::bigint FROM jsonb_array_elements(child_ids->'attachment') x)))
$$;
COMMENT ON FUNCTION @extschema@.merge_images(integer, bigint[], jsonb) IS
'row images (without updated_at) of the leads and moved rows of a merge, for undo_merge''s change check';

-- Is a jsonb value "empty" for survivorship: null, blank text, empty array or object?
CREATE OR REPLACE FUNCTION @extschema@.merge_value_empty(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR v = 'null'::jsonb OR v = '[]'::jsonb OR v = '{}'::jsonb
	OR (jsonb_typeof(v) = 'string' AND pg_catalog.btrim(v #>> '{}') = '');
COMMENT ON FUNCTION @extschema@.merge_value_empty(jsonb) IS
'true for values that lose to any other in a merge: null, blank text, empty array or object';

-- Do two values of a lead column mean the same (same phone, e-mail key, company key, province)?
CREATE OR REPLACE FUNCTION @extschema@.merge_same_key(col text, a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE col
	WHEN 'phone' THEN @extschema@.phone_or_null(a)::text = @extschema@.phone_or_null(b)::text
	WHEN 'email' THEN @extschema@.normalize_email(a) = @extschema@.normalize_email(b)
	WHEN 'company_name' THEN @extschema@.normalize_company(a) = @extschema@.normalize_company(b)
	WHEN 'province' THEN @extschema@.normalize_province(a) = @extschema@.normalize_province(b)
	ELSE false END IS TRUE;
COMMENT ON FUNCTION @extschema@.merge_same_key(text, text, text) IS
'true when two values of a lead column are spellings of one phone, e-mail, company or province: a merge then keeps the survivor''s';

CREATE OR REPLACE FUNCTION @extschema@.merge_leads(survivor_id bigint, other_ids bigint[])
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tenant integer := @extschema@.current_tenant();
	others bigint[];
	all_ids bigint[];
	found_ids bigint[];
	missing bigint;
	r record;
	survivor jsonb;
	images jsonb;			-- every lead, newest first, the survivor first among equals
	merged jsonb;
	col text;
	v jsonb;
	img jsonb;
	keep constant text[] := ARRAY['tenant_id', 'id', 'full_name', 'kind', 'lifecycle', 'status',
		'lost_reason', 'created_at', 'updated_at', 'merged_into', 'merged_at', 'salesperson_id',
		'team_id', 'assigned_at', 'lead_type', 'converted_at',
		'alt_phones', 'alt_emails', 'tags', 'custom', 'priority'];
	set_cols text[] := '{}';
	phones text[] := '{}';
	emails text[] := '{}';
	seen text[] := '{}';
	k text;
	merge_id bigint;
	children jsonb;
	child_ids jsonb;
	moved_history jsonb;
	old_reason text := current_setting('lead_crm.reason', true);
	why text;
BEGIN
	IF survivor_id IS NULL OR other_ids IS NULL OR cardinality(other_ids) = 0
	   OR array_position(other_ids, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'nothing to merge'
			USING ERRCODE = '22004',
				  DETAIL = format('survivor_id = %s, other_ids = %s', coalesce(survivor_id::text, 'NULL'),
								  coalesce(other_ids::text, 'NULL')),
				  HINT = 'Pass the lead to keep and a non-empty array of lead ids to merge into it.';
	END IF;
	SELECT array_agg(DISTINCT o ORDER BY o) INTO others FROM unnest(other_ids) o;
	IF survivor_id = ANY (others) THEN
		RAISE EXCEPTION 'cannot merge lead % into itself', survivor_id
			USING ERRCODE = '22023',
				  DETAIL = format('other_ids %s contains the survivor %s.', other_ids, survivor_id),
				  HINT = 'Leave the survivor out of other_ids.';
	END IF;
	all_ids := array_append(others, survivor_id);

	-- one order for every merge: concurrent merges of overlapping leads queue, never deadlock
	SELECT array_agg(l.id ORDER BY l.id) INTO found_ids
	  FROM (SELECT l.id FROM @extschema@.lead l
			 WHERE l.tenant_id = tenant AND l.id = ANY (all_ids)
			 ORDER BY l.id FOR UPDATE) l;
	SELECT min(x) INTO missing FROM unnest(all_ids) x WHERE x <> ALL (coalesce(found_ids, '{}'));
	IF missing IS NOT NULL THEN
		IF EXISTS (SELECT FROM @extschema@.lead l WHERE l.id = missing AND l.tenant_id <> tenant) THEN
			RAISE EXCEPTION 'lead % belongs to another tenant', missing
				USING ERRCODE = '42501',
					  DETAIL = format('The current tenant is %s.', tenant),
					  HINT = 'Leads can only be merged within one tenant; set lead_crm.tenant to the leads'' tenant.';
		END IF;
		RAISE EXCEPTION 'lead % does not exist', missing
			USING ERRCODE = 'P0002',
				  DETAIL = format('Tenant %s has no lead with id %s.', tenant, missing),
				  HINT = 'Check the ids passed to merge_leads.';
	END IF;
	SELECT l.id, l.merged_into INTO r FROM @extschema@.lead l
	 WHERE l.tenant_id = tenant AND l.id = ANY (all_ids) AND l.merged_into IS NOT NULL
	 ORDER BY l.id LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'lead % was already merged into lead %', r.id, r.merged_into
			USING ERRCODE = '55000',
				  DETAIL = format('Merge history: SELECT * FROM lead_crm.lead_merge WHERE %s = ANY (other_ids).', r.id),
				  HINT = format('Merge into lead %s instead, or undo that merge with lead_crm.undo_merge().', r.merged_into);
	END IF;

	SELECT to_jsonb(l) INTO survivor FROM @extschema@.lead l WHERE l.tenant_id = tenant AND l.id = survivor_id;
	SELECT jsonb_agg(to_jsonb(l) ORDER BY l.updated_at DESC, l.id = survivor_id DESC, l.id DESC) INTO images
	  FROM @extschema@.lead l WHERE l.tenant_id = tenant AND l.id = ANY (all_ids);

	-- children as they were, and the lead of each, before anything moves
	SELECT jsonb_build_object(
		'activity', (SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.id), '[]') FROM @extschema@.activity a
					  WHERE a.tenant_id = tenant AND a.lead_id = ANY (others)),
		'lead_note', (SELECT coalesce(jsonb_agg(to_jsonb(n) ORDER BY n.id), '[]') FROM @extschema@.lead_note n
					   WHERE n.tenant_id = tenant AND n.lead_id = ANY (others)),
		'attachment', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]') FROM @extschema@.attachment t
						WHERE t.tenant_id = tenant AND t.lead_id = ANY (others)))
	  INTO children;
	SELECT coalesce(jsonb_agg(jsonb_build_object('id', h.id, 'lead_id', h.lead_id) ORDER BY h.id), '[]')
	  INTO moved_history
	  FROM @extschema@.lead_history h WHERE h.tenant_id = tenant AND h.lead_id = ANY (others);

	INSERT INTO @extschema@.lead_merge AS m (tenant_id, survivor_id, other_ids, survivor_before, others_before,
									   children_before, history_moved, candidates_before, reason)
	VALUES (tenant, survivor_id, others, survivor,
			(SELECT jsonb_agg(to_jsonb(l) ORDER BY l.id) FROM @extschema@.lead l
			  WHERE l.tenant_id = tenant AND l.id = ANY (others)),
			children, moved_history,
			(SELECT coalesce(jsonb_agg(to_jsonb(d) ORDER BY d.lead_id, d.duplicate_id), '[]')
			   FROM @extschema@.duplicate_candidate d
			  WHERE d.tenant_id = tenant AND (d.lead_id = ANY (all_ids) OR d.duplicate_id = ANY (all_ids))),
			nullif(old_reason, ''))
	RETURNING m.id INTO merge_id;
	why := concat_ws(': ', format('gộp lead #%s vào lead #%s (merge #%s)', array_to_string(others, ', #'),
								  survivor_id, merge_id), nullif(old_reason, ''));

	-- survivorship: a non-empty value wins over an empty one, the most recently updated lead's among non-empty ones
	merged := survivor;
	FOR col IN
		SELECT a.attname FROM pg_attribute a
		 WHERE a.attrelid = '@extschema@.lead'::regclass AND a.attnum > 0 AND NOT a.attisdropped
		   AND a.attgenerated = '' ORDER BY a.attnum
	LOOP
		CONTINUE WHEN col = ANY (keep);
		FOR img IN SELECT x FROM jsonb_array_elements(images) x LOOP
			v := img -> col;
			IF NOT @extschema@.merge_value_empty(v) THEN
				-- another spelling of the same phone, e-mail, company or province keeps the survivor's
				IF NOT @extschema@.merge_same_key(col, v #>> '{}', survivor ->> col) THEN
					merged := jsonb_set(merged, ARRAY[col], v);
				END IF;
				EXIT;
			END IF;
		END LOOP;
	END LOOP;
	-- tags: all of them; custom fields: per key, the newest lead's; priority: the highest
	merged := jsonb_set(merged, '{tags}', (
		SELECT coalesce(jsonb_agg(DISTINCT t ORDER BY t), '[]')
		  FROM jsonb_array_elements(images) i, jsonb_array_elements_text(i -> 'tags') t));
	merged := jsonb_set(merged, '{custom}', (
		SELECT coalesce(jsonb_object_agg(e.key, e.value ORDER BY e.ord DESC), '{}')
		  FROM (SELECT DISTINCT ON (kv.key) kv.key, kv.value, i.ord
				  FROM jsonb_array_elements(images) WITH ORDINALITY i(x, ord),
					   jsonb_each(i.x -> 'custom') kv
				 ORDER BY kv.key, i.ord) e));
	merged := jsonb_set(merged, '{priority}', (
		SELECT max((i -> 'priority')::int)::text::jsonb FROM jsonb_array_elements(images) i));
	-- every distinct phone and e-mail of every lead: the main one, the others as alternates
	seen := ARRAY[coalesce(@extschema@.phone_or_null(merged ->> 'phone')::text, btrim(merged ->> 'phone'))];
	FOR k IN
		SELECT p FROM jsonb_array_elements(images) WITH ORDINALITY i(x, ord),
			   LATERAL (SELECT i.x ->> 'phone' AS p, 0 AS n
						UNION ALL SELECT a, n FROM jsonb_array_elements_text(i.x -> 'alt_phones') WITH ORDINALITY z(a, n)) s
		 WHERE btrim(coalesce(p, '')) <> ''
		 ORDER BY i.ord, s.n
	LOOP
		CONTINUE WHEN coalesce(@extschema@.phone_or_null(k)::text, btrim(k)) = ANY (seen);
		seen := seen || coalesce(@extschema@.phone_or_null(k)::text, btrim(k));
		phones := phones || k;
	END LOOP;
	seen := ARRAY[coalesce(@extschema@.normalize_email(merged ->> 'email'), lower(btrim(merged ->> 'email')))];
	FOR k IN
		SELECT e FROM jsonb_array_elements(images) WITH ORDINALITY i(x, ord),
			   LATERAL (SELECT i.x ->> 'email' AS e, 0 AS n
						UNION ALL SELECT a, n FROM jsonb_array_elements_text(i.x -> 'alt_emails') WITH ORDINALITY z(a, n)) s
		 WHERE btrim(coalesce(e, '')) <> ''
		 ORDER BY i.ord, s.n
	LOOP
		CONTINUE WHEN coalesce(@extschema@.normalize_email(k), lower(btrim(k))) = ANY (seen);
		seen := seen || coalesce(@extschema@.normalize_email(k), lower(btrim(k)));
		emails := emails || k;
	END LOOP;
	merged := jsonb_set(merged, '{alt_phones}', to_jsonb(phones));
	merged := jsonb_set(merged, '{alt_emails}', to_jsonb(emails));

	PERFORM set_config('lead_crm.reason', why, true);
	-- history first, so that the rows this merge writes stay with their own lead
	UPDATE @extschema@.lead_history h SET lead_id = survivor_id
	 WHERE h.tenant_id = tenant AND h.lead_id = ANY (others);
	UPDATE @extschema@.activity a SET lead_id = survivor_id WHERE a.tenant_id = tenant AND a.lead_id = ANY (others);
	UPDATE @extschema@.lead_note n SET lead_id = survivor_id WHERE n.tenant_id = tenant AND n.lead_id = ANY (others);
	UPDATE @extschema@.attachment t SET lead_id = survivor_id WHERE t.tenant_id = tenant AND t.lead_id = ANY (others);

	SELECT array_agg(c ORDER BY c) INTO set_cols
	  FROM jsonb_object_keys(merged) c
	 WHERE merged -> c IS DISTINCT FROM survivor -> c;
	IF set_cols IS NOT NULL THEN
		EXECUTE format('UPDATE @extschema@.lead l SET (%1$s) = (SELECT %2$s FROM jsonb_populate_record(NULL::@extschema@.lead, $1) r)'
					   ' WHERE l.tenant_id = $2 AND l.id = $3',
					   array_to_string(ARRAY(SELECT quote_ident(c) FROM unnest(set_cols) c), ', '),
					   array_to_string(ARRAY(SELECT 'r.' || quote_ident(c) FROM unnest(set_cols) c), ', '))
			USING merged, tenant, survivor_id;
	END IF;
	UPDATE @extschema@.lead l SET merged_into = survivor_id, merged_at = now()
	 WHERE l.tenant_id = tenant AND l.id = ANY (others);
	UPDATE @extschema@.duplicate_candidate d SET status = 'merged'
	 WHERE d.tenant_id = tenant AND d.status = 'open' AND d.lead_id = ANY (all_ids) AND d.duplicate_id = ANY (all_ids);
	PERFORM set_config('lead_crm.reason', coalesce(old_reason, ''), true);

	child_ids := jsonb_build_object(
		'activity', coalesce(children -> 'activity', '[]'),
		'lead_note', coalesce(children -> 'lead_note', '[]'),
		'attachment', coalesce(children -> 'attachment', '[]'));
	UPDATE @extschema@.lead_merge m SET after_images = @extschema@.merge_images(tenant, all_ids, child_ids)
	 WHERE m.tenant_id = tenant AND m.id = merge_id;
	RETURN merge_id;
END;
$$;
COMMENT ON FUNCTION @extschema@.merge_leads(bigint, bigint[]) IS
'merges leads into survivor_id: field survivorship (non-empty wins, then the most recently updated lead), every phone and e-mail kept, activities, notes, attachments and history moved, merged leads archived with merged_into; returns the merge id for undo_merge';

CREATE OR REPLACE FUNCTION @extschema@.undo_merge(merge_id bigint)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tenant integer := @extschema@.current_tenant();
	m @extschema@.lead_merge;
	all_ids bigint[];
	now_images jsonb;
	tbl text;
	img jsonb;
	changed text;
	cols text;
	old_reason text := current_setting('lead_crm.reason', true);
BEGIN
	SELECT * INTO m FROM @extschema@.lead_merge x WHERE x.tenant_id = tenant AND x.id = merge_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'merge % does not exist', merge_id
			USING ERRCODE = 'P0002',
				  DETAIL = format('Tenant %s has no merge with id %s.', tenant, coalesce(merge_id::text, 'NULL')),
				  HINT = 'The ids are in lead_crm.lead_merge.';
	END IF;
	IF m.undone_at IS NOT NULL THEN
		RAISE EXCEPTION 'merge % was already undone', merge_id
			USING ERRCODE = '55000',
				  DETAIL = format('It was undone at %s by %s.', m.undone_at, m.undone_by),
				  HINT = 'Nothing to do; merge the leads again with lead_crm.merge_leads() if needed.';
	END IF;
	all_ids := array_append(m.other_ids, m.survivor_id);
	PERFORM FROM (SELECT l.id FROM @extschema@.lead l WHERE l.tenant_id = tenant AND l.id = ANY (all_ids)
				   ORDER BY l.id FOR UPDATE) x;

	-- a later change would be lost: refuse, naming the first changed row
	now_images := @extschema@.merge_images(tenant, all_ids, jsonb_build_object(
		'activity', m.children_before -> 'activity', 'lead_note', m.children_before -> 'lead_note',
		'attachment', m.children_before -> 'attachment'));
	IF now_images IS DISTINCT FROM m.after_images THEN
		SELECT format('%s %s', t.key, a.x ->> 'id') INTO changed
		  FROM jsonb_each(m.after_images) t,
			   LATERAL jsonb_array_elements(t.value) WITH ORDINALITY a(x, ord)
		 WHERE a.x IS DISTINCT FROM (now_images -> t.key) -> (a.ord::int - 1)
		 ORDER BY t.key, a.ord
		 LIMIT 1;
		RAISE EXCEPTION 'merge % cannot be undone: % changed after it', merge_id, coalesce(changed, 'a row')
			USING ERRCODE = '55000',
				  DETAIL = 'Undoing would overwrite that change.',
				  HINT = 'Undo later merges of these leads first, or revert the change; lead_crm.lead_history shows it.';
	END IF;

	PERFORM set_config('lead_crm.reason', concat_ws(': ', format('hoàn tác gộp lead (merge #%s)', merge_id),
												  nullif(old_reason, '')), true);
	-- leads: every column back as it was
	SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
	  FROM pg_attribute a
	 WHERE a.attrelid = '@extschema@.lead'::regclass AND a.attnum > 0 AND NOT a.attisdropped
	   AND a.attgenerated = '' AND a.attname NOT IN ('tenant_id', 'id');
	FOR img IN SELECT m.survivor_before UNION ALL SELECT x FROM jsonb_array_elements(m.others_before) x LOOP
		EXECUTE format('UPDATE @extschema@.lead l SET (%1$s) = (SELECT %1$s FROM jsonb_populate_record(NULL::@extschema@.lead, $1))'
					   ' WHERE l.tenant_id = $2 AND l.id = $3', cols)
			USING img, tenant, (img ->> 'id')::bigint;
	END LOOP;
	-- moved rows back to their leads
	FOREACH tbl IN ARRAY ARRAY['activity', 'lead_note', 'attachment'] LOOP
		SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
		  FROM pg_attribute a
		 WHERE a.attrelid = ('@extschema@.' || tbl)::regclass AND a.attnum > 0 AND NOT a.attisdropped
		   AND a.attgenerated = '' AND a.attname NOT IN ('tenant_id', 'id');
		FOR img IN SELECT x FROM jsonb_array_elements(m.children_before -> tbl) x LOOP
			EXECUTE format('UPDATE @extschema@.%2$I t SET (%1$s) = (SELECT %1$s FROM jsonb_populate_record(NULL::@extschema@.%2$I, $1))'
						   ' WHERE t.tenant_id = $2 AND t.id = $3', cols, tbl)
				USING img, tenant, (img ->> 'id')::bigint;
		END LOOP;
	END LOOP;
	UPDATE @extschema@.lead_history h SET lead_id = (x ->> 'lead_id')::bigint
	  FROM jsonb_array_elements(m.history_moved) x
	 WHERE h.tenant_id = tenant AND h.id = (x ->> 'id')::bigint;
	UPDATE @extschema@.duplicate_candidate d SET status = x.status
	  FROM jsonb_populate_recordset(NULL::@extschema@.duplicate_candidate, m.candidates_before) x
	 WHERE d.tenant_id = tenant AND d.lead_id = x.lead_id AND d.duplicate_id = x.duplicate_id;

	/*
	 * Triggers stamp updated_at on every change they see; the stamps of the
	 * rows as they were are put back the way a dump restore loads rows, with
	 * lead_crm.restoring() true: only updated_at differs by now, so no history
	 * or other side effect is skipped.
	 */
	PERFORM set_config('check_function_bodies', 'off', true);
	UPDATE @extschema@.lead l SET updated_at = (x ->> 'updated_at')::timestamptz
	  FROM (SELECT m.survivor_before x UNION ALL SELECT y FROM jsonb_array_elements(m.others_before) y) s(x)
	 WHERE l.tenant_id = tenant AND l.id = (x ->> 'id')::bigint;
	UPDATE @extschema@.activity a SET updated_at = (x ->> 'updated_at')::timestamptz
	  FROM jsonb_array_elements(m.children_before -> 'activity') x
	 WHERE a.tenant_id = tenant AND a.id = (x ->> 'id')::bigint;
	UPDATE @extschema@.lead_note n SET updated_at = (x ->> 'updated_at')::timestamptz
	  FROM jsonb_array_elements(m.children_before -> 'lead_note') x
	 WHERE n.tenant_id = tenant AND n.id = (x ->> 'id')::bigint;
	PERFORM set_config('check_function_bodies', 'on', true);
	PERFORM set_config('lead_crm.reason', coalesce(old_reason, ''), true);

	UPDATE @extschema@.lead_merge x SET undone_at = now(), undone_by = current_user,
		   undo_actor = NULLIF(current_setting('lead_crm.actor', true), '')
	 WHERE x.tenant_id = tenant AND x.id = merge_id;
END;
$$;
COMMENT ON FUNCTION @extschema@.undo_merge(bigint) IS
'restores every lead and moved row of a merge exactly as it was (ids, values, timestamps); refuses (55000) when any of them changed after the merge or when it was undone already';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.dedup_setting', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dedup_parameter', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.duplicate_candidate', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.lead_merge', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.lead_merge', 'id')::regclass, '');

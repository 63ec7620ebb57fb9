-- lead_crm 0.1.0 as released (leads, Vietnamese text and keys, activities, assignment).
-- Frozen: never edit a released script; changes go into the next version's upgrade.
-- lead_crm install script, built by concatenating sql/NN_*.sql (see Makefile).
\echo Use "CREATE EXTENSION lead_crm CASCADE" to load this file. \quit

-- The schema comes from the control file (schema = lead_crm). PostgreSQL creates
-- it if needed but cannot make it a member of the extension it contains, so
-- DROP EXTENSION leaves it behind, empty; DROP SCHEMA lead_crm removes it.
COMMENT ON SCHEMA @extschema@ IS 'lead_crm: Vietnamese-aware lead management';
-- Tenants, per-tenant settings and the machinery every other concern shares:
-- current_tenant(), tenant provisioning from the template tenant 0, and the
-- trigger that tells every backend's C caches that configuration changed.

CREATE FUNCTION @extschema@.current_tenant() RETURNS integer
AS 'MODULE_PATHNAME', 'lc_current_tenant_sql'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.current_tenant() IS
'tenant of this session, from the setting lead_crm.tenant (default 1)';

CREATE FUNCTION @extschema@.restoring() RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_restoring_sql'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.restoring() IS
'true while a pg_dump script loads data (check_function_bodies is off): triggers skip re-validation and side effects';

-- Tenant 0 is the template: built-in catalogues, fields and workflows are stored
-- under it and copied into each tenant when the tenant is created.
CREATE TABLE @extschema@.tenant (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant() PRIMARY KEY
		CHECK (tenant_id >= 0),
	name text NOT NULL,
	language text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
	time_zone text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
	currency text NOT NULL DEFAULT 'VND',
	-- values of catalogue columns (source, industry, tags ...) must be known codes or labels
	strict_catalogues boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.tenant IS
'one row per tenant (company) with its settings; tenant 0 is the template copied into new tenants';
COMMENT ON COLUMN @extschema@.tenant.language IS
'language of labels in errors and views: vi or en';
COMMENT ON COLUMN @extschema@.tenant.strict_catalogues IS
'when true, a lead whose source, medium, industry, tags, campaign, lost reason or marital status is not in the catalogue is refused';

INSERT INTO @extschema@.tenant (tenant_id, name) VALUES (0, 'template');

-- Sends a relcache invalidation for the changed configuration table, so every
-- backend drops its cached copy of tenant configuration at its next use.
CREATE FUNCTION @extschema@.config_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_config_changed'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.config_changed() IS
'statement trigger on configuration tables: invalidates the per-backend configuration caches';

CREATE TRIGGER tenant_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.tenant
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

-- Copies every template row (tenant_id = 0) of every lead_crm table into the new
-- tenant, parents before children, so later concerns only add template rows.
CREATE FUNCTION @extschema@.create_tenant(tenant integer, name text DEFAULT NULL,
										  language text DEFAULT 'vi')
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl regclass;
	cols text;
BEGIN
	IF tenant IS NULL OR tenant <= 0 THEN
		RAISE EXCEPTION 'invalid tenant id %', coalesce(tenant::text, 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'Tenant ids are positive integers; 0 is the built-in template.',
				  HINT = 'Use a positive id, e.g. SELECT lead_crm.create_tenant(2, ''Công ty ABC'').';
	END IF;
	INSERT INTO @extschema@.tenant AS t (tenant_id, name, language)
	VALUES (tenant, coalesce(name, 'tenant ' || tenant), coalesce(language, 'vi'))
	ON CONFLICT (tenant_id) DO NOTHING;
	IF NOT FOUND THEN
		RETURN tenant;			-- exists already: nothing to copy
	END IF;
	FOR tbl IN
		WITH RECURSIVE tables AS (
			SELECT c.oid
			  FROM pg_class c
			  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
			 WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind IN ('r', 'p')
			   AND c.oid <> '@extschema@.tenant'::regclass
		), depth (oid, d) AS (
			SELECT oid, 0 FROM tables
			UNION ALL
			SELECT con.conrelid, depth.d + 1
			  FROM depth
			  JOIN pg_constraint con ON con.confrelid = depth.oid AND con.contype = 'f'
			 WHERE con.conrelid IN (SELECT oid FROM tables) AND con.conrelid <> depth.oid
			   AND depth.d < 20
		)
		SELECT oid::regclass FROM depth GROUP BY oid ORDER BY max(d), oid::regclass::text
	LOOP
		SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
		  FROM pg_attribute
		 WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped
		   AND attgenerated = '' AND attname <> 'tenant_id';
		EXECUTE format('INSERT INTO %s (tenant_id, %s) SELECT $1, %s FROM %s WHERE tenant_id = 0',
					   tbl, cols, cols, tbl) USING tenant;
	END LOOP;
	RETURN tenant;
END;
$$;
COMMENT ON FUNCTION @extschema@.create_tenant(integer, text, text) IS
'creates a tenant with copies of the built-in catalogues, fields and workflows; a no-op when it exists';
-- Sales teams and salespeople (Odoo: Đội ngũ kinh doanh, Nhân viên kinh doanh).

CREATE TABLE @extschema@.sales_team (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	name text NOT NULL CHECK (btrim(name) <> ''),
	region text,
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, name)
);
COMMENT ON TABLE @extschema@.sales_team IS 'sales teams (đội ngũ kinh doanh), e.g. Miền Bắc, Miền Nam';

CREATE TABLE @extschema@.salesperson (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	full_name text NOT NULL CHECK (btrim(full_name) <> ''),
	email text,
	phone text,
	team_id bigint,
	-- leads this person can take per capacity period (see assignment); NULL = no limit
	capacity integer CHECK (capacity >= 0),
	active boolean NOT NULL DEFAULT true,
	is_manager boolean NOT NULL DEFAULT false,
	-- the database role this person logs in as (row-level security, history)
	login_role name,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, login_role),
	FOREIGN KEY (tenant_id, team_id) REFERENCES @extschema@.sales_team (tenant_id, id)
);
COMMENT ON TABLE @extschema@.salesperson IS 'salespeople (nhân viên kinh doanh) with team, capacity and login role';
COMMENT ON COLUMN @extschema@.salesperson.login_role IS 'database role this salesperson logs in as';
COMMENT ON COLUMN @extschema@.salesperson.capacity IS 'maximum leads assigned per capacity period; NULL means no limit';

CREATE INDEX ON @extschema@.salesperson (tenant_id, team_id);
-- Vietnamese text: folding and normalization (src/core/vn_text.c).

CREATE FUNCTION @extschema@.vn_fold(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_vn_fold'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.vn_fold(text) IS
'fold for matching: lower case, no diacritics, đ to d, NFC and NFD alike, white space collapsed';

CREATE FUNCTION @extschema@.vn_normalize(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_vn_normalize_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.vn_normalize(text) IS
'canonical display form: NFC, tone marks in the modern position (hoà, khoẻ, thuỷ), white space collapsed; keeps case and diacritics';

CREATE FUNCTION @extschema@.telex_to_vn(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_telex_to_vn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.telex_to_vn(text) IS
'decode words typed in Telex without an input method (Nguyeenx -> Nguyễn); other words, e-mails and numbers unchanged; result as vn_normalize';

CREATE FUNCTION @extschema@.vni_to_vn(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_vni_to_vn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.vni_to_vn(text) IS
'decode words typed in VNI without an input method (Nguye6n4 -> Nguyễn); other words, e-mails and numbers unchanged; result as vn_normalize';
-- Phone numbers: the lead_crm.phone type and its functions (src/phone.c,
-- src/core/vn_phone.c). A phone is stored as the int8 of its E.164 digits, so
-- comparison and hashing are int8's own functions.

CREATE TYPE @extschema@.phone;

CREATE FUNCTION @extschema@.phone_in(cstring) RETURNS @extschema@.phone
AS 'MODULE_PATHNAME', 'lc_phone_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_in(cstring) IS
'input of lead_crm.phone: any common Vietnamese or international format, old prefixes mapped';

CREATE FUNCTION @extschema@.phone_out(@extschema@.phone) RETURNS cstring
AS 'MODULE_PATHNAME', 'lc_phone_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_out(@extschema@.phone) IS
'output of lead_crm.phone: E.164, e.g. +84912345678';

CREATE FUNCTION @extschema@.phone_recv(internal) RETURNS @extschema@.phone
AS 'MODULE_PATHNAME', 'lc_phone_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_recv(internal) IS
'binary input of lead_crm.phone: int8 of the E.164 digits, checked';

CREATE FUNCTION @extschema@.phone_send(@extschema@.phone) RETURNS bytea
AS 'MODULE_PATHNAME', 'lc_phone_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_send(@extschema@.phone) IS
'binary output of lead_crm.phone: int8 of the E.164 digits';

CREATE TYPE @extschema@.phone (
	INPUT = @extschema@.phone_in,
	OUTPUT = @extschema@.phone_out,
	RECEIVE = @extschema@.phone_recv,
	SEND = @extschema@.phone_send,
	LIKE = pg_catalog.int8
);
COMMENT ON TYPE @extschema@.phone IS
'a phone number in canonical form (E.164; Vietnamese numbers with current prefixes and area codes)';

CREATE CAST (text AS @extschema@.phone) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS @extschema@.phone) IS
'parse a typed number; an invalid one is an error (use phone_or_null to get NULL instead)';

-- comparison: int8's functions on the E.164 digits (the order is numeric, so
-- stable but not meaningful; equality is what matters)
CREATE FUNCTION @extschema@.phone_eq(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_ne(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_lt(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_le(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_gt(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_ge(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_cmp(@extschema@.phone, @extschema@.phone) RETURNS integer
AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_hash(@extschema@.phone) RETURNS integer
AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.phone_hash_extended(@extschema@.phone, bigint) RETURNS bigint
AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.phone_eq(@extschema@.phone, @extschema@.phone) IS 'implementation of = for phone';
COMMENT ON FUNCTION @extschema@.phone_ne(@extschema@.phone, @extschema@.phone) IS 'implementation of <> for phone';
COMMENT ON FUNCTION @extschema@.phone_lt(@extschema@.phone, @extschema@.phone) IS 'implementation of < for phone';
COMMENT ON FUNCTION @extschema@.phone_le(@extschema@.phone, @extschema@.phone) IS 'implementation of <= for phone';
COMMENT ON FUNCTION @extschema@.phone_gt(@extschema@.phone, @extschema@.phone) IS 'implementation of > for phone';
COMMENT ON FUNCTION @extschema@.phone_ge(@extschema@.phone, @extschema@.phone) IS 'implementation of >= for phone';
COMMENT ON FUNCTION @extschema@.phone_cmp(@extschema@.phone, @extschema@.phone) IS 'btree comparison of phones';
COMMENT ON FUNCTION @extschema@.phone_hash(@extschema@.phone) IS 'hash of a phone';
COMMENT ON FUNCTION @extschema@.phone_hash_extended(@extschema@.phone, bigint) IS 'seeded hash of a phone';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.phone, RIGHTARG = @extschema@.phone, FUNCTION = @extschema@.phone_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.phone, RIGHTARG = @extschema@.phone, FUNCTION = @extschema@.phone_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.phone, RIGHTARG = @extschema@.phone, FUNCTION = @extschema@.phone_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.phone, RIGHTARG = @extschema@.phone, FUNCTION = @extschema@.phone_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.phone, RIGHTARG = @extschema@.phone, FUNCTION = @extschema@.phone_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.phone, RIGHTARG = @extschema@.phone, FUNCTION = @extschema@.phone_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.phone, @extschema@.phone) IS 'same number';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.phone, @extschema@.phone) IS 'different numbers';
COMMENT ON OPERATOR @extschema@.< (@extschema@.phone, @extschema@.phone) IS 'less than (numeric order of the E.164 digits)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.phone, @extschema@.phone) IS 'less than or equal (numeric order of the E.164 digits)';
COMMENT ON OPERATOR @extschema@.> (@extschema@.phone, @extschema@.phone) IS 'greater than (numeric order of the E.164 digits)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.phone, @extschema@.phone) IS 'greater than or equal (numeric order of the E.164 digits)';

CREATE OPERATOR CLASS @extschema@.phone_ops DEFAULT FOR TYPE @extschema@.phone USING btree AS
	OPERATOR 1 @extschema@.<,
	OPERATOR 2 @extschema@.<=,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.>=,
	OPERATOR 5 @extschema@.>,
	FUNCTION 1 @extschema@.phone_cmp(@extschema@.phone, @extschema@.phone),
	FUNCTION 2 pg_catalog.btint8sortsupport(internal),
	FUNCTION 4 pg_catalog.btequalimage(oid);
COMMENT ON OPERATOR CLASS @extschema@.phone_ops USING btree IS
'btree operator class of phone: unique keys, sorting, merge joins';

CREATE OPERATOR CLASS @extschema@.phone_hash_ops DEFAULT FOR TYPE @extschema@.phone USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.phone_hash(@extschema@.phone),
	FUNCTION 2 @extschema@.phone_hash_extended(@extschema@.phone, bigint);
COMMENT ON OPERATOR CLASS @extschema@.phone_hash_ops USING hash IS
'hash operator class of phone: hash indexes, hash joins and aggregation';

-- functions

CREATE FUNCTION @extschema@.normalize_phone(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_phone'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_phone(text) IS
'E.164 (+84912345678) of a number in any common format, old prefixes and area codes mapped; NULL when not a valid number, never an error';

CREATE FUNCTION @extschema@.phone_or_null(text) RETURNS @extschema@.phone
AS 'MODULE_PATHNAME', 'lc_phone_or_null'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_or_null(text) IS
'the phone of a typed number, NULL when it is not valid (for generated columns and imports)';

CREATE FUNCTION @extschema@.phone_kind(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_kind_fn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_kind(@extschema@.phone) IS
'mobile, landline, toll_free (1800), premium (1900), satellite (VSAT 672) or foreign';

CREATE FUNCTION @extschema@.phone_carrier(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_carrier_fn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_carrier(@extschema@.phone) IS
'network the mobile prefix was assigned to (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile, Itelecom, VSAT); with number portability the subscriber may have moved since; NULL for other numbers';

CREATE FUNCTION @extschema@.phone_province(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_province'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_province(@extschema@.phone) IS
'province (one of the 34 units of 2025) of a landline''s area code; NULL for other numbers';

CREATE FUNCTION @extschema@.phone_format(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_format'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_format(@extschema@.phone) IS
'the number as written in Vietnam: 0912 345 678, 024 3825 1234, 1800 1234; foreign numbers in E.164';

CREATE FUNCTION @extschema@.phone_area_codes(
	OUT area_code text, OUT area_code_before_2017 text,
	OUT province_before_2025 text, OUT province text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_phone_area_codes'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 63;
COMMENT ON FUNCTION @extschema@.phone_area_codes() IS
'every landline area code (since 2017) with the code it replaced and its province before and after the 2025 merger';
-- Matching keys of e-mails, companies, provinces and names (src/keys.c and
-- src/core/vn_email.c, vn_company.c, vn_province.c, vn_name.c).

CREATE FUNCTION @extschema@.normalize_email(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_email'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_email(text) IS
'matching key of an e-mail address: junk trimmed, lower case, gmail/googlemail dots and +tags dropped, +tags of other plus providers dropped; NULL when not an address';

CREATE FUNCTION @extschema@.is_valid_email(text) RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_is_valid_email'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_valid_email(text) IS
'true when the text holds one plausible e-mail address (normalize_email is not NULL)';

CREATE FUNCTION @extschema@.normalize_company(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_company'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_company(text) IS
'matching key of a company name: folded, legal forms (Công ty TNHH, CTCP, JSC, Co., Ltd ...) removed from both ends, business-line abbreviations (TM, DV, XD ...) expanded; NULL when empty';

CREATE FUNCTION @extschema@.normalize_province(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_province'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_province(text) IS
'canonical name of one of the 34 provincial units of 2025; old (pre-2025) names, abbreviations and spellings mapped; NULL when unknown';

CREATE FUNCTION @extschema@.province_aliases(OUT alias text, OUT province text, OUT kind text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_province_aliases'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 85;
COMMENT ON FUNCTION @extschema@.province_aliases() IS
'every name normalize_province knows and the 2025 unit it maps to; kind: current, pre_2025, spelling, abbreviation, town';

CREATE TYPE @extschema@.name_parts AS (family text, middle text, given text);
COMMENT ON TYPE @extschema@.name_parts IS
'a personal name split into family name (họ), middle name (tên đệm) and given name (tên)';

CREATE FUNCTION @extschema@.parse_name(text) RETURNS @extschema@.name_parts
AS 'MODULE_PATHNAME', 'lc_parse_name_fn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.parse_name(text) IS
'split a full name into (family, middle, given): Vietnamese order, Western order (An Nguyen, Nguyen, An) detected by family names; title case, diacritics kept';
-- Catalogues that tenants extend: lead sources, media, industries, tags, lost
-- reasons, marital statuses (one table, one lookup path in C), and campaigns.
-- Built-in rows belong to the template tenant 0 and are copied into every tenant.

CREATE TABLE @extschema@.catalog_item (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	catalog text NOT NULL
		CHECK (catalog IN ('source', 'medium', 'industry', 'tag', 'lost_reason', 'marital_status')),
	code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
	label_vi text NOT NULL,
	label_en text NOT NULL,
	-- a grouping inside the catalogue, e.g. Rodi's media types vs the distributor's channels
	category text,
	position integer NOT NULL DEFAULT 0,
	active boolean NOT NULL DEFAULT true,
	PRIMARY KEY (tenant_id, catalog, code)
);
COMMENT ON TABLE @extschema@.catalog_item IS
'choice lists of lead columns (source, medium, industry, tag, lost_reason, marital_status) with Vietnamese and English labels';
COMMENT ON COLUMN @extschema@.catalog_item.code IS
'value stored in the lead column; a lead may also be written with the label, which is mapped to the code';

CREATE TABLE @extschema@.campaign (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
	name text NOT NULL,
	source text,
	medium text,
	start_date date,
	end_date date CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
	budget numeric CHECK (budget >= 0),
	active boolean NOT NULL DEFAULT true,
	PRIMARY KEY (tenant_id, code)
);
COMMENT ON TABLE @extschema@.campaign IS
'marketing campaigns (chiến dịch), e.g. Quảng cáo Facebook tháng 1; lead.campaign holds the code or the name';

CREATE TRIGGER catalog_item_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.catalog_item
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE TRIGGER campaign_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.campaign
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

INSERT INTO @extschema@.catalog_item (tenant_id, catalog, code, label_vi, label_en, category, position) VALUES
	-- Rodi CRM sources
	(0, 'source', 'campaign',      'Chiến dịch',            'Campaign',             'rodi', 10),
	(0, 'source', 'paid_media',    'Paid Media',            'Paid media',           'rodi', 20),
	(0, 'source', 'earned_media',  'Earned Media',          'Earned media',         'rodi', 30),
	(0, 'source', 'owned_media',   'Owned Media',           'Owned media',          'rodi', 40),
	(0, 'source', 'shared_media',  'Shared Media',          'Shared media',         'rodi', 50),
	(0, 'source', 'affiliate',     'Affiliate Marketing',   'Affiliate marketing',  'rodi', 60),
	(0, 'source', 'internal',      'Kênh nội bộ',           'Internal channel',     'rodi', 70),
	-- the distributor's channels (seed 004)
	(0, 'source', 'facebook',      'Facebook',              'Facebook',             'channel', 110),
	(0, 'source', 'website',       'Website',               'Website',              'channel', 120),
	(0, 'source', 'trade_fair',    'Hội chợ',               'Trade fair',           'channel', 130),
	(0, 'source', 'telesales',     'Telesales',             'Telesales',            'channel', 140),
	(0, 'source', 'referral',      'Giới thiệu',            'Referral',             'channel', 150),
	(0, 'source', 'zalo',          'Zalo',                  'Zalo',                 'channel', 160),
	(0, 'source', 'phone_call',    'Cuộc gọi đến',          'Inbound call',         'channel', 170),
	(0, 'source', 'email',         'Email',                 'Email',                'channel', 180),
	(0, 'source', 'existing_list', 'Danh sách có sẵn',      'Existing list',        'channel', 190),
	(0, 'source', 'other',         'Khác',                  'Other',                NULL, 999),
	-- Odoo's media (phương tiện)
	(0, 'medium', 'email',         'Email',                 'Email',                NULL, 10),
	(0, 'medium', 'facebook',      'Facebook',              'Facebook',             NULL, 20),
	(0, 'medium', 'zalo',          'Zalo',                  'Zalo',                 NULL, 30),
	(0, 'medium', 'banner',        'Banner quảng cáo',      'Banner ad',            NULL, 40),
	(0, 'medium', 'google_ads',    'Google Ads',            'Google Ads',           NULL, 50),
	(0, 'medium', 'sms',           'SMS',                   'SMS',                  NULL, 60),
	(0, 'medium', 'phone',         'Điện thoại',            'Phone',                NULL, 70),
	(0, 'medium', 'direct',        'Trực tiếp',             'In person',            NULL, 80),
	(0, 'medium', 'organic',       'Tự nhiên (SEO)',        'Organic search',       NULL, 90),
	-- industries (Rodi's examples first)
	(0, 'industry', 'textile',        'Dệt may',                  'Textiles and garments',     NULL, 10),
	(0, 'industry', 'biotech',        'Công nghệ sinh học',       'Biotechnology',             NULL, 20),
	(0, 'industry', 'banking',        'Ngân hàng',                'Banking',                   NULL, 30),
	(0, 'industry', 'finance',        'Tài chính - Bảo hiểm',     'Finance and insurance',     NULL, 40),
	(0, 'industry', 'agriculture',    'Nông nghiệp',              'Agriculture',               NULL, 50),
	(0, 'industry', 'food',           'Thực phẩm - Đồ uống',      'Food and beverage',         NULL, 60),
	(0, 'industry', 'retail',         'Bán lẻ',                   'Retail',                    NULL, 70),
	(0, 'industry', 'wholesale',      'Phân phối - Bán buôn',     'Distribution and wholesale',NULL, 80),
	(0, 'industry', 'import_export',  'Xuất nhập khẩu',           'Import and export',         NULL, 90),
	(0, 'industry', 'manufacturing',  'Sản xuất',                 'Manufacturing',             NULL, 100),
	(0, 'industry', 'construction',   'Xây dựng',                 'Construction',              NULL, 110),
	(0, 'industry', 'real_estate',    'Bất động sản',             'Real estate',               NULL, 120),
	(0, 'industry', 'logistics',      'Vận tải - Logistics',      'Transport and logistics',   NULL, 130),
	(0, 'industry', 'it',             'Công nghệ thông tin',      'Information technology',    NULL, 140),
	(0, 'industry', 'education',      'Giáo dục - Đào tạo',       'Education',                 NULL, 150),
	(0, 'industry', 'healthcare',     'Y tế - Dược phẩm',         'Healthcare and pharma',     NULL, 160),
	(0, 'industry', 'tourism',        'Du lịch - Khách sạn',      'Tourism and hospitality',   NULL, 170),
	(0, 'industry', 'other',          'Khác',                     'Other',                     NULL, 999),
	-- tags: Odoo's product/service, the distributor's product tags
	(0, 'tag', 'product',    'Sản phẩm',      'Product',     NULL, 10),
	(0, 'tag', 'service',    'Dịch vụ',       'Service',     NULL, 20),
	(0, 'tag', 'beans',      'Các loại đậu',  'Beans',       'product', 30),
	(0, 'tag', 'mung_bean',  'Đậu xanh',      'Mung bean',   'product', 40),
	(0, 'tag', 'red_bean',   'Đậu đỏ',        'Red bean',    'product', 50),
	(0, 'tag', 'pepper',     'Tiêu',          'Pepper',      'product', 60),
	(0, 'tag', 'coffee',     'Cà phê',        'Coffee',      'product', 70),
	-- lost reasons (Odoo's and the distributor's "không tiềm năng" reasons)
	(0, 'lost_reason', 'too_expensive',  'Giá quá cao',                     'Too expensive',              NULL, 10),
	(0, 'lost_reason', 'price_mismatch', 'Giá không khớp',                  'Price does not match',       NULL, 20),
	(0, 'lost_reason', 'no_need',        'Không có nhu cầu thực sự',        'No real need',               NULL, 30),
	(0, 'lost_reason', 'wrong_product',  'Khác xa ngành hàng, mã hàng',     'Outside our product range',  NULL, 40),
	(0, 'lost_reason', 'too_small',      'Quy mô quá nhỏ',                  'Too small',                  NULL, 50),
	(0, 'lost_reason', 'infeasible',     'Yêu cầu không khả thi',           'Requirements not feasible',  NULL, 60),
	(0, 'lost_reason', 'competitor',     'Chọn đối thủ cạnh tranh',         'Chose a competitor',         NULL, 70),
	(0, 'lost_reason', 'unreachable',    'Không liên lạc được',             'Could not be reached',       NULL, 80),
	(0, 'lost_reason', 'no_stock',       'Không đủ hàng',                   'Not enough stock',           NULL, 90),
	(0, 'lost_reason', 'other',          'Lý do khác',                      'Other',                      NULL, 999),
	-- marital status (Rodi's Tình trạng hôn nhân)
	(0, 'marital_status', 'single',   'Độc thân',     'Single',   NULL, 10),
	(0, 'marital_status', 'married',  'Đã kết hôn',   'Married',  NULL, 20),
	(0, 'marital_status', 'divorced', 'Đã ly hôn',    'Divorced', NULL, 30),
	(0, 'marital_status', 'widowed',  'Góa',          'Widowed',  NULL, 40),
	(0, 'marital_status', 'other',    'Khác',         'Other',    NULL, 999);
-- Leads (khách hàng tiềm năng) with every field of the seeds, the per-tenant
-- field settings (labels, required fields), custom-field definitions and the
-- field-level history.

CREATE FUNCTION @extschema@.tenant_provision() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_tenant_provision'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.tenant_provision() IS
'BEFORE INSERT row trigger: creates a missing tenant from the template, so a new lead_crm.tenant can be used at once';

CREATE TRIGGER sales_team_tenant_provision BEFORE INSERT ON @extschema@.sales_team
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER salesperson_tenant_provision BEFORE INSERT ON @extschema@.salesperson
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER catalog_item_tenant_provision BEFORE INSERT ON @extschema@.catalog_item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER campaign_tenant_provision BEFORE INSERT ON @extschema@.campaign
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();

CREATE TABLE @extschema@.lead (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	-- Rodi: Loại khách hàng (Cá nhân / Doanh nghiệp)
	kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'business')),
	full_name text NOT NULL,
	company_name text,
	job_title text,
	birthday date,
	phone text,
	email text,
	facebook text,
	zalo text,
	website text,
	tax_code text,
	marital_status text,
	-- address: since 1 July 2025 two levels (province, commune/ward); district kept for old addresses
	street text,
	ward text,
	district text,
	province text,
	country text NOT NULL DEFAULT 'VN',
	-- marketing origin (Odoo: chiến dịch, phương tiện, nguồn, giới thiệu bởi)
	source text,
	campaign text,
	medium text,
	referral_code text,
	referred_by text,
	industry text,
	tags text[] NOT NULL DEFAULT '{}',
	need text,
	description text,
	expected_revenue numeric CHECK (expected_revenue >= 0),
	probability numeric CHECK (probability BETWEEN 0 AND 100),
	priority smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 3),
	salesperson_id bigint,
	team_id bigint,
	custom jsonb NOT NULL DEFAULT '{}',
	lifecycle text NOT NULL DEFAULT 'lead',
	status text NOT NULL DEFAULT 'new',
	lost_reason text,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, salesperson_id) REFERENCES @extschema@.salesperson (tenant_id, id),
	FOREIGN KEY (tenant_id, team_id) REFERENCES @extschema@.sales_team (tenant_id, id)
);
COMMENT ON TABLE @extschema@.lead IS
'leads (khách hàng tiềm năng): what the user typed, plus maintained normalized columns';
COMMENT ON COLUMN @extschema@.lead.kind IS 'person (cá nhân) or business (doanh nghiệp)';
COMMENT ON COLUMN @extschema@.lead.district IS 'quận/huyện; optional: districts were abolished on 1 July 2025';
COMMENT ON COLUMN @extschema@.lead.tags IS 'tag codes from lead_crm.catalog_item (catalog tag); labels are mapped to codes';
COMMENT ON COLUMN @extschema@.lead.need IS 'the customer''s real need (Odoo: Tiềm năng)';
COMMENT ON COLUMN @extschema@.lead.probability IS 'chance to win in percent (0-100)';
COMMENT ON COLUMN @extschema@.lead.priority IS 'priority stars 0-3 (mức độ ưu tiên)';
COMMENT ON COLUMN @extschema@.lead.custom IS 'custom fields, validated against lead_crm.custom_field';
COMMENT ON COLUMN @extschema@.lead.lifecycle IS 'customer journey stage (mối quan hệ), governed by a workflow';
COMMENT ON COLUMN @extschema@.lead.status IS 'status (trạng thái), governed by the tenant''s status workflow';

CREATE INDEX lead_salesperson_idx ON @extschema@.lead (tenant_id, salesperson_id);
CREATE INDEX lead_status_idx ON @extschema@.lead (tenant_id, status);
CREATE INDEX lead_created_idx ON @extschema@.lead (tenant_id, created_at);

-- Per-tenant settings of each lead column: labels (errors, imports, views),
-- whether it is required, and header names an imported file may use for it.
CREATE TABLE @extschema@.lead_field (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	field name NOT NULL,
	label_vi text NOT NULL,
	label_en text NOT NULL,
	required boolean NOT NULL DEFAULT false,
	-- folded header names that mean this column in an imported file or a web form
	aliases text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (tenant_id, field)
);
COMMENT ON TABLE @extschema@.lead_field IS
'per-tenant settings of lead columns: labels, required or not, header aliases for imports';
COMMENT ON COLUMN @extschema@.lead_field.required IS
'a lead without this field is refused (SQLSTATE 23502)';

CREATE FUNCTION @extschema@.lead_field_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_attribute
				    WHERE attrelid = '@extschema@.lead'::regclass AND attname = NEW.field
					  AND attnum > 0 AND NOT attisdropped AND attgenerated = '') THEN
		RAISE EXCEPTION 'lead has no column "%"', NEW.field
			USING ERRCODE = '42703',
				  DETAIL = 'lead_crm.lead_field describes columns of lead_crm.lead.',
				  HINT = 'Use a column of lead_crm.lead; for extra data define a custom field in lead_crm.custom_field.';
	END IF;
	IF NEW.required AND NEW.field IN ('id', 'tenant_id', 'created_at', 'updated_at') THEN
		RAISE EXCEPTION 'column "%" cannot be required', NEW.field
			USING ERRCODE = '22023',
				  DETAIL = 'It is filled in by the database.',
				  HINT = 'Require a column the user types, such as phone or email.';
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.lead_field_check() IS 'keeps lead_crm.lead_field naming real lead columns';

CREATE TRIGGER lead_field_check BEFORE INSERT OR UPDATE ON @extschema@.lead_field
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_field_check();
CREATE TRIGGER lead_field_tenant_provision BEFORE INSERT ON @extschema@.lead_field
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER lead_field_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.lead_field
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

-- Rodi's default form: kind and full name required. Rodi also requires phone and
-- email; API.md keeps them optional so that any lead can be loaded, and a tenant
-- turns them on with: UPDATE lead_crm.lead_field SET required = true WHERE field IN ('phone', 'email');
INSERT INTO @extschema@.lead_field (tenant_id, field, label_vi, label_en, required, aliases) VALUES
	(0, 'kind',             'Loại khách hàng',       'Lead type',          true,  '{loai khach hang,loai,kind,type,lead type}'),
	(0, 'full_name',        'Họ và tên',             'Full name',          true,  '{ho va ten,ho ten,ten,ten khach hang,khach hang,ho va ten khach hang,name,full name,contact name,contact}'),
	(0, 'company_name',     'Công ty',               'Company',            false, '{cong ty,ten cong ty,doanh nghiep,to chuc,company,company name,organization}'),
	(0, 'job_title',        'Chức vụ',               'Job title',          false, '{chuc vu,chuc danh,job title,title,position}'),
	(0, 'birthday',         'Sinh nhật',             'Birthday',           false, '{sinh nhat,ngay sinh,birthday,date of birth,dob}'),
	(0, 'phone',            'Số điện thoại',         'Phone',              false, '{so dien thoai,dien thoai,sdt,so dt,dt,di dong,phone,phone number,mobile,tel}'),
	(0, 'email',            'Email',                 'Email',              false, '{email,e-mail,thu dien tu,dia chi email,email address}'),
	(0, 'facebook',         'Facebook',              'Facebook',           false, '{facebook,link facebook,fb}'),
	(0, 'zalo',             'Zalo',                  'Zalo',               false, '{zalo,nick zalo}'),
	(0, 'website',          'Website',               'Website',            false, '{website,web,trang web}'),
	(0, 'tax_code',         'Mã số thuế',            'Tax code',           false, '{ma so thue,mst,tax code,tax id}'),
	(0, 'marital_status',   'Tình trạng hôn nhân',   'Marital status',     false, '{tinh trang hon nhan,hon nhan,marital status}'),
	(0, 'street',           'Đường/phố',             'Street',             false, '{duong/pho,duong,so nha,dia chi,street,address}'),
	(0, 'ward',             'Xã/Phường',             'Ward or commune',    false, '{xa/phuong,phuong/xa,phuong,xa,ward,commune}'),
	(0, 'district',         'Quận/huyện',            'District',           false, '{quan/huyen,quan,huyen,district}'),
	(0, 'province',         'Tỉnh/thành phố',        'Province or city',   false, '{tinh/thanh pho,tinh/thanh,tinh,thanh pho,khu vuc,province,city,region}'),
	(0, 'country',          'Quốc gia',              'Country',            false, '{quoc gia,country}'),
	(0, 'source',           'Nguồn',                 'Source',             false, '{nguon,nguon khach hang,kenh,source,lead source,channel}'),
	(0, 'campaign',         'Chiến dịch',            'Campaign',           false, '{chien dich,campaign}'),
	(0, 'medium',           'Phương tiện',           'Medium',             false, '{phuong tien,medium}'),
	(0, 'referral_code',    'Mã giới thiệu',         'Referral code',      false, '{ma gioi thieu,referral code}'),
	(0, 'referred_by',      'Giới thiệu bởi',        'Referred by',        false, '{gioi thieu boi,nguoi gioi thieu,referred by}'),
	(0, 'industry',         'Ngành nghề',            'Industry',           false, '{nganh nghe,nganh,linh vuc,industry}'),
	(0, 'tags',             'Thẻ',                   'Tags',               false, '{the,tag,tags,nhan}'),
	(0, 'need',             'Nhu cầu',               'Need',               false, '{nhu cau,tiem nang,need}'),
	(0, 'description',      'Mô tả',                 'Description',        false, '{mo ta,ghi chu,description,notes,note}'),
	(0, 'expected_revenue', 'Doanh thu mong đợi',    'Expected revenue',   false, '{doanh thu mong doi,doanh thu du kien,gia tri,expected revenue,revenue,deal size}'),
	(0, 'probability',      'Xác suất',              'Probability',        false, '{xac suat,probability}'),
	(0, 'priority',         'Mức độ ưu tiên',        'Priority',           false, '{muc do uu tien,uu tien,priority}'),
	(0, 'salesperson_id',   'Nhân viên kinh doanh',  'Salesperson',        false, '{nhan vien kinh doanh,nguoi phu trach,salesperson}'),
	(0, 'team_id',          'Đội ngũ kinh doanh',    'Sales team',         false, '{doi ngu kinh doanh,nhom,sales team,team}'),
	(0, 'custom',           'Thông tin tùy chỉnh',   'Custom fields',      false, '{}'),
	(0, 'lifecycle',        'Mối quan hệ',           'Lifecycle stage',    false, '{moi quan he,giai doan,lifecycle,lifecycle stage}'),
	(0, 'status',           'Trạng thái',            'Status',             false, '{trang thai,status}'),
	(0, 'lost_reason',      'Lý do thất bại',        'Lost reason',        false, '{ly do that bai,ly do,lost reason}');

-- Custom fields (Rodi's "Thông tin tùy chỉnh"), validated when lead.custom is written.
CREATE TABLE @extschema@.custom_field (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*$'),
	label_vi text,
	label_en text,
	type text NOT NULL DEFAULT 'text'
		CHECK (type IN ('text', 'integer', 'number', 'boolean', 'date', 'choice',
						'multichoice', 'email', 'url')),
	required boolean NOT NULL DEFAULT false,
	allowed_values text[],
	position integer NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant_id, name),
	CHECK ((type IN ('choice', 'multichoice')) = (allowed_values IS NOT NULL
											   AND pg_catalog.cardinality(allowed_values) > 0))
);
COMMENT ON TABLE @extschema@.custom_field IS
'custom-field definitions per tenant: name, type, required, allowed values (choice, multichoice)';

CREATE TRIGGER custom_field_tenant_provision BEFORE INSERT ON @extschema@.custom_field
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER custom_field_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.custom_field
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

-- Rodi's example of a custom field
INSERT INTO @extschema@.custom_field (tenant_id, name, label_vi, label_en, type) VALUES
	(0, 'hubspot_sync', 'Đồng bộ hóa với HubSpot', 'Sync with HubSpot', 'boolean');

-- One row per changed field of a lead (Rodi's Lịch sử sửa đổi: who, when, what).
-- No foreign key to lead: the audit trail outlives a deleted lead.
CREATE TABLE @extschema@.lead_history (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant(),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	lead_id bigint NOT NULL,
	field name NOT NULL,
	old_value text,
	new_value text,
	changed_by name NOT NULL DEFAULT CURRENT_USER,
	actor text,
	reason text,
	changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE @extschema@.lead_history IS
'one row per changed field or state of a lead: who (database role and lead_crm.actor), when, old, new, reason';
COMMENT ON COLUMN @extschema@.lead_history.changed_by IS 'database role that made the change';
COMMENT ON COLUMN @extschema@.lead_history.actor IS 'application user from the setting lead_crm.actor, if set';
COMMENT ON COLUMN @extschema@.lead_history.reason IS 'reason given for the change (state transitions, overrides, merges)';
CREATE INDEX lead_history_lead_idx ON @extschema@.lead_history (tenant_id, lead_id, id);

CREATE FUNCTION @extschema@.lead_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_before_write'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_before_write() IS
'BEFORE INSERT OR UPDATE row trigger on lead: tenant, catalogue codes, required and custom fields, updated_at';

CREATE FUNCTION @extschema@.lead_record_history() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_record_history'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_record_history() IS
'AFTER UPDATE row trigger on lead: buffers one lead_history row per changed column';

CREATE FUNCTION @extschema@.lead_flush_history() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_flush_history'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_flush_history() IS
'AFTER UPDATE statement trigger on lead: writes the buffered history rows with one insert';

-- Triggers fire in name order: 10 validates, later concerns add 20.., history is last.
CREATE TRIGGER lead_10_before_write BEFORE INSERT OR UPDATE ON @extschema@.lead
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_before_write();
CREATE TRIGGER lead_90_history AFTER UPDATE ON @extschema@.lead
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_record_history();
CREATE TRIGGER lead_91_history_flush AFTER UPDATE ON @extschema@.lead
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.lead_flush_history();

-- pg_dump keeps user data; template rows (tenant 0) come with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tenant', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sales_team', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.salesperson', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.catalog_item', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.campaign', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.lead', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.lead_field', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.custom_field', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.lead_history', '');
-- identity sequences too, one call per statement (each call updates pg_extension)
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.sales_team', 'id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.salesperson', 'id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.lead', 'id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.lead_history', 'id')::regclass, '');
-- Normalized columns of a lead, maintained by PostgreSQL beside what the user
-- typed (nothing is lost). A malformed phone or e-mail is kept and flagged, the
-- lead is never refused for it (Rodi's red icon).

ALTER TABLE @extschema@.lead
	ADD COLUMN phone_e164 @extschema@.phone
		GENERATED ALWAYS AS (@extschema@.phone_or_null(phone)) STORED,
	ADD COLUMN email_key text
		GENERATED ALWAYS AS (@extschema@.normalize_email(email)) STORED,
	ADD COLUMN name_fold text
		GENERATED ALWAYS AS (@extschema@.vn_fold(full_name)) STORED,
	ADD COLUMN company_key text
		GENERATED ALWAYS AS (@extschema@.normalize_company(company_name)) STORED,
	ADD COLUMN province_canon text
		GENERATED ALWAYS AS (@extschema@.normalize_province(province)) STORED,
	ADD COLUMN phone_invalid boolean
		GENERATED ALWAYS AS (COALESCE(pg_catalog.btrim(phone, E' \t\r\n') <> ''
									  AND @extschema@.phone_or_null(phone) IS NULL, false)) STORED,
	ADD COLUMN email_invalid boolean
		GENERATED ALWAYS AS (COALESCE(pg_catalog.btrim(email, E' \t\r\n') <> ''
									  AND @extschema@.normalize_email(email) IS NULL, false)) STORED;

COMMENT ON COLUMN @extschema@.lead.phone_e164 IS 'phone in canonical form (lead_crm.phone), NULL when missing or invalid';
COMMENT ON COLUMN @extschema@.lead.email_key IS 'normalize_email(email): the key duplicates share';
COMMENT ON COLUMN @extschema@.lead.name_fold IS 'vn_fold(full_name): lower case, no diacritics';
COMMENT ON COLUMN @extschema@.lead.company_key IS 'normalize_company(company_name): core name without legal form';
COMMENT ON COLUMN @extschema@.lead.province_canon IS 'normalize_province(province): one of the 34 units of 2025';
COMMENT ON COLUMN @extschema@.lead.phone_invalid IS 'a phone was typed but it is not a valid number';
COMMENT ON COLUMN @extschema@.lead.email_invalid IS 'an e-mail was typed but it is not a valid address';

CREATE INDEX lead_phone_e164_idx ON @extschema@.lead (tenant_id, phone_e164);
CREATE INDEX lead_email_key_idx ON @extschema@.lead (tenant_id, email_key);
COMMENT ON INDEX @extschema@.lead_phone_e164_idx IS 'find leads by phone in any format (duplicates, caller lookup)';
COMMENT ON INDEX @extschema@.lead_email_key_idx IS 'find leads by e-mail key (duplicates)';
-- Activities (Odoo's Kiểu hoạt động: Gọi, Cần làm, Nhắc nhở, Gửi email ...; Rodi's
-- Hoạt động), notes (Rodi's Bình luận, the distributor's Ghi chú) and attachment
-- references (Tập tin đính kèm: file name, type, size, where the file is; never the
-- bytes). Every change to them is written to lead_history by triggers, so plain
-- INSERT/UPDATE/DELETE are recorded like the helper functions.
--
-- An activity's state (overdue / today / planned / done = Odoo's red / yellow /
-- green) depends on the clock and the tenant's time zone, so it is computed by
-- activity_state(), never stored.

CREATE TABLE @extschema@.activity_type (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
	label_vi text NOT NULL CHECK (btrim(label_vi) <> ''),
	label_en text NOT NULL CHECK (btrim(label_en) <> ''),
	-- Odoo's "ngày dự kiến": an activity scheduled without a due date is due this many days later
	default_days integer NOT NULL DEFAULT 0 CHECK (default_days BETWEEN 0 AND 3650),
	position integer NOT NULL DEFAULT 0,
	active boolean NOT NULL DEFAULT true,
	PRIMARY KEY (tenant_id, code)
);
COMMENT ON TABLE @extschema@.activity_type IS
'kinds of activity (kiểu hoạt động) per tenant: call, meeting, email, todo, reminder, sms, zalo and any the tenant adds';
COMMENT ON COLUMN @extschema@.activity_type.default_days IS
'an activity scheduled without a due date is due (all day) this many days after today, in the tenant''s time zone';

CREATE TRIGGER activity_type_tenant_provision BEFORE INSERT ON @extschema@.activity_type
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER activity_type_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.activity_type
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

INSERT INTO @extschema@.activity_type (tenant_id, code, label_vi, label_en, default_days, position) VALUES
	(0, 'call',     'Gọi',        'Call',          1, 10),
	(0, 'meeting',  'Cuộc họp',   'Meeting',       3, 20),
	(0, 'email',    'Gửi email',  'Email',         0, 30),
	(0, 'todo',     'Cần làm',    'To-do',         5, 40),
	(0, 'reminder', 'Nhắc nhở',   'Reminder',      1, 50),
	(0, 'sms',      'Gửi SMS',    'SMS',           0, 60),
	(0, 'zalo',     'Nhắn Zalo',  'Zalo message',  0, 70);

CREATE TABLE @extschema@.activity (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	lead_id bigint NOT NULL,
	type text NOT NULL DEFAULT 'todo',
	summary text,
	details text,
	-- all-day activities are stored at midnight of their day in the tenant's time zone
	due_at timestamptz NOT NULL,
	all_day boolean NOT NULL DEFAULT false,
	assignee_id bigint,
	done_at timestamptz,
	result text,
	created_by name NOT NULL DEFAULT CURRENT_USER,
	actor text DEFAULT NULLIF(pg_catalog.current_setting('lead_crm.actor', true), ''),
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, lead_id) REFERENCES @extschema@.lead (tenant_id, id),
	FOREIGN KEY (tenant_id, type) REFERENCES @extschema@.activity_type (tenant_id, code),
	FOREIGN KEY (tenant_id, assignee_id) REFERENCES @extschema@.salesperson (tenant_id, id),
	CONSTRAINT activity_result_needs_done CHECK (result IS NULL OR done_at IS NOT NULL)
);
COMMENT ON TABLE @extschema@.activity IS
'scheduled and done activities of a lead (hoạt động): type, summary, due time, assignee, done time and result';
COMMENT ON COLUMN @extschema@.activity.type IS
'activity_type code; a label such as Gọi or Call is mapped to its code';
COMMENT ON COLUMN @extschema@.activity.due_at IS
'when it is due; for all-day activities midnight of the due day in the tenant''s time zone';
COMMENT ON COLUMN @extschema@.activity.all_day IS
'due some time on a day rather than at a time: overdue only once that day has passed';
COMMENT ON COLUMN @extschema@.activity.assignee_id IS
'salesperson who does it (người phân công); defaults to the salesperson logged in as the current role, else the lead''s salesperson';
COMMENT ON COLUMN @extschema@.activity.result IS 'outcome written when it is marked done';

CREATE INDEX activity_lead_idx ON @extschema@.activity (tenant_id, lead_id, due_at);
CREATE INDEX activity_open_idx ON @extschema@.activity (tenant_id, assignee_id, due_at)
	WHERE done_at IS NULL;

-- Notes (Bình luận, Ghi chú) on a lead, optionally about one of its activities.
CREATE TABLE @extschema@.lead_note (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	lead_id bigint NOT NULL,
	activity_id bigint,
	body text NOT NULL CHECK (btrim(body) <> ''),
	author name NOT NULL DEFAULT CURRENT_USER,
	actor text DEFAULT NULLIF(pg_catalog.current_setting('lead_crm.actor', true), ''),
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, lead_id) REFERENCES @extschema@.lead (tenant_id, id),
	FOREIGN KEY (tenant_id, activity_id) REFERENCES @extschema@.activity (tenant_id, id)
);
COMMENT ON TABLE @extschema@.lead_note IS
'notes and comments on a lead (Rodi''s Bình luận, the distributor''s Ghi chú), optionally about an activity';
COMMENT ON COLUMN @extschema@.lead_note.author IS 'database role that wrote it';
COMMENT ON COLUMN @extschema@.lead_note.actor IS 'application user from the setting lead_crm.actor, if set';
CREATE INDEX lead_note_lead_idx ON @extschema@.lead_note (tenant_id, lead_id, created_at);

-- References to files kept elsewhere (object storage, a file server): no bytes here.
CREATE TABLE @extschema@.attachment (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	lead_id bigint NOT NULL,
	activity_id bigint,
	note_id bigint,
	file_name text NOT NULL CHECK (btrim(file_name) <> '' AND file_name !~ '[/\\]'),
	mime_type text CHECK (mime_type ~ '^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$'),
	size_bytes bigint CHECK (size_bytes >= 0),
	uri text NOT NULL CHECK (uri ~ '^[A-Za-z][A-Za-z0-9+.-]*:[^[:space:]]+$'),
	uploaded_by name NOT NULL DEFAULT CURRENT_USER,
	actor text DEFAULT NULLIF(pg_catalog.current_setting('lead_crm.actor', true), ''),
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, lead_id) REFERENCES @extschema@.lead (tenant_id, id),
	FOREIGN KEY (tenant_id, activity_id) REFERENCES @extschema@.activity (tenant_id, id),
	FOREIGN KEY (tenant_id, note_id) REFERENCES @extschema@.lead_note (tenant_id, id)
);
COMMENT ON TABLE @extschema@.attachment IS
'attached files (tập tin đính kèm: báo giá, hợp đồng, danh thiếp ...) of a lead, activity or note: name, MIME type, size and location URI, no file bytes';
COMMENT ON COLUMN @extschema@.attachment.file_name IS 'file name as the user sees it, without directories';
COMMENT ON COLUMN @extschema@.attachment.mime_type IS 'MIME type, lower case; guessed from the file name extension when not given';
COMMENT ON COLUMN @extschema@.attachment.uri IS 'where the file is: https://..., s3://bucket/key, file:///...';
CREATE INDEX attachment_lead_idx ON @extschema@.attachment (tenant_id, lead_id);

CREATE TRIGGER activity_tenant_provision BEFORE INSERT ON @extschema@.activity
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER lead_note_tenant_provision BEFORE INSERT ON @extschema@.lead_note
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER attachment_tenant_provision BEFORE INSERT ON @extschema@.attachment
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();

-- ---------------------------------------------------------------------------
-- State: overdue (red), today (yellow), planned (green), done.

CREATE FUNCTION @extschema@.activity_state(due_at timestamptz, all_day boolean,
										   done_at timestamptz, time_zone text,
										   as_of timestamptz)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN done_at IS NOT NULL AND done_at <= as_of THEN 'done'
		WHEN pg_catalog.timezone(time_zone, due_at)::date
			 < pg_catalog.timezone(time_zone, as_of)::date THEN 'overdue'
		WHEN NOT all_day AND due_at < as_of THEN 'overdue'
		WHEN pg_catalog.timezone(time_zone, due_at)::date
			 = pg_catalog.timezone(time_zone, as_of)::date THEN 'today'
		ELSE 'planned'
	END
$$;
COMMENT ON FUNCTION @extschema@.activity_state(timestamptz, boolean, timestamptz, text, timestamptz) IS
'state of an activity at time as_of: done (done by then), overdue (its time or, all day, its day has passed), today (due later that local day), planned';

CREATE FUNCTION @extschema@.activity_state(a @extschema@.activity,
										   as_of timestamptz DEFAULT pg_catalog.now())
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT @extschema@.activity_state(a.due_at, a.all_day, a.done_at, t.time_zone, as_of)
	  FROM @extschema@.tenant t
	 WHERE t.tenant_id = a.tenant_id
$$;
COMMENT ON FUNCTION @extschema@.activity_state(@extschema@.activity, timestamptz) IS
'state of an activity row now (or at as_of), in its tenant''s time zone: overdue, today, planned or done';

CREATE FUNCTION @extschema@.activity_state(activity_id bigint,
										   as_of timestamptz DEFAULT pg_catalog.now())
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT @extschema@.activity_state(a.due_at, a.all_day, a.done_at, t.time_zone, as_of)
	  FROM @extschema@.activity a
	  JOIN @extschema@.tenant t ON t.tenant_id = a.tenant_id
	 WHERE a.tenant_id = @extschema@.current_tenant() AND a.id = activity_id
$$;
COMMENT ON FUNCTION @extschema@.activity_state(bigint, timestamptz) IS
'state of an activity of the current tenant now (or at as_of); NULL when there is no such activity';

CREATE FUNCTION @extschema@.activity_colour(state text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT CASE state WHEN 'overdue' THEN 'red' WHEN 'today' THEN 'yellow'
					  WHEN 'planned' THEN 'green' END
$$;
COMMENT ON FUNCTION @extschema@.activity_colour(text) IS
'Odoo''s colour of an activity state: overdue red, today yellow, planned green, done NULL';

-- ---------------------------------------------------------------------------
-- Triggers: defaults and validation, then one lead_history row per change.

-- A pg_dump script turns check_function_bodies off (lead_crm.restoring()):
-- restored rows were checked and recorded when first written.
CREATE FUNCTION @extschema@.activity_before_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tz text;
	code text;
	days integer;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NEW;
	END IF;
	SELECT t.time_zone INTO tz FROM @extschema@.tenant t WHERE t.tenant_id = NEW.tenant_id;

	IF TG_OP = 'INSERT' OR NEW.type IS DISTINCT FROM OLD.type THEN
		-- the code itself, or the code whose label folds to the typed value (Gọi, goi, Call)
		SELECT ty.code, ty.default_days INTO code, days
		  FROM @extschema@.activity_type ty
		 WHERE ty.tenant_id = NEW.tenant_id
		   AND (ty.code = NEW.type
				OR @extschema@.vn_fold(ty.label_vi) = @extschema@.vn_fold(NEW.type)
				OR @extschema@.vn_fold(ty.label_en) = @extschema@.vn_fold(NEW.type))
		 ORDER BY ty.code = NEW.type DESC, ty.position
		 LIMIT 1;
		IF code IS NULL THEN
			RAISE EXCEPTION 'unknown activity type "%"', NEW.type
				USING ERRCODE = '23503',
					  DETAIL = format('Tenant %s has these activity types: %s.', NEW.tenant_id,
						  coalesce((SELECT string_agg(format('%s (%s)', ty.code, ty.label_vi), ', ' ORDER BY ty.position)
									  FROM @extschema@.activity_type ty
									 WHERE ty.tenant_id = NEW.tenant_id AND ty.active), 'none')),
					  HINT = 'Use one of them, or add the type to lead_crm.activity_type.';
		END IF;
		NEW.type := code;
	END IF;

	IF TG_OP = 'INSERT' THEN
		IF NEW.due_at IS NULL THEN
			-- Odoo's "ngày dự kiến": due (all day) default_days after today
			NEW.due_at := ((timezone(tz, now())::date + days)::timestamp) AT TIME ZONE tz;
			NEW.all_day := true;
		END IF;
		IF NEW.assignee_id IS NULL THEN
			-- Odoo: "nếu không chọn thì hệ thống sẽ tự lấy tài khoản của bạn"
			SELECT s.id INTO NEW.assignee_id
			  FROM @extschema@.salesperson s
			 WHERE s.tenant_id = NEW.tenant_id AND s.login_role = current_user AND s.active;
			IF NEW.assignee_id IS NULL THEN
				SELECT l.salesperson_id INTO NEW.assignee_id
				  FROM @extschema@.lead l
				 WHERE l.tenant_id = NEW.tenant_id AND l.id = NEW.lead_id;
			END IF;
		END IF;
	ELSE
		NEW.updated_at := now();
	END IF;
	IF NEW.all_day AND NEW.due_at IS NOT NULL THEN
		NEW.due_at := date_trunc('day', timezone(tz, NEW.due_at)) AT TIME ZONE tz;
	END IF;
	IF NEW.result IS NOT NULL AND NEW.done_at IS NULL THEN
		RAISE EXCEPTION 'activity % has a result but is not done', NEW.id
			USING ERRCODE = '23514',
				  DETAIL = format('Result: %s.', NEW.result),
				  HINT = 'Mark it done with SELECT lead_crm.mark_activity_done(activity_id, result);';
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.activity_before_write() IS
'BEFORE INSERT OR UPDATE row trigger on activity: type labels to codes, default due date and assignee, all-day due times at local midnight';

CREATE TRIGGER activity_10_before_write BEFORE INSERT OR UPDATE ON @extschema@.activity
	FOR EACH ROW EXECUTE FUNCTION @extschema@.activity_before_write();

-- Readable one-line description of an activity for lead_history, in the tenant's language:
-- Gọi #12 "Gọi lại báo giá", hạn 2025-03-05 09:00, giao Nguyễn Văn An, xong 2025-03-05 10:12, kết quả: ...
CREATE FUNCTION @extschema@.activity_describe(a @extschema@.activity)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
-- plpgsql rather than SQL: a SQL function with SET is not inlined and would be
-- planned again on every call from the history trigger
DECLARE
	tz text;
	en boolean;
	type_label text;
	assignee text;
BEGIN
	SELECT t.time_zone, t.language = 'en' INTO tz, en
	  FROM @extschema@.tenant t WHERE t.tenant_id = a.tenant_id;
	SELECT CASE WHEN en THEN ty.label_en ELSE ty.label_vi END INTO type_label
	  FROM @extschema@.activity_type ty WHERE ty.tenant_id = a.tenant_id AND ty.code = a.type;
	SELECT s.full_name INTO assignee
	  FROM @extschema@.salesperson s WHERE s.tenant_id = a.tenant_id AND s.id = a.assignee_id;
	RETURN concat_ws(', ',
		format('%s #%s%s', coalesce(type_label, a.type), a.id,
			   coalesce(' "' || a.summary || '"', '') || coalesce(' (' || a.details || ')', '')),
		CASE WHEN en THEN 'due ' ELSE 'hạn ' END
			|| CASE WHEN a.all_day
					THEN to_char(timezone(tz, a.due_at), 'YYYY-MM-DD')
						 || CASE WHEN en THEN ' (all day)' ELSE ' (cả ngày)' END
					ELSE to_char(timezone(tz, a.due_at), 'YYYY-MM-DD HH24:MI') END,
		(CASE WHEN en THEN 'assigned to ' ELSE 'giao ' END) || assignee,
		(CASE WHEN en THEN 'done ' ELSE 'xong ' END) || to_char(timezone(tz, a.done_at), 'YYYY-MM-DD HH24:MI'),
		(CASE WHEN en THEN 'result: ' ELSE 'kết quả: ' END) || a.result);
END;
$$;
COMMENT ON FUNCTION @extschema@.activity_describe(@extschema@.activity) IS
'one readable line describing an activity (type, summary, due, assignee, done, result) in the tenant''s language, as written to lead_history';

-- Writes one lead_history row. The reason says what happened (in the tenant's
-- language) followed by lead_crm.reason when the caller gave one.
CREATE FUNCTION @extschema@.record_lead_event(tenant integer, lead bigint, field name,
											  old_value text, new_value text,
											  action_vi text, action_en text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	INSERT INTO @extschema@.lead_history (tenant_id, lead_id, field, old_value, new_value, actor, reason)
	SELECT tenant, lead, field, old_value, new_value,
		   nullif(current_setting('lead_crm.actor', true), ''),
		   concat_ws(': ', CASE WHEN t.language = 'en' THEN action_en ELSE action_vi END,
					 nullif(current_setting('lead_crm.reason', true), ''))
	  FROM @extschema@.tenant t
	 WHERE t.tenant_id = tenant;
END;
$$;
COMMENT ON FUNCTION @extschema@.record_lead_event(integer, bigint, name, text, text, text, text) IS
'writes one lead_history row for a change outside the lead row (activity, note, attachment); reason = what happened, then lead_crm.reason';

CREATE FUNCTION @extschema@.activity_record_history() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	old_text text;
	new_text text;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'activity', NULL,
			@extschema@.activity_describe(NEW), 'lên lịch hoạt động', 'activity scheduled');
		RETURN NULL;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM @extschema@.record_lead_event(OLD.tenant_id, OLD.lead_id, 'activity',
			@extschema@.activity_describe(OLD), NULL, 'xóa hoạt động', 'activity deleted');
		RETURN NULL;
	END IF;

	old_text := @extschema@.activity_describe(OLD);
	new_text := @extschema@.activity_describe(NEW);
	IF NEW.lead_id <> OLD.lead_id THEN
		-- moved (a merge): leave a trace on both leads
		PERFORM @extschema@.record_lead_event(OLD.tenant_id, OLD.lead_id, 'activity', old_text, NULL,
			format('chuyển hoạt động sang lead #%s', NEW.lead_id),
			format('activity moved to lead #%s', NEW.lead_id));
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'activity', NULL, new_text,
			format('chuyển hoạt động từ lead #%s', OLD.lead_id),
			format('activity moved from lead #%s', OLD.lead_id));
	ELSIF old_text IS DISTINCT FROM new_text THEN
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'activity', old_text, new_text,
			CASE WHEN OLD.done_at IS NULL AND NEW.done_at IS NOT NULL THEN 'hoàn thành hoạt động'
				 WHEN OLD.done_at IS NOT NULL AND NEW.done_at IS NULL THEN 'mở lại hoạt động'
				 WHEN OLD.due_at <> NEW.due_at OR OLD.all_day <> NEW.all_day THEN 'dời lịch hoạt động'
				 WHEN OLD.assignee_id IS DISTINCT FROM NEW.assignee_id THEN 'giao lại hoạt động'
				 ELSE 'sửa hoạt động' END,
			CASE WHEN OLD.done_at IS NULL AND NEW.done_at IS NOT NULL THEN 'activity done'
				 WHEN OLD.done_at IS NOT NULL AND NEW.done_at IS NULL THEN 'activity reopened'
				 WHEN OLD.due_at <> NEW.due_at OR OLD.all_day <> NEW.all_day THEN 'activity rescheduled'
				 WHEN OLD.assignee_id IS DISTINCT FROM NEW.assignee_id THEN 'activity reassigned'
				 ELSE 'activity edited' END);
	END IF;
	RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.activity_record_history() IS
'AFTER row trigger on activity: scheduling, rescheduling, completion, edits, moves and deletion go to lead_history (field activity)';

CREATE TRIGGER activity_90_history AFTER INSERT OR UPDATE OR DELETE ON @extschema@.activity
	FOR EACH ROW EXECUTE FUNCTION @extschema@.activity_record_history();

-- Notes and attachments about an activity belong to the activity's lead.
CREATE FUNCTION @extschema@.check_same_lead(tenant integer, lead bigint, activity bigint,
											note bigint)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	other bigint;
BEGIN
	IF activity IS NOT NULL THEN
		SELECT a.lead_id INTO other FROM @extschema@.activity a
		 WHERE a.tenant_id = tenant AND a.id = activity;
		IF other IS DISTINCT FROM lead AND other IS NOT NULL THEN
			RAISE EXCEPTION 'activity % belongs to lead %, not to lead %', activity, other, lead
				USING ERRCODE = '23503',
					  HINT = format('Attach it to lead %s, or leave the activity out.', other);
		END IF;
	END IF;
	IF note IS NOT NULL THEN
		SELECT n.lead_id INTO other FROM @extschema@.lead_note n
		 WHERE n.tenant_id = tenant AND n.id = note;
		IF other IS DISTINCT FROM lead AND other IS NOT NULL THEN
			RAISE EXCEPTION 'note % belongs to lead %, not to lead %', note, other, lead
				USING ERRCODE = '23503',
					  HINT = format('Attach it to lead %s, or leave the note out.', other);
		END IF;
	END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.check_same_lead(integer, bigint, bigint, bigint) IS
'refuses a note or attachment whose activity or note belongs to another lead';

CREATE FUNCTION @extschema@.lead_note_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	about_vi text;
	about_en text;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP = 'DELETE' THEN
		PERFORM @extschema@.record_lead_event(OLD.tenant_id, OLD.lead_id, 'note', OLD.body, NULL,
			format('xóa ghi chú #%s', OLD.id), format('note #%s deleted', OLD.id));
		RETURN OLD;
	END IF;
	IF TG_OP = 'INSERT' OR NEW.activity_id IS DISTINCT FROM OLD.activity_id THEN
		PERFORM @extschema@.check_same_lead(NEW.tenant_id, NEW.lead_id, NEW.activity_id, NULL);
	END IF;
	about_vi := CASE WHEN NEW.activity_id IS NOT NULL THEN format(' về hoạt động #%s', NEW.activity_id) ELSE '' END;
	about_en := CASE WHEN NEW.activity_id IS NOT NULL THEN format(' on activity #%s', NEW.activity_id) ELSE '' END;
	IF TG_OP = 'INSERT' THEN
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'note', NULL, NEW.body,
			format('thêm ghi chú #%s%s', NEW.id, about_vi), format('note #%s added%s', NEW.id, about_en));
	ELSIF NEW.lead_id <> OLD.lead_id THEN
		PERFORM @extschema@.record_lead_event(OLD.tenant_id, OLD.lead_id, 'note', OLD.body, NULL,
			format('chuyển ghi chú #%s sang lead #%s', OLD.id, NEW.lead_id),
			format('note #%s moved to lead #%s', OLD.id, NEW.lead_id));
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'note', NULL, NEW.body,
			format('chuyển ghi chú #%s từ lead #%s', NEW.id, OLD.lead_id),
			format('note #%s moved from lead #%s', NEW.id, OLD.lead_id));
		NEW.updated_at := now();
	ELSIF NEW.body IS DISTINCT FROM OLD.body THEN
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'note', OLD.body, NEW.body,
			format('sửa ghi chú #%s%s', NEW.id, about_vi), format('note #%s edited%s', NEW.id, about_en));
		NEW.updated_at := now();
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.lead_note_write() IS
'BEFORE row trigger on lead_note: checks the activity belongs to the lead; adding, editing, moving and deleting notes go to lead_history (field note)';

-- BEFORE, not AFTER: updated_at is set on the row itself. The note id is known
-- here already (identity defaults are computed before BEFORE triggers).
CREATE TRIGGER lead_note_10_write BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.lead_note
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_note_write();

-- MIME type from a file name's extension, for the files sales teams attach.
CREATE FUNCTION @extschema@.mime_type_of(file_name text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
	SELECT CASE lower(substring(file_name FROM '\.([A-Za-z0-9]+)$'))
		WHEN 'pdf'  THEN 'application/pdf'
		WHEN 'doc'  THEN 'application/msword'
		WHEN 'docx' THEN 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		WHEN 'xls'  THEN 'application/vnd.ms-excel'
		WHEN 'xlsx' THEN 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		WHEN 'ppt'  THEN 'application/vnd.ms-powerpoint'
		WHEN 'pptx' THEN 'application/vnd.openxmlformats-officedocument.presentationml.presentation'
		WHEN 'csv'  THEN 'text/csv'
		WHEN 'txt'  THEN 'text/plain'
		WHEN 'jpg'  THEN 'image/jpeg'
		WHEN 'jpeg' THEN 'image/jpeg'
		WHEN 'png'  THEN 'image/png'
		WHEN 'gif'  THEN 'image/gif'
		WHEN 'webp' THEN 'image/webp'
		WHEN 'heic' THEN 'image/heic'
		WHEN 'zip'  THEN 'application/zip'
		WHEN 'rar'  THEN 'application/vnd.rar'
		WHEN 'mp3'  THEN 'audio/mpeg'
		WHEN 'm4a'  THEN 'audio/mp4'
		WHEN 'mp4'  THEN 'video/mp4'
	END
$$;
COMMENT ON FUNCTION @extschema@.mime_type_of(text) IS
'MIME type of common office, image, audio and archive files by extension; NULL when unknown';

CREATE FUNCTION @extschema@.attachment_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	old_text text;
	new_text text;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		NEW.mime_type := coalesce(lower(NEW.mime_type), @extschema@.mime_type_of(NEW.file_name));
		IF TG_OP = 'INSERT' OR NEW.activity_id IS DISTINCT FROM OLD.activity_id
		   OR NEW.note_id IS DISTINCT FROM OLD.note_id THEN
			PERFORM @extschema@.check_same_lead(NEW.tenant_id, NEW.lead_id, NEW.activity_id, NEW.note_id);
		END IF;
		new_text := NEW.file_name
			|| coalesce(' (' || nullif(concat_ws(', ', NEW.mime_type, pg_size_pretty(NEW.size_bytes)), '') || ')', '')
			|| ' ' || NEW.uri;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		old_text := OLD.file_name
			|| coalesce(' (' || nullif(concat_ws(', ', OLD.mime_type, pg_size_pretty(OLD.size_bytes)), '') || ')', '')
			|| ' ' || OLD.uri;
	END IF;
	IF TG_OP = 'INSERT' THEN
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'attachment', NULL, new_text,
			format('đính kèm tập tin #%s', NEW.id)
				|| coalesce(' vào hoạt động #' || NEW.activity_id, '') || coalesce(' vào ghi chú #' || NEW.note_id, ''),
			format('file #%s attached', NEW.id)
				|| coalesce(' to activity #' || NEW.activity_id, '') || coalesce(' to note #' || NEW.note_id, ''));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM @extschema@.record_lead_event(OLD.tenant_id, OLD.lead_id, 'attachment', old_text, NULL,
			format('gỡ tập tin #%s', OLD.id), format('file #%s removed', OLD.id));
		RETURN OLD;
	ELSIF NEW.lead_id <> OLD.lead_id THEN
		PERFORM @extschema@.record_lead_event(OLD.tenant_id, OLD.lead_id, 'attachment', old_text, NULL,
			format('chuyển tập tin #%s sang lead #%s', OLD.id, NEW.lead_id),
			format('file #%s moved to lead #%s', OLD.id, NEW.lead_id));
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'attachment', NULL, new_text,
			format('chuyển tập tin #%s từ lead #%s', NEW.id, OLD.lead_id),
			format('file #%s moved from lead #%s', NEW.id, OLD.lead_id));
	ELSIF old_text IS DISTINCT FROM new_text THEN
		PERFORM @extschema@.record_lead_event(NEW.tenant_id, NEW.lead_id, 'attachment', old_text, new_text,
			format('sửa tập tin #%s', NEW.id), format('file #%s changed', NEW.id));
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.attachment_write() IS
'BEFORE row trigger on attachment: MIME type from the file name, same-lead check; attaching, changing, moving and removing files go to lead_history (field attachment)';

CREATE TRIGGER attachment_10_write BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.attachment
	FOR EACH ROW EXECUTE FUNCTION @extschema@.attachment_write();

-- ---------------------------------------------------------------------------
-- Helpers for applications: schedule, reschedule, complete; notes; attachments.

CREATE FUNCTION @extschema@.require_lead(lead bigint)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF lead IS NULL OR NOT EXISTS (SELECT FROM @extschema@.lead l
									WHERE l.tenant_id = @extschema@.current_tenant() AND l.id = lead) THEN
		RAISE EXCEPTION 'lead % does not exist', coalesce(lead::text, 'NULL')
			USING ERRCODE = 'P0002',
				  DETAIL = format('Tenant %s has no lead with id %s.', @extschema@.current_tenant(),
								  coalesce(lead::text, 'NULL')),
				  HINT = 'Check the lead id and the setting lead_crm.tenant.';
	END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.require_lead(bigint) IS
'raises no_data_found (P0002) unless the current tenant has this lead';

-- Locks the activity row of the current tenant, or raises no_data_found.
CREATE FUNCTION @extschema@.lock_activity(activity bigint)
RETURNS @extschema@.activity
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	a @extschema@.activity;
BEGIN
	SELECT * INTO a FROM @extschema@.activity x
	 WHERE x.tenant_id = @extschema@.current_tenant() AND x.id = activity
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'activity % does not exist', coalesce(activity::text, 'NULL')
			USING ERRCODE = 'P0002',
				  DETAIL = format('Tenant %s has no activity with id %s.', @extschema@.current_tenant(),
								  coalesce(activity::text, 'NULL')),
				  HINT = 'Check the activity id and the setting lead_crm.tenant.';
	END IF;
	RETURN a;
END;
$$;
COMMENT ON FUNCTION @extschema@.lock_activity(bigint) IS
'the activity of the current tenant, locked FOR UPDATE; raises no_data_found (P0002) when missing';

CREATE FUNCTION @extschema@.schedule_activity(lead_id bigint,
											  type text DEFAULT 'todo',
											  summary text DEFAULT NULL,
											  due timestamptz DEFAULT NULL,
											  due_date date DEFAULT NULL,
											  assignee_id bigint DEFAULT NULL,
											  details text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tz text;
	new_id bigint;
BEGIN
	PERFORM @extschema@.require_lead(lead_id);
	IF due IS NOT NULL AND due_date IS NOT NULL THEN
		RAISE EXCEPTION 'give either a due time or a due date, not both'
			USING ERRCODE = '22023',
				  DETAIL = format('due = %s, due_date = %s.', due, due_date),
				  HINT = 'Use due => timestamptz for a time, due_date => date for an all-day activity.';
	END IF;
	SELECT t.time_zone INTO tz FROM @extschema@.tenant t WHERE t.tenant_id = @extschema@.current_tenant();
	INSERT INTO @extschema@.activity AS a (lead_id, type, summary, details, due_at, all_day, assignee_id)
	VALUES (schedule_activity.lead_id, coalesce(schedule_activity.type, 'todo'), schedule_activity.summary,
			schedule_activity.details,
			coalesce(due, due_date::timestamp AT TIME ZONE tz),
			due_date IS NOT NULL, schedule_activity.assignee_id)
	RETURNING a.id INTO new_id;
	RETURN new_id;
END;
$$;
COMMENT ON FUNCTION @extschema@.schedule_activity(bigint, text, text, timestamptz, date, bigint, text) IS
'schedules an activity on a lead (Odoo''s Lên lịch hoạt động): due at a time, on a date (all day) or, with neither, after the type''s default days; returns its id';

CREATE FUNCTION @extschema@.reschedule_activity(activity_id bigint,
												due timestamptz DEFAULT NULL,
												due_date date DEFAULT NULL,
												reason text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	a @extschema@.activity;
	tz text;
	saved text := current_setting('lead_crm.reason', true);
BEGIN
	IF (due IS NULL) = (due_date IS NULL) THEN
		RAISE EXCEPTION 'give a new due time or a new due date'
			USING ERRCODE = '22023',
				  DETAIL = format('due = %s, due_date = %s.', coalesce(due::text, 'NULL'),
								  coalesce(due_date::text, 'NULL')),
				  HINT = 'Use due => timestamptz for a time, due_date => date for an all-day activity.';
	END IF;
	a := @extschema@.lock_activity(activity_id);
	IF a.done_at IS NOT NULL THEN
		RAISE EXCEPTION 'activity % is already done', activity_id
			USING ERRCODE = '55000',
				  DETAIL = format('It was done at %s.', a.done_at),
				  HINT = 'Schedule a new activity instead.';
	END IF;
	SELECT t.time_zone INTO tz FROM @extschema@.tenant t WHERE t.tenant_id = a.tenant_id;
	PERFORM set_config('lead_crm.reason', coalesce(reason, ''), true);
	UPDATE @extschema@.activity x
	   SET due_at = coalesce(due, due_date::timestamp AT TIME ZONE tz), all_day = due_date IS NOT NULL
	 WHERE x.tenant_id = a.tenant_id AND x.id = a.id;
	PERFORM set_config('lead_crm.reason', coalesce(saved, ''), true);
END;
$$;
COMMENT ON FUNCTION @extschema@.reschedule_activity(bigint, timestamptz, date, text) IS
'moves an open activity to a new due time (due) or day (due_date), recorded in lead_history with the reason';

CREATE FUNCTION @extschema@.mark_activity_done(activity_id bigint, result text DEFAULT NULL)
RETURNS timestamptz
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	a @extschema@.activity;
	done timestamptz;
BEGIN
	a := @extschema@.lock_activity(activity_id);
	IF a.done_at IS NOT NULL THEN
		RAISE EXCEPTION 'activity % is already done', activity_id
			USING ERRCODE = '55000',
				  DETAIL = format('It was done at %s with result: %s.', a.done_at, coalesce(a.result, '(none)')),
				  HINT = 'To change the result: UPDATE lead_crm.activity SET result = ... WHERE id = ...;';
	END IF;
	UPDATE @extschema@.activity x
	   SET done_at = now(), result = nullif(btrim(mark_activity_done.result), '')
	 WHERE x.tenant_id = a.tenant_id AND x.id = a.id
	RETURNING x.done_at INTO done;
	RETURN done;
END;
$$;
COMMENT ON FUNCTION @extschema@.mark_activity_done(bigint, text) IS
'marks an activity done now with its result (kết quả); recorded in lead_history; returns the done time';

CREATE FUNCTION @extschema@.add_note(lead_id bigint, body text, activity_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	new_id bigint;
BEGIN
	PERFORM @extschema@.require_lead(lead_id);
	INSERT INTO @extschema@.lead_note AS n (lead_id, activity_id, body)
	VALUES (add_note.lead_id, add_note.activity_id, add_note.body)
	RETURNING n.id INTO new_id;
	RETURN new_id;
END;
$$;
COMMENT ON FUNCTION @extschema@.add_note(bigint, text, bigint) IS
'adds a note (bình luận, ghi chú) to a lead, optionally about one of its activities; returns its id';

CREATE FUNCTION @extschema@.add_attachment(lead_id bigint, file_name text, uri text,
										   mime_type text DEFAULT NULL,
										   size_bytes bigint DEFAULT NULL,
										   activity_id bigint DEFAULT NULL,
										   note_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	new_id bigint;
BEGIN
	PERFORM @extschema@.require_lead(lead_id);
	INSERT INTO @extschema@.attachment AS f (lead_id, activity_id, note_id, file_name, mime_type,
											  size_bytes, uri)
	VALUES (add_attachment.lead_id, add_attachment.activity_id, add_attachment.note_id,
			add_attachment.file_name, add_attachment.mime_type, add_attachment.size_bytes,
			add_attachment.uri)
	RETURNING f.id INTO new_id;
	RETURN new_id;
END;
$$;
COMMENT ON FUNCTION @extschema@.add_attachment(bigint, text, text, text, bigint, bigint, bigint) IS
'records a file attached to a lead (or one of its activities or notes) by its location URI; returns its id';

-- ---------------------------------------------------------------------------
-- The current tenant's activities with their state, colour and names, for
-- applications (the BI agenda view builds on the same functions).
CREATE VIEW @extschema@.activity_overview AS
SELECT a.id,
	   a.lead_id,
	   l.full_name AS lead_name,
	   a.type,
	   CASE WHEN t.language = 'en' THEN ty.label_en ELSE ty.label_vi END AS type_label,
	   a.summary,
	   a.due_at,
	   pg_catalog.timezone(t.time_zone, a.due_at)::date AS due_date,
	   a.all_day,
	   a.assignee_id,
	   s.full_name AS assignee_name,
	   st.state,
	   @extschema@.activity_colour(st.state) AS colour,
	   a.done_at,
	   a.result
  FROM @extschema@.activity a
  JOIN @extschema@.tenant t ON t.tenant_id = a.tenant_id
  JOIN @extschema@.lead l ON l.tenant_id = a.tenant_id AND l.id = a.lead_id
  LEFT JOIN @extschema@.activity_type ty ON ty.tenant_id = a.tenant_id AND ty.code = a.type
  LEFT JOIN @extschema@.salesperson s ON s.tenant_id = a.tenant_id AND s.id = a.assignee_id
  CROSS JOIN LATERAL (SELECT @extschema@.activity_state(a.due_at, a.all_day, a.done_at,
														 t.time_zone, pg_catalog.now())) AS st(state)
 WHERE a.tenant_id = @extschema@.current_tenant();
COMMENT ON VIEW @extschema@.activity_overview IS
'activities of the current tenant with state (overdue, today, planned, done), colour (red, yellow, green), lead and assignee names';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.activity_type', 'WHERE tenant_id <> 0');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.activity', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.lead_note', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.attachment', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.activity', 'id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.lead_note', 'id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.attachment', 'id')::regclass, '');
-- Lead assignment (phân công): rules by province, source, tag (product) and
-- industry pick a team or a salesperson; a new lead without a salesperson is
-- given, in the same transaction, to the member of that team with the fewest
-- leads in the current capacity period who still has capacity left (src/assign.c).
--
-- Load of a salesperson = leads they hold that were assigned to them since the
-- start of the tenant's current period (day, week or month in its time zone),
-- counted from the leads themselves (lead.salesperson_id, lead.assigned_at):
-- there is no counter to drift. Writers lock the tenant's assignment_lock row
-- until commit, so the counts a transaction reads stay exact (see assign.c).

ALTER TABLE @extschema@.tenant
	ADD COLUMN assignment_period text NOT NULL DEFAULT 'day'
		CHECK (assignment_period IN ('day', 'week', 'month'));
COMMENT ON COLUMN @extschema@.tenant.assignment_period IS
'capacity period of salespeople: day, week (from Monday) or month, in the tenant''s time zone';

ALTER TABLE @extschema@.salesperson
	ADD COLUMN auto_assign boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN @extschema@.salesperson.auto_assign IS
'receives leads from automatic assignment (off while on leave, for managers ...)';

ALTER TABLE @extschema@.lead ADD COLUMN assigned_at timestamptz;
COMMENT ON COLUMN @extschema@.lead.assigned_at IS
'when the current salesperson got the lead (created_at for leads created with one); counts towards their capacity';
CREATE INDEX lead_assigned_idx ON @extschema@.lead (tenant_id, salesperson_id, assigned_at);

-- Start of the capacity period that contains as_of, in the tenant's time zone.
CREATE FUNCTION @extschema@.assignment_period_start(tenant integer,
													as_of timestamptz DEFAULT pg_catalog.now())
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT pg_catalog.timezone(t.time_zone,
			   pg_catalog.date_trunc(t.assignment_period, pg_catalog.timezone(t.time_zone, as_of)))
	  FROM @extschema@.tenant t
	 WHERE t.tenant_id = tenant
$$;
COMMENT ON FUNCTION @extschema@.assignment_period_start(integer, timestamptz) IS
'start of the tenant''s capacity period (day, week from Monday, month) containing as_of, in its time zone';

CREATE TABLE @extschema@.assignment_rule (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	name text NOT NULL CHECK (btrim(name) <> ''),
	-- rules are tried from the lowest priority number; equal numbers by id
	priority integer NOT NULL DEFAULT 100,
	-- conditions: NULL means any; a list matches when the lead has one of its values
	provinces text[],
	sources text[],
	tags text[],
	industries text[],
	-- target: a team (round-robin among its members) or one salesperson
	team_id bigint,
	salesperson_id bigint,
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, team_id) REFERENCES @extschema@.sales_team (tenant_id, id),
	FOREIGN KEY (tenant_id, salesperson_id) REFERENCES @extschema@.salesperson (tenant_id, id),
	CONSTRAINT assignment_rule_one_target CHECK (pg_catalog.num_nonnulls(team_id, salesperson_id) = 1)
);
COMMENT ON TABLE @extschema@.assignment_rule IS
'lead assignment rules: conditions on province, source, tags (products) and industry, then a team or salesperson; tried by priority';
COMMENT ON COLUMN @extschema@.assignment_rule.provinces IS
'province names as typed (Hà Nội, ha noi, TP. Hồ Chí Minh); compared without case, diacritics or a Tỉnh/Thành phố/TP. prefix';
COMMENT ON COLUMN @extschema@.assignment_rule.sources IS 'source codes (labels such as Hội chợ are mapped to codes)';
COMMENT ON COLUMN @extschema@.assignment_rule.tags IS
'tag codes, e.g. the distributor''s product tags coffee, pepper, mung_bean; matches a lead with any of them';
COMMENT ON COLUMN @extschema@.assignment_rule.industries IS 'industry codes';

-- Catalogue codes for values typed as codes or labels; unknown values are an error.
CREATE FUNCTION @extschema@.catalog_codes(tenant integer, catalog text, vals text[])
RETURNS text[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v text;
	code text;
	codes text[] := '{}';
BEGIN
	FOREACH v IN ARRAY coalesce(vals, '{}') LOOP
		CONTINUE WHEN v IS NULL OR btrim(v) = '';
		SELECT c.code INTO code
		  FROM @extschema@.catalog_item c
		 WHERE c.tenant_id = tenant AND c.catalog = catalog_codes.catalog
		   AND (c.code = v OR @extschema@.vn_fold(c.code) = @extschema@.vn_fold(v)
				OR @extschema@.vn_fold(c.label_vi) = @extschema@.vn_fold(v)
				OR @extschema@.vn_fold(c.label_en) = @extschema@.vn_fold(v))
		 ORDER BY c.code = v DESC
		 LIMIT 1;
		IF code IS NULL THEN
			RAISE EXCEPTION 'value "%" is not in the catalogue of %', v, catalog
				USING ERRCODE = '23503',
					  DETAIL = format('Tenant %s knows these %s codes: %s.', tenant, catalog,
						  coalesce((SELECT string_agg(format('%s (%s)', c.code, c.label_vi), ', ' ORDER BY c.position)
									  FROM @extschema@.catalog_item c
									 WHERE c.tenant_id = tenant AND c.catalog = catalog_codes.catalog
									   AND c.active), 'none')),
					  HINT = 'Use a code or label of lead_crm.catalog_item, or add the value there first.';
		END IF;
		IF NOT code = ANY (codes) THEN
			codes := codes || code;
		END IF;
	END LOOP;
	RETURN nullif(codes, '{}');
END;
$$;
COMMENT ON FUNCTION @extschema@.catalog_codes(integer, text, text[]) IS
'maps values typed as catalogue codes or labels to codes (NULL for none); an unknown value raises 23503';

CREATE FUNCTION @extschema@.assignment_rule_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF current_setting('check_function_bodies') = 'off' THEN
		RETURN NEW;
	END IF;
	NEW.provinces := nullif(ARRAY(SELECT btrim(p) FROM unnest(NEW.provinces) p
								   WHERE btrim(p) <> ''), '{}');
	NEW.sources := @extschema@.catalog_codes(NEW.tenant_id, 'source', NEW.sources);
	NEW.tags := @extschema@.catalog_codes(NEW.tenant_id, 'tag', NEW.tags);
	NEW.industries := @extschema@.catalog_codes(NEW.tenant_id, 'industry', NEW.industries);
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.assignment_rule_check() IS
'BEFORE row trigger on assignment_rule: catalogue labels to codes, empty lists to NULL (any)';

CREATE TRIGGER assignment_rule_tenant_provision BEFORE INSERT ON @extschema@.assignment_rule
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();
CREATE TRIGGER assignment_rule_10_check BEFORE INSERT OR UPDATE ON @extschema@.assignment_rule
	FOR EACH ROW EXECUTE FUNCTION @extschema@.assignment_rule_check();
-- rules, teams and salespeople are cached per backend by src/assign.c
CREATE TRIGGER assignment_rule_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.assignment_rule
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE TRIGGER sales_team_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.sales_team
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE TRIGGER salesperson_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.salesperson
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

-- One row per tenant, updated once by every transaction that assigns leads or
-- changes assignments while the tenant has rules: its row lock orders them and
-- a stale REPEATABLE READ snapshot fails on it instead of over-assigning.
CREATE TABLE @extschema@.assignment_lock (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id) ON DELETE CASCADE,
	locked_at timestamptz NOT NULL,
	PRIMARY KEY (tenant_id)
);
COMMENT ON TABLE @extschema@.assignment_lock IS
'per-tenant lock row of automatic assignment, written by lead_crm itself (see src/assign.c)';

-- ---------------------------------------------------------------------------
-- The lead triggers (C): assignment of new leads, assigned_at, load bookkeeping.

CREATE FUNCTION @extschema@.lead_assign() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_lead_assign'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.lead_assign() IS
'BEFORE row trigger on lead: assigns new leads without a salesperson by the rules, stamps assigned_at, keeps the transaction''s load counts';

CREATE TRIGGER lead_30_assign BEFORE INSERT ON @extschema@.lead
	FOR EACH ROW EXECUTE FUNCTION @extschema@.lead_assign();
CREATE TRIGGER lead_30_assign_update BEFORE UPDATE ON @extschema@.lead
	FOR EACH ROW
	WHEN (OLD.salesperson_id IS DISTINCT FROM NEW.salesperson_id
		  OR OLD.assigned_at IS DISTINCT FROM NEW.assigned_at)
	EXECUTE FUNCTION @extschema@.lead_assign();
CREATE TRIGGER lead_30_assign_delete BEFORE DELETE ON @extschema@.lead
	FOR EACH ROW WHEN (OLD.salesperson_id IS NOT NULL)
	EXECUTE FUNCTION @extschema@.lead_assign();

CREATE FUNCTION @extschema@.choose_salesperson(l @extschema@.lead, OUT salesperson_id bigint,
											   OUT team_id bigint, OUT explanation text)
AS 'MODULE_PATHNAME', 'lc_choose_salesperson'
LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@.choose_salesperson(@extschema@.lead) IS
'the salesperson the rules would give this lead now (NULL when nobody has capacity) and why; takes the tenant''s assignment lock';

-- Assigns leads left without a salesperson (everyone was full, rules added
-- later): the given ones, or all of the current tenant's, oldest first.
CREATE FUNCTION @extschema@.assign_leads(lead_ids bigint[] DEFAULT NULL)
RETURNS TABLE (lead_id bigint, salesperson_id bigint, explanation text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	l @extschema@.lead;
	c record;
	saved text := current_setting('lead_crm.reason', true);
BEGIN
	FOR l IN
		SELECT * FROM @extschema@.lead x
		 WHERE x.tenant_id = @extschema@.current_tenant() AND x.salesperson_id IS NULL
		   AND (lead_ids IS NULL OR x.id = ANY (lead_ids))
		 ORDER BY x.created_at, x.id
		   FOR UPDATE
	LOOP
		c := @extschema@.choose_salesperson(l);
		IF c.salesperson_id IS NOT NULL THEN
			PERFORM set_config('lead_crm.reason',
							   concat_ws(': ', c.explanation, nullif(saved, '')), true);
			UPDATE @extschema@.lead x
			   SET salesperson_id = c.salesperson_id, team_id = coalesce(x.team_id, c.team_id)
			 WHERE x.tenant_id = l.tenant_id AND x.id = l.id;
			PERFORM set_config('lead_crm.reason', coalesce(saved, ''), true);
		END IF;
		lead_id := l.id;
		salesperson_id := c.salesperson_id;
		explanation := c.explanation;
		RETURN NEXT;
	END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.assign_leads(bigint[]) IS
'assigns unassigned leads (the given ids, or all of the tenant''s) by the rules; returns who got each and why';

-- Load of each salesperson of the current tenant, counted from the leads.
CREATE VIEW @extschema@.salesperson_workload AS
SELECT s.id AS salesperson_id,
	   s.full_name,
	   s.team_id,
	   tm.name AS team_name,
	   s.active,
	   s.auto_assign,
	   s.capacity,
	   t.assignment_period AS period,
	   p.start AS period_start,
	   n.assigned AS assigned_in_period,
	   s.capacity - n.assigned AS remaining,
	   n.last_assigned_at
  FROM @extschema@.salesperson s
  JOIN @extschema@.tenant t ON t.tenant_id = s.tenant_id
  LEFT JOIN @extschema@.sales_team tm ON tm.tenant_id = s.tenant_id AND tm.id = s.team_id
  CROSS JOIN LATERAL (SELECT @extschema@.assignment_period_start(s.tenant_id)) AS p(start)
  CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE l.assigned_at >= p.start),
							 max(l.assigned_at)
						FROM @extschema@.lead l
					   WHERE l.tenant_id = s.tenant_id AND l.salesperson_id = s.id) AS n(assigned, last_assigned_at)
 WHERE s.tenant_id = @extschema@.current_tenant();
COMMENT ON VIEW @extschema@.salesperson_workload IS
'salespeople of the current tenant with capacity, leads assigned in the current period (counted from lead) and what remains';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.assignment_rule', '');
-- dumped like every table (schema rule); its rows only matter to running transactions
SELECT pg_catalog.pg_extension_config_dump('@extschema@.assignment_lock', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.assignment_rule', 'id')::regclass, '');

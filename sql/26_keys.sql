-- Matching keys of e-mails, companies, provinces and names (src/keys.c and
-- src/core/vn_email.c, vn_company.c, vn_province.c, vn_name.c).

CREATE OR REPLACE FUNCTION @extschema@.normalize_email(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_email'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_email(text) IS
'matching key of an e-mail address: junk trimmed, lower case, gmail/googlemail dots and +tags dropped, +tags of other plus providers dropped; NULL when not an address';

CREATE OR REPLACE FUNCTION @extschema@.is_valid_email(text) RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_is_valid_email'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_valid_email(text) IS
'true when the text holds one plausible e-mail address (normalize_email is not NULL)';

CREATE OR REPLACE FUNCTION @extschema@.normalize_company(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_company'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_company(text) IS
'matching key of a company name: folded, legal forms (Công ty TNHH, CTCP, JSC, Co., Ltd ...) removed from both ends, business-line abbreviations (TM, DV, XD ...) expanded; NULL when empty';

CREATE OR REPLACE FUNCTION @extschema@.normalize_province(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_province'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_province(text) IS
'canonical name of one of the 34 provincial units of 2025; old (pre-2025) names, abbreviations and spellings mapped; NULL when unknown';

CREATE OR REPLACE FUNCTION @extschema@.province_aliases(OUT alias text, OUT province text, OUT kind text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_province_aliases'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 85;
COMMENT ON FUNCTION @extschema@.province_aliases() IS
'every name normalize_province knows and the 2025 unit it maps to; kind: current, pre_2025, spelling, abbreviation, town';

DO $$
BEGIN
	IF pg_catalog.to_regtype('@extschema@.name_parts') IS NULL THEN
		CREATE TYPE @extschema@.name_parts AS (family text, middle text, given text);
	END IF;
END;
$$;
COMMENT ON TYPE @extschema@.name_parts IS
'a personal name split into family name (họ), middle name (tên đệm) and given name (tên)';

CREATE OR REPLACE FUNCTION @extschema@.parse_name(text) RETURNS @extschema@.name_parts
AS 'MODULE_PATHNAME', 'lc_parse_name_fn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.parse_name(text) IS
'split a full name into (family, middle, given): Vietnamese order, Western order (An Nguyen, Nguyen, An) detected by family names; title case, diacritics kept';

-- Phone numbers: the lead_crm.phone type and its functions (src/phone.c,
-- src/core/vn_phone.c). A phone is stored as the int8 of its E.164 digits, so
-- comparison and hashing are int8's own functions.

-- types, casts, operators and operator classes have no IF NOT EXISTS: guarded
-- blocks keep the script safe to run again (upgrades)
DO $$
BEGIN
	IF pg_catalog.to_regtype('@extschema@.phone') IS NULL THEN
		CREATE TYPE @extschema@.phone;
	END IF;
END;
$$;

CREATE OR REPLACE FUNCTION @extschema@.phone_in(cstring) RETURNS @extschema@.phone
AS 'MODULE_PATHNAME', 'lc_phone_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_in(cstring) IS
'input of lead_crm.phone: any common Vietnamese or international format, old prefixes mapped';

CREATE OR REPLACE FUNCTION @extschema@.phone_out(@extschema@.phone) RETURNS cstring
AS 'MODULE_PATHNAME', 'lc_phone_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_out(@extschema@.phone) IS
'output of lead_crm.phone: E.164, e.g. +84912345678';

CREATE OR REPLACE FUNCTION @extschema@.phone_recv(internal) RETURNS @extschema@.phone
AS 'MODULE_PATHNAME', 'lc_phone_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_recv(internal) IS
'binary input of lead_crm.phone: int8 of the E.164 digits, checked';

CREATE OR REPLACE FUNCTION @extschema@.phone_send(@extschema@.phone) RETURNS bytea
AS 'MODULE_PATHNAME', 'lc_phone_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_send(@extschema@.phone) IS
'binary output of lead_crm.phone: int8 of the E.164 digits';

DO $$
BEGIN
	IF NOT (SELECT typisdefined FROM pg_catalog.pg_type
			 WHERE typname = 'phone' AND typnamespace = '@extschema@'::regnamespace) THEN
		CREATE TYPE @extschema@.phone (
			INPUT = @extschema@.phone_in,
			OUTPUT = @extschema@.phone_out,
			RECEIVE = @extschema@.phone_recv,
			SEND = @extschema@.phone_send,
			LIKE = pg_catalog.int8
		);
	END IF;
END;
$$;
COMMENT ON TYPE @extschema@.phone IS
'a phone number in canonical form (E.164; Vietnamese numbers with current prefixes and area codes)';

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_cast
				    WHERE castsource = 'text'::regtype AND casttarget = '@extschema@.phone'::regtype) THEN
		CREATE CAST (text AS @extschema@.phone) WITH INOUT AS ASSIGNMENT;
	END IF;
END;
$$;
COMMENT ON CAST (text AS @extschema@.phone) IS
'parse a typed number; an invalid one is an error (use phone_or_null to get NULL instead)';

-- comparison: int8's functions on the E.164 digits (the order is numeric, so
-- stable but not meaningful; equality is what matters)
CREATE OR REPLACE FUNCTION @extschema@.phone_eq(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_ne(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_lt(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_le(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_gt(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_ge(@extschema@.phone, @extschema@.phone) RETURNS boolean
AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_cmp(@extschema@.phone, @extschema@.phone) RETURNS integer
AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_hash(@extschema@.phone) RETURNS integer
AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE OR REPLACE FUNCTION @extschema@.phone_hash_extended(@extschema@.phone, bigint) RETURNS bigint
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

DO $$
BEGIN
	IF pg_catalog.to_regoperator('@extschema@.=(@extschema@.phone,@extschema@.phone)') IS NULL THEN
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
	END IF;
END;
$$;
COMMENT ON OPERATOR @extschema@.= (@extschema@.phone, @extschema@.phone) IS 'same number';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.phone, @extschema@.phone) IS 'different numbers';
COMMENT ON OPERATOR @extschema@.< (@extschema@.phone, @extschema@.phone) IS 'less than (numeric order of the E.164 digits)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.phone, @extschema@.phone) IS 'less than or equal (numeric order of the E.164 digits)';
COMMENT ON OPERATOR @extschema@.> (@extschema@.phone, @extschema@.phone) IS 'greater than (numeric order of the E.164 digits)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.phone, @extschema@.phone) IS 'greater than or equal (numeric order of the E.164 digits)';

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_opclass WHERE opcname = 'phone_ops'
				    AND opcnamespace = '@extschema@'::regnamespace) THEN
		CREATE OPERATOR CLASS @extschema@.phone_ops DEFAULT FOR TYPE @extschema@.phone USING btree AS
			OPERATOR 1 @extschema@.<,
			OPERATOR 2 @extschema@.<=,
			OPERATOR 3 @extschema@.=,
			OPERATOR 4 @extschema@.>=,
			OPERATOR 5 @extschema@.>,
			FUNCTION 1 @extschema@.phone_cmp(@extschema@.phone, @extschema@.phone),
			FUNCTION 2 pg_catalog.btint8sortsupport(internal),
			FUNCTION 4 pg_catalog.btequalimage(oid);
	END IF;
END;
$$;
COMMENT ON OPERATOR CLASS @extschema@.phone_ops USING btree IS
'btree operator class of phone: unique keys, sorting, merge joins';

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_opclass WHERE opcname = 'phone_hash_ops'
				    AND opcnamespace = '@extschema@'::regnamespace) THEN
		CREATE OPERATOR CLASS @extschema@.phone_hash_ops DEFAULT FOR TYPE @extschema@.phone USING hash AS
			OPERATOR 1 @extschema@.=,
			FUNCTION 1 @extschema@.phone_hash(@extschema@.phone),
			FUNCTION 2 @extschema@.phone_hash_extended(@extschema@.phone, bigint);
	END IF;
END;
$$;
COMMENT ON OPERATOR CLASS @extschema@.phone_hash_ops USING hash IS
'hash operator class of phone: hash indexes, hash joins and aggregation';

-- functions

CREATE OR REPLACE FUNCTION @extschema@.normalize_phone(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_normalize_phone'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_phone(text) IS
'E.164 (+84912345678) of a number in any common format, old prefixes and area codes mapped; NULL when not a valid number, never an error';

CREATE OR REPLACE FUNCTION @extschema@.phone_or_null(text) RETURNS @extschema@.phone
AS 'MODULE_PATHNAME', 'lc_phone_or_null'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_or_null(text) IS
'the phone of a typed number, NULL when it is not valid (for generated columns and imports)';

CREATE OR REPLACE FUNCTION @extschema@.phone_kind(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_kind_fn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_kind(@extschema@.phone) IS
'mobile, landline, toll_free (1800), premium (1900), satellite (VSAT 672) or foreign';

CREATE OR REPLACE FUNCTION @extschema@.phone_carrier(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_carrier_fn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_carrier(@extschema@.phone) IS
'network the mobile prefix was assigned to (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile, Itelecom, VSAT); with number portability the subscriber may have moved since; NULL for other numbers';

CREATE OR REPLACE FUNCTION @extschema@.phone_province(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_province'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_province(@extschema@.phone) IS
'province (one of the 34 units of 2025) of a landline''s area code; NULL for other numbers';

CREATE OR REPLACE FUNCTION @extschema@.phone_format(@extschema@.phone) RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_format'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.phone_format(@extschema@.phone) IS
'the number as written in Vietnam: 0912 345 678, 024 3825 1234, 1800 1234; foreign numbers in E.164';

CREATE OR REPLACE FUNCTION @extschema@.phone_area_codes(
	OUT area_code text, OUT area_code_before_2017 text,
	OUT province_before_2025 text, OUT province text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_phone_area_codes'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 63;
COMMENT ON FUNCTION @extschema@.phone_area_codes() IS
'every landline area code (since 2017) with the code it replaced and its province before and after the 2025 merger';

-- Import of leads from CSV files (Excel exports, other CRMs) and the parsing
-- of values as Vietnamese users type them, shared with capture_lead().
--
-- Clients COPY rows into the staging table import_row (every column text, a
-- batch, the load order); import_leads(batch) checks each row, inserts the
-- good ones as leads and writes one import_error row per problem. Every
-- staging row ends inserted (import_row.lead_id) or with at least one error.
-- Every statement can run twice (upgrade scripts reuse these parts).

------------------------------------------------------------------------------
-- Values as typed in Vietnam (never raise: NULL when not understood)
------------------------------------------------------------------------------

-- 50.000.000 / 50,000,000 / 1.234.567,89 / 1,5 / 50 triệu / 1,5 tỷ / 500k / 30% / 15.000.000 đ
CREATE OR REPLACE FUNCTION @extschema@.parse_vn_number(value text)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
	s text := @extschema@.vn_fold(value);
	factor numeric := 1;
	negative boolean := false;
BEGIN
	IF s IS NULL OR pg_catalog.length(s) > 60 THEN
		RETURN NULL;
	END IF;
	IF s !~ '^[-+]?[0-9., ]+$' THEN
		-- currency and percent marks after the number (vn_fold made đ a d)
		s := pg_catalog.regexp_replace(s, '\s*(vnd|dong|d|₫|%)$', '');
		-- the words Vietnamese write for thousands, millions and billions
		IF s ~ '[0-9.,]\s*(k|nghin|ngan)$' THEN
			factor := 1000;
		ELSIF s ~ '[0-9.,]\s*(tr|trieu|m|million)$' THEN
			factor := 1000000;
		ELSIF s ~ '[0-9.,]\s*(ty|ti|billion|bn)$' THEN
			factor := 1000000000;
		END IF;
		IF factor <> 1 THEN
			s := pg_catalog.regexp_replace(s, '\s*[a-z]+$', '');
		END IF;
	END IF;
	s := pg_catalog.replace(s, ' ', '');
	IF s LIKE '-%' THEN
		negative := true;
		s := pg_catalog.substr(s, 2);
	ELSIF s LIKE '+%' THEN
		s := pg_catalog.substr(s, 2);
	END IF;
	IF s ~ '^[0-9]+$' THEN
		NULL;
	ELSIF s ~ '^[0-9]{1,3}(\.[0-9]{3})+$' THEN			-- 50.000.000
		s := pg_catalog.replace(s, '.', '');
	ELSIF s ~ '^[0-9]{1,3}(,[0-9]{3})+$' THEN			-- 50,000,000
		s := pg_catalog.replace(s, ',', '');
	ELSIF s ~ '^[0-9]{1,3}(\.[0-9]{3})+,[0-9]+$' THEN	-- 1.234.567,89
		s := pg_catalog.replace(pg_catalog.replace(s, '.', ''), ',', '.');
	ELSIF s ~ '^[0-9]{1,3}(,[0-9]{3})+\.[0-9]+$' THEN	-- 1,234,567.89
		s := pg_catalog.replace(s, ',', '');
	ELSIF s ~ '^[0-9]*[.,][0-9]+$' THEN					-- 1,5 or 1.5
		s := pg_catalog.replace(s, ',', '.');
	ELSE
		RETURN NULL;
	END IF;
	RETURN CASE WHEN negative THEN -1 ELSE 1 END
		   * CASE WHEN factor = 1 THEN s::numeric ELSE pg_catalog.trim_scale(s::numeric * factor) END;
END;
$$;
COMMENT ON FUNCTION @extschema@.parse_vn_number(text) IS
'a number as typed in Vietnam: 50.000.000, 50,000,000, 1.234.567,89, 1,5, 50 triệu, 1,5 tỷ, 500k, 30%, 15.000.000 đ; a lone . or , before three digits separates thousands; NULL when not a number';

CREATE OR REPLACE FUNCTION @extschema@.days_in_month(y integer, m integer)
RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
	SELECT CASE WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
				WHEN m IN (4, 6, 9, 11) THEN 30 WHEN m BETWEEN 1 AND 12 THEN 31 ELSE 0 END
$$;
COMMENT ON FUNCTION @extschema@.days_in_month(integer, integer) IS
'internal: days of a month of the Gregorian calendar, 0 for a month that does not exist';

-- 20/05/1990, 20-5-1990, 20.05.1990 (day first, as in Vietnam) or 1990-05-20,
-- with or without a time after it. Shapes are tested with ~ and parts cut
-- with split_part: a regexp_match with capture groups costs ten times more.
CREATE OR REPLACE FUNCTION @extschema@.parse_vn_date(value text)
RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
	s text := pg_catalog.btrim(value);
	sep text;
	y integer;
	m integer;
	d integer;
BEGIN
	IF pg_catalog.length(s) > 40 THEN
		RETURN NULL;
	ELSIF s ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?$' THEN
		s := pg_catalog.split_part(pg_catalog.split_part(s, ' ', 1), 'T', 1);
		y := pg_catalog.split_part(s, '-', 1)::integer;
		m := pg_catalog.split_part(s, '-', 2)::integer;
		d := pg_catalog.split_part(s, '-', 3)::integer;
	ELSIF s ~ '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$' THEN
		s := pg_catalog.split_part(s, ' ', 1);
		sep := pg_catalog.substr(s, pg_catalog.strpos(pg_catalog.translate(s, '.-', '//'), '/'), 1);
		-- one separator throughout: 20/05-1990 is no date
		IF pg_catalog.length(s) - pg_catalog.length(pg_catalog.replace(s, sep, '')) <> 2 THEN
			RETURN NULL;
		END IF;
		d := pg_catalog.split_part(s, sep, 1)::integer;
		m := pg_catalog.split_part(s, sep, 2)::integer;
		y := pg_catalog.split_part(s, sep, 3)::integer;
	ELSE
		RETURN NULL;
	END IF;
	IF y < 1 OR d < 1 OR d > @extschema@.days_in_month(y, m) THEN
		RETURN NULL;
	END IF;
	RETURN pg_catalog.make_date(y, m, d);
END;
$$;
COMMENT ON FUNCTION @extschema@.parse_vn_date(text) IS
'a date as typed in Vietnam: day first (20/05/1990, 20-5-1990, 20.05.1990) or ISO (1990-05-20), a time after it ignored; NULL when not a date of the calendar';

-- a date and time; without an offset it is local time of the given zone
CREATE OR REPLACE FUNCTION @extschema@.parse_vn_timestamp(value text, time_zone text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
AS $$
DECLARE
	s text := pg_catalog.btrim(value);
	day date;
	clock text;
	h integer;
	mi integer;
	sec integer;
BEGIN
	IF pg_catalog.length(s) > 40 THEN
		RETURN NULL;
	END IF;
	-- ISO 8601 with an offset: 2025-03-05T09:30:00+07:00, 2025-03-05 02:30:00Z
	IF s ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$' THEN
		IF pg_catalog.substr(s, 9, 2)::integer < 1
		   OR pg_catalog.substr(s, 9, 2)::integer > @extschema@.days_in_month(pg_catalog.substr(s, 1, 4)::integer,
																			  pg_catalog.substr(s, 6, 2)::integer)
		   OR pg_catalog.substr(s, 1, 4)::integer < 1
		   OR pg_catalog.substr(s, 12, 2)::integer > 23 OR pg_catalog.substr(s, 15, 2)::integer > 59
		   OR (pg_catalog.substr(s, 17, 1) = ':' AND pg_catalog.substr(s, 18, 2)::integer > 59) THEN
			RETURN NULL;
		END IF;
		RETURN s::timestamptz;
	END IF;
	-- a date, then maybe hours and minutes (seconds), local time
	s := pg_catalog.regexp_replace(s, '^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})T', '\1 ');
	IF s !~ '^[0-9./-]+( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$' THEN
		RETURN NULL;
	END IF;
	day := @extschema@.parse_vn_date(pg_catalog.split_part(s, ' ', 1));
	clock := pg_catalog.split_part(s, ' ', 2);
	h := coalesce(nullif(pg_catalog.split_part(clock, ':', 1), '')::integer, 0);
	mi := coalesce(nullif(pg_catalog.split_part(clock, ':', 2), '')::integer, 0);
	sec := coalesce(nullif(pg_catalog.split_part(clock, ':', 3), '')::integer, 0);
	IF day IS NULL OR h > 23 OR mi > 59 OR sec > 59 THEN
		RETURN NULL;
	END IF;
	RETURN pg_catalog.timezone(time_zone, day + pg_catalog.make_interval(hours => h, mins => mi, secs => sec));
END;
$$;
COMMENT ON FUNCTION @extschema@.parse_vn_timestamp(text, text) IS
'a date and time as typed (20/05/2025 14:30, 2025-05-20 14:30, or ISO 8601 with an offset); without an offset it is local time in time_zone; NULL when not understood';

CREATE OR REPLACE FUNCTION @extschema@.parse_vn_boolean(value text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
	SELECT CASE WHEN f IN ('co', 'c', 'yes', 'y', 'true', 't', '1', 'x', 'dung', 'on', 'da') THEN true
				WHEN f IN ('khong', 'k', 'no', 'n', 'false', 'f', '0', 'sai', 'off', 'chua') THEN false END
	  FROM (SELECT @extschema@.vn_fold(value) AS f) v
$$;
COMMENT ON FUNCTION @extschema@.parse_vn_boolean(text) IS
'yes or no as typed: có, x, yes, true, 1, đúng, đã / không, no, false, 0, sai, chưa; NULL otherwise';

-- A cell as typed: blanks (also no-break spaces and a byte-order mark) around
-- it removed, empty = NULL.
CREATE OR REPLACE FUNCTION @extschema@.import_clean(value text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT NULLIF(pg_catalog.btrim(value, E' \t\r\n' || pg_catalog.chr(160) || pg_catalog.chr(65279)), '') $$;
COMMENT ON FUNCTION @extschema@.import_clean(text) IS
'internal: a typed value with surrounding blanks, no-break spaces and byte-order mark removed; NULL when nothing is left';

------------------------------------------------------------------------------
-- Batches, staging rows, errors
------------------------------------------------------------------------------

-- "Ngày tạo": imported leads may keep the date they were first recorded.
INSERT INTO @extschema@.lead_field (tenant_id, field, label_vi, label_en, required, aliases)
SELECT t.tenant_id, 'created_at', 'Ngày tạo', 'Created', false,
	   '{ngay tao,ngay nhap,thoi gian tao,created,created at,date created,created time}'
  FROM @extschema@.tenant t
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION @extschema@.import_batch_id() RETURNS bigint
AS 'MODULE_PATHNAME', 'lc_import_batch_sql'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.import_batch_id() IS
'the import batch open in this session (setting lead_crm.import_batch); raises 55000 when none is';

CREATE TABLE IF NOT EXISTS @extschema@.import_batch (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	file_name text,
	-- the file's header cells as given, and the import_row column each was loaded into
	header text[],
	columns text[],
	-- what each generic column x1, x2 ... holds: custom.<name>, extra:<header> or ignore
	x_targets text[] NOT NULL DEFAULT '{}',
	-- the file's first line is its header: row numbers then count it, as a spreadsheet does
	has_header boolean NOT NULL DEFAULT true,
	-- source of the rows that name none (e.g. the trade fair the list comes from)
	source text,
	keep_invalid_contacts boolean NOT NULL DEFAULT false,
	created_by name NOT NULL DEFAULT CURRENT_USER,
	actor text DEFAULT NULLIF(pg_catalog.current_setting('lead_crm.actor', true), ''),
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	imported_at timestamptz,
	PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE @extschema@.import_batch IS
'one CSV import (import_begin): file, header mapping, default source; its rows are in import_row, its problems in import_error';
COMMENT ON COLUMN @extschema@.import_batch.columns IS
'for each header cell, the import_row column it is loaded into (a lead column, or x1, x2 ... for custom fields and unknown columns)';
COMMENT ON COLUMN @extschema@.import_batch.x_targets IS
'what x1, x2 ... hold: custom.<name> (a custom field), extra:<header> (kept in the description as "header: value") or ignore (a row-number column)';
COMMENT ON COLUMN @extschema@.import_batch.keep_invalid_contacts IS
'malformed phones and e-mails are inserted and flagged (lead.phone_invalid) instead of being import errors';

-- Every column is text: a wrong value is reported by import_leads(), never by COPY.
CREATE TABLE IF NOT EXISTS @extschema@.import_row (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant(),
	batch_id bigint NOT NULL DEFAULT @extschema@.import_batch_id(),
	-- load order: COPY inserts rows in file order
	seq bigint GENERATED BY DEFAULT AS IDENTITY,
	-- the row number in the file as a spreadsheet shows it (header = 1); set by import_leads()
	row_no integer,
	kind text, full_name text, company_name text, job_title text, birthday text,
	phone text, email text, facebook text, zalo text, website text, tax_code text,
	marital_status text, street text, ward text, district text, province text, country text,
	source text, campaign text, medium text, referral_code text, referred_by text,
	industry text, tags text, need text, description text, expected_revenue text,
	probability text, priority text, salesperson_id text, team_id text, custom text,
	lifecycle text, status text, lost_reason text, created_at text,
	x1 text, x2 text, x3 text, x4 text, x5 text, x6 text, x7 text, x8 text, x9 text, x10 text,
	x11 text, x12 text, x13 text, x14 text, x15 text, x16 text, x17 text, x18 text, x19 text, x20 text,
	x21 text, x22 text, x23 text, x24 text, x25 text, x26 text, x27 text, x28 text, x29 text, x30 text,
	-- the lead this row became
	lead_id bigint,
	PRIMARY KEY (tenant_id, batch_id, seq),
	FOREIGN KEY (tenant_id, batch_id) REFERENCES @extschema@.import_batch (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.import_row IS
'staging rows of CSV imports: one text column per lead field (as named in lead_field), x1..x30 for custom fields and unknown columns; load with COPY after import_begin()';
COMMENT ON COLUMN @extschema@.import_row.batch_id IS
'the batch; defaults to the session''s open batch (setting lead_crm.import_batch, set by import_begin)';
COMMENT ON COLUMN @extschema@.import_row.row_no IS
'row number in the file as a spreadsheet numbers it (the header is row 1); filled in by import_leads() when not given';
COMMENT ON COLUMN @extschema@.import_row.lead_id IS 'the lead this row became; NULL while it has errors or was not imported yet';
COMMENT ON COLUMN @extschema@.import_row.custom IS 'custom fields as a JSON object, e.g. {"company_size": "11-50"}';
COMMENT ON COLUMN @extschema@.import_row.created_at IS 'when the lead was first recorded (Ngày tạo), e.g. 20/05/2025 14:30; local time of the tenant';
CREATE INDEX IF NOT EXISTS import_row_lead_idx ON @extschema@.import_row (tenant_id, lead_id);
COMMENT ON INDEX @extschema@.import_row_lead_idx IS 'the staging row (file, row number) a lead came from';

CREATE TABLE IF NOT EXISTS @extschema@.import_error (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant(),
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	batch_id bigint NOT NULL,
	seq bigint NOT NULL,
	row_no integer NOT NULL,
	-- lead column or custom.<name>; NULL when the row as a whole was refused
	field text,
	value text,
	problem text NOT NULL,
	reason text NOT NULL,
	sqlstate text NOT NULL,
	detail text,
	hint text,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, batch_id, seq) REFERENCES @extschema@.import_row (tenant_id, batch_id, seq)
		ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.import_error IS
'problems of staging rows found by import_leads(): row number, field, value, problem code, reason, SQLSTATE, detail and hint';
COMMENT ON COLUMN @extschema@.import_error.problem IS
'required, invalid_phone, invalid_email, invalid_date, invalid_number, out_of_range, invalid_kind, unknown_value, unknown_state, unknown_salesperson, unknown_team, invalid_custom, duplicate or refused';
CREATE INDEX IF NOT EXISTS import_error_row_idx ON @extschema@.import_error (tenant_id, batch_id, seq);
COMMENT ON INDEX @extschema@.import_error_row_idx IS 'the errors of a staging row (and the foreign key''s cascade)';


CREATE OR REPLACE TRIGGER import_batch_tenant_provision BEFORE INSERT ON @extschema@.import_batch
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tenant_provision();

------------------------------------------------------------------------------
-- Header of a file -> import_row columns
------------------------------------------------------------------------------

-- The cells of one CSV line ("a, b","c ""d""" -> {a, b | c "d"}); a byte-order
-- mark and the line end are dropped.
CREATE OR REPLACE FUNCTION @extschema@.csv_fields(line text, delimiter text DEFAULT ',')
RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
	s text := pg_catalog.rtrim(pg_catalog.ltrim(line, pg_catalog.chr(65279)), E'\r\n');
	n integer := pg_catalog.length(s);
	i integer := 1;
	ch text;
	cell text := '';
	quoted boolean := false;
	cells text[] := '{}';
BEGIN
	IF pg_catalog.length(delimiter) <> 1 OR delimiter IN ('"', E'\r', E'\n') THEN
		RAISE EXCEPTION 'invalid CSV delimiter "%"', delimiter
			USING ERRCODE = '22023', HINT = 'Use one character such as , or ; or a tab.';
	END IF;
	WHILE i <= n LOOP
		ch := pg_catalog.substr(s, i, 1);
		IF quoted THEN
			IF ch = '"' THEN
				IF pg_catalog.substr(s, i + 1, 1) = '"' THEN
					cell := cell || '"';
					i := i + 1;
				ELSE
					quoted := false;
				END IF;
			ELSE
				cell := cell || ch;
			END IF;
		ELSIF ch = '"' THEN
			quoted := true;
		ELSIF ch = delimiter THEN
			cells := cells || cell;
			cell := '';
		ELSE
			cell := cell || ch;
		END IF;
		i := i + 1;
	END LOOP;
	RETURN cells || cell;
END;
$$;
COMMENT ON FUNCTION @extschema@.csv_fields(text, text) IS
'the cells of one CSV line (quotes and doubled quotes as in COPY ... CSV), without a byte-order mark or line end';

-- The import_row column a header means: a lead column (by its name, an alias
-- of lead_field or its label), custom.<name> for a custom field (by name or
-- label), ignore for a row-number column (STT), NULL when unknown. Marks such
-- as (*), * or : after a header do not matter.
CREATE OR REPLACE FUNCTION @extschema@.import_target(header text,
													 tenant integer DEFAULT @extschema@.current_tenant())
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	h text := @extschema@.vn_fold(@extschema@.import_clean(header));
	keys text[];
	k text;
	target text;
BEGIN
	IF h IS NULL THEN
		RETURN NULL;
	END IF;
	keys := ARRAY[h, btrim(regexp_replace(regexp_replace(h, '\([^)]*\)', '', 'g'), '[*:?.]+', '', 'g'))];
	FOREACH k IN ARRAY keys LOOP
		CONTINUE WHEN k = '';
		SELECT f.field::text INTO target
		  FROM @extschema@.lead_field f
		 WHERE f.tenant_id = tenant
		   AND (f.field::text = replace(k, ' ', '_') OR k = ANY (f.aliases)
				OR k = @extschema@.vn_fold(f.label_vi) OR k = @extschema@.vn_fold(f.label_en))
		   AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
						WHERE a.attrelid = '@extschema@.import_row'::regclass AND a.attname = f.field
						  AND a.attnum > 0 AND NOT a.attisdropped)
		 ORDER BY f.field::text = replace(k, ' ', '_') DESC, k = ANY (f.aliases) DESC, f.field
		 LIMIT 1;
		IF target IS NOT NULL THEN
			RETURN target;
		END IF;
		SELECT 'custom.' || c.name INTO target
		  FROM @extschema@.custom_field c
		 WHERE c.tenant_id = tenant
		   AND (c.name = replace(k, ' ', '_') OR k = @extschema@.vn_fold(c.label_vi)
				OR k = @extschema@.vn_fold(c.label_en))
		 ORDER BY c.name = replace(k, ' ', '_') DESC, c.position, c.name
		 LIMIT 1;
		IF target IS NOT NULL THEN
			RETURN target;
		END IF;
		IF k IN ('stt', 'tt', 'so tt', 'so thu tu', 'thu tu', 'no', 'no.', '#', 'row', 'row no') THEN
			RETURN 'ignore';
		END IF;
	END LOOP;
	RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_target(text, integer) IS
'what a file header means: a lead column (name, lead_field alias or label, without diacritics or case), custom.<name>, ignore (STT), NULL when unknown';

-- Opens a batch in this session: maps the header, remembers what goes where,
-- sets lead_crm.import_batch (so COPY fills batch_id) and returns the column
-- list and the psql command that loads the file.
CREATE OR REPLACE FUNCTION @extschema@.import_begin(file_name text DEFAULT NULL,
													header text DEFAULT NULL,
													source text DEFAULT NULL,
													delimiter text DEFAULT ',',
													has_header boolean DEFAULT true,
													keep_invalid_contacts boolean DEFAULT false)
RETURNS TABLE (batch_id bigint, copy_columns text, copy_command text, unmapped text[])
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t integer := @extschema@.current_tenant();
	en boolean;
	cells text[];
	cell text;
	target text;
	cols text[] := '{}';
	xs text[] := '{}';
	extras text[] := '{}';
	i integer := 0;
	new_id bigint;
BEGIN
	PERFORM @extschema@.create_tenant(t) WHERE NOT EXISTS (SELECT FROM @extschema@.tenant x WHERE x.tenant_id = t);
	SELECT x.language = 'en' INTO en FROM @extschema@.tenant x WHERE x.tenant_id = t;
	IF header IS NOT NULL THEN
		cells := @extschema@.csv_fields(header, delimiter);
		FOREACH cell IN ARRAY cells LOOP
			i := i + 1;
			cell := coalesce(@extschema@.import_clean(cell),
							 CASE WHEN en THEN 'Column ' ELSE 'Cột ' END || i);
			target := @extschema@.import_target(cell, t);
			IF target IS NOT NULL AND target NOT LIKE 'custom.%' AND target <> 'ignore'
			   AND NOT target = ANY (cols) THEN
				cols := cols || target;
				CONTINUE;
			END IF;
			-- custom fields, row numbers, unknown and repeated columns go to x1, x2 ...
			IF cardinality(xs) = 30 THEN
				RAISE EXCEPTION 'the file has more than 30 columns that are not lead fields'
					USING ERRCODE = '54011',
						  DETAIL = format('Columns without a lead field: %s.',
										  array_to_string(extras || cell, ', ')),
						  HINT = 'Remove columns you do not need, or add aliases of lead fields: UPDATE lead_crm.lead_field SET aliases = aliases || ''{...}'' WHERE field = ...;';
			END IF;
			xs := xs || coalesce(CASE WHEN target LIKE 'custom.%' OR target = 'ignore' THEN target END,
								 'extra:' || cell);
			IF target IS NULL OR NOT (target LIKE 'custom.%' OR target = 'ignore') THEN
				extras := extras || cell;
			END IF;
			cols := cols || ('x' || cardinality(xs));
		END LOOP;
	END IF;

	INSERT INTO @extschema@.import_batch AS b (tenant_id, file_name, header, columns, x_targets, has_header,
											   source, keep_invalid_contacts)
	VALUES (t, file_name, cells, CASE WHEN cells IS NOT NULL THEN cols END, xs,
			coalesce(import_begin.has_header, true), import_begin.source,
			coalesce(import_begin.keep_invalid_contacts, false))
	RETURNING b.id INTO new_id;
	-- for the whole session: psql's \copy runs in a transaction of its own
	PERFORM pg_catalog.set_config('lead_crm.import_batch', new_id::text, false);

	batch_id := new_id;
	copy_columns := CASE WHEN cells IS NOT NULL THEN array_to_string(cols, ', ') END;
	copy_command := CASE WHEN cells IS NOT NULL AND file_name IS NOT NULL THEN
		format('\copy @extschema@.import_row (%s) FROM %s WITH (FORMAT csv%s%s)', copy_columns,
			   quote_literal(file_name),
			   CASE WHEN coalesce(import_begin.has_header, true) THEN ', HEADER true' ELSE '' END,
			   CASE WHEN delimiter <> ',' THEN format(', DELIMITER %L', delimiter) ELSE '' END) END;
	unmapped := extras;
	RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_begin(text, text, text, text, boolean, boolean) IS
'opens an import batch in this session (setting lead_crm.import_batch): maps the file''s header line to import_row columns; returns the batch id, the column list, the psql \copy command and the headers kept in the description';

------------------------------------------------------------------------------
-- Checking rows (also used by capture_lead)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.import_problem(field text, value text, problem text,
													  reason text, sqlstate text, hint text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT pg_catalog.jsonb_build_object('field', field, 'value', pg_catalog.left(value, 200),
										 'problem', problem, 'reason', reason, 'sqlstate', sqlstate,
										 'hint', hint)
$$;
COMMENT ON FUNCTION @extschema@.import_problem(text, text, text, text, text, text) IS
'internal: one problem of a staging row as JSON (field, value clipped to 200 characters, problem code, reason, SQLSTATE, hint)';

-- JSON text -> jsonb, NULL when it is not JSON (only called for the rare
-- rows that carry custom fields as JSON, so the subtransaction is cheap).
CREATE OR REPLACE FUNCTION @extschema@.import_json(value text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE
AS $$
BEGIN
	RETURN value::jsonb;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_json(text) IS
'internal: the text as jsonb, NULL when it is not valid JSON';

-- The tenant's configuration as import_parse() reads it: lookups from typed
-- (folded) values to codes and ids, computed once per import, not per row.
CREATE OR REPLACE FUNCTION @extschema@.import_config(tenant integer DEFAULT @extschema@.current_tenant())
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t integer := tenant;
	en boolean;
	cfg jsonb;
BEGIN
	SELECT x.language = 'en' INTO en FROM @extschema@.tenant x WHERE x.tenant_id = t;
	SELECT jsonb_build_object(
		'en', coalesce(en, false),
		'time_zone', coalesce((SELECT x.time_zone FROM @extschema@.tenant x WHERE x.tenant_id = t), 'Asia/Ho_Chi_Minh'),
		'strict', coalesce((SELECT x.strict_catalogues FROM @extschema@.tenant x WHERE x.tenant_id = t), false),
		'labels', coalesce((SELECT jsonb_object_agg(f.field, CASE WHEN en THEN f.label_en ELSE f.label_vi END)
							  FROM @extschema@.lead_field f WHERE f.tenant_id = t), '{}'),
		-- required lead fields besides the name (kind has a default, custom is checked by field)
		'required', coalesce((SELECT jsonb_agg(f.field ORDER BY f.field) FROM @extschema@.lead_field f
							   WHERE f.tenant_id = t AND f.required AND f.field NOT IN ('full_name', 'kind', 'custom')), '[]'),
		'catalog', coalesce((
			SELECT jsonb_object_agg(c.catalog, c.codes)
			  FROM (SELECT k.catalog, jsonb_object_agg(k.key, k.code) AS codes
					  FROM (SELECT DISTINCT ON (i.catalog, u.key) i.catalog, u.key, i.code
							  FROM (SELECT ci.catalog, ci.code, ARRAY[ci.code, @extschema@.vn_fold(ci.label_vi),
																	  @extschema@.vn_fold(ci.label_en)] AS keys
									  FROM @extschema@.catalog_item ci WHERE ci.tenant_id = t
									UNION ALL
									SELECT 'campaign', cp.code, ARRAY[cp.code, @extschema@.vn_fold(cp.name)]
									  FROM @extschema@.campaign cp WHERE cp.tenant_id = t) i
							 CROSS JOIN LATERAL unnest(i.keys) AS u (key)
							 WHERE u.key IS NOT NULL
							 ORDER BY i.catalog, u.key, u.key = i.code DESC) k
					 GROUP BY k.catalog) c), '{}'),
		'states', coalesce((
			SELECT jsonb_object_agg(w.field, w.codes)
			  FROM (SELECT f.field, jsonb_object_agg(k.key, s.code) AS codes
					  FROM @extschema@.tenant x
					 CROSS JOIN LATERAL (VALUES ('status', x.status_workflow), ('lifecycle', x.lifecycle_workflow)) AS f (field, workflow)
					  JOIN @extschema@.workflow_state s ON s.tenant_id = x.tenant_id AND s.workflow = f.workflow
					 CROSS JOIN LATERAL (SELECT DISTINCT u.key
										   FROM unnest(ARRAY[s.code, @extschema@.vn_fold(s.label_vi),
															 @extschema@.vn_fold(s.label_en)]) AS u (key)) k
					 WHERE x.tenant_id = t
					 GROUP BY f.field) w), '{}'),
		-- a name two salespeople share finds nobody (0)
		'people', coalesce((
			SELECT jsonb_object_agg(p.key, CASE WHEN p.n > 1 THEN 0 ELSE p.id END)
			  FROM (SELECT k.key, min(s.id) AS id, count(DISTINCT s.id) AS n
					  FROM @extschema@.salesperson s
					 CROSS JOIN LATERAL unnest(ARRAY[s.id::text, @extschema@.vn_fold(s.full_name), lower(s.email),
													 s.login_role::text]) AS k (key)
					 WHERE s.tenant_id = t AND k.key IS NOT NULL
					 GROUP BY k.key) p), '{}'),
		'teams', coalesce((
			SELECT jsonb_object_agg(p.key, CASE WHEN p.n > 1 THEN 0 ELSE p.id END)
			  FROM (SELECT k.key, min(m.id) AS id, count(DISTINCT m.id) AS n
					  FROM @extschema@.sales_team m
					 CROSS JOIN LATERAL unnest(ARRAY[m.id::text, @extschema@.vn_fold(m.name)]) AS k (key)
					 WHERE m.tenant_id = t
					 GROUP BY k.key) p), '{}'),
		'customs', coalesce((
			SELECT jsonb_object_agg(c.name, jsonb_build_object(
					   'type', c.type, 'required', c.required, 'allowed', to_jsonb(c.allowed_values),
					   'label', coalesce(CASE WHEN en THEN c.label_en ELSE c.label_vi END, c.name)))
			  FROM @extschema@.custom_field c WHERE c.tenant_id = t), '{}'))
	  INTO cfg;
	RETURN cfg;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_config(integer) IS
'internal: a tenant''s labels, required fields, catalogue codes, workflow states, salespeople, teams and custom fields as lookups from typed values, for import_parse()';

-- Parses and checks staging rows without writing anything: the lead values
-- typed, and every problem found (NULL when none). x_targets says what x1,
-- x2 ... hold (import_batch.x_targets). What only the lead triggers can tell
-- (a duplicate under the block policy ...) is found when the row is inserted.
-- Generic plans: the query is the same for every chunk, planning it each
-- time would cost more than running it on a few rows.
CREATE OR REPLACE FUNCTION @extschema@.import_parse(rows @extschema@.import_row[],
													x_targets text[] DEFAULT '{}',
													default_source text DEFAULT NULL,
													keep_invalid_contacts boolean DEFAULT false,
													config jsonb DEFAULT NULL)
RETURNS TABLE (seq bigint, row_no integer, kind text, full_name text, company_name text,
			   job_title text, birthday date, phone text, email text, facebook text, zalo text,
			   website text, tax_code text, marital_status text, street text, ward text,
			   district text, province text, country text, source text, campaign text,
			   medium text, referral_code text, referred_by text, industry text, tags text[],
			   need text, description text, expected_revenue numeric, probability numeric,
			   priority smallint, salesperson_id bigint, team_id bigint, custom jsonb,
			   lifecycle text, status text, lost_reason text, created_at timestamptz,
			   problems jsonb)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
	cfg jsonb := coalesce(config, @extschema@.import_config());
	t integer := @extschema@.current_tenant();
	tz text := cfg ->> 'time_zone';
	strict_cat boolean := (cfg ->> 'strict')::boolean;
	labels jsonb := cfg -> 'labels';
	required text[] := ARRAY(SELECT jsonb_array_elements_text(cfg -> 'required'));
	cat_map jsonb := cfg -> 'catalog';
	state_map jsonb := cfg -> 'states';
	people_map jsonb := cfg -> 'people';
	team_map jsonb := cfg -> 'teams';
	custom_map jsonb := cfg -> 'customs';
	nx integer := coalesce(cardinality(x_targets), 0);
BEGIN
	RETURN QUERY
	SELECT r.seq, r.row_no,
		   v.kind, c.full_name, c.company_name, c.job_title, v.birthday, v.phone, c.email,
		   c.facebook, c.zalo, c.website, c.tax_code, c.marital_status, c.street, c.ward,
		   c.district, c.province, c.country, v.source, c.campaign, c.medium, c.referral_code,
		   c.referred_by, c.industry, v.tags, c.need,
		   CASE WHEN x.extra IS NULL THEN c.description
				ELSE concat_ws(E'\n', c.description, x.extra) END,
		   v.expected_revenue, v.probability, v.priority, v.salesperson_id, v.team_id,
		   coalesce(v.custom_json, '{}') || coalesce(x.custom, '{}'),
		   c.lifecycle, c.status, c.lost_reason, v.created_at,
		   CASE WHEN cardinality(pr.list) > 0 OR jsonb_array_length(coalesce(x.problems, '[]')) > 0
				THEN to_jsonb(pr.list) || coalesce(x.problems, '[]') END
	  FROM unnest(rows) AS r
	 CROSS JOIN LATERAL (SELECT
		   @extschema@.import_clean(r.kind) AS kind, @extschema@.import_clean(r.full_name) AS full_name,
		   @extschema@.import_clean(r.company_name) AS company_name, @extschema@.import_clean(r.job_title) AS job_title,
		   @extschema@.import_clean(r.birthday) AS birthday, @extschema@.import_clean(r.phone) AS phone,
		   @extschema@.import_clean(r.email) AS email, @extschema@.import_clean(r.facebook) AS facebook,
		   @extschema@.import_clean(r.zalo) AS zalo, @extschema@.import_clean(r.website) AS website,
		   @extschema@.import_clean(r.tax_code) AS tax_code, @extschema@.import_clean(r.marital_status) AS marital_status,
		   @extschema@.import_clean(r.street) AS street, @extschema@.import_clean(r.ward) AS ward,
		   @extschema@.import_clean(r.district) AS district, @extschema@.import_clean(r.province) AS province,
		   @extschema@.import_clean(r.country) AS country,
		   coalesce(@extschema@.import_clean(r.source), @extschema@.import_clean(default_source)) AS source,
		   @extschema@.import_clean(r.campaign) AS campaign, @extschema@.import_clean(r.medium) AS medium,
		   @extschema@.import_clean(r.referral_code) AS referral_code, @extschema@.import_clean(r.referred_by) AS referred_by,
		   @extschema@.import_clean(r.industry) AS industry, @extschema@.import_clean(r.tags) AS tags,
		   @extschema@.import_clean(r.need) AS need, @extschema@.import_clean(r.description) AS description,
		   @extschema@.import_clean(r.expected_revenue) AS expected_revenue,
		   @extschema@.import_clean(r.probability) AS probability, @extschema@.import_clean(r.priority) AS priority,
		   @extschema@.import_clean(r.salesperson_id) AS salesperson_id, @extschema@.import_clean(r.team_id) AS team_id,
		   @extschema@.import_clean(r.custom) AS custom, @extschema@.import_clean(r.lifecycle) AS lifecycle,
		   @extschema@.import_clean(r.status) AS status, @extschema@.import_clean(r.lost_reason) AS lost_reason,
		   @extschema@.import_clean(r.created_at) AS created_at) AS c
	 CROSS JOIN LATERAL (SELECT
		   CASE WHEN c.kind IS NULL THEN NULL
				WHEN @extschema@.vn_fold(c.kind) IN ('person', 'ca nhan', 'individual', 'khach le', 'ca the') THEN 'person'
				WHEN @extschema@.vn_fold(c.kind) IN ('business', 'doanh nghiep', 'cong ty', 'company', 'to chuc',
													 'organization', 'organisation', 'b2b') THEN 'business' END AS kind,
		   @extschema@.parse_vn_date(c.birthday) AS birthday,
		   c.phone,
		   c.phone IS NOT NULL AND @extschema@.normalize_phone(c.phone) IS NULL AS bad_phone,
		   c.email IS NOT NULL AND NOT @extschema@.is_valid_email(c.email) AS bad_email,
		   c.source,
		   -- "Cà phê, Tiêu", "Cà phê; Tiêu" or an array literal {coffee,pepper}
		   ARRAY(SELECT @extschema@.import_clean(g)
				   FROM regexp_split_to_table(CASE WHEN c.tags ~ '^\{.*\}$' THEN translate(c.tags, '{}"', '')
												   ELSE c.tags END, '[,;]') AS g
				  WHERE @extschema@.import_clean(g) IS NOT NULL) AS tags,
		   @extschema@.parse_vn_number(c.expected_revenue) AS expected_revenue,
		   @extschema@.parse_vn_number(c.probability) AS probability,
		   CASE WHEN c.priority ~ '^[0-3]$' THEN c.priority::smallint
				WHEN c.priority ~ '^(★|\*){1,3}$' THEN length(c.priority)::smallint END AS priority,
		   CASE WHEN c.salesperson_id IS NOT NULL
				THEN coalesce(people_map ->> c.salesperson_id, people_map ->> @extschema@.vn_fold(c.salesperson_id),
							  people_map ->> lower(c.salesperson_id))::bigint END AS salesperson_id,
		   CASE WHEN c.team_id IS NOT NULL
				THEN coalesce(team_map ->> c.team_id, team_map ->> @extschema@.vn_fold(c.team_id))::bigint END AS team_id,
		   CASE WHEN c.custom IS NOT NULL THEN @extschema@.import_json(c.custom) END AS custom_json,
		   @extschema@.parse_vn_timestamp(c.created_at, tz) AS created_at
		 -- not pulled up: each value is parsed once, not once per use
		 OFFSET 0) AS v
	 -- x1, x2 ...: custom fields converted by their type, other columns kept as "header: value"
	 CROSS JOIN LATERAL (SELECT
		   jsonb_object_agg(substr(u.target, 8), u.json) FILTER (WHERE u.target LIKE 'custom.%' AND u.json IS NOT NULL) AS custom,
		   string_agg(substr(u.target, 7) || ': ' || u.val, E'\n' ORDER BY u.k) FILTER (WHERE u.target LIKE 'extra:%') AS extra,
		   jsonb_agg(u.problem ORDER BY u.k) FILTER (WHERE u.problem IS NOT NULL) AS problems
		  FROM (SELECT y.k, y.target, y.val, y.json,
					   CASE WHEN y.target LIKE 'custom.%' AND (y.json IS NULL OR NOT y.allowed) THEN
						   @extschema@.import_problem(y.target, y.val, 'invalid_custom',
							   CASE WHEN y.json IS NULL
									THEN format('invalid value "%s" for custom field "%s" of type %s', y.val, y.label, y.type)
									ELSE format('value "%s" not allowed for custom field "%s"', y.val, y.label) END,
							   '22023',
							   CASE WHEN y.json IS NULL THEN
									CASE y.type WHEN 'integer' THEN 'Give a whole number.'
												WHEN 'number' THEN 'Give a number, e.g. 1.500.000 or 12,5.'
												WHEN 'boolean' THEN 'Give có or không (yes or no).'
												WHEN 'date' THEN 'Give a date, day first: 20/05/2025.'
												ELSE 'Give a value.' END
									ELSE format('Allowed values: %s.', y.allowed_list) END)
					   END AS problem
				  FROM (SELECT z.k, z.target, z.val, d ->> 'type' AS type, d ->> 'label' AS label,
							   (SELECT string_agg(a, ', ') FROM jsonb_array_elements_text(d -> 'allowed') AS a) AS allowed_list,
							   CASE d ->> 'type'
								   WHEN 'integer' THEN (SELECT to_jsonb(n) FROM (SELECT @extschema@.parse_vn_number(z.val) AS n) q
														 WHERE n = trunc(n))
								   WHEN 'number' THEN to_jsonb(@extschema@.parse_vn_number(z.val))
								   WHEN 'boolean' THEN to_jsonb(@extschema@.parse_vn_boolean(z.val))
								   WHEN 'date' THEN to_jsonb(@extschema@.parse_vn_date(z.val)::text)
								   WHEN 'multichoice' THEN (SELECT jsonb_agg(btrim(g)) FROM regexp_split_to_table(z.val, '[,;]') AS g
															 WHERE btrim(g) <> '')
								   ELSE to_jsonb(z.val) END AS json,
							   CASE WHEN d ->> 'type' = 'choice' THEN (d -> 'allowed') ? z.val
									WHEN d ->> 'type' = 'multichoice'
									THEN NOT EXISTS (SELECT FROM regexp_split_to_table(z.val, '[,;]') AS g
													  WHERE btrim(g) <> '' AND NOT (d -> 'allowed') ? btrim(g))
									ELSE true END AS allowed
						  FROM (SELECT w.k, w.target, @extschema@.import_clean(w.val) AS val
								  FROM unnest((ARRAY[r.x1, r.x2, r.x3, r.x4, r.x5, r.x6, r.x7, r.x8, r.x9, r.x10,
													 r.x11, r.x12, r.x13, r.x14, r.x15, r.x16, r.x17, r.x18, r.x19, r.x20,
													 r.x21, r.x22, r.x23, r.x24, r.x25, r.x26, r.x27, r.x28, r.x29, r.x30])[1:nx],
											  x_targets) WITH ORDINALITY AS w (val, target, k)
								 WHERE nx > 0 AND w.target <> 'ignore') z
						  LEFT JOIN LATERAL (SELECT custom_map -> substr(z.target, 8) AS d) dd ON true
						 WHERE z.val IS NOT NULL) y) u) AS x
	 CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
		   CASE WHEN c.full_name IS NULL THEN
				@extschema@.import_problem('full_name', NULL, 'required',
					format('missing required field "%s" (full_name)', labels ->> 'full_name'), '23502',
					'Every lead needs a name; fill it in and import the row again.') END,
		   CASE WHEN c.kind IS NOT NULL AND v.kind IS NULL THEN
				@extschema@.import_problem('kind', c.kind, 'invalid_kind',
					format('invalid lead type "%s"', c.kind), '22P02',
					'Write Cá nhân or Doanh nghiệp (person or business).') END,
		   CASE WHEN v.bad_phone AND NOT keep_invalid_contacts THEN
				@extschema@.import_problem('phone', c.phone, 'invalid_phone',
					format('invalid phone number "%s"', c.phone), '22P02',
					'Write a Vietnamese number such as 0912 345 678, 024 3825 1234 or +84 912 345 678; or import with keep_invalid_contacts to keep it flagged.') END,
		   CASE WHEN v.bad_email AND NOT keep_invalid_contacts THEN
				@extschema@.import_problem('email', c.email, 'invalid_email',
					format('invalid e-mail address "%s"', c.email), '22P02',
					'Write one address such as ten@congty.vn; or import with keep_invalid_contacts to keep it flagged.') END,
		   CASE WHEN c.birthday IS NOT NULL AND v.birthday IS NULL THEN
				@extschema@.import_problem('birthday', c.birthday, 'invalid_date',
					format('invalid date "%s" in %s (birthday)', c.birthday, labels ->> 'birthday'), '22007',
					'Write the day first, 20/05/1990, or 1990-05-20.') END,
		   CASE WHEN c.created_at IS NOT NULL AND v.created_at IS NULL THEN
				@extschema@.import_problem('created_at', c.created_at, 'invalid_date',
					format('invalid date and time "%s" in %s (created_at)', c.created_at, labels ->> 'created_at'), '22007',
					'Write 20/05/2025 14:30, 2025-05-20 14:30 or 2025-05-20T14:30:00+07:00.') END,
		   CASE WHEN c.expected_revenue IS NOT NULL AND v.expected_revenue IS NULL THEN
				@extschema@.import_problem('expected_revenue', c.expected_revenue, 'invalid_number',
					format('invalid number "%s" in %s (expected_revenue)', c.expected_revenue, labels ->> 'expected_revenue'), '22P02',
					'Write an amount such as 50.000.000, 50 triệu or 1,5 tỷ.')
				WHEN v.expected_revenue < 0 THEN
				@extschema@.import_problem('expected_revenue', c.expected_revenue, 'out_of_range',
					format('%s (expected_revenue) cannot be negative: %s', labels ->> 'expected_revenue', c.expected_revenue), '22003',
					'Give an amount of 0 or more.') END,
		   CASE WHEN c.probability IS NOT NULL AND v.probability IS NULL THEN
				@extschema@.import_problem('probability', c.probability, 'invalid_number',
					format('invalid number "%s" in %s (probability)', c.probability, labels ->> 'probability'), '22P02',
					'Give a percentage from 0 to 100, e.g. 30 or 30%.')
				WHEN v.probability NOT BETWEEN 0 AND 100 THEN
				@extschema@.import_problem('probability', c.probability, 'out_of_range',
					format('%s (probability) must be between 0 and 100: %s', labels ->> 'probability', c.probability), '22003',
					'Give a percentage from 0 to 100.') END,
		   CASE WHEN c.priority IS NOT NULL AND v.priority IS NULL THEN
				@extschema@.import_problem('priority', c.priority, 'out_of_range',
					format('invalid %s (priority) "%s"', labels ->> 'priority', c.priority), '22003',
					'Give 0 to 3 (stars).') END,
		   CASE WHEN c.salesperson_id IS NOT NULL AND coalesce(v.salesperson_id, 0) = 0 THEN
				@extschema@.import_problem('salesperson_id', c.salesperson_id, 'unknown_salesperson',
					CASE WHEN v.salesperson_id = 0 THEN format('several salespeople match "%s"', c.salesperson_id)
						 ELSE format('no salesperson "%s"', c.salesperson_id) END, '23503',
					'Give the id, e-mail, login role or the full name of one salesperson of lead_crm.salesperson.') END,
		   CASE WHEN c.team_id IS NOT NULL AND coalesce(v.team_id, 0) = 0 THEN
				@extschema@.import_problem('team_id', c.team_id, 'unknown_team',
					format('no single sales team "%s"', c.team_id), '23503',
					'Give the id or the name of a team of lead_crm.sales_team.') END,
		   CASE WHEN c.status IS NOT NULL AND NOT coalesce((state_map -> 'status') ? c.status
														   OR (state_map -> 'status') ? @extschema@.vn_fold(c.status), false) THEN
				@extschema@.import_problem('status', c.status, 'unknown_state',
					format('"%s" is not a state of the status workflow', c.status), 'LC003',
					format('Use one of: %s.', (SELECT string_agg(DISTINCT e.value, ', ') FROM jsonb_each_text(state_map -> 'status') e))) END,
		   CASE WHEN c.lifecycle IS NOT NULL AND NOT coalesce((state_map -> 'lifecycle') ? c.lifecycle
															  OR (state_map -> 'lifecycle') ? @extschema@.vn_fold(c.lifecycle), false) THEN
				@extschema@.import_problem('lifecycle', c.lifecycle, 'unknown_state',
					format('"%s" is not a stage of the lifecycle workflow', c.lifecycle), 'LC003',
					format('Use one of: %s.', (SELECT string_agg(DISTINCT e.value, ', ') FROM jsonb_each_text(state_map -> 'lifecycle') e))) END,
		   CASE WHEN c.custom IS NOT NULL AND (v.custom_json IS NULL OR jsonb_typeof(v.custom_json) <> 'object') THEN
				@extschema@.import_problem('custom', c.custom, 'invalid_custom',
					'custom fields must be a JSON object', '22023',
					'Write them as {"name": value, ...}.') END,
		   (SELECT @extschema@.import_problem('custom.' || k, NULL, 'invalid_custom',
					   format('unknown custom field "%s"', k), '22023',
					   'Define it first in lead_crm.custom_field, or leave it out.')
			  FROM jsonb_object_keys(CASE WHEN jsonb_typeof(v.custom_json) = 'object' THEN v.custom_json END) AS k
			 WHERE NOT custom_map ? k LIMIT 1),
		   (SELECT @extschema@.import_problem('custom.' || d.key, NULL, 'required',
					   format('missing required custom field "%s"', d.value ->> 'label'), '23502',
					   'Fill it in and import the row again.')
			  FROM jsonb_each(custom_map) AS d
			 WHERE (d.value ->> 'required')::boolean
			   AND NOT (CASE WHEN jsonb_typeof(v.custom_json) = 'object' THEN v.custom_json ELSE '{}' END
						|| coalesce(x.custom, '{}')) ? d.key
			 LIMIT 1),
		   (SELECT @extschema@.import_problem(f, NULL, 'required',
					   format('missing required field "%s" (%s)', labels ->> f, f), '23502',
					   format('Tenant %s requires %s on every lead.', t, f))
			  FROM unnest(required) AS f
			 WHERE @extschema@.import_clean(to_jsonb(r) ->> f) IS NULL LIMIT 1)
		   ]
		   || CASE WHEN strict_cat THEN ARRAY(
				SELECT @extschema@.import_problem(q.field, q.val, 'unknown_value',
						   format('value "%s" is not in the catalogue of %s (%s)', q.val, labels ->> q.field, q.field),
						   '23503', format('Use a code or label of lead_crm.%s (%s), or add it there first.',
										   CASE q.cat WHEN 'campaign' THEN 'campaign' ELSE 'catalog_item' END, q.cat))
				  FROM (VALUES ('source', 'source', v.source), ('campaign', 'campaign', c.campaign),
							   ('medium', 'medium', c.medium), ('industry', 'industry', c.industry),
							   ('lost_reason', 'lost_reason', c.lost_reason),
							   ('marital_status', 'marital_status', c.marital_status)) AS q (field, cat, val)
				 WHERE q.val IS NOT NULL
				   AND NOT coalesce((cat_map -> q.cat) ? q.val OR (cat_map -> q.cat) ? @extschema@.vn_fold(q.val), false)
				UNION ALL
				SELECT @extschema@.import_problem('tags', g, 'unknown_value',
						   format('value "%s" is not in the catalogue of %s (tags)', g, labels ->> 'tags'),
						   '23503', 'Use a code or label of lead_crm.catalog_item (tag), or add it there first.')
				  FROM unnest(v.tags) AS g
				 WHERE NOT coalesce((cat_map -> 'tag') ? g OR (cat_map -> 'tag') ? @extschema@.vn_fold(g), false))
			  ELSE '{}'::jsonb[] END, NULL) AS list) AS pr;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_parse(@extschema@.import_row[], text[], text, boolean, jsonb) IS
'parses and checks staging rows without writing: lead values typed (dates day first, amounts as 50.000.000 or 50 triệu, labels of salespeople and teams) and a JSON array of problems (NULL when none)';

------------------------------------------------------------------------------
-- Importing
------------------------------------------------------------------------------

-- Parses a set of staging rows, writes their problems and inserts the good
-- ones with ids taken in advance; returns the staging rows inserted (seq) and
-- their leads, for the caller to link. The caller runs it in a
-- subtransaction: all of it happens or none.
CREATE OR REPLACE FUNCTION @extschema@.import_apply(batch @extschema@.import_batch,
													rows @extschema@.import_row[],
													config jsonb DEFAULT NULL,
													OUT seqs bigint[], OUT lead_ids bigint[])
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	lead_seq regclass := pg_catalog.pg_get_serial_sequence('@extschema@.lead', 'id')::regclass;
BEGIN
	WITH p AS MATERIALIZED (
		SELECT x.*, CASE WHEN x.problems IS NULL THEN nextval(lead_seq) END AS new_id
		  FROM @extschema@.import_parse(rows, batch.x_targets, batch.source, batch.keep_invalid_contacts, config) x
	), errors AS (
		INSERT INTO @extschema@.import_error (tenant_id, batch_id, seq, row_no, field, value, problem,
											  reason, sqlstate, hint)
		SELECT batch.tenant_id, batch.id, p.seq, p.row_no, q ->> 'field', q ->> 'value', q ->> 'problem',
			   q ->> 'reason', q ->> 'sqlstate', q ->> 'hint'
		  FROM p CROSS JOIN LATERAL jsonb_array_elements(p.problems) AS q
	), leads AS (
		INSERT INTO @extschema@.lead (tenant_id, id, kind, full_name, company_name, job_title, birthday,
			phone, email, facebook, zalo, website, tax_code, marital_status, street, ward, district,
			province, country, source, campaign, medium, referral_code, referred_by, industry, tags,
			need, description, expected_revenue, probability, priority, salesperson_id, team_id,
			custom, lifecycle, status, lost_reason, created_at)
		SELECT batch.tenant_id, p.new_id, coalesce(p.kind, 'person'), p.full_name, p.company_name,
			   p.job_title, p.birthday, p.phone, p.email, p.facebook, p.zalo, p.website, p.tax_code,
			   p.marital_status, p.street, p.ward, p.district, p.province, coalesce(p.country, 'VN'),
			   p.source, p.campaign, p.medium, p.referral_code, p.referred_by, p.industry,
			   coalesce(p.tags, '{}'), p.need, p.description, p.expected_revenue, p.probability,
			   coalesce(p.priority, 0), p.salesperson_id, p.team_id, p.custom, p.lifecycle, p.status,
			   p.lost_reason, coalesce(p.created_at, pg_catalog.now())
		  FROM p
		 WHERE p.new_id IS NOT NULL
		 ORDER BY p.seq
	)
	SELECT coalesce(array_agg(p.seq ORDER BY p.seq), '{}'), coalesce(array_agg(p.new_id ORDER BY p.seq), '{}')
	  INTO seqs, lead_ids
	  FROM p WHERE p.new_id IS NOT NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_apply(@extschema@.import_batch, @extschema@.import_row[], jsonb) IS
'internal: parses staging rows, records their problems, inserts the good ones as leads; returns the staging rows inserted and their lead ids';

-- What a refusal by the database means for the user.
CREATE OR REPLACE FUNCTION @extschema@.import_problem_of(sqlstate text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
	SELECT CASE sqlstate WHEN '23505' THEN 'duplicate' WHEN '23502' THEN 'required'
						 WHEN '23503' THEN 'unknown_value' WHEN 'LC003' THEN 'unknown_state'
						 WHEN '22023' THEN 'invalid_custom' ELSE 'refused' END
$$;
COMMENT ON FUNCTION @extschema@.import_problem_of(text) IS
'internal: the import problem code of an error raised while inserting a row (23505 duplicate, 23502 required, ...)';

-- One chunk of staging rows in a subtransaction. A row the lead triggers
-- refuse (a duplicate under the block policy ...) fails the whole slice it is
-- in: the slice is halved until the refused rows stand alone, so k refusals
-- in a chunk of n cost about k log n tries, and each refusal is recorded with
-- the database's own error. Returns the rows inserted and their leads.
CREATE OR REPLACE FUNCTION @extschema@.import_chunk(batch @extschema@.import_batch,
													rows @extschema@.import_row[],
													config jsonb,
													OUT seqs bigint[], OUT lead_ids bigint[])
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	slices int4range[] := ARRAY[int4range(1, cardinality(rows), '[]')];
	slice int4range;
	half integer;
	one @extschema@.import_row;
	done record;
	e_state text;
	e_message text;
	e_detail text;
	e_hint text;
	e_column text;
BEGIN
	seqs := '{}';
	lead_ids := '{}';
	WHILE cardinality(slices) > 0 LOOP
		slice := slices[cardinality(slices)];
		slices := slices[1:cardinality(slices) - 1];
		BEGIN
			SELECT * INTO done FROM @extschema@.import_apply(batch, rows[lower(slice):upper(slice) - 1], config);
			seqs := seqs || done.seqs;
			lead_ids := lead_ids || done.lead_ids;
		EXCEPTION WHEN OTHERS THEN
			IF upper(slice) - lower(slice) > 1 THEN
				half := (lower(slice) + upper(slice)) / 2;
				slices := slices || int4range(half, upper(slice)) || int4range(lower(slice), half);
			ELSE
				one := rows[lower(slice)];
				GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
										e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT,
										e_column = COLUMN_NAME;
				INSERT INTO @extschema@.import_error (tenant_id, batch_id, seq, row_no, field, value,
													  problem, reason, sqlstate, detail, hint)
				VALUES (batch.tenant_id, batch.id, one.seq, one.row_no, nullif(e_column, ''),
						CASE WHEN nullif(e_column, '') IS NOT NULL
							 THEN left(pg_catalog.to_jsonb(one) ->> e_column, 200) END,
						@extschema@.import_problem_of(e_state), e_message, e_state,
						nullif(e_detail, ''), nullif(e_hint, ''));
			END IF;
		END;
	END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_chunk(@extschema@.import_batch, @extschema@.import_row[], jsonb) IS
'internal: imports staging rows in subtransactions, halving refused slices until refused rows stand alone; returns the rows inserted and their lead ids';

CREATE OR REPLACE FUNCTION @extschema@.import_leads(batch_id bigint, chunk_size integer DEFAULT 1000)
RETURNS TABLE (rows bigint, inserted bigint, failed bigint, errors bigint, pending bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t integer := @extschema@.current_tenant();
	b @extschema@.import_batch;
	chunk @extschema@.import_row[] := '{}';
	one @extschema@.import_row;
	numbers jsonb;
	config jsonb;
	done_seqs bigint[];
	done_leads bigint[];
	linked_seqs bigint[] := '{}';
	linked_leads bigint[] := '{}';
	links jsonb;
BEGIN
	IF chunk_size IS NULL OR chunk_size < 1 THEN
		RAISE EXCEPTION 'invalid chunk size %', coalesce(chunk_size::text, 'NULL')
			USING ERRCODE = '22023', HINT = 'Give 1 (a subtransaction per row) or more; the default is 1000.';
	END IF;
	SELECT * INTO b FROM @extschema@.import_batch x
	 WHERE x.tenant_id = t AND x.id = import_leads.batch_id
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'import batch % does not exist', coalesce(import_leads.batch_id::text, 'NULL')
			USING ERRCODE = 'P0002',
				  DETAIL = format('Tenant %s has no import batch with id %s.', t, coalesce(import_leads.batch_id::text, 'NULL')),
				  HINT = 'Open one with lead_crm.import_begin() and load its rows first; batches are looked up in the session''s tenant.';
	END IF;

	-- The staging table has just grown by a file and its statistics do not
	-- know it yet: a plan that looks its rows up by a condition once per chunk
	-- may scan the whole batch each time. So the batch is read once, in order,
	-- and written back twice, each time in one statement over the batch.
	PERFORM FROM @extschema@.import_row x WHERE x.tenant_id = t AND x.batch_id = b.id FOR UPDATE;

	-- row numbers as the spreadsheet shows them (the header is row 1)
	SELECT jsonb_object_agg(n.seq::text, n.rn) INTO numbers
	  FROM (SELECT x.seq, x.row_no,
				   pg_catalog.row_number() OVER (ORDER BY x.seq) + CASE WHEN b.has_header THEN 1 ELSE 0 END AS rn
			  FROM @extschema@.import_row x WHERE x.tenant_id = t AND x.batch_id = b.id) n
	 WHERE n.row_no IS NULL;
	IF numbers IS NOT NULL THEN
		UPDATE @extschema@.import_row r SET row_no = (numbers ->> r.seq::text)::integer
		 WHERE r.tenant_id = t AND r.batch_id = b.id AND r.row_no IS NULL;
	END IF;
	config := @extschema@.import_config(t);
	-- a new run checks the rows not inserted yet afresh (inserted rows have no errors)
	DELETE FROM @extschema@.import_error e WHERE e.tenant_id = t AND e.batch_id = b.id;

	FOR one IN
		SELECT * FROM @extschema@.import_row x
		 WHERE x.tenant_id = t AND x.batch_id = b.id AND x.lead_id IS NULL
		 ORDER BY x.seq
	LOOP
		chunk := chunk || one;
		IF cardinality(chunk) = chunk_size THEN
			SELECT f.seqs, f.lead_ids INTO done_seqs, done_leads FROM @extschema@.import_chunk(b, chunk, config) f;
			linked_seqs := linked_seqs || done_seqs;
			linked_leads := linked_leads || done_leads;
			chunk := '{}';
		END IF;
	END LOOP;
	IF cardinality(chunk) > 0 THEN
		SELECT f.seqs, f.lead_ids INTO done_seqs, done_leads FROM @extschema@.import_chunk(b, chunk, config) f;
		linked_seqs := linked_seqs || done_seqs;
		linked_leads := linked_leads || done_leads;
	END IF;
	-- each inserted staging row learns its lead
	IF cardinality(linked_seqs) > 0 THEN
		SELECT jsonb_object_agg(u.seq::text, u.lead) INTO links
		  FROM unnest(linked_seqs, linked_leads) AS u (seq, lead);
		UPDATE @extschema@.import_row r SET lead_id = (links ->> r.seq::text)::bigint
		 WHERE r.tenant_id = t AND r.batch_id = b.id AND r.lead_id IS NULL AND links ? r.seq::text;
	END IF;
	UPDATE @extschema@.import_batch x SET imported_at = pg_catalog.now()
	 WHERE x.tenant_id = t AND x.id = b.id;

	RETURN QUERY
	SELECT s.rows, s.inserted, s.failed, s.errors, s.pending
	  FROM @extschema@.import_summary s WHERE s.batch_id = b.id;
END;
$$;
COMMENT ON FUNCTION @extschema@.import_leads(bigint, integer) IS
'imports the rows of a batch not inserted yet: checks each, inserts the good ones as leads (import_row.lead_id), writes one import_error row per problem; rows are tried chunk_size at a time in one subtransaction, a refused chunk halved until the refused rows stand alone; returns rows, inserted, failed, errors, pending';

------------------------------------------------------------------------------
-- Reports
------------------------------------------------------------------------------

-- pending: rows no run has looked at yet (loaded after the last import_leads)
CREATE OR REPLACE VIEW @extschema@.import_summary WITH (security_invoker = true) AS
SELECT b.tenant_id,
	   b.id AS batch_id,
	   b.file_name,
	   b.source,
	   b.created_by,
	   b.created_at,
	   b.imported_at,
	   coalesce(r.rows, 0) AS rows,
	   coalesce(r.inserted, 0) AS inserted,
	   coalesce(e.failed, 0) AS failed,
	   coalesce(r.rows, 0) - coalesce(r.inserted, 0) - coalesce(e.failed, 0) AS pending,
	   coalesce(e.errors, 0) AS errors
  FROM @extschema@.import_batch b
  LEFT JOIN LATERAL (SELECT pg_catalog.count(*) AS rows,
							pg_catalog.count(*) FILTER (WHERE x.lead_id IS NOT NULL) AS inserted
					   FROM @extschema@.import_row x
					  WHERE x.tenant_id = b.tenant_id AND x.batch_id = b.id) r ON true
  LEFT JOIN LATERAL (SELECT pg_catalog.count(*) AS errors, pg_catalog.count(DISTINCT x.seq) AS failed
					   FROM @extschema@.import_error x
					  WHERE x.tenant_id = b.tenant_id AND x.batch_id = b.id) e ON true
 WHERE b.tenant_id = @extschema@.current_tenant();
COMMENT ON VIEW @extschema@.import_summary IS
'per import batch of the current tenant: rows loaded, inserted, failed (with errors), pending (not imported yet) and the number of errors';

CREATE OR REPLACE VIEW @extschema@.import_error_summary WITH (security_invoker = true) AS
SELECT e.tenant_id,
	   e.batch_id,
	   e.problem,
	   e.field,
	   e.sqlstate,
	   pg_catalog.count(*) AS errors,
	   pg_catalog.min(e.row_no) AS first_row,
	   (pg_catalog.array_agg(e.value ORDER BY e.row_no) FILTER (WHERE e.value IS NOT NULL))[1] AS example_value,
	   (pg_catalog.array_agg(e.reason ORDER BY e.row_no))[1] AS example_reason
  FROM @extschema@.import_error e
 WHERE e.tenant_id = @extschema@.current_tenant()
 GROUP BY e.tenant_id, e.batch_id, e.problem, e.field, e.sqlstate;
COMMENT ON VIEW @extschema@.import_error_summary IS
'errors of each import batch of the current tenant grouped by problem, field and SQLSTATE, with the first row and an example';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.import_batch', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.import_row', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.import_error', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.import_batch', 'id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.import_row', 'seq')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.import_error', 'id')::regclass, '');

#!/usr/bin/env bash
# Every SQL function of lead_crm fed hostile inputs: NULLs, empty and 1 MB
# strings, odd Unicode, invalid phones, injection-looking text, extreme numbers,
# broken JSON shapes. Each argument position in turn gets each value while the
# others keep an ordinary one. No call may crash the backend or end in an
# internal error (SQLSTATE XX000); errors must be specific. Then: no memory
# growth over 1M calls in one session.
. "$(dirname "$0")/tap.bash"
db=lead_crm_hostile
fresh_db $db
trap 'psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT

q -d $db <<'SQL' >/dev/null
INSERT INTO lead_crm.lead (id, full_name, phone, email) VALUES
	(1, 'Nguyễn Văn An', '0912345678', 'an@gmail.com'), (2, 'Trần Thị Bình', '0987654321', 'binh@gmail.com');
CREATE TABLE hostile_value (type regtype, value text, ordinary boolean DEFAULT false);
INSERT INTO hostile_value (type, value, ordinary) VALUES
	('text', 'Nguyễn Văn An', true), ('text', NULL, false), ('text', '', false), ('text', '   ', false),
	('text', repeat('a', 1048576), false), ('text', repeat('ệ', 350000), false),
	('text', normalize('Nguyễn Thị Hoà', NFD), false), ('text', E'\u200b\u200d\u202e\ufeff', false),
	('text', '😀🇻🇳 ∑ ﷽', false), ('text', $$'; DROP TABLE lead_crm.lead; --$$, false),
	('text', '%_\\*?', false), ('text', '0912345678', false), ('text', '01685682808', false),
	('text', '+84 (0) 912-345-678 ext. 99', false), ('text', 'not-a-phone-#!', false),
	('text', 'a@b', false), ('text', 'x@', false),
	('integer', '1', true), ('integer', NULL, false), ('integer', '0', false), ('integer', '-1', false),
	('integer', '2147483647', false),
	('bigint', '1', true), ('bigint', NULL, false), ('bigint', '0', false), ('bigint', '-1', false),
	('bigint', '9223372036854775807', false),
	('real', '0.5', true), ('real', NULL, false), ('real', '-1', false), ('real', 'NaN', false),
	('real', 'Infinity', false),
	('numeric', '1', true), ('numeric', NULL, false), ('numeric', '-1', false), ('numeric', 'NaN', false),
	('boolean', 'false', true), ('boolean', NULL, false), ('boolean', 'true', false),
	('jsonb', '{}', true), ('jsonb', NULL, false), ('jsonb', '[]', false), ('jsonb', '"x"', false),
	('jsonb', 'null', false), ('jsonb', '{"full_name": null, "phone": [1, {"a": 2}]}', false),
	('jsonb', '{"full_name": "' || repeat('x', 100000) || '"}', false),
	('timestamp with time zone', '2026-01-01 09:00+07', true), ('timestamp with time zone', NULL, false),
	('timestamp with time zone', 'infinity', false), ('timestamp with time zone', '-infinity', false),
	('date', '2026-01-01', true), ('date', NULL, false), ('date', 'infinity', false),
	('text[]', '{a}', true), ('text[]', NULL, false), ('text[]', '{}', false), ('text[]', '{NULL}', false),
	('text[]', (SELECT array_agg(i::text)::text FROM generate_series(1, 10000) i), false),
	('bigint[]', '{2}', true), ('bigint[]', NULL, false), ('bigint[]', '{}', false),
	('bigint[]', '{NULL}', false), ('bigint[]', '{1,1,-1}', false),
	('real[]', '{0.5}', true), ('real[]', NULL, false),
	('lead_crm.phone', '+84912345678', true), ('lead_crm.phone', NULL, false),
	('name', 'x', true), ('name', NULL, false),
	('regrole', NULL, true);
CREATE TABLE hostile_result (fn text, arg integer, value text, sqlstate text, message text);
SQL
ok $? "hostile values prepared"

# One function at a time, each in its own psql, so a crash names the function.
functions=$(q -d $db -c "
SELECT p.oid FROM pg_proc p
 WHERE p.pronamespace = 'lead_crm'::regnamespace AND p.prokind = 'f'
   AND p.prorettype NOT IN ('trigger'::regtype, 'internal'::regtype, 'cstring'::regtype)
   AND NOT EXISTS (SELECT FROM unnest(p.proargtypes) t WHERE t IN ('internal'::regtype, 'cstring'::regtype))
 ORDER BY p.oid")
crashed=""
untyped=""
n_fn=0
for f in $functions; do
	n_fn=$((n_fn + 1))
	out=$(psql -qXAt -d $db -v ON_ERROR_STOP=1 -v fn="$f" 2>&1 <<'SQL'
SET statement_timeout = '20s';
SELECT set_config('hostile.fn', :'fn', false) \gset
DO $$
DECLARE
	f oid := current_setting('hostile.fn')::oid;
	argtypes oid[];
	nargs int;
	i int;
	v record;
	args text[];
	call text;
	state text;
	msg text;
BEGIN
	SELECT p.proargtypes::oid[], p.pronargs INTO argtypes, nargs FROM pg_proc p WHERE p.oid = f;
	-- the ordinary value of each argument (NULL where the type has none: then it is the test)
	args := ARRAY(SELECT coalesce((SELECT quote_nullable(h.value) || '::' || h.type::text
									  FROM hostile_value h WHERE h.type = t AND h.ordinary),
								  'NULL::' || t::regtype::text)
					FROM unnest(argtypes) WITH ORDINALITY AS a(t, n) ORDER BY n);
	FOR i IN 0 .. nargs LOOP
		FOR v IN SELECT h.value, h.type FROM hostile_value h
				  WHERE i > 0 AND h.type = argtypes[i - 1] AND NOT h.ordinary
				  UNION ALL SELECT NULL, NULL WHERE i = 0
		LOOP
			call := format('SELECT %s(%s)', f::regproc,
						   array_to_string(CASE WHEN i = 0 THEN args
												ELSE args[1:i - 1] || (quote_nullable(v.value) || '::' || v.type::text)
													 || args[i + 1:] END, ', '));
			BEGIN
				EXECUTE call;
				state := '00000';
				msg := NULL;
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
			END;
			INSERT INTO hostile_result VALUES (f::regprocedure::text, i, left(v.value, 40), state, left(msg, 200));
		END LOOP;
	END LOOP;
END;
$$;
SQL
)
	if ! psql -qXAt -d $db -c 'SELECT 1' >/dev/null 2>&1 || printf '%s' "$out" | grep -q 'server closed the connection'; then
		crashed="$crashed $(q -d $db -c "SELECT $f::regprocedure")"
		sleep 2
	fi
done
ok $([ -z "$crashed" ]; echo $?) "no crash in any of $n_fn functions${crashed:+:$crashed}"
is "$(q -d $db -c "SELECT count(DISTINCT fn) FROM hostile_result")" "$n_fn" "every function was called"
internal=$(q -d $db -c "SELECT string_agg(DISTINCT fn || ' arg ' || arg || ': ' || message, E'\n') FROM hostile_result WHERE sqlstate LIKE 'XX%'")
is "$internal" "" "no internal error (XX000) from $(q -d $db -c 'SELECT count(*) FROM hostile_result') calls"
echo "# $(q -d $db -c "SELECT count(*) FILTER (WHERE sqlstate = '00000') || ' calls succeeded, ' || count(*) FILTER (WHERE sqlstate <> '00000') || ' gave errors with ' || count(DISTINCT sqlstate) FILTER (WHERE sqlstate <> '00000') || ' different SQLSTATEs' FROM hostile_result")"

# memory: 1M calls in one session must not grow the backend's memory
grow=$(q -d $db <<'SQL'
CREATE TEMP TABLE m (phase text, bytes bigint);
PREPARE calls(int) AS
SELECT count(lead_crm.vn_fold('Nguyễn Văn Ánh ' || i)) + count(lead_crm.vn_normalize('Hòa ' || i))
	 + count(lead_crm.telex_to_vn('Nguyeenx ' || i)) + count(lead_crm.normalize_phone('0912' || lpad(i::text, 6, '0')))
	 + count(lead_crm.normalize_email('An.' || i || '+x@gmail.com')) + count(lead_crm.normalize_company('Cty TNHH ' || i))
	 + count(lead_crm.normalize_province('TP.HCM')) + count(lead_crm.parse_name('An Nguyen ' || i))
	 + count(lead_crm.current_tenant())
  FROM generate_series(1, $1) i;
EXECUTE calls(10000);   -- warm the caches first
INSERT INTO m SELECT 'before', sum(total_bytes) FROM pg_backend_memory_contexts;
EXECUTE calls(1000000);
INSERT INTO m SELECT 'after', sum(total_bytes) FROM pg_backend_memory_contexts;
SELECT (SELECT bytes FROM m WHERE phase = 'after') - (SELECT bytes FROM m WHERE phase = 'before');
SQL
)
grow=$(printf '%s\n' "$grow" | tail -1)
[ "$grow" -lt 1048576 ]
ok $? "1M calls of each text and key function in one session: memory grew by $grow bytes (< 1 MB)"

done_testing

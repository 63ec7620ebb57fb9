-- lead_crm.phone: input formats, old forms mapped, errors, functions, operator
-- classes (unique btree, hash), binary I/O. Uses no tenant rows.
\set SHOW_CONTEXT never
\set VERBOSITY default

-- every common way of writing one number gives one value
SELECT v AS typed, v::lead_crm.phone AS phone
  FROM unnest(ARRAY['0912345678', '0912 345 678', '0912.345.678', '+84 91 234 5678',
                    '84912345678', '(+84) 912-345-678', '+84 0912 345 678', '0084 912 345 678',
                    '912345678', '''0912345678', 'tel:+84912345678']) AS v;

-- old forms: 11-digit mobiles (2018), old area codes (2017), collision rule
SELECT v AS typed, lead_crm.normalize_phone(v) AS e164,
       lead_crm.phone_kind(lead_crm.phone_or_null(v)) AS kind,
       lead_crm.phone_carrier(lead_crm.phone_or_null(v)) AS carrier,
       lead_crm.phone_province(lead_crm.phone_or_null(v)) AS province,
       lead_crm.phone_format(lead_crm.phone_or_null(v)) AS national
  FROM unnest(ARRAY['0162 765 4321', '0120 765 4321', '0199 765 4321', '(04) 3825 1234',
                    '024 3825 1234', '0511 382 1234', '0236 382 1234', '0650 382 1234',
                    '08 3823 4567', '08 9023 4567', '031 382 1234', '1800 1234', '1900 545454',
                    '0992 123 456', '+1 650 253 0000', '+44 (0)20 7946 0000']) AS v;

-- normalize_phone never fails: NULL for anything that is not a number
SELECT lead_crm.normalize_phone(NULL) IS NULL AS null_in,
       lead_crm.normalize_phone('') IS NULL AS empty,
       lead_crm.normalize_phone(repeat('0912345678', 100000)) IS NULL AS one_mb,
       lead_crm.normalize_phone(E'0912\u00a0345\u00a0678') AS nbsp,
       lead_crm.normalize_phone('０９１２３４５６７８') IS NULL AS fullwidth_digits,
       lead_crm.normalize_phone(E'0912\x01345678') IS NULL AS control_char,
       lead_crm.normalize_phone(E'\uFFFD0912345678') IS NULL AS replacement_char;

-- the type refuses bad input with 22P02, the value and a hint
SELECT ''::lead_crm.phone;
SELECT '0912'::lead_crm.phone;
SELECT '0912abc678'::lead_crm.phone;
SELECT '0912345678 / 0987654321'::lead_crm.phone;
SELECT '0212345678'::lead_crm.phone;
SELECT '+999 123 4567'::lead_crm.phone;
SELECT '+1 650 253'::lead_crm.phone;
SELECT '0912345678+'::lead_crm.phone;
-- a 1 MB value: the error quotes only its start
DO $$
DECLARE
	detail text;
BEGIN
	PERFORM repeat('9', 1000000)::lead_crm.phone;
EXCEPTION WHEN invalid_text_representation THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RAISE NOTICE 'caught 22P02, detail of % characters: %...', length(detail), left(detail, 30);
END $$;

-- casts
SELECT '0912 345 678'::text::lead_crm.phone::text AS round_trip;
SELECT lead_crm.phone_or_null('garbage') IS NULL AS or_null;

-- a phone column as a unique key: two spellings of one number collide.
-- Operators are found through search_path (or written OPERATOR(lead_crm.=)).
SET search_path = public, lead_crm;
CREATE TEMP TABLE contact (id int, phone lead_crm.phone UNIQUE);
INSERT INTO contact VALUES (1, '0912 345 678'), (2, '0162 765 4321'), (3, '+84 24 3825 1234');
INSERT INTO contact VALUES (4, '+84 912 345 678');
INSERT INTO contact VALUES (5, '0327654321');
INSERT INTO contact SELECT g, lead_crm.phone_or_null('09' || lpad(g::text, 8, '0')) FROM generate_series(10, 2000) g;
ANALYZE contact;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM contact WHERE phone = '(04) 3825 1234';
SELECT id FROM contact WHERE phone = '(04) 3825 1234';
SELECT id, phone FROM contact WHERE phone < '0900000020' ORDER BY phone LIMIT 3;
CREATE INDEX contact_phone_hash ON contact USING hash (phone);
EXPLAIN (COSTS OFF) SELECT id FROM contact WHERE phone = '0912345678';
SELECT id FROM contact WHERE phone = '0912345678';
RESET enable_seqscan;
SELECT count(DISTINCT phone) FROM contact;
SET enable_sort = off;
SELECT phone, count(*) FROM contact WHERE id < 5 GROUP BY phone ORDER BY 1;
RESET enable_sort;
SELECT opcname, amname, amvalidate(opc.oid)
  FROM pg_opclass opc JOIN pg_am am ON am.oid = opc.opcmethod
 WHERE opcname IN ('phone_ops', 'phone_hash_ops') ORDER BY 1;

-- binary I/O round trip
COPY (SELECT id, phone FROM contact WHERE id < 5 ORDER BY id) TO '/tmp/lead_crm_phone_regress.bin' (FORMAT binary);
CREATE TEMP TABLE contact_copy (id int, phone lead_crm.phone);
COPY contact_copy FROM '/tmp/lead_crm_phone_regress.bin' (FORMAT binary);
SELECT * FROM contact_copy ORDER BY id;
RESET search_path;
SELECT lead_crm.phone_send('0912345678') AS send;

-- the area-code table
SELECT count(*), count(DISTINCT area_code), count(DISTINCT province) FROM lead_crm.phone_area_codes();
SELECT * FROM lead_crm.phone_area_codes() WHERE area_code IN ('024', '0204', '0236', '0297');

-- Phones and matching keys: SQLSTATEs, honest declarations, loading a lead with
-- malformed values (flagged, not refused).
BEGIN;
SELECT plan(14);

SELECT throws_ok($$SELECT '0912'::lead_crm.phone$$, '22P02', 'invalid input syntax for type phone',
	'a short number is 22P02');
SELECT throws_ok($$SELECT 'abc'::lead_crm.phone$$, '22P02', NULL, 'letters are 22P02');
SELECT throws_ok($$SELECT repeat('1', 1000000)::lead_crm.phone$$, '22P02', NULL, '1 MB of digits is 22P02');
SELECT lives_ok($$SELECT lead_crm.normalize_phone(x) FROM (VALUES ('abc'), (''), ('0912'), (repeat('x', 1000000))) v(x)$$,
	'normalize_phone never raises');
SELECT is(lead_crm.normalize_phone('(+84) 912-345-678'), '+84912345678', 'normalize_phone');
SELECT ok('0162 765 4321'::lead_crm.phone OPERATOR(lead_crm.=) '+84 32 765 4321'::lead_crm.phone,
	'an old mobile and its new form are equal');

SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_proc p
	 WHERE p.pronamespace = 'lead_crm'::regnamespace
	   AND p.proname IN ('normalize_phone', 'normalize_email', 'normalize_company', 'normalize_province',
	                     'parse_name', 'phone_or_null', 'phone_kind', 'phone_carrier', 'phone_province',
	                     'phone_format', 'is_valid_email')
	   AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's')
$$, 'key functions are IMMUTABLE STRICT PARALLEL SAFE');
SELECT is_empty($$
	SELECT opc.opcname FROM pg_opclass opc
	 WHERE opc.opcname IN ('phone_ops', 'phone_hash_ops') AND NOT amvalidate(opc.oid)
$$, 'phone operator classes validate');
SELECT is((SELECT count(*)::int FROM pg_opclass WHERE opcintype = 'lead_crm.phone'::regtype AND opcdefault), 2,
	'btree and hash are default for phone');

SET LOCAL lead_crm.tenant = 32;
SELECT lives_ok($$INSERT INTO lead_crm.lead (full_name, phone, email) VALUES ('Khóa Kiểm Thử', '0912 34', 'x@')$$,
	'a lead with a malformed phone and e-mail loads');
SELECT row_eq($$SELECT phone, phone_e164, phone_invalid, email, email_invalid FROM lead_crm.lead
	             WHERE tenant_id = 32 AND full_name = 'Khóa Kiểm Thử'$$,
	ROW('0912 34'::text, NULL::lead_crm.phone, true, 'x@'::text, true),
	'what was typed is kept, the normalized phone is NULL, both flags are set');
SELECT lives_ok($$UPDATE lead_crm.lead SET phone = '+84 912 345 678', email = 'X@Gmail.com'
	              WHERE tenant_id = 32 AND full_name = 'Khóa Kiểm Thử'$$, 'fixing them is an update');
SELECT row_eq($$SELECT phone_e164::text, phone_invalid, email_key, email_invalid FROM lead_crm.lead
	             WHERE tenant_id = 32 AND full_name = 'Khóa Kiểm Thử'$$,
	ROW('+84912345678'::text, false, 'x@gmail.com'::text, false), 'and the keys follow');
SELECT is((SELECT count(*)::int FROM lead_crm.lead_history h JOIN lead_crm.lead l ON l.tenant_id = h.tenant_id AND l.id = h.lead_id
	        WHERE l.tenant_id = 32 AND h.field IN ('phone_e164', 'email_key', 'phone_invalid', 'email_invalid')), 0,
	'generated columns are no history of their own');

SELECT * FROM finish();
ROLLBACK;

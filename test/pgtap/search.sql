-- lead_crm.search: SQLSTATEs, honest declarations, operator classes, and
-- row-level security: search runs with the caller's rights, sees only the rows
-- the policy lets through, and its index conditions still use the indexes.
BEGIN;
SELECT plan(17);

SELECT throws_ok($$SELECT * FROM lead_crm.search(repeat('a', 201))$$, '54000', 'search query is too long',
	'a query of more than 200 characters is 54000');
SELECT throws_ok($$SELECT * FROM lead_crm.search(repeat('Nguyễn ', 200000))$$, '54000', NULL, '1 MB is 54000');
SELECT throws_ok($$SELECT * FROM lead_crm.search('An', 0)$$, '22023', 'max_results must be between 1 and 1000',
	'max_results 0 is 22023');
SELECT lives_ok($$SELECT * FROM lead_crm.search(repeat('a', 200))$$, '200 characters are searched');

SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_proc p
	 WHERE p.oid = 'lead_crm.search(text, integer)'::regprocedure
	   AND NOT (p.provolatile = 's' AND p.proisstrict AND p.proparallel = 'u' AND NOT p.prosecdef)
$$, 'search is STABLE STRICT PARALLEL UNSAFE (it sets pg_trgm''s threshold for itself), not SECURITY DEFINER');
SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_proc p
	 WHERE p.pronamespace = 'lead_crm'::regnamespace
	   AND p.proname IN ('search_keys', 'search_document', 'phone_digits', 'phone_suffix_key',
	                     'search_keys_contain', 'search_keys_overlap')
	   AND NOT (p.provolatile = 'i' AND p.proleakproof AND p.proparallel = 's')
$$, 'what the search indexes are built on is IMMUTABLE, LEAKPROOF, PARALLEL SAFE');
SELECT ok((SELECT proleakproof AND provolatile = 's' FROM pg_proc
            WHERE oid = 'lead_crm.search_word_match(text, text)'::regprocedure),
	'the trigram operator is LEAKPROOF and STABLE (it reads pg_trgm.word_similarity_threshold)');
SELECT is_empty($$
	SELECT opc.opcname FROM pg_opclass opc
	 WHERE opc.opcname IN ('search_key_ops', 'search_trgm_ops') AND NOT amvalidate(opc.oid)
$$, 'the search operator classes validate');

-- tenant 603 under lead_crm's own policies (sql/99_security.sql): a salesperson
-- of team 1 sees the leads of team 1, not a namesake of team 2
SET LOCAL lead_crm.tenant = 603;
SET LOCAL lead_crm.auto_assign = off;
INSERT INTO lead_crm.sales_team (id, name) VALUES (1, 'Miền Bắc'), (2, 'Miền Nam');
INSERT INTO lead_crm.salesperson (id, full_name, team_id) VALUES (1, 'An', 1), (2, 'Cường', 2);
INSERT INTO lead_crm.lead (full_name, company_name, phone, salesperson_id, team_id) VALUES
	('Nguyễn Văn Bảo', 'Công ty TNHH Thương mại Sao Mai', '0912 000 111', 1, 1),
	('Nguyễn Văn Bảo', 'Công ty TNHH Thương mại Sao Mai', '0912 000 222', 2, 2);
INSERT INTO lead_crm.lead (full_name, company_name, phone, salesperson_id, team_id)
SELECT 'Khách Hàng ' || g, 'Công ty TNHH Đối tác ' || g, '0' || (280000000 + g), 1, 1
  FROM generate_series(1, 3000) g;
ANALYZE lead_crm.lead;

CREATE ROLE lead_crm_search_rls NOLOGIN;
SELECT lives_ok($$SELECT lead_crm.grant_access('lead_crm_search_rls', 'salesperson', 603, 1)$$,
	'a salesperson role of team 1 in tenant 603');

SET LOCAL ROLE lead_crm_search_rls;
SELECT is((SELECT count(*)::int FROM lead_crm.search('Nguyễn Văn Bảo')), 1,
	'under lead_visibility search finds the own team''s lead only');
SELECT is((SELECT phone FROM lead_crm.search('Nguyen Van Bao')), '0912 000 111', 'the one the policies let through');
SELECT is((SELECT count(*)::int FROM lead_crm.search('0912 000 222')), 0, 'nor the other team''s by its phone');

-- the index conditions of search's statements, planned for this role
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE l text; p text := '';
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP p := p || l || E'\n'; END LOOP;
	RETURN p;
END $f$;
SELECT matches(pg_temp.plan($$SELECT id FROM lead_crm.lead WHERE tenant_id = 603
	AND lead_crm.search_keys(tenant_id, name_fold, company_key) OPERATOR(lead_crm.@>>) ARRAY['603:n:bao nguyen']$$),
	'Index Cond: \(lead_crm.search_keys', 'under RLS the key index still serves @>> (leakproof)');
SELECT matches(pg_temp.plan($$SELECT id FROM lead_crm.lead WHERE tenant_id = 603
	AND lead_crm.phone_suffix_key(phone_e164, phone) OPERATOR(pg_catalog.~>=~) '111' AND lead_crm.phone_suffix_key(phone_e164, phone) OPERATOR(pg_catalog.~<~) '112'$$),
	'lead_phone_suffix_idx', 'and the phone suffix index');
SELECT doesnt_match(pg_temp.plan($$SELECT id FROM lead_crm.lead WHERE tenant_id = 603
	AND lead_crm.search_keys(tenant_id, name_fold, company_key) @> ARRAY['603:n:bao nguyen']$$),
	'Index Cond: \(lead_crm.search_keys', 'pg_catalog''s @> (not leakproof) could not: why search has its own');
RESET ROLE;

-- the query is never SQL
SELECT lives_ok($$SELECT * FROM lead_crm.search($q$x'); DELETE FROM lead_crm.lead; --$q$)$$,
	'an injection-looking query is just text');
SELECT is((SELECT count(*)::int FROM lead_crm.lead WHERE tenant_id = 603), 3002, 'nothing was deleted');

SELECT * FROM finish();
ROLLBACK;

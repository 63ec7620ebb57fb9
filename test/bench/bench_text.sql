-- test/bench/bench_text.sql - throughput of the Vietnamese text functions, run by
-- test/bench/bench_text.sh once it loaded the generated leads (src) and their typed names
-- (typed): one full scan per function, best of two, against lower(unaccent(x)).
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 0;	-- one core: the ratio, not the machine
SET client_min_messages = notice;

-- one string per lead (n: line of the CSV): its name, its company (or name), or its address
CREATE TABLE bench_text AS
SELECT n AS id, CASE WHEN n % 50 = 0 THEN normalize(s, NFD) ELSE s END AS s
FROM (SELECT n, full_name, company_name, concat_ws(', ', street, ward, district, province) AS address
	FROM src) l,
	LATERAL (SELECT CASE n % 3 WHEN 0 THEN full_name WHEN 1 THEN coalesce(company_name, full_name)
		ELSE coalesce(nullif(address, ''), full_name) END AS s) x;
CREATE TABLE bench_typed AS SELECT n AS id, telex, vni FROM typed;
VACUUM ANALYZE bench_text;
VACUUM ANALYZE bench_typed;
SELECT count(*) AS rows, round(avg(octet_length(s)), 1) AS avg_bytes,
	(SELECT round(avg(octet_length(telex)), 1) FROM bench_typed) AS avg_telex_bytes,
	min(s) FILTER (WHERE id = 3) AS name, min(s) FILTER (WHERE id = 4) AS company,
	min(s) FILTER (WHERE id = 5) AS address, (SELECT telex FROM bench_typed WHERE id = 3) AS telex
FROM bench_text;

-- best of two runs of one full scan; sum(octet_length()) makes every row evaluate the function
CREATE FUNCTION pg_temp.bench(label text, q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	best float8 := 'Infinity';
	r bigint;
	rows bigint := (SELECT count(*) FROM bench_text);
BEGIN
	FOR i IN 1..2 LOOP
		t0 := clock_timestamp();
		EXECUTE q INTO r;
		best := least(best, extract(epoch FROM clock_timestamp() - t0));
	END LOOP;
	RAISE NOTICE '%', format('%-30s %s s %s rows/s', label, to_char(best, '990.000'),
		lpad(to_char(rows / best, 'FM999G999G999'), 11));
	RETURN best;
END $$;

DO $$
DECLARE
	floor_s float8 := pg_temp.bench('scan + octet_length (floor)', 'SELECT sum(octet_length(s)) FROM bench_text');
	unaccent_s float8 := pg_temp.bench('lower(unaccent(s))', 'SELECT sum(octet_length(lower(unaccent(s)))) FROM bench_text');
	fold_s float8 := pg_temp.bench('vn_fold(s)', 'SELECT sum(octet_length(lead_crm.vn_fold(s))) FROM bench_text');
	nfc_s float8 := pg_temp.bench('normalize(s, NFC) (built-in)', 'SELECT sum(octet_length(normalize(s, NFC))) FROM bench_text');
	norm_s float8 := pg_temp.bench('vn_normalize(s)', 'SELECT sum(octet_length(lead_crm.vn_normalize(s))) FROM bench_text');
	telex_s float8 := pg_temp.bench('telex_to_vn(typed name)', 'SELECT sum(octet_length(lead_crm.telex_to_vn(telex))) FROM bench_typed');
	vni_s float8 := pg_temp.bench('vni_to_vn(typed name)', 'SELECT sum(octet_length(lead_crm.vni_to_vn(vni))) FROM bench_typed');
	decoded bigint;
BEGIN
	RAISE NOTICE '%', format('vn_fold vs lower(unaccent(s)): %s x (target >= 3 x); above the scan floor: %s x',
		round((unaccent_s / fold_s)::numeric, 2), round(((unaccent_s - floor_s) / (fold_s - floor_s))::numeric, 2));
	RAISE NOTICE '%', format('vn_normalize vs built-in normalize(s, NFC): %s x', round((nfc_s / norm_s)::numeric, 2));
	SELECT count(*) FILTER (WHERE lead_crm.telex_to_vn(telex) = lead_crm.vn_normalize(n.full_name)) INTO decoded
	FROM bench_typed t JOIN src n ON n.n = t.id;
	RAISE NOTICE '%', format('typed names decoded back to vn_normalize(name): %s of %s', decoded,
		(SELECT count(*) FROM bench_typed));
END $$;

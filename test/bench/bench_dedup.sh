#!/usr/bin/env bash
# test/bench/bench_dedup.sh - quality and speed of duplicate detection.
#
#   test/bench/bench_dedup.sh quality [people]   labelled set (tools/gen_dups.py, default 20000
#                                                people): pair completeness of the blocking,
#                                                precision / recall / F1 of find_duplicates() at
#                                                the tenant threshold with the default parameters
#                                                and with those its first find_duplicates()
#                                                estimates (EM, as refresh_duplicate_parameters()),
#                                                and of two baselines in the same run
#   test/bench/bench_dedup.sh speed              ~1M leads from tools/gen_dups.py (778 000 people,
#                                                loaded once and kept in database
#                                                lead_crm_bench_dedup_1m): refresh, find_duplicates
#                                                (with its precision/recall there), match_candidates
#                                                p95, and COPY of ~100k leads with the flag policy
#                                                against a plain table and the policy off
# Results go to stdout and test/bench/out/dedup_<part>.txt. Starts the throwaway cluster if needed.
. "$(dirname "$0")/common.bash"
part=${1:-quality}

q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }

quality() {
	local people=${1:-20000} f
	f=$bench_top/.build/bench/dups_bf_${people}_7.csv
	[ -s "$f" ] || { python3 "$bench_top/tools/gen_dups.py" --people "$people" --seed 7 >"$f.tmp" && mv "$f.tmp" "$f"; }
	bench_db lead_crm_bench_dedup
	q <<SQL
SELECT FROM lead_crm.create_tenant(2, 'labelled set');
SET lead_crm.tenant = 2;
UPDATE lead_crm.dedup_setting SET policy = 'off' WHERE tenant_id = 2;
CREATE TABLE lab (id bigint, entity bigint, kind text, full_name text, phone text, email text,
				  company_name text, province text, created_at timestamptz, birthday date, facebook text);
\copy lab FROM '$f' WITH (FORMAT csv, HEADER)
INSERT INTO lead_crm.lead (id, kind, full_name, phone, email, company_name, province, created_at, birthday, facebook)
SELECT id, kind, full_name, nullif(phone, ''), nullif(email, ''), nullif(company_name, ''),
	   nullif(province, ''), created_at, birthday, nullif(facebook, '') FROM lab;
ANALYZE;
CREATE TABLE truth AS SELECT a.id AS a, b.id AS b FROM lab a JOIN lab b ON a.entity = b.entity AND a.id < b.id;
CREATE FUNCTION metrics(label text, pairs regclass) RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE tp bigint; n bigint; t bigint; p float8; r float8;
BEGIN
	EXECUTE format('SELECT count(*) FROM %s', pairs) INTO n;
	EXECUTE format('SELECT count(*) FROM %s f JOIN truth USING (a, b)', pairs) INTO tp;
	SELECT count(*) INTO t FROM truth;
	p := CASE WHEN n > 0 THEN tp::float8 / n ELSE 0 END;
	r := tp::float8 / t;
	RETURN format('%-48s pairs %6s  tp %6s  fp %5s  fn %5s  precision %s  recall %s  F1 %s',
				  label, n, tp, n - tp, t - tp, round(p::numeric, 4), round(r::numeric, 4),
				  round((CASE WHEN p + r > 0 THEN 2 * p * r / (p + r) ELSE 0 END)::numeric, 4));
END \$\$;
SQL
	{
		echo "labelled set: $(q -d lead_crm_bench_dedup -c "SELECT count(*) || ' leads, ' || count(DISTINCT entity) || ' people, ' || (SELECT count(*) FROM truth) || ' duplicate pairs' FROM lab")"
		q -d lead_crm_bench_dedup <<'SQL'
SET lead_crm.tenant = 2;
-- the defaults first: the tenant marked as estimated, so that find_duplicates() keeps them
UPDATE lead_crm.dedup_setting SET estimated_at = now() WHERE tenant_id = 2;
CREATE TABLE blocked AS SELECT lead_id AS a, duplicate_id AS b FROM lead_crm.find_duplicates(0);
SELECT format('blocking: %s candidate pairs of %s possible (%s%%), pair completeness %s',
			  (SELECT count(*) FROM blocked), (SELECT count(*) * (count(*) - 1) / 2 FROM lab),
			  round(100.0 * (SELECT count(*) FROM blocked) / (SELECT count(*) * (count(*) - 1) / 2 FROM lab), 4),
			  round((SELECT count(*) FROM blocked JOIN truth USING (a, b))::numeric / (SELECT count(*) FROM truth), 4));
CREATE TABLE base_a AS
	SELECT DISTINCT x.id AS a, y.id AS b FROM lead_crm.lead x JOIN lead_crm.lead y
	    ON x.tenant_id = y.tenant_id AND x.id < y.id
	   AND (x.email_key = y.email_key OR x.phone_e164 OPERATOR(lead_crm.=) y.phone_e164)
	 WHERE x.tenant_id = 2;
CREATE TABLE base_b AS
	SELECT DISTINCT x.id AS a, y.id AS b FROM lead_crm.lead x JOIN lead_crm.lead y
	    ON x.tenant_id = y.tenant_id AND x.id < y.id AND x.name_fold = y.name_fold
	   AND (x.company_key = y.company_key OR x.province_canon = y.province_canon)
	 WHERE x.tenant_id = 2;
SELECT metrics('baseline a: exact e-mail or phone', 'base_a');
SELECT metrics('baseline b: unaccented name + company/province', 'base_b');
CREATE TABLE fs_default AS SELECT lead_id AS a, duplicate_id AS b FROM lead_crm.find_duplicates();
SELECT metrics('lead_crm, default parameters', 'fs_default');
-- as a tenant meets it: its first find_duplicates() estimates its parameters (EM) first
UPDATE lead_crm.dedup_setting SET estimated_at = NULL WHERE tenant_id = 2;
CREATE TABLE fs_em AS SELECT lead_id AS a, duplicate_id AS b FROM lead_crm.find_duplicates();
SELECT metrics('lead_crm, parameters estimated by EM', 'fs_em');
SELECT format('EM: %s candidate pairs, %s iterations, %s duplicate pairs estimated, prior %s bits',
			  candidate_pairs, em_iterations, round(estimated_duplicate_pairs), round(prior_log2_odds::numeric, 3))
  FROM lead_crm.dedup_setting WHERE tenant_id = 2;
SELECT 'refresh_duplicate_parameters() again: ' || lead_crm.refresh_duplicate_parameters()::text;
CREATE TABLE fs_refresh AS SELECT lead_id AS a, duplicate_id AS b FROM lead_crm.find_duplicates();
SELECT format('same pairs after refresh_duplicate_parameters(): %s',
			  NOT EXISTS (SELECT a, b FROM fs_em EXCEPT SELECT a, b FROM fs_refresh)
			  AND NOT EXISTS (SELECT a, b FROM fs_refresh EXCEPT SELECT a, b FROM fs_em));
SELECT format('threshold %s; scores of pairs found: %s', threshold,
			  (SELECT string_agg(format('>= %s: %s', s, (SELECT count(*) FROM lead_crm.find_duplicates(s::real))), ', ')
			     FROM unnest(ARRAY[0.5, 0.9, 0.99]) s))
  FROM lead_crm.dedup_setting WHERE tenant_id = 2;
SELECT 'estimated m/u: ' || string_agg(format('%s.%s %s/%s', comparison, level, to_char(m, '9.99EEEE'), to_char(u, '9.99EEEE')), ', ' ORDER BY comparison, level_no)
  FROM lead_crm.dedup_parameter WHERE tenant_id = 2;
SQL
	} | tee "$bench_out/dedup_quality.txt"
}

speed() {
	local db=lead_crm_bench_dedup_1m f f100 rows
	# ~1M leads: 778 000 people, their duplicates and look-alikes (unique mailboxes, as in life)
	f=$bench_top/.build/bench/dups_bf_778000_11.csv
	[ -s "$f" ] || { python3 "$bench_top/tools/gen_dups.py" --people 778000 --seed 11 >"$f.tmp" && mv "$f.tmp" "$f"; }
	rows=$(($(wc -l <"$f") - 1))
	export PGDATABASE=$db
	script=$(cat "$bench_top"/sql/[0-9][0-9]_*.sql | md5sum | cut -c1-32)
	if [ "$(psql -XAtq -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 1 ] &&
		[ "$(q -c "SELECT count(*) FROM lead_crm.lead WHERE tenant_id = 2" 2>/dev/null)" = "$rows" ] &&
		[ "$(q -c "SELECT obj_description('lab'::regclass)" 2>/dev/null)" = "$script" ]; then
		echo "reusing $db ($rows leads)"
	else
		bench_db $db
		q <<SQL
SELECT FROM lead_crm.create_tenant(2, '1M');
UPDATE lead_crm.dedup_setting SET policy = 'off' WHERE tenant_id = 2;
CREATE TABLE lab (id bigint, entity bigint, kind text, full_name text, phone text, email text,
				  company_name text, province text, created_at timestamptz, birthday date, facebook text);
\copy lab FROM '$f' WITH (FORMAT csv, HEADER)
SET lead_crm.tenant = 2;
SET lead_crm.auto_assign = off;
INSERT INTO lead_crm.lead (id, kind, full_name, phone, email, company_name, province, created_at, birthday, facebook)
SELECT id, kind, full_name, nullif(phone, ''), nullif(email, ''), nullif(company_name, ''),
	   nullif(province, ''), created_at, birthday, nullif(facebook, '') FROM lab;
CREATE TABLE truth AS SELECT a.id AS a, b.id AS b FROM lab a JOIN lab b ON a.entity = b.entity AND a.id < b.id;
COMMENT ON TABLE lab IS '$script';
VACUUM ANALYZE;
SQL
	fi
	export PGOPTIONS="$PGOPTIONS -c lead_crm.tenant=2"
	{
		echo "leads: $(q -c 'SELECT count(*) FROM lead_crm.lead WHERE tenant_id = 2'), duplicate pairs: $(q -c 'SELECT count(*) FROM truth')"
		psql -XAq -c '\timing on' -c 'SELECT lead_crm.refresh_duplicate_parameters()' |
			sed -n 's/^Time: \([0-9.]*\) ms.*/refresh_duplicate_parameters: \1 ms/p; s/^{/EM: {/p'
		q -c 'DROP TABLE IF EXISTS fd'
		echo "find_duplicates (all leads, tenant threshold): $(ms 'CREATE TABLE fd AS SELECT lead_id AS a, duplicate_id AS b, score FROM lead_crm.find_duplicates()') ms"
		# a tenant's first batch: estimation and scoring on one load of the leads
		q -c "UPDATE lead_crm.dedup_setting SET estimated_at = NULL WHERE tenant_id = 2"
		echo "first find_duplicates of the tenant (estimates its parameters first): $(ms 'SELECT count(*) FROM lead_crm.find_duplicates()') ms"
		q -c "SELECT format('  %s pairs found, %s true: precision %s, recall %s, F1 %s', n, tp, round(tp / n, 4),
						   round(tp / t, 4), round(2 * tp / (n + t), 4))
				FROM (SELECT count(*)::numeric AS n, count(truth.a)::numeric AS tp, (SELECT count(*) FROM truth)::numeric AS t
						FROM fd LEFT JOIN truth USING (a, b)) s"
		# match_candidates for 1000 leads as typed, inside the server (no client round trip)
		q <<'SQL'
CREATE TEMP TABLE probe AS
	SELECT full_name, phone, email, company_name, province FROM lead_crm.lead
	 WHERE tenant_id = 2 ORDER BY hashint8(id) LIMIT 1000;
CREATE TEMP TABLE took (ms float8);
DO $$
DECLARE r record; t0 timestamptz; n int;
BEGIN
	FOR r IN SELECT * FROM probe LOOP
		t0 := clock_timestamp();
		SELECT count(*) INTO n FROM lead_crm.match_candidates(r.full_name, r.phone, r.email, r.company_name, r.province);
		INSERT INTO took VALUES (extract(epoch FROM clock_timestamp() - t0) * 1000);
	END LOOP;
END $$;
SELECT format('match_candidates at 1M: p50 %s ms, p95 %s ms, p99 %s ms (1000 calls)',
			  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2),
			  round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 2),
			  round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2)) FROM took;
SQL
		# COPY of ~100k leads (with their duplicates): a plain table, the policy off, the policy flag;
		# each into an empty tenant, beside the 1M leads of tenant 2 in the same indexes
		f100=$bench_top/.build/bench/copy_bf_78000_12.csv
		[ -s "$f100" ] || python3 "$bench_top/tools/gen_dups.py" --people 78000 --seed 12 --first-id 5000001 |
			python3 -c 'import csv, sys; w = csv.writer(sys.stdout, lineterminator="\n")
[w.writerow(r[2:]) for r in csv.reader(sys.stdin)]' >"$f100"
		cols="kind, full_name, phone, email, company_name, province, created_at, birthday, facebook"
		q -c "DROP TABLE IF EXISTS plain_lead" \
		  -c "CREATE TABLE plain_lead AS SELECT $cols FROM lead_crm.lead WITH NO DATA"
		for t in 3 4 5; do
			q -c "SELECT FROM lead_crm.create_tenant($t)" \
			  -c "UPDATE lead_crm.dedup_setting SET policy = CASE $t WHEN 4 THEN 'flag' ELSE 'off' END WHERE tenant_id = $t"
		done
		for run in plain off flag; do
			case $run in
				plain) target=plain_lead; tenant=5 ;;
				off) target=lead_crm.lead; tenant=3 ;;
				flag) target=lead_crm.lead; tenant=4 ;;
			esac
			q -c "DELETE FROM lead_crm.duplicate_candidate WHERE tenant_id = $tenant" \
			  -c "DELETE FROM lead_crm.lead_history WHERE tenant_id = $tenant" \
			  -c "DELETE FROM lead_crm.lead WHERE tenant_id = $tenant" -c "TRUNCATE plain_lead" -c "CHECKPOINT"
			t0=$(date +%s.%N)
			PGOPTIONS="$PGOPTIONS -c lead_crm.tenant=$tenant -c lead_crm.auto_assign=off" \
				psql -XAtq -v ON_ERROR_STOP=1 -c "\\copy $target ($cols) FROM '$f100' WITH (FORMAT csv, HEADER)"
			t1=$(date +%s.%N)
			eval "copy_$run=$(echo "$t1 - $t0" | bc)"
		done
		echo "COPY $(($(wc -l <"$f100") - 1)) leads: plain table ${copy_plain}s, policy off ${copy_off}s, policy flag ${copy_flag}s;" \
			"flag/plain $(echo "scale=2; $copy_flag / $copy_plain" | bc), flag/off $(echo "scale=2; $copy_flag / $copy_off" | bc);" \
			"pairs flagged $(q -c 'SELECT count(*) FROM lead_crm.duplicate_candidate WHERE tenant_id = 4')"
	} | tee "$bench_out/dedup_speed.txt"
}

case $part in
	quality) quality "${2:-20000}" ;;
	speed) speed ;;
	*) echo "usage: $0 quality [people] | speed" >&2; exit 2 ;;
esac

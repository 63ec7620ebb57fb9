#!/usr/bin/env bash
# Search at N (1M) realistic leads, in one run against the baseline a DBA builds
# today: an IMMUTABLE unaccent wrapper, a pg_trgm GIN index on
# lower(unaccent(name || company || email || phone)), filtered with <% and ranked
# by word_similarity (pg_trgm's default threshold). Reports
#   - quality per query kind for both (tools/search_bench.py: the query set, how
#     each kind corrupts its target, and how namesakes are scored)
#   - latency p50 / p95 per kind for both, measured in the server (clock_timestamp)
#     one query after the other, lead_crm.search then the baseline, after a warm-up
#   - size and build time of the search indexes and of the baseline index
#   - COPY of 100k leads into an empty lead table without and with the search
#     indexes (search adds no columns: it indexes the generated name_fold,
#     company_key, phone_e164, email_key of main) and with the baseline index
# The baseline takes seconds per query at 1M leads, so it answers every
# BASELINE_EVERY-th query (both methods are compared on those).
# Environment: N (1000000), SEED (1), PER_KIND (120 queries per kind),
# BASELINE_EVERY (6), BASELINE_KINDS (given_company: kinds whose every query the baseline
# answers too, where 20 queries leave the comparison to one or two of them), KEEP_DB=1 reuses the loaded database of an earlier run
# (queries, runs and the report are redone), COPY_N (100000).
# Tenant 1's duplicate check on INSERT/COPY (sql/80_dedup.sql) is off in both
# databases: the load and the COPY figures measure search's indexes, not it.
. "$(dirname "$0")/common.bash"
N=${N:-1000000}
SEED=${SEED:-1}
PER_KIND=${PER_KIND:-120}
BASELINE_EVERY=${BASELINE_EVERY:-6}
BASELINE_KINDS=${BASELINE_KINDS-given_company}
COPY_N=${COPY_N:-100000}
DB=lead_crm_bench_search
work=$bench_top/.build/bench/search
mkdir -p "$work"
search_indexes="'lead_search_keys_idx', 'lead_search_trgm_idx', 'lead_phone_suffix_idx', 'lead_phone_typed_idx', 'lead_email_prefix_idx'"
baseline_doc="lower(public.bench_unaccent(full_name || ' ' || coalesce(company_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '')))"

# the search indexes' definitions, then the indexes dropped
drop_search_indexes() {
	psql -qXAt -v ON_ERROR_STOP=1 >"$work/indexdefs.sql" <<-SQL
		SELECT pg_get_indexdef(c.oid) || ';' FROM pg_class c
		 WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relname IN ($search_indexes)
		 ORDER BY c.relname;
	SQL
	psql -qXAt -v ON_ERROR_STOP=1 <<-SQL
		SELECT format('DROP INDEX lead_crm.%I', relname)
		  FROM pg_class WHERE relnamespace = 'lead_crm'::regnamespace AND relname IN ($search_indexes)
		\gexec
	SQL
}

baseline_setup() {
	psql -qX -v ON_ERROR_STOP=1 <<-SQL
		CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
		-- the usual IMMUTABLE wrapper (unaccent itself is STABLE: it reads a dictionary)
		CREATE OR REPLACE FUNCTION public.bench_unaccent(text) RETURNS text
		LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
		AS \$\$ SELECT public.unaccent('public.unaccent'::regdictionary, \$1) \$\$;
	SQL
}

# tenant 1 made now, its insert duplicate check off (see above)
dedup_off() {
	psql -qX -v ON_ERROR_STOP=1 >/dev/null <<-SQL
		SELECT lead_crm.create_tenant(1);
		UPDATE lead_crm.dedup_setting SET policy = 'off' WHERE tenant_id = 1;
	SQL
}

loaded=0
if [ "${KEEP_DB:-0}" = 1 ] &&
	[ "$(psql -qXAt -d "$DB" -c 'SELECT count(*) FROM lead_crm.lead' 2>/dev/null || echo 0)" = "$N" ]; then
	export PGDATABASE=$DB
	loaded=1
	echo "reusing $DB ($N leads)"
fi

if [ $loaded = 0 ]; then
	bench_db $DB
	dedup_off
	drop_search_indexes
	echo "loading $N leads"
	load_leads "$N" "$SEED"
	psql -qX -c 'VACUUM ANALYZE lead_crm.lead'
	: >"$work/build.txt"
	while read -r def; do
		name=$(sed -n 's/^CREATE INDEX \([a-z_]*\) .*/\1/p' <<<"$def")
		t=$(ms "$def")
		size=$(psql -qXAt -c "SELECT pg_relation_size('lead_crm.$name')")
		echo "search $name $t $size" >>"$work/build.txt"
	done <"$work/indexdefs.sql"
	baseline_setup
	t=$(ms "CREATE INDEX bench_baseline_idx ON lead_crm.lead USING gin (($baseline_doc) gin_trgm_ops)")
	size=$(psql -qXAt -c "SELECT pg_relation_size('lead_crm.bench_baseline_idx')")
	echo "baseline bench_baseline_idx $t $size" >>"$work/build.txt"
	psql -qX -c 'VACUUM ANALYZE lead_crm.lead'
fi

# the query set, and a check that lead i of the generator is id i
python3 "$bench_top/tools/search_bench.py" queries --count "$N" --seed "$SEED" \
	--per-kind "$PER_KIND" >"$work/queries.csv"
psql -qX -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS bench_query, bench_run;
CREATE TABLE bench_query (qid integer PRIMARY KEY, kind text, query text, target bigint);
\copy bench_query FROM '$work/queries.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE bench_run (qid integer, method text, ms float8, ids bigint[]);
SQL
first=$(sed -n 2p "$(leads_csv "$N" "$SEED")" | cut -d, -f2)
[ "$(psql -qXAt -c 'SELECT full_name FROM lead_crm.lead WHERE id = 1')" = "$first" ] ||
	{ echo "lead ids do not follow the generator's order" >&2; exit 1; }

psql -qX -v ON_ERROR_STOP=1 <<SQL
CREATE OR REPLACE FUNCTION bench_run(measure boolean, step integer, baseline_step integer,
									 baseline_kinds text[] DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS \$\$
DECLARE
	q record;
	t0 timestamptz;
	ids bigint[];
BEGIN
	FOR q IN SELECT * FROM bench_query WHERE qid % step = 0 ORDER BY qid LOOP
		t0 := clock_timestamp();
		ids := ARRAY(SELECT s.lead_id FROM lead_crm.search(q.query, 10) s);
		IF measure THEN
			INSERT INTO bench_run VALUES (q.qid, 'search', 1000 * extract(epoch FROM clock_timestamp() - t0), ids);
		END IF;
		CONTINUE WHEN q.qid % baseline_step <> 0 AND NOT q.kind = ANY (baseline_kinds);
		t0 := clock_timestamp();
		ids := ARRAY(SELECT l.id FROM lead_crm.lead l
					  WHERE l.tenant_id = lead_crm.current_tenant()
						AND lower(public.bench_unaccent(q.query)) <% $baseline_doc
					  ORDER BY word_similarity(lower(public.bench_unaccent(q.query)), $baseline_doc) DESC, l.id
					  LIMIT 10);
		IF measure THEN
			INSERT INTO bench_run VALUES (q.qid, 'baseline', 1000 * extract(epoch FROM clock_timestamp() - t0), ids);
		END IF;
	END LOOP;
END
\$\$;
SQL
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before the run: $load_before"
psql -qX -c 'SELECT bench_run(false, 5, 60)'	# warm-up: every 5th query, the baseline's 60th
psql -qX -c "SELECT bench_run(true, 1, $BASELINE_EVERY, string_to_array('$BASELINE_KINDS', ','))"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average after the run:  $load_after"
echo "$load_before before, $load_after after the measured run" >"$work/load.txt"
psql -qX -c "\\copy (SELECT qid, method, ms, array_to_string(ids, ' ') AS ids FROM bench_run ORDER BY qid, method) TO '$work/runs.csv' WITH (FORMAT csv, HEADER)"

# why word pairs: one common name through pg_trgm's index and through the pair keys
why() {
	local t n
	t=$(ms "SET enable_seqscan = off; SET pg_trgm.word_similarity_threshold = $1; SELECT count(*) FROM lead_crm.lead WHERE lead_crm.search_document(name_fold, company_key) OPERATOR(lead_crm.%>@) 'nguyen van an'")
	n=$(psql -qXAt -c "SET pg_trgm.word_similarity_threshold = $1" -c "SELECT count(*) FROM lead_crm.lead WHERE lead_crm.search_document(name_fold, company_key) OPERATOR(lead_crm.%>@) 'nguyen van an'")
	echo "  trigrams, word similarity >= $1: $n leads in $t ms"
}
why_keys() {
	local t n
	t=$(ms "SET enable_seqscan = off; SELECT count(*) FROM lead_crm.lead WHERE lead_crm.search_keys(tenant_id, name_fold, company_key) OPERATOR(lead_crm.@>>) '$1'")
	n=$(psql -qXAt -c "SELECT count(*) FROM lead_crm.lead WHERE lead_crm.search_keys(tenant_id, name_fold, company_key) OPERATOR(lead_crm.@>>) '$1'")
	echo "  keys $1: $n leads in $t ms"
}
{
	psql -qX -c "SELECT count(*) FROM lead_crm.lead WHERE name_fold = 'nguyen van an'" >/dev/null
	why 1
	why 0.8
	why 0.6
	why_keys '{1:nguyen}'
	why_keys '{"1:n:an nguyen"}'
	why_keys '{"1:n:nguyen van","1:n:an van"}'
	why_keys '{"1:f:an nguyen van"}'
} >"$work/why.txt"

# COPY of COPY_N leads into an empty lead table: without, with the search indexes, with the baseline's
copy_db=lead_crm_bench_search_copy
copy_ms() {
	local best=
	for _ in 1 2; do
		psql -qX -v ON_ERROR_STOP=1 -d $copy_db -c 'TRUNCATE lead_crm.lead CASCADE'
		local t
		t=$( (time -p psql -qX -d $copy_db -c "\\copy lead_crm.lead ($(python3 "$bench_top/tools/gen_leads.py" --columns)) FROM '$(leads_csv "$COPY_N" 2)' WITH (FORMAT csv, HEADER)") 2>&1 | sed -n 's/^real //p')
		t=$(awk -v t="$t" 'BEGIN { printf "%.0f", t * 1000 }')
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best"
}
(
	export PGDATABASE=$copy_db
	bench_db $copy_db
	dedup_off
	drop_search_indexes
	c_none=$(copy_ms)
	psql -qX -v ON_ERROR_STOP=1 -f "$work/indexdefs.sql"
	c_search=$(copy_ms)
	psql -qXAt >/dev/null <<-SQL
		SELECT format('DROP INDEX lead_crm.%I', relname) FROM pg_class
		 WHERE relnamespace = 'lead_crm'::regnamespace AND relname IN ($search_indexes)
		\gexec
	SQL
	baseline_setup
	psql -qX -c "CREATE INDEX bench_baseline_idx ON lead_crm.lead USING gin (($baseline_doc) gin_trgm_ops)"
	c_base=$(copy_ms)
	echo "$c_none $c_search $c_base" >"$work/copy.txt"
	psql -qX -d postgres -c "DROP DATABASE $copy_db"
)

{
	echo "lead_crm.search at $N leads (seed $SEED), $PER_KIND queries per kind (the baseline every"
	echo "${BASELINE_EVERY}th${BASELINE_KINDS:+, and every query of $BASELINE_KINDS}), $(date -u +%Y-%m-%d); 2 cores shared, load average $(cat "$work/load.txt")"
	echo
	python3 "$bench_top/tools/search_bench.py" report --count "$N" --seed "$SEED" \
		"$work/queries.csv" "$work/runs.csv"
	echo
	echo "indexes (build time on $N leads, size)"
	awk '{ printf "  %-8s %-24s %8.1f s %8.1f MB\n", $1, $2, $3 / 1000, $4 / 1048576; if ($1 == "search") { t += $3; s += $4 } }
		END { printf "  %-8s %-24s %8.1f s %8.1f MB\n", "search", "(all five)", t / 1000, s / 1048576 }' "$work/build.txt"
	echo
	echo "one common name (nguyen van an), counting the leads found (why word pairs)"
	cat "$work/why.txt"
	read -r c_none c_search c_base <"$work/copy.txt"
	echo
	echo "COPY of $COPY_N leads into an empty lead table (best of 2)"
	awk -v a="$c_none" -v b="$c_search" -v c="$c_base" 'BEGIN {
		printf "  without search indexes   %7.0f ms\n", a
		printf "  with the search indexes  %7.0f ms  (+%.0f%%)\n", b, (b - a) * 100 / a
		printf "  with the baseline index  %7.0f ms  (+%.0f%%)\n", c, (c - a) * 100 / a }'
} | tee "$bench_out/search.txt"

#!/usr/bin/env bash
# test/bench/bench_text.sh - throughput of vn_fold, vn_normalize, telex_to_vn and vni_to_vn
# on 1M realistic strings, against lower(unaccent(x)) and normalize(x, NFC) in the same run.
# The strings are the names, companies and addresses of the shared generated leads
# (tools/gen_leads.py, seed 1, cached), 2% of them turned into NFD; the Telex and VNI
# inputs are the names typed by tools/vn_typing.py. Prints a ratio; writes out/text.txt.
. "$(dirname "$0")/common.bash"
N=${N:-1000000}
bench_db lead_crm_bench_text
psql -qX -c 'CREATE EXTENSION unaccent'
csv=$(leads_csv "$N" 1)
cols=$(python3 "$bench_top/tools/gen_leads.py" --columns)
psql -qX -c "CREATE TABLE src (n bigserial, $(echo "$cols" | sed 's/,/ text,/g') text)" \
	-c "\\copy src ($cols) FROM '$csv' WITH (FORMAT csv, HEADER)"
typed=$bench_top/.build/bench/typed_names_${N}_1.tsv
[ -s "$typed" ] || psql -qXAt -c "\\copy (SELECT full_name FROM src ORDER BY n) TO STDOUT" |
	python3 "$bench_top/tools/vn_typing.py" --text >"$typed"
psql -qX -c "CREATE TABLE typed (n bigserial, telex text, vni text)" -c "\\copy typed (telex, vni) FROM '$typed'"
psql -qX -f "$bench_top/test/bench/bench_text.sql" 2>&1 | sed 's/^NOTICE:  //' | tee "$bench_out/text.txt"

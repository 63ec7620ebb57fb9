#!/usr/bin/env bash
# tools/demo.sh - what `make demo` runs: set up a throwaway cluster, create the
# extension, load realistic Vietnamese sample leads and print a short tour
# (tools/demo/NN_*.sql in order). The cluster keeps running for you to explore.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
DEMO_LEADS=${DEMO_LEADS:-400}

tools/pgenv.sh deps
echo "== building and installing lead_crm into a private copy of PostgreSQL"
tools/pgenv.sh install >/dev/null
tools/pgenv.sh start
eval "$(tools/pgenv.sh env)"
export PGDATABASE=lead_crm_demo PGOPTIONS='-c client_min_messages=warning'

psql -qX -d postgres -c 'CREATE DATABASE lead_crm_demo'
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION lead_crm CASCADE'
psql -qX -v ON_ERROR_STOP=1 -f tools/demo/00_setup.sql >/dev/null
echo "== loading $DEMO_LEADS generated Vietnamese leads (tools/gen_leads.py, seed 1)"
python3 tools/gen_leads.py --count "$DEMO_LEADS" --seed 1 |
	psql -qX -v ON_ERROR_STOP=1 \
		-c "COPY lead_crm.lead ($(python3 tools/gen_leads.py --columns)) FROM STDIN WITH (FORMAT csv, HEADER)"

for f in tools/demo/[1-9][0-9]_*.sql; do
	echo
	psql -X -q -v ON_ERROR_STOP=0 -P pager=off -f "$f" 2>&1
done

cat <<MSG

== the demo cluster is still running:
   eval "\$(tools/pgenv.sh env)"; psql -d lead_crm_demo
   tools/pgenv.sh stop     # when done
MSG

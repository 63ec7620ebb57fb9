#!/usr/bin/env bash
# test/bench/bench_text.sh - vn_fold, vn_normalize, telex_to_vn, vni_to_vn throughput on 1M
# strings against lower(unaccent(x)) in the same run (test/bench/bench_text.sql). Uses the
# throwaway cluster of tools/pgenv.sh, started here (and stopped) unless it already runs.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
tools/pgenv.sh install
eval "$(tools/pgenv.sh env)"
if ! psql -qXAt -c 'SELECT 1' >/dev/null 2>&1; then
	tools/pgenv.sh start
	trap 'tools/pgenv.sh stop' EXIT
fi
PGOPTIONS="-c client_min_messages=warning" psql -qX -c "DROP DATABASE IF EXISTS lead_crm_bench" -c "CREATE DATABASE lead_crm_bench"
psql -qX -d lead_crm_bench -f test/bench/bench_text.sql 2>&1 | sed 's/^NOTICE:  //'
psql -qX -c 'DROP DATABASE lead_crm_bench'

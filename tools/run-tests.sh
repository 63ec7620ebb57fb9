#!/usr/bin/env bash
# tools/run-tests.sh - what `make test` runs: C unit tests and a short fuzz run
# of src/core, then pg_regress, pgTAP (pg_prove) and the shell TAP tests in
# test/t against a throwaway cluster, which it always stops. Ends with one
# line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
env_sh=tools/pgenv.sh
log=.build/test-logs
passed=0
failed=0

tally() { # tally <name> <log>: count TAP and pg_regress results in a log
	local p f
	p=$(grep -cE '^[[:space:]]*ok [0-9]+|^(ok|test) .*\.\.\. ok|^ok [0-9]+ +[-+] ' "$2" || true)
	f=$(grep -cE '^[[:space:]]*not ok [0-9]+|\.\.\. FAILED|^not ok [0-9]+ +[-+] ' "$2" || true)
	printf '%-10s %5d passed, %d failed\n' "$1" "$p" "$f"
	passed=$((passed + p))
	failed=$((failed + f))
}

stage_failed() { echo "FAILED: $1"; failed=$((failed + 1)); }

"$env_sh" deps || exit 1
mkdir -p "$log"

echo "== C unit tests (src/core, ASan + UBSan)"
if make -s unit >"$log/unit-build.log" 2>&1; then
	: >"$log/unit.log"
	for t in .build/unit/test_*; do
		echo "# $t" >>"$log/unit.log"
		"$t" >>"$log/unit.log" 2>&1 || stage_failed "$t"
	done
	grep -E '^not ok|^#   ' "$log/unit.log" || true
	tally unit "$log/unit.log"
else
	cat "$log/unit-build.log"; stage_failed "unit test build"
fi

echo "== short fuzz run (libFuzzer, ASan + UBSan)"
make -s fuzz-run FUZZ_SECONDS="${FUZZ_SECONDS:-5}" || stage_failed "fuzzing"

echo "== build, install, start a throwaway cluster"
if ! "$env_sh" install >"$log/install.log" 2>&1; then
	cat "$log/install.log"; stage_failed "build"; echo "$passed passed, $failed failed"; exit 1
fi
trap '"$env_sh" stop' EXIT
"$env_sh" start || { stage_failed "cluster start"; echo "$passed passed, $failed failed"; exit 1; }
eval "$("$env_sh" env)"

echo "== pg_regress"
make -s installcheck PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config >"$log/regress.log" 2>&1 ||
	{ cat regression.diffs 2>/dev/null | head -200; stage_failed "pg_regress"; }
grep -E 'FAILED|failed' "$log/regress.log" || true
tally pg_regress "$log/regress.log"

echo "== pgTAP (pg_prove)"
PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS lead_crm_tap' \
	-c 'CREATE DATABASE lead_crm_tap' >/dev/null &&
	PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 -d lead_crm_tap \
		-c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION lead_crm CASCADE' >/dev/null ||
	stage_failed "pgTAP database"
if ls test/pgtap/*.sql >/dev/null 2>&1; then
	pg_prove -v -d lead_crm_tap test/pgtap/*.sql >"$log/pgtap.log" 2>&1 || stage_failed "pg_prove"
	grep -E '^not ok|Failed|Result' "$log/pgtap.log" || true
	tally pgTAP "$log/pgtap.log"
fi

echo "== shell TAP tests (test/t: concurrency, dump/restore, upgrade)"
if ls test/t/*.sh >/dev/null 2>&1; then
	prove -v --exec bash test/t/*.sh >"$log/t.log" 2>&1 || stage_failed "test/t"
	grep -E '^not ok|^#   |Failed|Result' "$log/t.log" || true
	tally t "$log/t.log"
fi

echo "logs: $log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# test/t/055_state_events.sh - NOTIFY lead_crm_events: one JSON payload per lead
# creation and state change, delivered at commit, none after a rollback.
# TAP output; needs the cluster of tools/pgenv.sh (PG* set).
set -uo pipefail
. "$(dirname "$0")/tap.bash"

# ok_diag <status> <name> [diagnostics]: ok, and the diagnostics when it failed
ok_diag() {
	ok "$1" "$2"
	[ "$1" -eq 0 ] || [ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
}
db=lead_crm_state_events


fresh_db "$db"
trap 'psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT

# One session listens and works; psql prints a notification after the command
# during which it arrived. Markers show where each one came.
out=$(psql -qXAt -d "$db" 2>&1 <<'SQL'
SELECT lead_crm.create_tenant(1);
UPDATE lead_crm.tenant SET notify_events = true WHERE tenant_id = 1;
LISTEN lead_crm_events;
BEGIN;
INSERT INTO lead_crm.lead (id, full_name) VALUES (7, 'Bùi Thị Thu');
UPDATE lead_crm.lead SET status = 'contacting' WHERE id = 7;
SELECT 'marker: before commit';
COMMIT;
SELECT 'marker: after commit';
BEGIN;
SELECT lead_crm.set_status(7, 'promising');
ROLLBACK;
SELECT 'marker: after rollback';
UPDATE lead_crm.lead SET status = 'unreachable', lifecycle = 'mql' WHERE id = 7;
BEGIN;
SELECT lead_crm.set_status(7, 'contacting');
SELECT lead_crm.set_status(7, 'unreachable');
SELECT lead_crm.set_status(7, 'contacting');
COMMIT;
SELECT 'marker: back and forth';
SELECT lead_crm.convert_lead(7, customer => 'none');
SELECT 'marker: converted';
UPDATE lead_crm.tenant SET notify_events = false WHERE tenant_id = 1;
SELECT lead_crm.set_status(7, 'promising');
SELECT 'marker: events off';
SQL
)
payloads() { printf '%s\n' "$out" | sed -n 's/^Asynchronous notification "lead_crm_events" with payload "\(.*\)" received from server process with PID [0-9]*\.$/\1/p'; }
between() { # between <marker a> <marker b>: payloads printed after marker a up to marker b
	printf '%s\n' "$out" | awk -v a="$1" -v b="$2" '$0 == a { on = 1; next } $0 == b { on = 0 } on' |
		sed -n 's/^Asynchronous notification "lead_crm_events" with payload "\(.*\)" received.*/\1/p'
}

first=$(between "marker: before commit" "marker: after commit")
[ -z "$(printf '%s\n' "$out" | awk '$0 == "marker: before commit" { exit } /Asynchronous/ { print }')" ]
ok_diag $? "nothing is delivered before the transaction commits" "$out"
want='{"tenant":1,"lead":7,"event":"created","from":null,"to":"new","seq":1}
{"tenant":1,"lead":7,"event":"status","from":"new","to":"contacting","seq":2}'
[ "$first" = "$want" ]
ok_diag $? "creation and transition arrive at commit with tenant, lead, event, from, to" "got: $first"
[ -z "$(between "marker: after commit" "marker: after rollback")" ]
ok_diag $? "a rolled-back transition sends nothing"
got=$(between "marker: after rollback" "marker: back and forth")
want='{"tenant":1,"lead":7,"event":"status","from":"contacting","to":"unreachable","seq":1}
{"tenant":1,"lead":7,"event":"lifecycle","from":"lead","to":"mql","seq":2}
{"tenant":1,"lead":7,"event":"status","from":"unreachable","to":"contacting","seq":1}
{"tenant":1,"lead":7,"event":"status","from":"contacting","to":"unreachable","seq":2}
{"tenant":1,"lead":7,"event":"status","from":"unreachable","to":"contacting","seq":3}'
[ "$got" = "$want" ]
ok_diag $? "every transition is an event, also a lead moving back and forth in one transaction" "got: $got"
got=$(between "marker: back and forth" "marker: converted")
[ "$got" = '{"tenant":1,"lead":7,"event":"converted","from":"lead","to":"opportunity","seq":1}' ]
ok_diag $? "a conversion is an event" "got: $got"
[ -z "$(between "marker: converted" "marker: events off")" ]
ok_diag $? "a tenant with notify_events off sends nothing"

# a bulk load sends a capped number of events and says so
bulk=$(psql -qXAt -d "$db" 2>&1 <<'SQL'
SET lead_crm.tenant = 2;
SELECT lead_crm.create_tenant(2);
UPDATE lead_crm.tenant SET notify_events = true WHERE tenant_id = 2;
LISTEN lead_crm_events;
INSERT INTO lead_crm.lead (full_name) SELECT 'Khách ' || i FROM generate_series(1, 10050) i;
-- psql prints what has arrived after each command: give the last ones time on
-- a busy machine (10001 notifications are read from the queue in pages)
SELECT pg_sleep(1);
SELECT pg_sleep(1);
SELECT pg_sleep(1);
SELECT pg_sleep(1);
SELECT pg_sleep(1);
SELECT 'marker: done';
SQL
)
count=$(printf '%s\n' "$bulk" | grep -c '"event":"created"')
[ "$count" = 10000 ]
ok_diag $? "a transaction sends at most 10000 lead events" "created events: $count"
printf '%s\n' "$bulk" | grep -q '{"tenant":2,"lead":null,"event":"overflow","from":null,"to":null,"seq":10001}'
ok_diag $? "then one overflow event tells listeners to re-read"

done_testing

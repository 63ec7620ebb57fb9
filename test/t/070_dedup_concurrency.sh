#!/usr/bin/env bash
# test/t/050_dedup_concurrency.sh - merges, undos and updates of the same leads at once.
#
# pgbench clients merge random pairs of 12 leads (survivor and others in random
# order), undo random merges, and add a unique tag to a random lead while they
# do. Merges keep every tag (their union), so an update lost to a merge that
# read a stale row would leave an issued tag in no row. Checks: no client
# aborted, no deadlock, no issued tag lost, every merged lead belongs to a merge
# that is not undone, every undone merge left its leads unmerged.
. "$(dirname "$0")/tap.bash"
db=lead_crm_t_dedup
pgbench=${LEAD_CRM_PGBIN:+$LEAD_CRM_PGBIN/}pgbench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fresh_db $db || { echo "Bail out! cannot create $db"; exit 1; }
q -d $db <<'SQL' >/dev/null || { echo "Bail out! setup failed"; exit 1; }
INSERT INTO lead_crm.lead (id, full_name, phone)
SELECT g, 'Khách ' || g, '0912' || lpad(g::text, 6, '0') FROM generate_series(1, 12) g;
CREATE TABLE issued (tag text PRIMARY KEY);
-- the errors a merge or undo may meet in this race are answers, not failures
CREATE FUNCTION try_merge(s bigint, o bigint) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lead_crm.merge_leads(s, ARRAY[o]);
	RETURN 'merged';
EXCEPTION WHEN object_not_in_prerequisite_state OR invalid_parameter_value THEN
	RETURN SQLSTATE;
END $$;
CREATE FUNCTION try_undo() RETURNS text LANGUAGE plpgsql AS $$
DECLARE m bigint;
BEGIN
	SELECT id INTO m FROM lead_crm.lead_merge WHERE undone_at IS NULL ORDER BY random() LIMIT 1;
	IF m IS NULL THEN RETURN 'none'; END IF;
	PERFORM lead_crm.undo_merge(m);
	RETURN 'undone';
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	RETURN SQLSTATE;
END $$;
SQL

cat >"$tmp/merge.sql" <<'SQL'
\set s random(1, 12)
\set o random(1, 12)
SELECT try_merge(:s, :o);
SQL
cat >"$tmp/undo.sql" <<'SQL'
SELECT try_undo();
SQL
cat >"$tmp/update.sql" <<'SQL'
\set x random(1, 12)
\set t random(1, 1000000000)
BEGIN;
UPDATE lead_crm.lead SET tags = tags || ARRAY['t' || :t] WHERE id = :x;
INSERT INTO issued VALUES ('t' || :t) ON CONFLICT DO NOTHING;
COMMIT;
SQL

"$pgbench" -n -c 6 -j 2 -t 150 -f "$tmp/merge.sql@3" -f "$tmp/undo.sql@1" -f "$tmp/update.sql@6" \
	$db >"$tmp/pgbench.log" 2>&1
status=$?
ok $status "6 clients merging, undoing and updating the same 12 leads all finish"
[ $status -eq 0 ] || sed 's/^/# /' "$tmp/pgbench.log" | tail -20
is "$(grep -c 'deadlock' "$tmp/pgbench.log")" 0 "no deadlock"
is "$(q -d $db -c "SELECT count(*) FROM issued i
	WHERE NOT EXISTS (SELECT FROM lead_crm.lead l WHERE i.tag = ANY (l.tags))")" 0 \
	"no update lost: every tag added is in some lead"
is "$(q -d $db -c "SELECT count(*) > 0 FROM lead_crm.lead_merge")" t "merges happened (undos are refused while later updates stand)"
is "$(q -d $db -c "SELECT count(*) FROM lead_crm.lead l WHERE l.merged_into IS NOT NULL AND NOT EXISTS (
	SELECT FROM lead_crm.lead_merge m WHERE m.undone_at IS NULL AND m.survivor_id = l.merged_into
	   AND l.id = ANY (m.other_ids))")" 0 "every merged lead belongs to a merge that stands"
is "$(q -d $db -c "SELECT count(*) FROM lead_crm.lead_merge m JOIN lead_crm.lead l
	ON l.id = ANY (m.other_ids) AND l.merged_into = m.survivor_id AND l.merged_at = m.merged_at
	WHERE m.undone_at IS NOT NULL")" 0 "every undone merge left its leads unmerged"
is "$(q -d $db -c "SELECT count(*) FROM lead_crm.lead WHERE tenant_id = 1")" 12 "no lead deleted"
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
done_testing

#!/usr/bin/env bash
# test/t/066_scoring_dump.sh - pg_dump / pg_restore of a database with BANT answers,
# a tenant's own scoring settings and levels, and a learned win model: the
# restore loads everything as it was, learns nothing twice (closed leads are
# loaded with the triggers skipping), and gives the same scores.
set -uo pipefail
. "$(dirname "$0")/tap.bash"
src=lead_crm_scoring_dump_src
dst=lead_crm_scoring_dump_dst
dump=$(mktemp)
trap 'rm -f "$dump"; psql -qX -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" >/dev/null 2>&1' EXIT
fresh_db $src

q -d $src <<'SQL'
-- the first row of tenant 1 creates it (with the template's settings)
INSERT INTO lead_crm.bant_level (criterion, code, label_vi, label_en, points) VALUES ('authority', 'ceo', 'Tổng giám đốc', 'CEO', 100);
UPDATE lead_crm.scoring_settings SET budget_weight = 10, authority_weight = 40, win_min_closed = 10 WHERE tenant_id = 1;
INSERT INTO lead_crm.lead (id, full_name, source, email, authority, need_level, timeline, budget_amount)
SELECT i, 'Khách ' || i, (ARRAY['facebook', 'referral', 'zalo'])[1 + i % 3],
	   CASE WHEN i % 2 = 0 THEN 'k' || i || '@gmail.com' END,
	   (ARRAY['Tổng giám đốc', 'Người ảnh hưởng', 'unknown'])[1 + i % 3], 'Nhu cầu cấp thiết',
	   'Trong 6 tháng', i * 1000000
  FROM generate_series(1, 60) i;
UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id % 4 = 0;
UPDATE lead_crm.lead SET status = 'lost', lost_reason = 'Giá quá cao' WHERE id % 4 = 1;
INSERT INTO lead_crm.activity (lead_id, type, due_at, done_at) VALUES (2, 'call', now() - interval '1 day', now() - interval '1 day');
SQL
ok $? "source: BANT answers by label, a tenant's own weights and level, closed leads, an activity"

scores() { q -d "$1" -c "SELECT string_agg(s::text, ' ' ORDER BY lead_id) FROM lead_crm.lead_scores s"; }
counts() { q -d "$1" -c "SELECT string_agg(c::text, ' ' ORDER BY feature, value, won, lost)
	FROM (SELECT feature, value, won, lost FROM lead_crm.win_model_count) c"; }
src_scores=$(scores $src)
src_counts=$(counts $src)
is "$(q -d $src -c "SELECT ready FROM lead_crm.win_model_status()")" "t" "the source's win model is ready"

pg_dump -Fc -d $src -f "$dump"
ok $? "pg_dump"
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $dst"
pg_restore -d $dst --exit-on-error "$dump" 2>&1
ok $? "pg_restore into an empty database"
is "$(counts $dst)" "$src_counts" "the win model counts are restored, not learned a second time"
is "$(scores $dst)" "$src_scores" "every lead_scores row is the same after the restore"
is "$(q -d $dst -c "SELECT authority FROM lead_crm.lead WHERE id = 3")" "ceo" "answers stay codes of the tenant's own levels"
q -d $dst -c "UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id = 2" >/dev/null
is "$(q -d $dst -c "SELECT won FROM lead_crm.win_model_status()")" "16" "the restored database keeps learning (15 won + 1)"
done_testing

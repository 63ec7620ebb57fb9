#!/usr/bin/env bash
# test/t/096_import_capture_dump.sh - import batches (staging rows, errors,
# links to leads) and captured form payloads survive pg_dump and pg_restore,
# and work on afterwards: a retried capture finds its key, a fixed staging row
# imports. Needs the cluster up and PG* set (make test).
. "$(dirname "$0")/tap.bash"
src=lead_crm_t_import_src
dst=lead_crm_t_import_dst
fresh_db $src || { echo "Bail out! cannot create $src"; exit 1; }

q -d $src <<'SQL' >/dev/null
SELECT * FROM lead_crm.import_begin('danh_sach.csv', 'Họ và tên,Số điện thoại,Ghi chú riêng');
COPY lead_crm.import_row (full_name, phone, x1) FROM STDIN WITH (FORMAT csv);
Nguyễn Văn An,0912 345 678,khách cũ
,0912 345 679,
Trần Thị Bình,0912 34,
\.
SELECT * FROM lead_crm.import_leads(lead_crm.import_batch_id());
SELECT lead_crm.capture_lead('{"full_name": "Lê Văn Cường", "phone": "0903 111 222", "idempotency_key": "web-1"}', 'website');
SELECT lead_crm.capture_lead('{"id": "881", "field_data": [{"name": "full_name", "values": ["Phạm Thị Dung"]}]}');
SQL
ok $? "source database: an import with errors, two captured forms"

dump=$(mktemp)
pg_dump -Fc -d $src -f "$dump" && psql -qX -d postgres -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $dst" &&
	pg_restore -d $dst --exit-on-error "$dump" 2>&1
ok $? "pg_dump and pg_restore"
rm -f "$dump"

for t in import_batch import_row import_error lead_capture lead; do
	is "$(q -d $dst -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM lead_crm.$t t WHERE tenant_id <> 0")" \
	   "$(q -d $src -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM lead_crm.$t t WHERE tenant_id <> 0")" \
	   "$t restored row for row"
done
is "$(q -d $dst -c "SELECT lead_crm.capture_lead('{\"full_name\": \"Lê Văn Cường\", \"idempotency_key\": \"web-1\"}') = (SELECT lead_id FROM lead_crm.lead_capture WHERE idempotency_key = 'web-1')")" \
   t "a retried capture finds its key after the restore"
q -d $dst -c "UPDATE lead_crm.import_row SET full_name = 'Đỗ Văn Em' WHERE row_no = 3" >/dev/null
is "$(q -d $dst -c "SELECT inserted || '/' || failed FROM lead_crm.import_leads((SELECT max(id) FROM lead_crm.import_batch))")" \
   "2/1" "a fixed staging row imports in the restored database"
is "$(q -d $dst -c "SELECT count(*) FROM lead_crm.lead WHERE full_name = 'Đỗ Văn Em'")" 1 "once"

psql -qX -d postgres -c "DROP DATABASE $src" -c "DROP DATABASE $dst"
done_testing

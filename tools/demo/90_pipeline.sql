-- Demo tour: pipeline views for BI, CSV import of an Excel export, web and
-- Facebook forms. Works on the sample leads of tenant 1 (tools/demo.sh).
\set QUIET on
SET lead_crm.tenant = 1;
SET lead_crm.actor = 'quanly@demo.vn';
\pset footer off
-- a week of work on the sample leads: the manager spreads the backlog, sales
-- call, qualify, win and lose (every move goes through the state machines)
SELECT set_config('lead_crm.reason', 'chia lead tồn', false) \g /dev/null
UPDATE lead_crm.lead SET salesperson_id = 1 + (id / 5) % 4 WHERE tenant_id = 1 AND salesperson_id IS NULL;
SELECT set_config('lead_crm.reason', '', false) \g /dev/null
SELECT count(lead_crm.set_status(id, 'contacting')) FROM lead_crm.lead WHERE tenant_id = 1 AND id % 3 = 0 AND status = 'new' \g /dev/null
SELECT count(lead_crm.set_status(id, 'promising')) FROM lead_crm.lead WHERE tenant_id = 1 AND id % 6 = 0 AND status = 'contacting' \g /dev/null
SELECT count(lead_crm.mark_lost(id, (ARRAY['Giá quá cao', 'Chọn đối thủ cạnh tranh', 'Không có nhu cầu thực sự'])[1 + id % 3]))
  FROM lead_crm.lead WHERE tenant_id = 1 AND id % 5 = 0 AND status IN ('new', 'contacting') \g /dev/null
SELECT count(lead_crm.set_lifecycle(id, 'mql')) FROM lead_crm.lead WHERE tenant_id = 1 AND id % 4 = 0 \g /dev/null
SELECT count(lead_crm.set_lifecycle(id, 'customer')) FROM lead_crm.lead WHERE tenant_id = 1 AND id % 12 = 0 AND lifecycle = 'mql' \g /dev/null
\set QUIET off

\echo
\echo '== 9. Pipeline views for BI (plain columns, the tenant of the session, labels in its language)'
\echo '-- pipeline_summary: the kanban of the status workflow, revenue weighted by probability'
SELECT status_label, leads, expected_revenue, weighted_revenue FROM lead_crm.pipeline_summary;
\echo '-- funnel: leads that reached each stage of the journey (from history), conversion from the stage before'
SELECT stage_label, reached, in_stage, conversion_pct, reached_pct FROM lead_crm.funnel;
\echo '-- source_effectiveness: the channel analysis (conversion = won: status won or lifecycle Khách hàng)'
SELECT source_label, leads, conversions, conversion_pct, won_revenue FROM lead_crm.source_effectiveness LIMIT 6;
\echo '-- salesperson_performance'
SELECT salesperson_name, leads, open, won, lost, win_rate_pct, activities_open, activities_overdue
  FROM lead_crm.salesperson_performance;
\echo '-- activity_agenda: open activities, Odoo''s red / yellow / green'
SELECT colour, type_label, summary, lead_name, days_until_due, assignee_name
  FROM lead_crm.activity_agenda ORDER BY due_at LIMIT 5;
\echo '-- lost_reasons'
SELECT lost_reason_label, leads, share_pct, revenue_lost FROM lead_crm.lost_reasons;
\echo '-- stage_velocity (from lead_history: the sample leads were created over the past year and moved just now)'
SELECT field, state_label, finished_stays, avg_days, median_days, current_leads
  FROM lead_crm.stage_velocity;

\echo
\echo '== 10. Import of an Excel export (CSV UTF-8: byte-order mark, Vietnamese headers, CRLF, a cell on two lines)'
\set file 'tools/demo/khach_hoi_cho.csv'
\set header `head -n 1 tools/demo/khach_hoi_cho.csv`
SELECT * FROM lead_crm.import_begin(:'file', :'header', source => 'Hội chợ') \gset
\echo :copy_command
:copy_command
SELECT * FROM lead_crm.import_leads(:batch_id);
\echo '-- one row per problem; row numbers as the spreadsheet shows them'
SELECT row_no, field, value, problem, reason FROM lead_crm.import_error WHERE batch_id = :batch_id ORDER BY row_no, field;
SELECT l.full_name, l.phone_e164, l.expected_revenue, l.tags, l.source, s.full_name AS salesperson, l.description
  FROM lead_crm.import_row r
  JOIN lead_crm.lead l ON l.tenant_id = r.tenant_id AND l.id = r.lead_id
  LEFT JOIN lead_crm.salesperson s ON s.tenant_id = l.tenant_id AND s.id = l.salesperson_id
 WHERE r.batch_id = :batch_id ORDER BY r.row_no;
\echo '-- fix row 4 in the staging table and run again'
UPDATE lead_crm.import_row SET full_name = 'Bùi Văn Sơn' WHERE batch_id = :batch_id AND row_no = 4;
SELECT * FROM lead_crm.import_leads(:batch_id);

\echo
\echo '== 11. Web and Facebook forms: capture_lead(payload, source)'
SELECT lead_crm.capture_lead('{"Họ và tên": "Phan Thị Mỹ", "Số điện thoại": "0938 765 432", "Tỉnh/thành phố": "Đà Nẵng",
	"Bạn quan tâm sản phẩm nào?": "Tiêu đen", "idempotency_key": "web-2025-0001"}', 'website') AS web_lead \gset
SELECT lead_crm.capture_lead('{"Họ và tên": "Phan Thị Mỹ", "Số điện thoại": "0938 765 432",
	"idempotency_key": "web-2025-0001"}', 'website') = :web_lead AS retry_returns_the_same_lead;
SELECT lead_crm.capture_lead('{"id": "1120055501", "created_time": "2025-05-20T07:30:00+0000",
	"campaign_name": "Cà phê tháng 5", "field_data": [
	  {"name": "full_name", "values": ["Hồ Văn Phúc"]}, {"name": "phone_number", "values": ["+84977123456"]},
	  {"name": "city", "values": ["Gia Lai"]}, {"name": "bạn_cần_bao_nhiêu_kg?", "values": ["200"]}]}') AS fb_lead \gset
SELECT full_name, phone, province, source, campaign, created_at, description
  FROM lead_crm.lead WHERE tenant_id = 1 AND id IN (:web_lead, :fb_lead) ORDER BY id;
\echo '-- a payload without a name is refused with a hint'
SELECT lead_crm.capture_lead('{"phone": "0912345678"}', 'website');

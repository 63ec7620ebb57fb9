\echo '== 7. Activities and assignment: who calls whom, when, and what came of it'
\echo '-- assignment rules: product and channel first, then region; leads no rule takes stay unassigned'
UPDATE lead_crm.salesperson SET capacity = 2 WHERE id IN (1, 2);
INSERT INTO lead_crm.assignment_rule (name, priority, sources, tags, team_id) VALUES
	('Cà phê, tiêu từ hội chợ', 10, '{Hội chợ}', '{Cà phê, Tiêu}', 2);
INSERT INTO lead_crm.assignment_rule (name, priority, provinces, team_id) VALUES
	('Phía Bắc', 20, '{Hà Nội, Hải Phòng, Quảng Ninh, Bắc Ninh}', 1);
SELECT name, priority, provinces, sources, tags, team_id FROM lead_crm.assignment_rule ORDER BY priority;

\echo '-- new leads without a salesperson are assigned in the same transaction (round robin, capacity 2 a day in the North)'
INSERT INTO lead_crm.lead (full_name, phone, province, source, tags) VALUES
	('Phạm Thu Trang', '0903 111 222', 'Hà Nội', 'Facebook', '{}'),
	('Vũ Đức Thắng', '0913 222 333', 'TP. Hải Phòng', 'Website', '{}'),
	('Hoàng Văn Lợi', '0988 333 444', 'Gia Lai', 'Hội chợ', '{Cà phê}'),
	('Đặng Thị Yến', '0977 444 555', 'Hà Nội', 'Zalo', '{}'),
	('Bùi Quang Vinh', '0966 555 666', 'Bắc Ninh', 'Telesales', '{}'),
	('Lý Minh Khôi', '0955 666 777', 'Hà Nội', 'Giới thiệu', '{}'),
	('Tạ Thị Ngân', '0944 777 888', 'Hà Nội', 'Website', '{}'),
	('Chu Văn An', '0933 888 999', 'Cần Thơ', 'Website', '{}');
SELECT l.full_name, l.province, s.full_name AS salesperson, h.reason
  FROM lead_crm.lead l
  LEFT JOIN lead_crm.salesperson s ON s.tenant_id = l.tenant_id AND s.id = l.salesperson_id
  JOIN lead_crm.lead_history h ON h.tenant_id = l.tenant_id AND h.lead_id = l.id AND h.field = 'salesperson_id'
 WHERE l.phone IN ('0903 111 222', '0913 222 333', '0988 333 444', '0977 444 555', '0966 555 666',
				   '0955 666 777', '0944 777 888', '0933 888 999')
 ORDER BY l.id;

\echo '-- workload this day, counted from the leads'
SELECT full_name, team_name, capacity, assigned_in_period, remaining FROM lead_crm.salesperson_workload ORDER BY salesperson_id;

\echo '-- Odoo-style activities on a lead: Gọi, Gửi email, Cần làm (due times in Asia/Ho_Chi_Minh)'
SELECT id AS lead_id FROM lead_crm.lead WHERE phone = '0903 111 222' \gset
SELECT lead_crm.schedule_activity(:lead_id, 'Gọi', 'Gọi tư vấn lần đầu', due => now() - interval '2 hours') AS call_id \gset
SELECT lead_crm.schedule_activity(:lead_id, 'Gửi email', 'Gửi báo giá', due => date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh' + interval '23 hours 30 minutes') AS mail_id \gset
SELECT lead_crm.schedule_activity(:lead_id, 'Cần làm', 'Chuẩn bị hợp đồng mẫu') AS todo_id \gset
SELECT type_label, summary, due_date, assignee_name, state, colour
  FROM lead_crm.activity_overview WHERE lead_id = :lead_id ORDER BY due_at;

\echo '-- the call is done; a note (Bình luận) and the quotation file (Tập tin đính kèm) go on the lead'
SET lead_crm.actor = 'tuan.dm@demo.vn';
SELECT lead_crm.mark_activity_done(:call_id, 'Khách quan tâm, hẹn gửi báo giá trong ngày') IS NOT NULL AS done;
SELECT lead_crm.add_note(:lead_id, 'Khách cần 500 kg cà phê Robusta mỗi tháng, giao tại Hà Nội', :call_id) IS NOT NULL AS noted;
SELECT lead_crm.add_attachment(:lead_id, 'Báo giá Robusta tháng này.pdf', 's3://crm-demo/bao-gia/robusta.pdf',
							   size_bytes => 182044, activity_id => :mail_id) IS NOT NULL AS attached;
SELECT lead_crm.reschedule_activity(:todo_id, due_date => (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 7,
									reason => 'khách đi công tác một tuần');

\echo '-- everything is in the lead''s history'
SELECT field, coalesce(new_value, old_value) AS value, reason, actor
  FROM lead_crm.lead_history WHERE lead_id = :lead_id ORDER BY id;

-- Activities, notes and attachments: defaults, states across time and time
-- zones, and what each change writes to lead_history. Tenant 71 is this
-- file's own; rows get explicit ids so the output does not depend on other tests.
SET lead_crm.tenant = 71;
SET timezone = 'UTC';
SET lead_crm.actor = 'an.nguyen@example.vn';

INSERT INTO lead_crm.salesperson (id, full_name, login_role) VALUES
	(7101, 'Nguyễn Văn An', NULL), (7102, 'Trần Thị Bình', current_user);
INSERT INTO lead_crm.lead (id, full_name, salesperson_id) VALUES
	(7101, 'Công ty Đậu Xanh Miền Tây', 7101), (7102, 'Chị Hoa', NULL);

-- the activity types every tenant starts with (Odoo's Gọi, Cần làm, Nhắc nhở, Gửi email ...)
SELECT code, label_vi, label_en, default_days FROM lead_crm.activity_type
 WHERE tenant_id = 71 ORDER BY position;

-- labels map to codes; the default assignee is the salesperson logged in as
-- the current role (Odoo: "tự lấy tài khoản của bạn")
INSERT INTO lead_crm.activity (id, lead_id, type, summary, due_at) VALUES
	(7101, 7101, 'Gọi', 'Gọi lại báo giá', '2025-03-05 09:00+07'),
	(7102, 7101, 'gui email', 'Gửi báo giá đậu xanh', '2025-03-05 14:00+07'),
	(7103, 7101, 'Zalo message', 'Nhắn mẫu hợp đồng', '2025-03-06 10:00+07');
INSERT INTO lead_crm.activity (id, lead_id, type, summary, due_at, all_day, assignee_id) VALUES
	(7104, 7101, 'todo', 'Chuẩn bị mẫu', '2025-03-05 16:30+07', true, 7101);
SELECT id, type, due_at, all_day, assignee_id FROM lead_crm.activity WHERE tenant_id = 71 ORDER BY id;

-- Odoo's colours through one day in Hồ Chí Minh City (UTC+7)
SELECT a.id, a.summary,
	   lead_crm.activity_state(a, '2025-03-04 23:00+07') AS day_before,
	   lead_crm.activity_state(a, '2025-03-05 08:00+07') AS morning,
	   lead_crm.activity_state(a, '2025-03-05 12:00+07') AS noon,
	   lead_crm.activity_state(a, '2025-03-05 23:59+07') AS late,
	   lead_crm.activity_state(a, '2025-03-06 00:01+07') AS next_day
  FROM lead_crm.activity a WHERE a.tenant_id = 71 ORDER BY a.id;
SELECT lead_crm.activity_colour(s) FROM unnest('{overdue,today,planned,done}'::text[]) s;

-- "today" is the tenant's day: 2025-03-05 18:00 UTC is already 6 March in Vietnam
SELECT lead_crm.activity_state('2025-03-05 00:00+07', true, NULL, 'Asia/Ho_Chi_Minh', '2025-03-05 18:00+00') AS vietnam,
	   lead_crm.activity_state('2025-03-05 00:00+00', true, NULL, 'UTC', '2025-03-05 18:00+00') AS utc;
-- done counts from the time it was done: before that the activity was still open
SELECT lead_crm.activity_state('2025-03-05 09:00+07', false, '2025-03-05 10:00+07', 'Asia/Ho_Chi_Minh', '2025-03-05 09:30+07') AS before_done,
	   lead_crm.activity_state('2025-03-05 09:00+07', false, '2025-03-05 10:00+07', 'Asia/Ho_Chi_Minh', '2025-03-05 10:00+07') AS when_done;

-- done, rescheduled, reassigned, edited, moved and deleted by plain DML
UPDATE lead_crm.activity SET done_at = '2025-03-05 09:20+07', result = 'Khách hẹn gọi lại thứ Sáu' WHERE id = 7101;
UPDATE lead_crm.activity SET due_at = '2025-03-07 09:00+07' WHERE id = 7102;
UPDATE lead_crm.activity SET assignee_id = 7101 WHERE id = 7103;
UPDATE lead_crm.activity SET details = 'Mẫu 500 g' WHERE id = 7104;
UPDATE lead_crm.activity SET updated_at = updated_at WHERE id = 7104;	-- nothing readable changed: no row
BEGIN;
SELECT set_config('lead_crm.reason', 'gộp trùng lặp', true);
UPDATE lead_crm.activity SET lead_id = 7102 WHERE id = 7103;
COMMIT;
DELETE FROM lead_crm.activity WHERE id = 7104;

-- notes and attachments
INSERT INTO lead_crm.lead_note (id, lead_id, body) VALUES
	(7101, 7101, 'Khách cần 2 tấn đậu xanh mỗi tháng, giao tại Cần Thơ');
INSERT INTO lead_crm.lead_note (id, lead_id, activity_id, body) VALUES
	(7102, 7101, 7101, 'Đã gọi, khách bận họp');
UPDATE lead_crm.lead_note SET body = 'Đã gọi, khách bận họp đến 15h' WHERE id = 7102;
INSERT INTO lead_crm.attachment (id, lead_id, note_id, file_name, size_bytes, uri) VALUES
	(7101, 7101, 7101, 'Báo giá tháng 3.pdf', 245760, 's3://crm-files/71/bao-gia-thang-3.pdf');
INSERT INTO lead_crm.attachment (id, lead_id, file_name, mime_type, uri) VALUES
	(7102, 7101, 'danh thiep.HEIC', NULL, 'https://files.example.vn/71/danh-thiep.heic'),
	(7103, 7101, 'giay-phep.bin', 'Application/Octet-Stream', 'file:///srv/crm/71/giay-phep.bin');
SELECT id, file_name, mime_type, size_bytes FROM lead_crm.attachment WHERE tenant_id = 71 ORDER BY id;
DELETE FROM lead_crm.attachment WHERE id = 7103;

-- everything above, as the lead's history shows it
SELECT lead_id, field, old_value, new_value, reason, actor
  FROM lead_crm.lead_history WHERE tenant_id = 71 ORDER BY id;

-- the helper functions
SELECT max(id) AS hist FROM lead_crm.lead_history \gset
SELECT lead_crm.schedule_activity(7102, 'Nhắc nhở', 'Hỏi kết quả mẫu', due => '2025-03-10 08:30+07') AS act \gset
SELECT type, summary, due_at, all_day, assignee_id FROM lead_crm.activity WHERE tenant_id = 71 AND id = :act;
SELECT lead_crm.reschedule_activity(:act, due_date => '2025-03-11', reason => 'khách đi công tác');
SELECT due_at, all_day FROM lead_crm.activity WHERE tenant_id = 71 AND id = :act;
SELECT lead_crm.mark_activity_done(:act, '  Mẫu đạt, khách đặt 1 tấn  ') = now() AS done_now;
SELECT result, lead_crm.activity_state(:act) FROM lead_crm.activity WHERE tenant_id = 71 AND id = :act;
SELECT lead_crm.add_note(7102, 'Khách gửi lại số lượng qua Zalo', :act) AS note \gset
SELECT lead_crm.add_attachment(7102, 'don-hang.xlsx', 's3://crm-files/71/don-hang.xlsx', size_bytes => 18000, note_id => :note) AS file \gset
SELECT field, coalesce(old_value, '-') AS old_value,
	   regexp_replace(new_value, 'xong \d{4}-\d\d-\d\d \d\d:\d\d', 'xong (now)') AS new_value,
	   reason
  FROM (SELECT id, field,
			   replace(old_value, '#' || :act || ' ', '#A ') AS old_value,
			   replace(new_value, '#' || :act || ' ', '#A ') AS new_value,
			   replace(replace(replace(reason, 'hoạt động #' || :act, 'hoạt động #A'),
							   'ghi chú #' || :note, 'ghi chú #N'), 'tập tin #' || :file, 'tập tin #F') AS reason
		  FROM lead_crm.lead_history
		 WHERE tenant_id = 71 AND id > :hist) h
 ORDER BY id;

-- without a due date: the type's default days after today, all day (a reminder: 1 day)
SELECT lead_crm.schedule_activity(7102, 'reminder') AS act2 \gset
SELECT due_at = (((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AS tomorrow,
	   all_day, lead_crm.activity_state(:act2) AS state
  FROM lead_crm.activity WHERE tenant_id = 71 AND id = :act2;
-- the overview: state and colour now; a far-future activity is planned (green)
INSERT INTO lead_crm.activity (id, lead_id, type, summary, due_at) VALUES
	(7105, 7102, 'meeting', 'Gặp tại hội chợ', '2099-01-01 09:00+07');
SELECT lead_name, type_label, summary, due_date, assignee_name, state, colour
  FROM lead_crm.activity_overview WHERE id IN (7101, 7102, 7105) ORDER BY id;
SET lead_crm.tenant = 1;
SELECT count(*) AS other_tenant_sees FROM lead_crm.activity_overview WHERE id IN (7101, 7102, 7105);

-- English tenant: labels and history in English
SET lead_crm.tenant = 72;
SELECT lead_crm.create_tenant(72, 'Saigon Coffee Export', 'en');
INSERT INTO lead_crm.lead (id, full_name) VALUES (7201, 'Mr. Tuấn');
INSERT INTO lead_crm.activity (id, lead_id, type, summary, due_at, all_day) VALUES
	(7201, 7201, 'Gọi', 'Call about pepper prices', '2025-03-05', true);
UPDATE lead_crm.activity SET done_at = '2025-03-05 10:00+07', result = 'Wants samples' WHERE id = 7201;
SELECT field, old_value, new_value, reason FROM lead_crm.lead_history WHERE tenant_id = 72 ORDER BY id;

-- errors
SET lead_crm.tenant = 71;
\set VERBOSITY verbose
INSERT INTO lead_crm.activity (lead_id, type, due_at) VALUES (7101, 'fax', now());
\set VERBOSITY default
INSERT INTO lead_crm.activity (id, lead_id, type, due_at, result) VALUES (7199, 7101, 'call', now(), 'Đã gọi');
SELECT lead_crm.mark_activity_done(7101, 'lần nữa');
SELECT lead_crm.mark_activity_done(7999);
SELECT lead_crm.schedule_activity(7999, 'call');
SELECT lead_crm.schedule_activity(7101, 'call', due => '2025-03-05 09:00+07', due_date => '2025-03-05');
SELECT lead_crm.reschedule_activity(7102);
SELECT lead_crm.reschedule_activity(7101, due => now());
INSERT INTO lead_crm.lead_note (lead_id, activity_id, body) VALUES (7102, 7101, 'nhầm lead');
\set VERBOSITY terse
INSERT INTO lead_crm.lead_note (lead_id, body) VALUES (7101, '   ');
INSERT INTO lead_crm.attachment (lead_id, file_name, uri) VALUES (7101, 'a.pdf', 'not a uri');
INSERT INTO lead_crm.attachment (lead_id, file_name, uri) VALUES (7101, '../etc/passwd', 'file:///etc/passwd');
INSERT INTO lead_crm.attachment (lead_id, file_name, uri, size_bytes) VALUES (7101, 'a.pdf', 's3://b/a.pdf', -1);
\set VERBOSITY default
DELETE FROM lead_crm.activity WHERE id = 7101;	-- it has a note: nothing is lost silently

-- test/pgtap/activity.sql - activities, notes, attachments: declarations,
-- SQLSTATEs, state over time and the history each change writes.
BEGIN;
SELECT plan(28);
SET LOCAL lead_crm.tenant = 81;

SELECT has_table('lead_crm', 'activity', 'activity table');
SELECT has_table('lead_crm', 'lead_note', 'lead_note table');
SELECT has_table('lead_crm', 'attachment', 'attachment table');
SELECT col_is_pk('lead_crm', 'activity', ARRAY['tenant_id', 'id'], 'activity key is tenant-led');
SELECT fk_ok('lead_crm', 'activity', ARRAY['tenant_id', 'lead_id'], 'lead_crm', 'lead', ARRAY['tenant_id', 'id'],
			 'activity references its lead by (tenant_id, lead_id)');
SELECT volatility_is('lead_crm', 'activity_state',
					 ARRAY['timestamp with time zone', 'boolean', 'timestamp with time zone', 'text', 'timestamp with time zone'],
					 'immutable', 'the state of given values never changes');
SELECT volatility_is('lead_crm', 'activity_state', ARRAY['lead_crm.activity', 'timestamp with time zone'],
					 'stable', 'the state of a row reads the tenant''s time zone and now()');
SELECT hasnt_column('lead_crm', 'activity', 'state', 'the state is computed, not stored');

INSERT INTO lead_crm.salesperson (id, full_name) VALUES (8101, 'Phạm Minh');
INSERT INTO lead_crm.lead (id, full_name, salesperson_id) VALUES (8101, 'Anh Tú', 8101), (8102, 'Chị Mai', NULL);
INSERT INTO lead_crm.activity (id, lead_id, type, summary, due_at) VALUES
	(8101, 8101, 'call', 'Gọi tư vấn', '2025-06-10 15:00+07');

SELECT is(assignee_id, 8101::bigint, 'the lead''s salesperson is the default assignee')
  FROM lead_crm.activity WHERE tenant_id = 81 AND id = 8101;

-- the state walks planned -> today -> overdue and never back; done wins once done
SELECT results_eq(
	$$SELECT lead_crm.activity_state('2025-06-10 15:00+07', false, NULL, 'Asia/Ho_Chi_Minh', t)
		FROM unnest(ARRAY['2025-06-09 23:59:59+07', '2025-06-10 00:00+07', '2025-06-10 14:59:59+07',
						  '2025-06-10 15:00+07', '2025-06-11 09:00+07']::timestamptz[]) t$$,
	ARRAY['planned', 'today', 'today', 'today', 'overdue'],
	'timed activity: planned until its day, today until its time, then overdue');
SELECT is(lead_crm.activity_state('2025-06-10 15:00+07', false, NULL, 'Asia/Ho_Chi_Minh', '2025-06-10 15:00:00.000001+07'),
		  'overdue', 'one microsecond late is overdue');
SELECT results_eq(
	$$SELECT lead_crm.activity_state('2025-06-10 00:00+07', true, NULL, 'Asia/Ho_Chi_Minh', t)
		FROM unnest(ARRAY['2025-06-09 23:59:59+07', '2025-06-10 23:59:59+07', '2025-06-11 00:00+07']::timestamptz[]) t$$,
	ARRAY['planned', 'today', 'overdue'],
	'all-day activity: today all that local day, overdue from the next midnight');
SELECT is(lead_crm.activity_state('2025-06-10 15:00+07', false, '2025-06-12 08:00+07', 'Asia/Ho_Chi_Minh', '2025-06-12 08:00+07'),
		  'done', 'done late is done');

-- errors with their SQLSTATEs
SELECT throws_ok($$INSERT INTO lead_crm.activity (lead_id, type, due_at) VALUES (8101, 'telegram', now())$$,
				 '23503', NULL, 'an unknown activity type is refused');
SELECT throws_ok($$INSERT INTO lead_crm.activity (lead_id, type, due_at, result) VALUES (8101, 'call', now(), 'ok')$$,
				 '23514', NULL, 'a result needs the activity done');
SELECT throws_ok($$SELECT lead_crm.mark_activity_done(-1, 'x')$$, 'P0002', NULL, 'a missing activity');
SELECT throws_ok($$SELECT lead_crm.schedule_activity(-1)$$, 'P0002', NULL, 'a missing lead');
SELECT throws_ok($$SELECT lead_crm.schedule_activity(8101, due => now(), due_date => current_date)$$,
				 '22023', NULL, 'a due time and a due date together');
SELECT throws_ok($$INSERT INTO lead_crm.lead_note (lead_id, activity_id, body) VALUES (8102, 8101, 'x')$$,
				 '23503', NULL, 'a note about another lead''s activity');
SELECT throws_ok($$INSERT INTO lead_crm.attachment (lead_id, file_name, uri) VALUES (8101, 'a.pdf', 'C:\files\a.pdf ')$$,
				 '23514', NULL, 'an attachment location must be a URI');

-- each change writes exactly one history row on the lead
CREATE TEMP TABLE h0 AS SELECT coalesce(max(id), 0) AS id FROM lead_crm.lead_history;
SELECT lives_ok($$SELECT lead_crm.mark_activity_done(8101, 'Khách đồng ý gặp')$$, 'mark_activity_done works');
SELECT throws_ok($$SELECT lead_crm.mark_activity_done(8101, 'lại')$$, '55000', NULL, 'done twice is refused');
SELECT is((SELECT count(*) FROM lead_crm.lead_history WHERE id > (SELECT id FROM h0) AND lead_id = 8101 AND field = 'activity'),
		  1::bigint, 'completing writes one activity row');
SELECT lives_ok($$SELECT lead_crm.add_note(8101, 'Khách hỏi giá sỉ')$$, 'add_note works');
SELECT lives_ok($$SELECT lead_crm.add_attachment(8101, 'hop-dong.docx', 'https://files.example.vn/hop-dong.docx', size_bytes => 1)$$,
				'add_attachment works');
SELECT is((SELECT array_agg(field::text ORDER BY id) FROM lead_crm.lead_history WHERE id > (SELECT id FROM h0)),
		  ARRAY['activity', 'note', 'attachment'], 'notes and attachments write their rows');
SELECT is((SELECT mime_type FROM lead_crm.attachment WHERE tenant_id = 81 AND file_name = 'hop-dong.docx'),
		  'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'MIME type from the extension');
SELECT is((SELECT count(*) FROM lead_crm.activity_overview WHERE lead_id = 8101 AND state = 'done' AND colour IS NULL),
		  1::bigint, 'the overview shows the done activity without a colour');

SELECT * FROM finish();
ROLLBACK;

-- State machines: the four built-in workflows move by move, forbidden moves
-- with their hints, guards, restore, history. Deferred workflow checks are
-- made immediate so that they run inside this rolled-back transaction.
BEGIN;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT plan(261);

SELECT lead_crm.create_tenant(101, 'Rodi', 'vi');
SELECT lead_crm.create_tenant(102, 'Nhà phân phối', 'vi');
SELECT lead_crm.create_tenant(103, 'Odoo team', 'en');
SET CONSTRAINTS ALL IMMEDIATE;	-- create_tenant() deferred them
SET LOCAL lead_crm.tenant = 102;
SELECT lead_crm.set_status_workflow('distributor');
SET LOCAL lead_crm.tenant = 103;
SELECT lead_crm.set_status_workflow('pipeline');

-- where each built-in workflow is exercised
CREATE TEMP TABLE wf_home (workflow text PRIMARY KEY, tenant integer, field text);
INSERT INTO wf_home VALUES ('lifecycle', 101, 'lifecycle'), ('contact', 101, 'status'),
						   ('distributor', 102, 'status'), ('pipeline', 103, 'status');

-- A lead in from_s (for a restore: moved there from to_s first), then moved
-- to to_s by a plain UPDATE. fill: give every guard what it needs.
CREATE FUNCTION pg_temp.move(wf text, from_s text, to_s text, fill boolean)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	h record;
	lid bigint;
	is_restore boolean;
	got text;
BEGIN
	SELECT * INTO h FROM wf_home WHERE workflow = wf;
	SELECT coalesce(bool_or(restore), false) INTO is_restore FROM lead_crm.workflow_transition
	 WHERE tenant_id = h.tenant AND workflow = wf AND from_state = from_s AND to_state = to_s;
	PERFORM set_config('lead_crm.tenant', h.tenant::text, true);
	-- BANT answers worth 50 (lead_crm.bant_score, the tenant's minimum) when filled
	EXECUTE format('INSERT INTO lead_crm.lead (full_name, %I, need, expected_revenue, lost_reason, authority, need_level)'
				   ' VALUES (%L, %L, %L, %s, %L, %L, %L) RETURNING id', h.field, 'Khách thử',
				   CASE WHEN is_restore THEN to_s ELSE from_s END,
				   CASE WHEN fill THEN 'cần 2 tấn đậu xanh' END,
				   CASE WHEN fill THEN '50000000' ELSE 'NULL' END,
				   CASE WHEN fill THEN 'other' END,
				   CASE WHEN fill THEN 'decision_maker' END,
				   CASE WHEN fill THEN 'high' END) INTO lid;
	IF is_restore THEN
		PERFORM set_config('lead_crm.reason', 'chuẩn bị', true);
		EXECUTE format('UPDATE lead_crm.lead SET %I = %L WHERE tenant_id = %s AND id = %s',
					   h.field, from_s, h.tenant, lid);
	END IF;
	PERFORM set_config('lead_crm.reason', CASE WHEN fill THEN 'kiểm thử' ELSE '' END, true);
	EXECUTE format('UPDATE lead_crm.lead SET %I = %L WHERE tenant_id = %s AND id = %s RETURNING %I',
				   h.field, to_s, h.tenant, lid, h.field) INTO got;
	PERFORM set_config('lead_crm.reason', '', true);
	RETURN got;
END;
$$;

CREATE FUNCTION pg_temp.try_move(wf text, from_s text, to_s text, fill boolean)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	RETURN pg_temp.move(wf, from_s, to_s, fill);
EXCEPTION WHEN others THEN
	PERFORM set_config('lead_crm.reason', '', true);
	RETURN SQLSTATE || ' ' || SQLERRM;
END;
$$;

-- SQLSTATE, message and hint of a statement (NULL when it succeeds)
CREATE FUNCTION pg_temp.error_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; hint text;
BEGIN
	EXECUTE stmt;
	RETURN NULL;
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
	RETURN st || ' | ' || msg || ' | ' || hint;
END;
$$;

-- the hint a forbidden move from a state should give (lead without history)
CREATE FUNCTION pg_temp.expected_hint(wf text, from_s text) RETURNS text LANGUAGE sql AS $$
	SELECT 'Allowed next states from ' || min(CASE x.language WHEN 'en' THEN f.label_en ELSE f.label_vi END)
		   || ': ' || string_agg(CASE WHEN t.restore THEN 'restore to ' ELSE '' END
								 || CASE x.language WHEN 'en' THEN s.label_en ELSE s.label_vi END
								 || ' (' || s.code || ')', ', ' ORDER BY s.position, s.code) || '.'
	  FROM wf_home h
	  JOIN lead_crm.tenant x ON x.tenant_id = h.tenant
	  JOIN lead_crm.workflow_state f ON f.tenant_id = h.tenant AND f.workflow = wf AND f.code = from_s
	  JOIN lead_crm.workflow_transition t ON t.tenant_id = h.tenant AND t.workflow = wf AND t.from_state = from_s
	  JOIN lead_crm.workflow_state s ON s.tenant_id = h.tenant AND s.workflow = wf AND s.code = t.to_state
	 WHERE h.workflow = wf;
$$;

------------------------------------------------------------------ graphs
SELECT bag_eq(
	$$SELECT code, position, initial, won, lost, closed, folded FROM lead_crm.workflow_state
	   WHERE tenant_id = 0 AND workflow = 'lifecycle'$$,
	$$VALUES ('lead', 10, true, false, false, false, false), ('mql', 20, false, false, false, false, false),
			 ('sql', 30, false, false, false, false, false), ('target', 40, false, false, false, false, false),
			 ('customer', 50, false, true, false, false, false), ('resale', 60, false, true, false, false, false),
			 ('loyal', 70, false, true, false, false, false), ('unknown', 90, false, false, false, false, true)$$,
	'lifecycle: the Rodi journey states');
SELECT bag_eq(
	$$SELECT code, label_vi, initial, lost, closed FROM lead_crm.workflow_state WHERE tenant_id = 0 AND workflow = 'contact'$$,
	$$VALUES ('new', 'Mới', true, false, false), ('contacting', 'Đang liên hệ', false, false, false),
			 ('promising', 'Khả quan', false, false, false), ('unreachable', 'Không thể liên hệ', false, false, false),
			 ('lost', 'Mất tiềm năng', false, true, true)$$,
	'contact: the Rodi contact statuses');
SELECT bag_eq(
	$$SELECT code, label_vi, initial, won, lost, closed FROM lead_crm.workflow_state WHERE tenant_id = 0 AND workflow = 'distributor'$$,
	$$VALUES ('no_info', 'Khách mới nội địa chưa có thông tin', true, false, false, false),
			 ('awaiting_quote', 'Khách chờ báo giá', false, false, false, false),
			 ('quoted', 'Khách đã báo giá, tham khảo giá', false, false, false, false),
			 ('sample_sent', 'Khách đã gửi mẫu chờ chốt đơn', false, false, false, false),
			 ('ordered', 'Khách chốt đơn', false, true, false, true),
			 ('keep_in_touch', 'Khách giữ liên lạc', false, false, false, false),
			 ('supplier', 'Nhà cung cấp chào hàng', false, false, false, true),
			 ('not_prospect', 'Khách không tiềm năng - Ngưng làm việc', false, false, true, true)$$,
	'distributor: the statuses of seed 004');
SELECT bag_eq(
	$$SELECT code, initial, won, lost, closed, folded, probability FROM lead_crm.workflow_state WHERE tenant_id = 0 AND workflow = 'pipeline'$$,
	$$VALUES ('new', true, false, false, false, false, 10::numeric), ('qualified', false, false, false, false, false, 30),
			 ('proposition', false, false, false, false, false, 60), ('won', false, true, false, true, true, 100),
			 ('lost', false, false, true, true, true, 0)$$,
	'pipeline: Odoo stages');

SELECT bag_eq(
	$$SELECT from_state, to_state, required_fields, requires_bant_score, reason_required, restore
	   FROM lead_crm.workflow_transition WHERE tenant_id = 0 AND workflow = 'lifecycle'$$,
	$$VALUES ('lead', 'mql', '{}'::text[], false, false, false), ('lead', 'sql', '{}', true, false, false),
			 ('lead', 'customer', '{}', false, false, false), ('lead', 'unknown', '{}', false, false, false),
			 ('mql', 'lead', '{}', false, false, false), ('mql', 'sql', '{}', true, false, false),
			 ('mql', 'customer', '{}', false, false, false), ('mql', 'unknown', '{}', false, false, false),
			 ('sql', 'mql', '{}', false, false, false), ('sql', 'target', '{need}', false, false, false),
			 ('sql', 'customer', '{}', false, false, false), ('sql', 'unknown', '{}', false, false, false),
			 ('target', 'sql', '{}', false, false, false), ('target', 'customer', '{}', false, false, false),
			 ('target', 'unknown', '{}', false, false, false), ('customer', 'resale', '{}', false, false, false),
			 ('customer', 'unknown', '{}', false, false, false), ('resale', 'loyal', '{}', false, false, false),
			 ('resale', 'unknown', '{}', false, false, false), ('loyal', 'unknown', '{}', false, false, false),
			 ('unknown', 'lead', '{}', false, false, false), ('unknown', 'mql', '{}', false, false, false),
			 ('unknown', 'customer', '{}', false, false, false)$$,
	'lifecycle: the documented transitions and guards');
SELECT bag_eq(
	$$SELECT from_state, to_state, required_fields, restore FROM lead_crm.workflow_transition
	   WHERE tenant_id = 0 AND workflow = 'contact'$$,
	$$VALUES ('new', 'contacting', '{}'::text[], false), ('new', 'promising', '{}', false),
			 ('new', 'unreachable', '{}', false), ('new', 'lost', '{lost_reason}', false),
			 ('contacting', 'promising', '{}', false), ('contacting', 'unreachable', '{}', false),
			 ('contacting', 'lost', '{lost_reason}', false), ('promising', 'contacting', '{}', false),
			 ('promising', 'unreachable', '{}', false), ('promising', 'lost', '{lost_reason}', false),
			 ('unreachable', 'contacting', '{}', false), ('unreachable', 'lost', '{lost_reason}', false),
			 ('lost', 'new', '{}', true), ('lost', 'contacting', '{}', true),
			 ('lost', 'promising', '{}', true), ('lost', 'unreachable', '{}', true)$$,
	'contact: the documented transitions and guards');
SELECT bag_eq(
	$$SELECT from_state, to_state, required_fields, reason_required, restore FROM lead_crm.workflow_transition
	   WHERE tenant_id = 0 AND workflow = 'distributor'$$,
	$$VALUES ('no_info', 'awaiting_quote', '{}'::text[], false, false), ('no_info', 'quoted', '{}', false, false),
			 ('no_info', 'sample_sent', '{}', false, false), ('no_info', 'keep_in_touch', '{}', false, false),
			 ('no_info', 'supplier', '{}', false, false), ('no_info', 'not_prospect', '{lost_reason}', false, false),
			 ('awaiting_quote', 'quoted', '{}', false, false), ('awaiting_quote', 'keep_in_touch', '{}', false, false),
			 ('awaiting_quote', 'not_prospect', '{lost_reason}', false, false),
			 ('quoted', 'awaiting_quote', '{}', false, false), ('quoted', 'sample_sent', '{}', false, false),
			 ('quoted', 'ordered', '{}', false, false), ('quoted', 'keep_in_touch', '{}', false, false),
			 ('quoted', 'not_prospect', '{lost_reason}', false, false),
			 ('sample_sent', 'quoted', '{}', false, false), ('sample_sent', 'ordered', '{}', false, false),
			 ('sample_sent', 'keep_in_touch', '{}', false, false),
			 ('sample_sent', 'not_prospect', '{lost_reason}', false, false),
			 ('ordered', 'awaiting_quote', '{}', false, false), ('ordered', 'keep_in_touch', '{}', false, false),
			 ('ordered', 'not_prospect', '{lost_reason}', false, false),
			 ('keep_in_touch', 'awaiting_quote', '{}', false, false), ('keep_in_touch', 'quoted', '{}', false, false),
			 ('keep_in_touch', 'sample_sent', '{}', false, false), ('keep_in_touch', 'ordered', '{}', false, false),
			 ('keep_in_touch', 'not_prospect', '{lost_reason}', false, false),
			 ('supplier', 'no_info', '{}', true, false),
			 ('not_prospect', 'no_info', '{}', false, true), ('not_prospect', 'awaiting_quote', '{}', false, true),
			 ('not_prospect', 'quoted', '{}', false, true), ('not_prospect', 'sample_sent', '{}', false, true),
			 ('not_prospect', 'ordered', '{}', false, true), ('not_prospect', 'keep_in_touch', '{}', false, true)$$,
	'distributor: the documented transitions and guards');
SELECT bag_eq(
	$$SELECT from_state, to_state, required_fields, reason_required, restore FROM lead_crm.workflow_transition
	   WHERE tenant_id = 0 AND workflow = 'pipeline'$$,
	$$VALUES ('new', 'qualified', '{}'::text[], false, false), ('new', 'proposition', '{expected_revenue}', false, false),
			 ('new', 'won', '{}', false, false), ('new', 'lost', '{lost_reason}', false, false),
			 ('qualified', 'new', '{}', false, false), ('qualified', 'proposition', '{expected_revenue}', false, false),
			 ('qualified', 'won', '{}', false, false), ('qualified', 'lost', '{lost_reason}', false, false),
			 ('proposition', 'qualified', '{}', false, false), ('proposition', 'won', '{}', false, false),
			 ('proposition', 'lost', '{lost_reason}', false, false),
			 ('won', 'proposition', '{}', true, false),
			 ('lost', 'new', '{}', false, true), ('lost', 'qualified', '{}', false, true),
			 ('lost', 'proposition', '{}', false, true)$$,
	'pipeline: the documented transitions and guards');

SELECT is(count(*), 4::bigint, 'the built-in workflows are valid')
  FROM lead_crm.workflow w WHERE w.tenant_id = 0 AND lead_crm.validate_workflow(w.code, 0);
SELECT is((SELECT count(*) FROM lead_crm.workflow_transition WHERE tenant_id = 102),
		  (SELECT count(*) FROM lead_crm.workflow_transition WHERE tenant_id = 0),
		  'a new tenant gets a copy of every built-in transition');

------------------------------------------------ every allowed move passes
SELECT is(pg_temp.try_move(t.workflow, t.from_state, t.to_state, true), t.to_state,
		  format('%s: %s -> %s is allowed', t.workflow, t.from_state, t.to_state))
  FROM lead_crm.workflow_transition t
 WHERE t.tenant_id = 0
 ORDER BY t.workflow, t.from_state, t.to_state;

----------------------------------------------------- every guard fires
SELECT is(pg_temp.try_move(t.workflow, t.from_state, t.to_state, false),
		  format('LC002 %s transition from "%s" to "%s" needs %s', h.field, t.from_state, t.to_state,
				 CASE WHEN t.reason_required THEN 'a reason'
					  ELSE (SELECT CASE x.language WHEN 'en' THEN f.label_en ELSE f.label_vi END
							  FROM lead_crm.lead_field f JOIN lead_crm.tenant x USING (tenant_id)
							 WHERE f.tenant_id = h.tenant AND f.field = t.required_fields[1])
						   || ' (' || t.required_fields[1] || ')' END),
		  format('%s: %s -> %s needs %s', t.workflow, t.from_state, t.to_state,
				 CASE WHEN t.reason_required THEN 'a reason' ELSE t.required_fields[1] END))
  FROM lead_crm.workflow_transition t
  JOIN wf_home h ON h.workflow = t.workflow
 WHERE t.tenant_id = 0 AND (t.required_fields <> '{}' OR t.reason_required)
 ORDER BY t.workflow, t.from_state, t.to_state;

---------------------------------- every forbidden move fails, with its hint
SELECT is(pg_temp.error_of(format(
			'SELECT pg_temp.move(%L, %L, %L, true)', s.workflow, s.code, o.code)),
		  format('LC001 | invalid %s transition from "%s" to "%s" | %s', h.field, s.code, o.code,
				 pg_temp.expected_hint(s.workflow, s.code)),
		  format('%s: %s -> %s is refused with the allowed next states', s.workflow, s.code, o.code))
  FROM lead_crm.workflow_state s
  JOIN lead_crm.workflow_state o ON o.tenant_id = s.tenant_id AND o.workflow = s.workflow AND o.code <> s.code
  JOIN wf_home h ON h.workflow = s.workflow
 WHERE s.tenant_id = 0
   AND NOT EXISTS (SELECT FROM lead_crm.workflow_transition t
					WHERE t.tenant_id = 0 AND t.workflow = s.workflow AND t.from_state = s.code AND t.to_state = o.code)
 ORDER BY s.workflow, s.code, o.code;

SELECT is(pg_temp.error_of($$SELECT pg_temp.move('contact', 'contacting', 'new', true)$$),
		  'LC001 | invalid status transition from "contacting" to "new" | Allowed next states from Đang liên hệ: Khả quan (promising), Không thể liên hệ (unreachable), Mất tiềm năng (lost).',
		  'contact: the hint lists the next states in Vietnamese');
SELECT is(pg_temp.error_of($$SELECT pg_temp.move('pipeline', 'won', 'new', true)$$),
		  'LC001 | invalid status transition from "won" to "new" | Allowed next states from Won: Proposition (proposition).',
		  'pipeline: an English tenant gets English labels');
SELECT is(pg_temp.error_of($$SELECT pg_temp.move('lifecycle', 'loyal', 'lead', true)$$),
		  'LC001 | invalid lifecycle transition from "loyal" to "lead" | Allowed next states from Khách hàng trung thành: Không xác định (unknown).',
		  'lifecycle: a loyal customer only falls back to unknown');

------------------------------------------------------------- inserts
SET LOCAL lead_crm.tenant = 102;
INSERT INTO lead_crm.lead (full_name) VALUES ('Anh Tùng đậu xanh');
SELECT is(status || '/' || lifecycle, 'no_info/lead', 'a lead without states starts in the initial states of its tenant''s workflows')
  FROM lead_crm.lead WHERE tenant_id = 102 AND full_name = 'Anh Tùng đậu xanh';
INSERT INTO lead_crm.lead (full_name, status, lifecycle) VALUES ('Chị Lan', 'Khách chờ báo giá', 'Khách hàng mục tiêu');
SELECT is(status || '/' || lifecycle, 'awaiting_quote/target', 'labels are stored as codes; imports may start in any state')
  FROM lead_crm.lead WHERE tenant_id = 102 AND full_name = 'Chị Lan';
SELECT is(pg_temp.error_of($$INSERT INTO lead_crm.lead (full_name, status) VALUES ('X', 'won')$$),
		  'LC003 | "won" is not a state of workflow "distributor" | Use one of: Khách mới nội địa chưa có thông tin (no_info), Khách chờ báo giá (awaiting_quote), Khách đã báo giá, tham khảo giá (quoted), Khách đã gửi mẫu chờ chốt đơn (sample_sent), Khách chốt đơn (ordered), Khách giữ liên lạc (keep_in_touch), Nhà cung cấp chào hàng (supplier), Khách không tiềm năng - Ngưng làm việc (not_prospect).',
		  'a state of another workflow is refused with the list of states');
UPDATE lead_crm.lead SET status = 'khach da bao gia, tham khao gia' WHERE tenant_id = 102 AND full_name = 'Chị Lan';
SELECT is(status, 'quoted', 'an UPDATE may name the state by its label without diacritics')
  FROM lead_crm.lead WHERE tenant_id = 102 AND full_name = 'Chị Lan';
UPDATE lead_crm.lead SET full_name = 'Chị Lan (Hà Nội)', status = status WHERE tenant_id = 102 AND full_name = 'Chị Lan';
SELECT is(count(*), 1::bigint, 'an unchanged state is no transition')
  FROM lead_crm.lead_history h JOIN lead_crm.lead l ON l.tenant_id = h.tenant_id AND l.id = h.lead_id
 WHERE l.full_name = 'Chị Lan (Hà Nội)' AND h.field = 'status';

------------------------------------------- set_status and friends, history
SET LOCAL lead_crm.tenant = 101;
SET LOCAL lead_crm.actor = 'nv.hoa';
INSERT INTO lead_crm.lead (id, full_name, phone) VALUES (9001, 'Phạm Minh Đức', '0903123456');
SELECT ok(lead_crm.set_status(9001, 'contacting', 'gọi lần đầu'), 'set_status moves and says so');
SELECT ok(NOT lead_crm.set_status(9001, 'Đang liên hệ'), 'set_status to the current state (by label) changes nothing');
SELECT ok(lead_crm.set_status(9001, 'promising'), 'set_status without a reason');
SELECT throws_ok($$SELECT lead_crm.set_status(9001, 'new')$$, 'LC001',
				 'invalid status transition from "promising" to "new"', 'set_status is checked like an UPDATE');
SELECT throws_ok($$SELECT lead_crm.set_status(9001, 'lost')$$, 'LC002',
				 'status transition from "promising" to "lost" needs Lý do thất bại (lost_reason)',
				 'losing a lead needs a lost reason');
SELECT throws_ok($$SELECT lead_crm.mark_lost(9001, '  ')$$, 'LC002', 'a lost reason is required',
				 'mark_lost needs a reason');
SELECT ok(lead_crm.mark_lost(9001, 'Giá quá cao'), 'mark_lost with a reason label');
SELECT is(status || '/' || lost_reason, 'lost/too_expensive', 'mark_lost stores the lost state and the catalogue code')
  FROM lead_crm.lead WHERE tenant_id = 101 AND id = 9001;
SELECT ok(bool_or(id = 9001) AND bool_and(status = 'lost'), 'lost_leads lists it, and only lost leads') FROM lead_crm.lost_leads;
SELECT ok(NOT EXISTS (SELECT FROM lead_crm.open_leads WHERE id = 9001), 'open_leads does not');
SELECT is(pg_temp.error_of($$UPDATE lead_crm.lead SET status = 'new' WHERE tenant_id = 101 AND id = 9001$$),
		  'LC001 | invalid status transition from "lost" to "new" | Allowed next states from Mất tiềm năng: restore to Khả quan (promising).',
		  'a lost lead can only go back where it came from');
SELECT bag_eq($$SELECT field, state, restore FROM lead_crm.next_states(9001)$$,
			  $$VALUES ('status', 'promising', true), ('lifecycle', 'mql', false), ('lifecycle', 'sql', false),
					   ('lifecycle', 'customer', false), ('lifecycle', 'unknown', false)$$,
			  'next_states offers the restore target and the lifecycle moves');
SELECT is(lead_crm.restore_lead(9001), 'promising', 'restore_lead returns the status it left');
SELECT is(status || '/' || coalesce(lost_reason, '-'), 'promising/-', 'restore clears the lost reason')
  FROM lead_crm.lead WHERE tenant_id = 101 AND id = 9001;
SELECT throws_ok($$SELECT lead_crm.restore_lead(9001)$$, '55000', 'lead 9001 is not lost',
				 'only lost leads are restored');
SELECT results_eq(
	$$SELECT field::text COLLATE "default", old_value, new_value, reason, actor FROM lead_crm.lead_history
	   WHERE tenant_id = 101 AND lead_id = 9001 ORDER BY id$$,
	$$VALUES ('status', 'new', 'contacting', 'gọi lần đầu', 'nv.hoa'),
			 ('status', 'contacting', 'promising', NULL, 'nv.hoa'),
			 ('status', 'promising', 'lost', 'Giá quá cao', 'nv.hoa'),
			 ('lost_reason', NULL, 'too_expensive', 'Giá quá cao', 'nv.hoa'),
			 ('status', 'lost', 'promising', 'restored', 'nv.hoa'),
			 ('lost_reason', 'too_expensive', NULL, 'restored', 'nv.hoa')$$,
	'every transition is in lead_history with who, from, to and reason');
SELECT is(current_setting('lead_crm.reason'), '', 'the calls leave lead_crm.reason as they found it');
SELECT results_eq(
	$$SELECT field, state, current FROM lead_crm.lead_state_durations WHERE lead_id = 9001 ORDER BY field, entered_at, current$$,
	$$VALUES ('lifecycle', 'lead', true), ('status', 'new', false), ('status', 'contacting', false),
			 ('status', 'promising', false), ('status', 'lost', false), ('status', 'promising', true)$$,
	'lead_state_durations: one row per stay, the first from created_at');
SELECT is((SELECT entered_at FROM lead_crm.lead_state_durations WHERE lead_id = 9001 AND state = 'new'),
		  (SELECT created_at FROM lead_crm.lead WHERE tenant_id = 101 AND id = 9001),
		  'the initial stay starts at created_at');
SELECT throws_ok($$SELECT lead_crm.set_status(424242, 'contacting')$$, 'P0002', 'lead 424242 does not exist',
				 'set_status on an unknown lead');
SET LOCAL lead_crm.tenant = 103;
SELECT throws_ok($$SELECT lead_crm.set_lifecycle(9001, 'mql')$$, 'P0002', 'lead 9001 does not exist',
				 'set_lifecycle does not reach another tenant''s lead');
SELECT throws_ok($$SELECT lead_crm.set_status(NULL, 'new')$$, 'P0002', 'lead NULL does not exist',
				 'set_status with a NULL lead');
INSERT INTO lead_crm.lead (id, full_name, expected_revenue) VALUES (9002, 'Công ty Hạt Tiêu Việt', 120000000);
SELECT ok(lead_crm.mark_won(9002, 'ký hợp đồng'), 'mark_won moves to the won stage');
SELECT throws_ok($$SELECT lead_crm.set_status(9002, 'proposition')$$, 'LC002',
				 'status transition from "won" to "proposition" needs a reason', 'reopening a won deal needs a reason');
SELECT ok(lead_crm.set_status(9002, 'proposition', 'khách hủy đơn'), 'with a reason it reopens');
SELECT ok(lead_crm.mark_lost(9002, 'competitor'), 'lost from an open stage');
SELECT is(lead_crm.restore_lead(9002), 'proposition', 'pipeline restore returns to the stage it left');

--------------------------------------------------- BANT guard and overrides
SET LOCAL lead_crm.tenant = 101;
INSERT INTO lead_crm.lead (id, full_name, lifecycle, priority) VALUES (9003, 'Đỗ Thu Hà', 'mql', 1);
-- the scoring concern's bant_score() is set aside for this section (rolled back)
ALTER FUNCTION lead_crm.bant_score(bigint) RENAME TO bant_score_scoring;
SELECT ok(lead_crm.set_lifecycle(9003, 'sql'), 'without lead_crm.bant_score the BANT guard is inert');
UPDATE lead_crm.lead SET lifecycle = 'mql' WHERE tenant_id = 101 AND id = 9003;
-- what the scoring concern will supply; here the score is 30 per priority star
CREATE FUNCTION lead_crm.bant_score(lead_id bigint) RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT priority * 30 FROM lead_crm.lead WHERE id = lead_id $$;
SELECT throws_ok($$SELECT lead_crm.set_lifecycle(9003, 'sql')$$, 'LC002',
				 'lifecycle transition from "mql" to "sql" needs a BANT score of at least 50 (the lead has 30)',
				 'with bant_score the guard names the threshold and the score');
UPDATE lead_crm.lead SET priority = 2, lifecycle = 'sql' WHERE tenant_id = 101 AND id = 9003;
SELECT is(lifecycle, 'sql', 'the guard sees the score of the row as the same UPDATE leaves it')
  FROM lead_crm.lead WHERE tenant_id = 101 AND id = 9003;
UPDATE lead_crm.lead SET lifecycle = 'mql', priority = 1 WHERE tenant_id = 101 AND id = 9003;
UPDATE lead_crm.tenant SET min_bant_score = 30 WHERE tenant_id = 101;
SELECT ok(lead_crm.set_lifecycle(9003, 'sql'), 'the threshold is the tenant''s min_bant_score');
UPDATE lead_crm.tenant SET min_bant_score = 50 WHERE tenant_id = 101;
UPDATE lead_crm.lead SET lifecycle = 'mql' WHERE tenant_id = 101 AND id = 9003;
SELECT throws_ok($$SELECT lead_crm.override_lifecycle(9003, 'sql', NULL)$$, 'LC002',
				 'overriding a guard needs a reason', 'an override without a reason is refused');
SELECT throws_ok($$SELECT lead_crm.override_lifecycle(9003, 'target', 'sếp duyệt')$$, 'LC001',
				 'invalid lifecycle transition from "mql" to "target"', 'an override skips guards, not the graph');
SELECT ok(lead_crm.override_lifecycle(9003, 'sql', 'khách VIP, giám đốc duyệt'), 'an override with a reason passes');
SELECT results_eq(
	$$SELECT field::text COLLATE "default", from_state, to_state, missing, reason, actor FROM lead_crm.guard_override WHERE lead_id = 9003$$,
	$$VALUES ('lifecycle', 'mql', 'sql', '{"bant_score 50 (the lead has 30)"}'::text[], 'khách VIP, giám đốc duyệt', 'nv.hoa')$$,
	'the override is recorded with what was missing');
SELECT is(reason, 'khách VIP, giám đốc duyệt', 'and its reason is in the history')
  FROM lead_crm.lead_history WHERE lead_id = 9003 AND field = 'lifecycle' ORDER BY id DESC LIMIT 1;
DROP FUNCTION lead_crm.bant_score(bigint);
ALTER FUNCTION lead_crm.bant_score_scoring(bigint) RENAME TO bant_score;
INSERT INTO lead_crm.lead (id, full_name, status) VALUES (9004, 'Vũ Hải', 'contacting');
SELECT ok(lead_crm.override_status(9004, 'lost', 'khách chặn số'), 'a lost reason guard can be overridden');
SELECT is(missing, '{lost_reason}', 'recorded as a missing lost_reason')
  FROM lead_crm.guard_override WHERE lead_id = 9004;
UPDATE lead_crm.lead SET status = 'contacting' WHERE tenant_id = 101 AND id = 9004;
SET LOCAL lead_crm.override_guards = on;
SELECT throws_ok($$UPDATE lead_crm.lead SET status = 'lost' WHERE tenant_id = 101 AND id = 9004$$, 'LC002',
				 'overriding a guard needs a reason', 'a plain UPDATE override also needs a reason');
SET LOCAL lead_crm.reason = 'nhập từ Excel cũ';
UPDATE lead_crm.lead SET status = 'lost' WHERE tenant_id = 101 AND id = 9004;
SELECT is(count(*), 2::bigint, 'a plain UPDATE override is recorded too')
  FROM lead_crm.guard_override WHERE lead_id = 9004;
SET LOCAL lead_crm.override_guards = off;
SET LOCAL lead_crm.reason = '';

----------------------------------------------- choosing the status workflow
SELECT lead_crm.create_tenant(104, 'Chuyển quy trình');
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL lead_crm.tenant = 104;
INSERT INTO lead_crm.lead (full_name, status) VALUES ('A', 'new'), ('B', 'contacting'), ('C', 'contacting'),
	('D', 'unreachable');
SELECT is(pg_temp.error_of($$SELECT lead_crm.set_status_workflow('pipeline')$$),
		  'LC004 | leads of tenant 104 have status values that workflow "pipeline" does not have | Map them to states of "pipeline", e.g. SELECT lead_crm.set_status_workflow(''pipeline'', ''{"contacting": "new", "unreachable": "new"}'');',
		  'switching workflows with leads outside the new one is refused with a mapping to fill in');
SELECT throws_ok($$SELECT lead_crm.set_status_workflow('pipeline', '{"contacting": "qualified", "unreachable": "nowhere"}')$$,
				 '22023', 'invalid mapping to workflow "pipeline"', 'a mapping must lead to states of the new workflow');
SELECT throws_ok($$SELECT lead_crm.set_status_workflow('pipeline', '{"contacting": "qualified", "unreachable": "new", "new": "qualified"}')$$,
				 '22023', 'invalid mapping to workflow "pipeline"', 'states common to both workflows are not remapped');
SELECT is(lead_crm.set_status_workflow('pipeline', '{"contacting": "qualified", "unreachable": "new"}'), 3::bigint,
		  'with a mapping the tenant switches and its leads move');
SET CONSTRAINTS ALL IMMEDIATE;	-- set_status_workflow() deferred the tenant check
SELECT bag_eq($$SELECT full_name, status FROM lead_crm.lead WHERE tenant_id = 104$$,
			  $$VALUES ('A', 'new'), ('B', 'qualified'), ('C', 'qualified'), ('D', 'new')$$, 'leads are mapped');
SELECT is(reason, 'status workflow changed from contact to pipeline', 'the move is in the history with its reason')
  FROM lead_crm.lead_history WHERE tenant_id = 104 AND field = 'status' LIMIT 1;
SELECT throws_ok($$UPDATE lead_crm.tenant SET status_workflow = 'distributor' WHERE tenant_id = 104$$, 'LC004',
				 'leads of tenant 104 have a status that is not a state of workflow "distributor"',
				 'a plain UPDATE of the tenant is checked too');
SELECT throws_ok($$DELETE FROM lead_crm.workflow_state WHERE tenant_id = 104 AND workflow = 'pipeline' AND code = 'qualified'$$,
				 'LC004', 'leads of tenant 104 have a status that is not a state of workflow "pipeline"',
				 'a state that leads are in cannot be deleted');
SELECT throws_ok($$DELETE FROM lead_crm.workflow WHERE tenant_id = 104 AND code = 'pipeline'$$, 'LC004',
				 'tenant 104 uses workflow "pipeline" for status, which does not exist', 'a workflow in use cannot be deleted');

-------------------------------------------------- a tenant's own workflow
INSERT INTO lead_crm.workflow (code, label_vi, label_en) VALUES ('spa', 'Quy trình spa', 'Spa journey');
INSERT INTO lead_crm.workflow_state (workflow, code, label_vi, label_en, position, initial) VALUES
	('spa', 'booked', 'Đã đặt lịch', 'Booked', 10, true), ('spa', 'visited', 'Đã đến', 'Visited', 20, false);
SELECT is(pg_temp.error_of($$SELECT lead_crm.validate_workflow('spa')$$),
		  'LC004 | workflow "spa" of tenant 104 is invalid | Add transitions leading to them (restore transitions do not count), or delete them.',
		  'a draft can be incomplete; validate_workflow says what is wrong');
SELECT bag_eq($$SELECT problem FROM lead_crm.workflow_problems('spa')$$,
			  $$VALUES ('states visited cannot be reached from the initial state'), ('open states booked, visited have no way out')$$,
			  'workflow_problems lists every problem');
SELECT throws_ok($$SELECT lead_crm.set_lifecycle_workflow('spa')$$, 'LC004', 'workflow "spa" of tenant 104 is invalid',
				 'an invalid workflow cannot be put to use');
INSERT INTO lead_crm.workflow_state (workflow, code, label_vi, label_en, position, closed) VALUES
	('spa', 'regular', 'Khách quen', 'Regular', 30, true);
INSERT INTO lead_crm.workflow_transition (workflow, from_state, to_state, required_fields) VALUES
	('spa', 'booked', 'visited', '{phone}'), ('spa', 'visited', 'regular', '{custom.hubspot_sync}'),
	('spa', 'visited', 'booked', '{}');
SELECT ok(lead_crm.validate_workflow('spa'), 'completed, it is valid');
SELECT is(lead_crm.set_lifecycle_workflow('spa', '{"lead": "booked"}'), 4::bigint, 'and can govern lifecycle');
SELECT throws_ok($$UPDATE lead_crm.lead SET lifecycle = 'visited' WHERE tenant_id = 104 AND full_name = 'A'$$, 'LC002',
				 'lifecycle transition from "booked" to "visited" needs Số điện thoại (phone)', 'its guards hold');
UPDATE lead_crm.lead SET lifecycle = 'visited', phone = '0911000111' WHERE tenant_id = 104 AND full_name = 'A';
SELECT throws_ok($$UPDATE lead_crm.lead SET lifecycle = 'regular' WHERE tenant_id = 104 AND full_name = 'A'$$, 'LC002',
				 'lifecycle transition from "visited" to "regular" needs custom field hubspot_sync',
				 'a custom field can be required');
UPDATE lead_crm.lead SET lifecycle = 'regular', custom = '{"hubspot_sync": true}' WHERE tenant_id = 104 AND full_name = 'A';
SELECT is(lifecycle, 'regular', 'filled, it passes') FROM lead_crm.lead WHERE tenant_id = 104 AND full_name = 'A';
SELECT throws_ok($$INSERT INTO lead_crm.workflow_transition (workflow, from_state, to_state, required_fields)
				   VALUES ('spa', 'regular', 'booked', '{shoe_size}')$$, 'LC004',
				 'workflow "spa" of tenant 104 is invalid', 'guards must name real fields');
SELECT throws_ok($$INSERT INTO lead_crm.workflow_state (workflow, code, label_vi, label_en, initial)
				   VALUES ('spa', 'walk_in', 'Khách vãng lai', 'Walk-in', true)$$, '23505', NULL,
				 'a second initial state is refused at once');
SAVEPOINT labels;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO lead_crm.workflow_state (workflow, code, label_vi, label_en, position)
VALUES ('spa', 'visited_again', 'ĐÃ ĐẾN', 'Came back', 25);
SELECT ok(EXISTS (SELECT FROM lead_crm.workflow_problems('spa') WHERE problem = 'several states share the label "da den"'),
		  'two states whose labels fold alike are a problem');
ROLLBACK TO SAVEPOINT labels;
SET CONSTRAINTS ALL IMMEDIATE;

----------------------------------------------------------------- convert
SET LOCAL lead_crm.tenant = 103;
INSERT INTO lead_crm.lead (id, full_name, kind, company_name, phone, email, status)
VALUES (9010, 'Ngô Bảo Châu', 'business', 'Công ty CP Cà Phê Tây Nguyên', '0262 3812 345', 'chau@caphe.vn', 'qualified');
SELECT is(lead_crm.convert_lead(9010), 9010::bigint, 'convert_lead returns the opportunity');
SELECT bag_eq($$SELECT kind, name, company_id IS NOT NULL FROM lead_crm.customer WHERE tenant_id = 103 AND source_lead_id = 9010$$,
			  $$VALUES ('company', 'Công ty CP Cà Phê Tây Nguyên', false), ('person', 'Ngô Bảo Châu', true)$$,
			  'a business lead creates the company and its contact');
SELECT is(l.lead_type || '/' || c.kind, 'opportunity/company', 'the opportunity belongs to the company')
  FROM lead_crm.lead l JOIN lead_crm.customer c ON c.tenant_id = l.tenant_id AND c.id = l.customer_id
 WHERE l.tenant_id = 103 AND l.id = 9010;
SELECT throws_ok($$SELECT lead_crm.convert_lead(9010)$$, '55000', 'lead 9010 is already an opportunity',
				 'a lead is converted once');
SELECT is((WITH c AS MATERIALIZED (SELECT lead_crm.convert_lead(9002, merge_into => 9010) AS id)
		   SELECT c.id = 9010 AND lead_crm.undo_conversion(9002) > 0 FROM c), true,
		  'merging into an opportunity goes through lead_crm.merge_leads, and undo_conversion undoes it');
SELECT is(lead_crm.undo_conversion(9010) > 0, true, 'undo_conversion');
SELECT is((SELECT lead_type FROM lead_crm.lead WHERE tenant_id = 103 AND id = 9010) || '/'
		  || (SELECT count(*) FROM lead_crm.customer WHERE tenant_id = 103 AND source_lead_id = 9010),
		  'lead/0', 'undo brings the lead back and removes the customers it created');
SELECT is(jsonb_array_length(removed_customers), 2, 'the removed customers are kept in lead_conversion')
  FROM lead_crm.lead_conversion WHERE tenant_id = 103 AND lead_id = 9010;
INSERT INTO lead_crm.customer (id, kind, name) VALUES (9100, 'person', 'Ngô Bảo Châu');
SELECT is(lead_crm.convert_lead(9010, customer_id => 9100), 9010::bigint, 'convert linking an existing customer');
SELECT is(customer_id, 9100::bigint, 'is linked') FROM lead_crm.lead WHERE tenant_id = 103 AND id = 9010;
SELECT throws_ok($$SELECT lead_crm.convert_lead(9002, customer => 'link')$$, '22023',
				 'customer_id goes with customer => ''link''', 'link needs a customer id');
SELECT throws_ok($$SELECT lead_crm.convert_lead(9002, customer_id => 77777)$$, 'P0002',
				 'customer 77777 does not exist', 'an unknown customer is refused');
SELECT lead_crm.mark_lost(9002, 'no_need');
SELECT throws_ok($$SELECT lead_crm.convert_lead(9002)$$, '55000', 'lead 9002 is lost',
				 'a lost lead is restored before it is converted');

SELECT * FROM finish();
ROLLBACK;

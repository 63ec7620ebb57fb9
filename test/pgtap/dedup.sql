-- test/pgtap/dedup.sql - duplicates: declarations, SQLSTATEs of every call,
-- the three policies, and merge + undo as an exact round trip.
BEGIN;
SELECT plan(41);
SET LOCAL lead_crm.tenant = 82;
SET LOCAL lead_crm.auto_assign = off;

SELECT has_function('lead_crm', 'find_duplicates', ARRAY['real'], 'find_duplicates(min_score)');
SELECT has_function('lead_crm', 'duplicates_of', ARRAY['bigint', 'real'], 'duplicates_of(lead_id, min_score)');
SELECT has_function('lead_crm', 'match_candidates', ARRAY['text', 'text', 'text', 'text', 'text', 'real'],
					'match_candidates(full_name, phone, email, company_name, province, min_score)');
SELECT has_function('lead_crm', 'merge_leads', ARRAY['bigint', 'bigint[]'], 'merge_leads(survivor_id, other_ids)');
SELECT function_returns('lead_crm', 'merge_leads', ARRAY['bigint', 'bigint[]'], 'bigint', 'merge_leads returns the merge id');
SELECT has_function('lead_crm', 'undo_merge', ARRAY['bigint'], 'undo_merge(merge_id)');
SELECT volatility_is('lead_crm', 'dedup_name_key', ARRAY['text'], 'immutable', 'name key is immutable (generated column)');
SELECT col_is_pk('lead_crm', 'dedup_parameter', ARRAY['tenant_id', 'comparison', 'level'], 'parameters are keyed by tenant first');
SELECT col_is_pk('lead_crm', 'duplicate_candidate', ARRAY['tenant_id', 'lead_id', 'duplicate_id'], 'candidates are keyed by tenant first');
SELECT col_is_pk('lead_crm', 'lead_merge', ARRAY['tenant_id', 'id'], 'merges are keyed by tenant first');
SELECT has_index('lead_crm', 'lead', 'lead_dedup_name_idx', 'name blocking index');
SELECT is((SELECT count(*)::int FROM lead_crm.dedup_parameter WHERE tenant_id = 0), 18, 'template parameters for 18 levels');
SELECT col_not_null('lead_crm', 'lead', 'alt_phones', 'alternate phones are an array, never NULL');

INSERT INTO lead_crm.lead (id, full_name, phone, email, province) VALUES
	(8201, 'Nguyễn Thị Hạnh', '0905 123 456', 'hanh.nguyen@gmail.com', 'Đà Nẵng'),
	(8202, 'Hanh Nguyen', '+84905123456', 'hanhnguyen@gmail.com', 'Quảng Nam'),
	(8203, 'Trương Văn Lực', '0934 777 888', NULL, 'Huế');
SELECT is((SELECT policy FROM lead_crm.dedup_setting WHERE tenant_id = 82), 'flag', 'a new tenant flags duplicates');
SELECT is((SELECT count(*)::int FROM lead_crm.duplicate_candidate WHERE tenant_id = 82), 1, 'the flag policy recorded the pair');
SELECT results_eq($$SELECT lead_id, duplicate_id FROM lead_crm.find_duplicates()$$,
				  $$VALUES (8201::bigint, 8202::bigint)$$, 'find_duplicates: the pair once, lower id first');
SELECT ok((SELECT score > 0.99 AND 'cùng số di động +84905123456' = ANY (reasons)
			 FROM lead_crm.duplicates_of(8202)), 'duplicates_of: score and reason in Vietnamese');
SELECT ok((SELECT bool_and(score BETWEEN 0 AND 1) FROM lead_crm.find_duplicates(0)), 'scores are probabilities');
SELECT ok(NOT EXISTS (SELECT FROM lead_crm.duplicates_of(8203)), 'a lead without duplicates has none');
SELECT set_eq($$SELECT lead_id FROM lead_crm.match_candidates('Hạnh Nguyễn', email => 'hanh.nguyen+web@gmail.com')$$,
				  $$VALUES (8201::bigint), (8202::bigint)$$, 'match_candidates: by e-mail key and name');
SELECT is_empty($$SELECT * FROM lead_crm.match_candidates('Hạnh Nguyễn', email => 'hanh.nguyen@gmail.com', min_score => 1.0)$$,
				'min_score 1 keeps nothing below certainty');

SELECT throws_ok($$SELECT * FROM lead_crm.duplicates_of(NULL)$$, '22004', NULL, 'duplicates_of(NULL): 22004');
SELECT throws_ok($$SELECT * FROM lead_crm.duplicates_of(8299)$$, 'P0002', NULL, 'unknown lead: P0002');
SELECT throws_ok($$SELECT * FROM lead_crm.find_duplicates(2)$$, '22023', NULL, 'min_score out of range: 22023');

-- block
UPDATE lead_crm.dedup_setting SET policy = 'block' WHERE tenant_id = 82;
SELECT throws_ok($$INSERT INTO lead_crm.lead (id, full_name, phone) VALUES (8204, 'Trương Lực', '0934777888')$$,
				 '23505', NULL, 'block: a duplicate is refused with 23505');
SET LOCAL lead_crm.allow_duplicate = on;
SELECT lives_ok($$INSERT INTO lead_crm.lead (id, full_name, phone) VALUES (8204, 'Trương Lực', '0934777888')$$,
				'lead_crm.allow_duplicate lets it in');
SET LOCAL lead_crm.allow_duplicate = off;
SELECT lives_ok($$INSERT INTO lead_crm.lead (id, full_name, phone) VALUES (8205, 'Đinh Thu Trang', '0977123123')$$,
				'block: a new person is stored');
UPDATE lead_crm.dedup_setting SET policy = 'off' WHERE tenant_id = 82;
SELECT lives_ok($$INSERT INTO lead_crm.lead (id, full_name, phone) VALUES (8206, 'Dinh Thu Trang', '0977123123')$$,
				'off: no check');
SELECT is((SELECT count(*)::int FROM lead_crm.duplicate_candidate WHERE tenant_id = 82 AND duplicate_id = 8206), 0,
		  'off: nothing recorded');
UPDATE lead_crm.dedup_setting SET policy = 'flag' WHERE tenant_id = 82;

-- merge and undo
INSERT INTO lead_crm.lead_note (id, lead_id, body) VALUES (8201, 8202, 'Hẹn gặp thứ Hai');
CREATE TEMP TABLE img_before AS
	SELECT 'lead' AS t, id, to_jsonb(l) AS img FROM lead_crm.lead l WHERE tenant_id = 82
	UNION ALL SELECT 'note', id, to_jsonb(n) FROM lead_crm.lead_note n WHERE tenant_id = 82;
SELECT lead_crm.merge_leads(8201, ARRAY[8202]) AS merge_id \gset
SELECT is((SELECT merged_into FROM lead_crm.lead WHERE tenant_id = 82 AND id = 8202), 8201::bigint,
		  'the other lead is archived, marked merged_into');
SELECT is((SELECT lead_id FROM lead_crm.lead_note WHERE tenant_id = 82 AND id = 8201), 8201::bigint,
		  'its note moved to the survivor');
SELECT ok((SELECT count(*) FROM lead_crm.lead_history WHERE tenant_id = 82 AND lead_id = 8202
			 AND field = 'merged_into' AND reason LIKE 'gộp lead #8202 vào lead #8201%') = 1,
		  'the merge is in lead_history with its reason');
SELECT throws_ok($$SELECT lead_crm.merge_leads(8201, ARRAY[8201])$$, '22023', NULL, 'merging a lead into itself: 22023');
SELECT throws_ok($$SELECT lead_crm.merge_leads(8203, ARRAY[8202])$$, '55000', NULL, 'an already merged lead: 55000');
SELECT throws_ok($$SELECT lead_crm.merge_leads(8201, ARRAY[8298])$$, 'P0002', NULL, 'unknown lead: P0002');
SELECT throws_ok($$SELECT lead_crm.merge_leads(8201, NULL)$$, '22004', NULL, 'nothing to merge: 22004');
SET LOCAL lead_crm.tenant = 83;
INSERT INTO lead_crm.lead (id, full_name) VALUES (8301, 'Khách tenant 83');
SET LOCAL lead_crm.tenant = 82;
SELECT throws_ok($$SELECT lead_crm.merge_leads(8201, ARRAY[8301])$$, '42501', NULL, 'across tenants: 42501');
SELECT lives_ok(format('SELECT lead_crm.undo_merge(%s)', :merge_id), 'undo_merge');
SELECT is_empty($$SELECT t, id, img FROM img_before
				  EXCEPT SELECT 'lead', id, to_jsonb(l) FROM lead_crm.lead l WHERE tenant_id = 82
				  EXCEPT SELECT 'note', id, to_jsonb(n) FROM lead_crm.lead_note n WHERE tenant_id = 82$$,
				'after undo every lead and note is exactly as before the merge');
SELECT throws_ok(format('SELECT lead_crm.undo_merge(%s)', :merge_id), '55000', NULL, 'undoing twice: 55000');
SELECT throws_ok($$SELECT lead_crm.undo_merge(0)$$, 'P0002', NULL, 'unknown merge: P0002');

SELECT * FROM finish();
ROLLBACK;

-- test/pgtap/pipeline_import.sql - the parsers of values typed in Vietnam,
-- header mapping, declarations and SQLSTATEs of import and capture, and the
-- same results whether rows are tried in chunks or one by one.
BEGIN;
SELECT plan(44);
SET LOCAL lead_crm.tenant = 95;
SET LOCAL timezone = 'UTC';
SELECT FROM lead_crm.create_tenant(95);

-- declarations
SELECT col_is_pk('lead_crm', 'import_batch', ARRAY['tenant_id', 'id'], 'batch key is tenant-led');
SELECT col_is_pk('lead_crm', 'import_row', ARRAY['tenant_id', 'batch_id', 'seq'], 'staging key is tenant-led');
SELECT col_is_pk('lead_crm', 'import_error', ARRAY['tenant_id', 'id'], 'error key is tenant-led');
SELECT col_is_pk('lead_crm', 'lead_capture', ARRAY['tenant_id', 'id'], 'capture key is tenant-led');
SELECT col_is_unique('lead_crm', 'lead_capture', ARRAY['tenant_id', 'idempotency_key'], 'one capture per key and tenant');
SELECT is((SELECT count(*)::integer FROM pg_catalog.pg_attribute
			WHERE attrelid = 'lead_crm.import_row'::regclass AND attnum > 0 AND NOT attisdropped
			  AND attname NOT IN ('tenant_id', 'batch_id', 'seq', 'row_no', 'lead_id')
			  AND atttypid <> 'text'::regtype), 0, 'every staging column of a value is text');
SELECT volatility_is('lead_crm', 'parse_vn_number', ARRAY['text'], 'immutable', 'parse_vn_number is immutable');
SELECT volatility_is('lead_crm', 'parse_vn_date', ARRAY['text'], 'immutable', 'parse_vn_date is immutable');
SELECT volatility_is('lead_crm', 'parse_vn_timestamp', ARRAY['text', 'text'], 'stable', 'parse_vn_timestamp is stable (a text cast)');

-- amounts: a lone . or , before three digits separates thousands
SELECT results_eq(
	$$SELECT lead_crm.parse_vn_number(v) FROM unnest(ARRAY['50.000.000', '50,000,000', '1.234.567,89', '1,234,567.89',
		'1,5', '1.5', '1.500', '50 triệu', '1,5 tỷ', '2 tỉ', '500k', '5tr', '30%', '15.000.000 đ', '15.000.000 VNĐ',
		'-200', '+7']) WITH ORDINALITY AS u (v, o) ORDER BY o$$,
	$$VALUES (50000000::numeric), (50000000), (1234567.89), (1234567.89), (1.5), (1.5), (1500), (50000000),
		(1500000000), (2000000000), (500000), (5000000), (30), (15000000), (15000000), (-200), (7)$$,
	'amounts as typed in Vietnam');
SELECT is(lead_crm.parse_vn_number(v), NULL, format('not a number: %L', v))
  FROM unnest(ARRAY['abc', '1.2.3', '1,2,3', '', '12..5', 'mười triệu', repeat('9', 100)]) v;
-- dates: day first
SELECT results_eq(
	$$SELECT lead_crm.parse_vn_date(v) FROM unnest(ARRAY['20/05/1990', '20-5-1990', '20.05.1990', '1990-05-20',
		'1990-05-20 00:00:00', '29/02/2024', '1/1/2000 08:30']) WITH ORDINALITY AS u (v, o) ORDER BY o$$,
	$$VALUES ('1990-05-20'::date), ('1990-05-20'), ('1990-05-20'), ('1990-05-20'), ('1990-05-20'),
		('2024-02-29'), ('2000-01-01')$$,
	'dates day first or ISO');
SELECT is(lead_crm.parse_vn_date(v), NULL, format('not a date: %L', v))
  FROM unnest(ARRAY['31/02/1990', '29/02/2023', '2024-13-01', '00/01/2000', '20/05/90', '20/05-1990', 'hôm qua']) v;
SELECT is(lead_crm.parse_vn_timestamp('20/05/2025 14:30', 'Asia/Ho_Chi_Minh'), '2025-05-20 07:30+00'::timestamptz,
		  'local time of the given zone');
SELECT is(lead_crm.parse_vn_timestamp('2025-05-20T14:30:00+0700', 'UTC'), '2025-05-20 07:30+00'::timestamptz,
		  'an offset wins over the zone');
SELECT is(lead_crm.parse_vn_timestamp('2025-05-20 24:00', 'UTC'), NULL, 'hour 24 is refused, not raised');
SELECT results_eq($$SELECT lead_crm.parse_vn_boolean(v) FROM unnest(ARRAY['Có', 'x', 'Không', 'chưa', 'có lẽ'])
					   WITH ORDINALITY AS u (v, o) ORDER BY o$$,
				  $$VALUES (true), (true), (false), (false), (NULL::boolean)$$, 'yes and no in Vietnamese');

-- headers
SELECT is(lead_crm.csv_fields(E'\uFEFFHọ và tên,"Địa chỉ, số nhà","Ghi ""chú"""\r\n'),
		  ARRAY['Họ và tên', 'Địa chỉ, số nhà', 'Ghi "chú"'], 'CSV cells: BOM, quotes, doubled quotes, CRLF');
SELECT is(lead_crm.csv_fields('a;b;;c', ';'), ARRAY['a', 'b', '', 'c'], 'another delimiter, empty cells');
SELECT results_eq(
	$$SELECT lead_crm.import_target(h) FROM unnest(ARRAY['Họ và tên (*)', 'HỌ TÊN', 'SĐT', 'Số điện thoại:', 'E-mail',
		'Tỉnh/Thành phố', 'Ngày sinh', 'Nguồn khách hàng', 'Nhân viên kinh doanh', 'full_name', 'STT',
		'Đồng bộ hóa với HubSpot', 'Màu yêu thích']) WITH ORDINALITY AS u (h, o) ORDER BY o$$,
	$$VALUES ('full_name'), ('full_name'), ('phone'), ('phone'), ('email'), ('province'), ('birthday'), ('source'),
		('salesperson_id'), ('full_name'), ('ignore'), ('custom.hubspot_sync'), (NULL)$$,
	'Vietnamese and English headers map to lead columns, custom fields, ignore or nothing');

-- SQLSTATEs
SELECT throws_ok($$SELECT lead_crm.import_leads(NULL)$$, 'P0002', NULL, 'unknown batch');
SELECT throws_ok($$SELECT lead_crm.import_leads(1, chunk_size => 0)$$, '22023', NULL, 'chunk size below 1');
SELECT throws_ok($$SELECT lead_crm.csv_fields('a', '')$$, '22023', NULL, 'empty delimiter');
SELECT throws_ok($$INSERT INTO lead_crm.import_row (full_name) VALUES ('x')$$, '55000', NULL,
				 'staging rows need an open batch');
SELECT throws_ok($$SELECT lead_crm.capture_lead(NULL)$$, '22004', NULL, 'NULL payload');
SELECT throws_ok($$SELECT lead_crm.capture_lead('"Nguyễn Văn A"')$$, '22023', NULL, 'payload that is not an object');
SELECT throws_ok($$SELECT lead_crm.capture_lead('{"phone": "0912345678"}')$$, '23502', NULL, 'payload without a name');
SELECT throws_ok($$SELECT lead_crm.capture_lead(jsonb_build_object('name', 'A', 'idempotency_key', repeat('k', 201)))$$,
				 '22023', NULL, 'key longer than 200 characters');

-- one subtransaction per row finds what chunks find
SELECT batch_id AS b1 FROM lead_crm.import_begin(has_header => false) \gset
INSERT INTO lead_crm.import_row (full_name, phone, birthday, custom)
SELECT CASE WHEN g % 7 = 0 THEN NULL ELSE 'Khách ' || g END,
	   CASE WHEN g % 5 = 0 THEN '123' ELSE '0912 000 ' || lpad(g::text, 3, '0') END,
	   CASE WHEN g % 11 = 0 THEN '31/02/1990' END,
	   CASE WHEN g % 13 = 0 THEN '{"hubspot_sync": "maybe"}' END
  FROM generate_series(1, 60) g;
SELECT batch_id AS b2 FROM lead_crm.import_begin(has_header => false) \gset
INSERT INTO lead_crm.import_row (full_name, phone, birthday, custom)
SELECT full_name, phone, birthday, custom FROM lead_crm.import_row WHERE batch_id = :b1 ORDER BY seq;
SELECT is((SELECT ROW(rows, inserted, failed, errors, pending)::text FROM lead_crm.import_leads(:b1, 16)),
		  (SELECT ROW(rows, inserted, failed, errors, pending)::text FROM lead_crm.import_leads(:b2, 1)),
		  'chunks of 16 and rows one by one: the same counts');
SELECT results_eq(
	format($$SELECT row_no, field, problem, sqlstate FROM lead_crm.import_error WHERE batch_id = %s ORDER BY row_no, field, problem$$, :b1),
	format($$SELECT row_no, field, problem, sqlstate FROM lead_crm.import_error WHERE batch_id = %s ORDER BY row_no, field, problem$$, :b2),
	'and the same errors');
-- 60 rows: 8 without a name (7, 14 ... 56), 12 bad phones (5, 10 ... 60), 5 bad dates
-- (11 ... 55), 4 custom values the trigger refuses (13, 26, 39, 52); rows with
-- several problems count once: 60 - |union| = 60 - 27 = 33 inserted
SELECT is((SELECT inserted FROM lead_crm.import_summary WHERE batch_id = :b1), 33::bigint, '33 of 60 rows inserted');
SELECT is((SELECT count(*) FROM lead_crm.import_row r WHERE r.batch_id = :b1 AND r.lead_id IS NULL
			AND NOT EXISTS (SELECT FROM lead_crm.import_error e WHERE e.batch_id = r.batch_id AND e.seq = r.seq)),
		  0::bigint, 'no row left without a lead or an error');

SELECT * FROM finish();
ROLLBACK;

-- CSV import: an Excel export (UTF-8 with a byte-order mark, Vietnamese
-- headers, CRLF, a quoted multi-line cell) loaded with COPY after
-- import_begin(), checked by import_leads(); every staging row ends inserted
-- or with errors. Tenant 93; batch and lead ids are not printed.
\set SHOW_CONTEXT never
SET lead_crm.tenant = 93;
SET timezone = 'Asia/Ho_Chi_Minh';
SET datestyle = 'ISO, YMD';

INSERT INTO lead_crm.sales_team (id, name) VALUES (9301, 'Miền Bắc');
INSERT INTO lead_crm.salesperson (id, full_name, email, team_id) VALUES
	(9301, 'Đỗ Minh Tuấn', 'tuan.dm@demo.vn', 9301), (9302, 'Ngô Thị Hằng', 'hang.nt@demo.vn', 9301);
INSERT INTO lead_crm.custom_field (name, label_vi, label_en, type, allowed_values) VALUES
	('company_size', 'Quy mô công ty', 'Company size', 'choice', '{1-10,11-50,51-200,200+}');
INSERT INTO lead_crm.custom_field (name, label_vi, label_en, type) VALUES
	('staff', 'Số nhân viên', 'Staff', 'integer');

-- the header line as Excel writes it: a byte-order mark first, CRLF last
\set header 'STT,Họ và tên (*),Loại khách hàng,Số điện thoại,Email,Tỉnh/thành phố,Ngày sinh,Doanh thu mong đợi,Xác suất,Quy mô công ty,Số nhân viên,Nhân viên kinh doanh,Trạng thái,Nguồn,Thẻ,Ngày tạo,Ghi chú riêng,Mô tả'
SELECT E'\uFEFF' || :'header' || E'\r' AS header \gset
SELECT batch_id IS NOT NULL AS opened, copy_columns, copy_command, unmapped
  FROM lead_crm.import_begin('khach_hoi_cho.csv', :'header', source => 'Hội chợ');
SELECT current_setting('lead_crm.import_batch') <> '' AS batch_set;
SELECT current_setting('lead_crm.import_batch')::bigint AS batch \gset
SELECT header[2], columns, x_targets FROM lead_crm.import_batch WHERE id = :batch;

-- the file (STT n is spreadsheet row n + 1): row 2 is complete; rows 3-11
-- have one problem each, row 4 two; rows 12-14 are good (labels, amounts and
-- dates as typed in Vietnam; row 13 has a cell on two lines, row 14 a phone
-- whose leading 0 Excel dropped)
SELECT copy_columns FROM lead_crm.import_batch b,
	   LATERAL (SELECT array_to_string(b.columns, ', ') AS copy_columns) c WHERE b.id = :batch \gset
COPY lead_crm.import_row (:copy_columns) FROM STDIN WITH (FORMAT csv, HEADER true);
STT,Họ và tên (*),Loại khách hàng,Số điện thoại,Email,Tỉnh/thành phố,Ngày sinh,Doanh thu mong đợi,Xác suất,Quy mô công ty,Số nhân viên,Nhân viên kinh doanh,Trạng thái,Nguồn,Thẻ,Ngày tạo,Ghi chú riêng,Mô tả
1,Nguyễn Văn An,Cá nhân,0912 345 678,an.nguyen@gmail.com,Hà Nội,20/05/1990,50 triệu,30%,11-50,25,Đỗ Minh Tuấn,Mới,,Cà phê,15/03/2025 09:30,gọi sau 17h,Cần 500 kg cà phê
2,,Cá nhân,0987 654 321,,TP.HCM,,,,,,,,,,,,
3,Trần Thị Bình,,0912 34,binh@@gmail,Đà Nẵng,,,,,,,,,,,,
4,Lê Văn Cường,,0903 111 222,,Huế,31/02/1990,,,,,,,,,,,
5,Phạm Thị Dung,,0903 222 333,,Huế,,mười triệu,,,,,,,,,,
6,Hoàng Văn Em,,0903 333 444,,Huế,,,150,,,,,,,,,
7,Vũ Thị Giang,,0903 444 555,,Huế,,,,5000+,,,,,,,,
8,Đặng Văn Hải,,0903 555 666,,Huế,,,,,,Ai đó,,,,,,
9,Bùi Thị Hoa,,0903 666 777,,Huế,,,,,,,Đã chốt,,,,,
10,Đỗ Văn Khánh,Hộ kinh doanh,0903 777 888,,Huế,,,,,,,,,,,,
11,Công ty TNHH Minh Phát,Doanh nghiệp,024 3825 1234,info@minhphat.vn,Hải Phòng,,"1.500.000.000",,51-200,120,hang.nt@demo.vn,Đang liên hệ,Website,Cà phê; Tiêu,2025-03-01,,
12,"Ngô Văn ""Long""",,84905123456,,Cần Thơ,1985-01-02,"2,5 tỷ",,,,,khả quan,,,,"dòng 1
dòng 2",
13,Lý Thị Mai,,905123457,,Cà Mau,,15.000.000 đ,,,,,,Zalo,,,,
\.
SELECT count(*) AS loaded FROM lead_crm.import_row WHERE batch_id = :batch;

SELECT * FROM lead_crm.import_leads(:batch);

-- one row per problem, with the row number the spreadsheet shows (header = row 1)
SELECT row_no, field, value, problem, sqlstate, reason
  FROM lead_crm.import_error WHERE batch_id = :batch ORDER BY row_no, field;
SELECT row_no, field, hint FROM lead_crm.import_error
 WHERE batch_id = :batch AND row_no IN (4, 5, 11) ORDER BY row_no, field;

-- nothing silently dropped: every staging row is a lead or has an error
SELECT count(*) FILTER (WHERE r.lead_id IS NOT NULL) AS inserted,
	   count(*) FILTER (WHERE r.lead_id IS NULL AND EXISTS (SELECT FROM lead_crm.import_error e
															 WHERE e.batch_id = r.batch_id AND e.seq = r.seq)) AS failed,
	   count(*) FILTER (WHERE r.lead_id IS NULL AND NOT EXISTS (SELECT FROM lead_crm.import_error e
																 WHERE e.batch_id = r.batch_id AND e.seq = r.seq)) AS lost
  FROM lead_crm.import_row r WHERE r.batch_id = :batch;

-- the leads, as the lead triggers stored them (labels became codes; the
-- source of the batch applies where a row names none; STT is not kept)
SELECT r.row_no, l.full_name, l.kind, l.phone, l.phone_e164, l.email, l.province, l.birthday,
	   l.expected_revenue, l.probability, l.custom, l.salesperson_id, l.team_id, l.status,
	   l.source, l.tags, CASE WHEN r.created_at IS NOT NULL THEN l.created_at END AS created_at,
	   l.description
  FROM lead_crm.import_row r JOIN lead_crm.lead l ON l.tenant_id = r.tenant_id AND l.id = r.lead_id
 WHERE r.batch_id = :batch ORDER BY r.row_no;

SELECT rows, inserted, failed, pending, errors FROM lead_crm.import_summary WHERE batch_id = :batch;
SELECT problem, field, sqlstate, errors, first_row, example_value
  FROM lead_crm.import_error_summary WHERE batch_id = :batch ORDER BY problem, field;

-- fix two rows in the staging table and run again: only rows not inserted are
-- looked at, their errors are found afresh
UPDATE lead_crm.import_row SET full_name = 'Trương Văn Bảo' WHERE batch_id = :batch AND row_no = 3;
UPDATE lead_crm.import_row SET phone = '0912 345 679', email = 'binh@gmail.com'
 WHERE batch_id = :batch AND row_no = 4;
SELECT * FROM lead_crm.import_leads(:batch);
SELECT row_no, field, problem FROM lead_crm.import_error WHERE batch_id = :batch ORDER BY row_no, field;
SELECT count(*) AS leads_of_batch FROM lead_crm.lead l
  JOIN lead_crm.import_row r ON r.tenant_id = l.tenant_id AND r.lead_id = l.id WHERE r.batch_id = :batch;

-- A file without a header line, loaded into named columns; strict catalogues;
-- a row the lead trigger refuses (custom JSON of the wrong type) is isolated:
-- the other rows of its chunk are inserted.
UPDATE lead_crm.tenant SET strict_catalogues = true WHERE tenant_id = 93;
SELECT batch_id IS NOT NULL AS opened, copy_columns IS NULL AS no_mapping
  FROM lead_crm.import_begin('danh_sach.csv', has_header => false);
SELECT current_setting('lead_crm.import_batch')::bigint AS batch2 \gset
COPY lead_crm.import_row (full_name, source, tags, custom) FROM STDIN WITH (FORMAT csv);
Quách Văn Nam,Facebook,Cà phê,
Tạ Thị Oanh,Tiktok,Tiêu,
Kiều Văn Phúc,Zalo,Sầu riêng,
Âu Thị Quế,Website,,"{""company_size"": 5}"
Ông Văn Rạng,Website,,"{""company_size"": ""1-10""}"
\.
SELECT * FROM lead_crm.import_leads(:batch2);
SELECT row_no, field, value, problem, sqlstate, reason
  FROM lead_crm.import_error WHERE batch_id = :batch2 ORDER BY row_no, field;
SELECT r.row_no, l.full_name, l.source, l.tags, l.custom
  FROM lead_crm.import_row r JOIN lead_crm.lead l ON l.tenant_id = r.tenant_id AND l.id = r.lead_id
 WHERE r.batch_id = :batch2 ORDER BY r.row_no;
UPDATE lead_crm.tenant SET strict_catalogues = false WHERE tenant_id = 93;

-- keep_invalid_contacts: malformed phones and e-mails are kept and flagged
SELECT batch_id IS NOT NULL AS opened
  FROM lead_crm.import_begin(has_header => false, keep_invalid_contacts => true);
SELECT current_setting('lead_crm.import_batch')::bigint AS batch3 \gset
INSERT INTO lead_crm.import_row (full_name, phone, email) VALUES ('Sơn Thị Sen', '12345', 'sen at gmail');
SELECT * FROM lead_crm.import_leads(:batch3, chunk_size => 1);
SELECT l.full_name, l.phone, l.phone_invalid, l.email, l.email_invalid
  FROM lead_crm.import_row r JOIN lead_crm.lead l ON l.tenant_id = r.tenant_id AND l.id = r.lead_id
 WHERE r.batch_id = :batch3;

-- errors: loading without a batch, unknown batch, bad chunk size, bad delimiter, too many columns
RESET lead_crm.import_batch;
INSERT INTO lead_crm.import_row (full_name) VALUES ('Không có lô');
\set VERBOSITY terse
SELECT * FROM lead_crm.import_leads(-1);
\set VERBOSITY default
SELECT * FROM lead_crm.import_leads(:batch, chunk_size => 0);
SELECT lead_crm.csv_fields('a;b', '"');
SELECT batch_id FROM lead_crm.import_begin('rong.csv', (SELECT string_agg('Cột lạ ' || g, ',') FROM generate_series(1, 31) g));
-- another tenant sees none of it
SET lead_crm.tenant = 930;
SELECT count(*) FROM lead_crm.import_summary;
SELECT count(*) FROM lead_crm.import_error_summary;

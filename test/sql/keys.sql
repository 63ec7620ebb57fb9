-- Matching keys: normalize_email, normalize_company, normalize_province,
-- parse_name; the normalized columns of lead_crm.lead (tenant 31).
\set SHOW_CONTEXT never
\set VERBOSITY default

SELECT v AS typed, lead_crm.normalize_email(v) AS email_key, lead_crm.is_valid_email(v) AS valid
  FROM unnest(ARRAY['An.Nguyen@Gmail.com', 'a.n.nguyen+shop@googlemail.com',
                    ' mailto:AN@fpt.vn ', 'Nguyễn Văn An <an@congty.com.vn>', 'an+crm@outlook.com',
                    'an+crm@yahoo.com.vn', 'an@@x.vn', 'an@x', 'nguyễn@x.vn', '']) AS v;

SELECT v AS typed, lead_crm.normalize_company(v) AS company_key
  FROM unnest(ARRAY['CÔNG TY TNHH TM-DV ABC', 'Cty TNHH Thương Mại Dịch Vụ ABC',
                    'Công ty TNHH Thương mại và Dịch vụ ABC', 'ABC Trading Co., Ltd',
                    'Tập đoàn Hòa Phát', 'Hoa Phat Group', 'CTCP ĐTXD Minh Long',
                    'Chi nhánh Công ty TNHH ABC - Chi nhánh Hà Nội', 'Công ty TNHH', '', '  -  ']) AS v;

SELECT v AS typed, lead_crm.normalize_province(v) AS province
  FROM unnest(ARRAY['TP.HCM', 'Sài Gòn', 'HN', 'Hanoi', 'TT-Huế', 'BR-VT', 'Daklak',
                    'Tỉnh Thanh Hoá', 'thanh hoa', 'Bắc Giang', 'Quảng Nam', 'Kiên Giang',
                    'Quận 1, TP. HCM, Việt Nam', 'Paris', '']) AS v;
SELECT count(*) AS aliases, count(DISTINCT province) AS units FROM lead_crm.province_aliases();
SELECT kind, count(*) FROM lead_crm.province_aliases() GROUP BY kind ORDER BY kind;
SELECT alias, province FROM lead_crm.province_aliases() WHERE kind = 'pre_2025' AND alias LIKE 'Bình%' ORDER BY alias;

SELECT v AS typed, (lead_crm.parse_name(v)).*
  FROM unnest(ARRAY['Nguyễn Văn An', 'NGUYỄN VĂN AN', 'nguyen van an', 'An Nguyen',
                    'Van An Nguyen', 'Nguyen, An', 'Hoàng Phủ Ngọc Tường', 'Phạm Thị Hương Giang',
                    'Lan', '', '   ']) AS v;
SELECT (lead_crm.parse_name(normalize('Đặng Thị Hương', NFD))).family = 'Đặng' AS nfd_input;

-- NULL, empty and 1 MB inputs
SELECT lead_crm.normalize_email(NULL) IS NULL, lead_crm.normalize_company(NULL) IS NULL,
       lead_crm.normalize_province(NULL) IS NULL, lead_crm.parse_name(NULL) IS NULL;
SELECT lead_crm.normalize_email(repeat('a', 1000000) || '@x.vn') IS NULL AS email_1mb,
       length(lead_crm.normalize_company(repeat('TM ', 350000))) AS company_1mb,
       lead_crm.normalize_province(repeat('Hà Nội ', 150000)) IS NULL AS province_1mb,
       length((lead_crm.parse_name(repeat('Nguyễn ', 150000))).middle) AS name_1mb_middle;

-- the lead keeps what was typed and gets normalized columns and flags
SET lead_crm.tenant = 31;
INSERT INTO lead_crm.lead (full_name, phone, email, company_name, province) VALUES
	('Võ Thị Khóa An', '0912.345.678', 'An.Nguyen+crm@gmail.com', 'Cty TNHH TM-DV ABC', 'TP.HCM'),
	('Võ Thị Khóa Bình', '0912 345', 'binh@', NULL, 'Bình Dương'),
	('Võ Thị Khóa Cường', '  ', '', 'ABC Co., Ltd', NULL),
	('Võ Thị Khóa Dung', NULL, NULL, NULL, 'Hà Tây');
SELECT full_name, phone, phone_e164, phone_invalid, email, email_key, email_invalid,
       name_fold, company_key, province, province_canon
  FROM lead_crm.lead WHERE tenant_id = 31 ORDER BY id;
UPDATE lead_crm.lead SET phone = '0162 765 4321', email = 'Binh@Yahoo.com.vn'
 WHERE tenant_id = 31 AND full_name = 'Võ Thị Khóa Bình'
 RETURNING phone_e164, phone_invalid, email_key, email_invalid;
SET search_path = public, lead_crm;
SELECT count(*) AS same_phone FROM lead_crm.lead
 WHERE tenant_id = 31 AND phone_e164 = '+84 912 345 678';
ANALYZE lead_crm.lead;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM lead_crm.lead WHERE tenant_id = 31 AND phone_e164 = '0912345678';
EXPLAIN (COSTS OFF) SELECT id FROM lead_crm.lead WHERE tenant_id = 31 AND email_key = 'annguyen@gmail.com';
RESET enable_seqscan;
RESET search_path;
INSERT INTO lead_crm.lead (full_name, phone_e164) VALUES ('X', '0912345678');
RESET lead_crm.tenant;

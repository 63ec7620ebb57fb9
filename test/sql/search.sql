-- lead_crm.search: every kind of query finds its lead first on a small
-- Vietnamese data set; ranking (Hòa before Hóa); empty, punctuation, NULL,
-- over-long, NFD and injection-looking queries; tenants; the indexes used.
-- Tenants 601 and 602. Leads are shown by name: ids depend on other tests.
\set SHOW_CONTEXT never
\set VERBOSITY default
SET lead_crm.tenant = 601;
INSERT INTO lead_crm.lead (full_name, company_name, phone, email) VALUES
	('Nguyễn Văn An', 'Công ty TNHH Thương mại Minh Phát', '0912 345 678', 'an.nguyen@gmail.com'),
	('Nguyễn Văn Anh', 'Công ty Cổ phần Sao Mai', '0987 654 321', 'anh.nguyen@saomai.vn'),
	('Nguyễn An', NULL, '0903 111 222', NULL),
	('Trần Thị Hòa', NULL, '+84 983 111 222', 'hoa.tran@yahoo.com.vn'),
	('Trần Thị Hóa', NULL, '0983 222 333', NULL),
	('Lê Thủy', 'Hợp tác xã Nông sản Cửu Long', '0356 777 888', NULL),
	('Phạm Quang Trường', 'CTCP Đầu tư Xây dựng Hoàng Long', '028 3822 1234', 'truongpq@hoanglong.vn'),
	('Phạm Quang Trung', NULL, '0909 000 111', NULL),
	('Đặng Thu Hương', NULL, '0977 123 456', NULL),
	('Hoàng Minh Đức', NULL, '0162 765 4321', 'duc.hoang@outlook.com'),
	('Võ Thị Bích Ngọc', 'Green Life Co., Ltd', '0838 246 810', 'ngocvtb@yahoo.com.vn'),
	('Lý Gia Huy', 'Công ty TNHH Vận tải Phương Nam', '0707 135 790', NULL),
	('Trần Minh Phát', NULL, '0888 999 000', NULL),
	('Bùi Tiến Dũng', 'Cty TNHH Đầu tư Phát triển Sunrise', '0936 864 202', 'dungbt@sunrise.vn');
-- other customers, so that the planner has a reason to use the indexes
INSERT INTO lead_crm.lead (full_name, company_name, phone)
SELECT 'Khách Hàng ' || g, 'Công ty TNHH Đối tác ' || g, '0' || (280000000 + g)
  FROM generate_series(1, 3000) g;
SET lead_crm.tenant = 602;
INSERT INTO lead_crm.lead (full_name, company_name, phone) VALUES
	('Nguyễn Văn An', 'Công ty TNHH Thương mại Minh Phát', '0912 345 679');
SET lead_crm.tenant = 601;
-- statistics: typo corrections that are frequent words are tried first
ANALYZE lead_crm.lead;

-- how a query is read
SELECT * FROM lead_crm.search_readings('nguyeenx vawn an');
SELECT * FROM lead_crm.search_readings('nguye6n4 va8n an');
SELECT * FROM lead_crm.search_readings('Công ty TNHH TM Minh Phát');
SELECT * FROM lead_crm.search_readings('0162 765');
SELECT * FROM lead_crm.search_readings('an.nguyen@gm');

-- the first result of every kind of query (rank 1 = the lead named)
CREATE TEMP TABLE probe (kind text, query text, expected text);
INSERT INTO probe VALUES
	('exact, diacritics', 'Trần Thị Hòa', 'Trần Thị Hòa'),
	('exact, the other tone', 'Trần Thị Hóa', 'Trần Thị Hóa'),
	('without diacritics', 'PHAM QUANG TRUONG', 'Phạm Quang Trường'),
	('modern tone style', 'Lê Thuỷ', 'Lê Thủy'),
	('NFD, case, spaces', normalize('  ĐẶNG   thu  HƯƠNG ', NFD), 'Đặng Thu Hương'),
	('family + given', 'Phạm Trường', 'Phạm Quang Trường'),
	('given + company', 'An Minh Phát', 'Nguyễn Văn An'),
	('Western order', 'Huy Ly', 'Lý Gia Huy'),
	('Telex', 'ddawngj thu huwowng', 'Đặng Thu Hương'),
	('VNI', 'D9a85ng Thu Hu7o7ng', 'Đặng Thu Hương'),
	('a typo per word', 'pahm qaung truogn', 'Phạm Quang Trường'),
	('phone prefix', '0912 345', 'Nguyễn Văn An'),
	('phone suffix', '246810', 'Võ Thị Bích Ngọc'),
	('international prefix', '+84 983 111', 'Trần Thị Hòa'),
	('old 11-digit number', '0162 765 4321', 'Hoàng Minh Đức'),
	('its new number', '032 765 4321', 'Hoàng Minh Đức'),
	('landline', '(028) 3822 1234', 'Phạm Quang Trường'),
	('e-mail', 'An.Nguyen@Gmail.com', 'Nguyễn Văn An'),
	('e-mail prefix', 'ngocvtb@ya', 'Võ Thị Bích Ngọc'),
	('company without legal form', 'Đầu tư Xây dựng Hoàng Long', 'Phạm Quang Trường'),
	('company, abbreviated', 'ĐTXD Hoàng Long', 'Phạm Quang Trường'),
	('English legal form', 'Green Life', 'Võ Thị Bích Ngọc'),
	('foreign word with a typo', 'Sunrsie', 'Bùi Tiến Dũng');
SELECT p.kind, p.query, s.full_name AS first, round(s.score::numeric, 3) AS score,
	   s.matched, s.full_name = p.expected AS ok
  FROM probe p CROSS JOIN LATERAL lead_crm.search(p.query, 1) s
 ORDER BY p.kind;
SELECT kind FROM probe p WHERE NOT EXISTS (SELECT FROM lead_crm.search(p.query, 1)) ORDER BY 1;

-- ranking: exact with its diacritics, then folded alike, then a typo
SELECT full_name, round(score::numeric, 3) AS score, matched
  FROM lead_crm.search('Trần Thị Hòa', 5);
SELECT full_name, round(score::numeric, 3) AS score, matched
  FROM lead_crm.search('nguyen van anh', 5);
-- Western order; the middle name is optional
SELECT full_name, round(score::numeric, 3) AS score FROM lead_crm.search('An Nguyen', 3);
-- what a UI shows
SELECT full_name, company_name, phone, email, matched FROM lead_crm.search('0912345678');

-- nothing to search: no rows, no error
SELECT count(*) AS empty FROM lead_crm.search('');
SELECT count(*) AS spaces FROM lead_crm.search(E'  \t\n ');
SELECT count(*) AS punctuation FROM lead_crm.search(' ,.;:!?-—“” ');
SELECT count(*) AS null_query FROM lead_crm.search(NULL);
SELECT count(*) AS null_limit FROM lead_crm.search('An', NULL);
-- the query is data, never SQL
SELECT count(*) AS injection FROM lead_crm.search($$'); DROP TABLE lead_crm.lead; --$$);
SELECT count(*) AS still_there FROM lead_crm.lead WHERE tenant_id = 601 AND full_name NOT LIKE 'Khách Hàng%';
-- NFD and NFC find the same leads
SELECT (SELECT array_agg(lead_id ORDER BY lead_id) FROM lead_crm.search(normalize('Trần Thị Hòa', NFD)))
     = (SELECT array_agg(lead_id ORDER BY lead_id) FROM lead_crm.search('Trần Thị Hòa')) AS nfd_same;
-- max_results
SELECT count(*) AS one FROM lead_crm.search('Nguyễn', 1);
SELECT count(*) AS limited FROM lead_crm.search('Nguyễn', 2);

-- errors
SELECT * FROM lead_crm.search(repeat('Nguyễn ', 30));
SELECT * FROM lead_crm.search(repeat('x', 1048576));
SELECT * FROM lead_crm.search('An', 0);
SELECT * FROM lead_crm.search('An', 1001);

-- tenants: each sees its own Nguyễn Văn An only
SELECT full_name, phone FROM lead_crm.search('Nguyễn Văn An', 1);
SET lead_crm.tenant = 602;
SELECT full_name, phone FROM lead_crm.search('Nguyễn Văn An');
SELECT count(*) AS other_tenant FROM lead_crm.search('Trần Thị Hòa');
SET lead_crm.tenant = 601;

-- index keys and documents
SELECT lead_crm.search_keys(601, 'nguyen van an', 'thuong mai minh phat');
SELECT lead_crm.search_document('nguyen van an', 'minh phat'), lead_crm.search_document('an', NULL);
SELECT lead_crm.phone_digits('+84 (0)91 234-5678'), lead_crm.phone_digits('không có');
SELECT lead_crm.phone_suffix_key('0912345678', '0912 345 678'), lead_crm.phone_suffix_key(NULL, '089 123');

-- the statements search runs use the indexes (their shapes, with constants);
-- which index serves each, not the whole plan: other tests' rows in this
-- database change bitmap-or-plain scans and the btree the tenant filter uses
CREATE FUNCTION pg_temp.uses(idx text, q text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE l text;
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		IF l ~ ('(Index Scan using|Index Only Scan using|Bitmap Index Scan on) ' || idx || '( |$)') THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END $f$;
SELECT pg_temp.uses('lead_search_keys_idx', $$SELECT id FROM lead_crm.lead WHERE tenant_id = 601 AND merged_into IS NULL
   AND lead_crm.search_keys(tenant_id, name_fold, company_key) OPERATOR(lead_crm.@>>) ARRAY['601:n:an nguyen']$$) AS keys_all;
SELECT pg_temp.uses('lead_search_keys_idx', $$SELECT id FROM lead_crm.lead WHERE tenant_id = 601 AND merged_into IS NULL
   AND lead_crm.search_keys(tenant_id, name_fold, company_key) OPERATOR(lead_crm.&&>) ARRAY['601:f:an nguyen', '601:f:an nguyen van']$$) AS keys_any;
-- (for one tenant's 3000 leads the tenant's btree and a filter cost less than
-- the trigram index; for a tenant of 1M leads they do not)
SET enable_seqscan = off;
SELECT pg_temp.uses('lead_search_trgm_idx', $$SELECT id FROM lead_crm.lead WHERE merged_into IS NULL
   AND lead_crm.search_document(name_fold, company_key) OPERATOR(lead_crm.%>@) 'sunrsie'$$) AS trigrams;
RESET enable_seqscan;
SELECT pg_temp.uses('lead_phone_e164_idx', $$SELECT id FROM lead_crm.lead WHERE tenant_id = 601 AND merged_into IS NULL
   AND phone_e164 OPERATOR(lead_crm.>=) '+84912345000' AND phone_e164 OPERATOR(lead_crm.<) '+84912346000'$$) AS phone_prefix;
SELECT pg_temp.uses('lead_phone_suffix_idx', $$SELECT id FROM lead_crm.lead WHERE tenant_id = 601 AND merged_into IS NULL
   AND lead_crm.phone_suffix_key(phone_e164, phone) ~>=~ '876543' AND lead_crm.phone_suffix_key(phone_e164, phone) ~<~ '876544'$$) AS phone_suffix;
SELECT pg_temp.uses('lead_phone_typed_idx', $$SELECT id FROM lead_crm.lead WHERE tenant_id = 601 AND merged_into IS NULL
   AND lead_crm.phone_digits(phone) ~>=~ '0894' AND lead_crm.phone_digits(phone) ~<~ '0895'$$) AS phone_typed;
SELECT pg_temp.uses('lead_email_prefix_idx', $$SELECT id FROM lead_crm.lead WHERE tenant_id = 601 AND merged_into IS NULL
   AND (email_key COLLATE "C") >= 'ngocvtb@ya' AND (email_key COLLATE "C") < 'ngocvtb@yb'$$) AS email_prefix;
-- and find what search finds
SELECT full_name FROM lead_crm.lead WHERE tenant_id = 601
   AND lead_crm.search_keys(tenant_id, name_fold, company_key) OPERATOR(lead_crm.@>>) ARRAY['601:n:an nguyen']
 ORDER BY full_name;

-- merged leads: only the lead they were merged into is found; undone, both again
SET lead_crm.tenant = 603;
INSERT INTO lead_crm.lead (full_name, company_name, phone) VALUES
	('Đỗ Minh Khôi', 'Công ty TNHH Hải Đăng', '0913 579 246'),
	('Do Minh Khoi', 'Hải Đăng', '0913 579 246');
SELECT full_name FROM lead_crm.search('Đỗ Minh Khôi') ORDER BY full_name;
SELECT lead_crm.merge_leads((SELECT id FROM lead_crm.lead WHERE tenant_id = 603 AND full_name = 'Đỗ Minh Khôi'),
							ARRAY(SELECT id FROM lead_crm.lead WHERE tenant_id = 603 AND full_name = 'Do Minh Khoi'))
	   AS merge_id \gset
SELECT full_name, matched FROM lead_crm.search('Đỗ Minh Khôi');
SELECT full_name FROM lead_crm.search('0913 579');
SELECT full_name FROM lead_crm.search('do minh khoi hai dang');
SELECT count(*) AS merged_in_table FROM lead_crm.lead WHERE tenant_id = 603 AND merged_into IS NOT NULL;
SELECT lead_crm.undo_merge(:merge_id);
SELECT full_name FROM lead_crm.search('Đỗ Minh Khôi') ORDER BY full_name;
SET lead_crm.tenant = 601;

-- a typo that reads several ways equally well: every reading once, then the
-- namesakes (not five of the most recent name before the first of the other)
SET lead_crm.tenant = 604;
INSERT INTO lead_crm.lead (full_name, phone)
SELECT 'Nguyễn Cẩm Linh', '0914 000 00' || g FROM generate_series(1, 6) g;
INSERT INTO lead_crm.lead (full_name, phone) VALUES
	('Nguyễn Cẩm Long', '0914 000 100'), ('Nguyễn Cẩm Long', '0914 000 200');
SELECT full_name, round(score::numeric, 3) AS score, matched FROM lead_crm.search('nguyen cam lonh', 5);
SET lead_crm.tenant = 601;

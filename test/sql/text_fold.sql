-- vn_fold: the API example, NFD, both tone styles, white space
SELECT lead_crm.vn_fold('  Nguyễn  Văn ĐỨC');
SELECT lead_crm.vn_fold(normalize('Nguyễn Thị Hoà', NFD)) = lead_crm.vn_fold('NGUYỄN THỊ HÒA') AS nfd_equals_nfc;
SELECT lead_crm.vn_fold(NULL) IS NULL AS strict;
SELECT lead_crm.vn_fold('') = '' AS empty;
-- 1 MB in, white space collapsed; every Vietnamese letter folded
SELECT octet_length(i) AS in_bytes, f = repeat('nguyen van duc ', 69905) || 'x' AS all_folded
FROM (SELECT i, lead_crm.vn_fold(i) AS f FROM (SELECT repeat(' Nguyễn  Văn ĐỨC', 69905) || ' x' AS i) i) s;
-- old and new tone style, NFD, upper case, Telex-decoded: one key
SELECT count(DISTINCT lead_crm.vn_fold(x)) AS keys
FROM unnest(ARRAY['Thanh Hóa', 'Thanh Hoá', normalize('THANH HÓA', NFD), lead_crm.telex_to_vn('Thanhf Hoas')]) AS x;
-- IMMUTABLE: backs an expression index
CREATE TABLE fold_t (name text);
INSERT INTO fold_t SELECT 'Nguyễn Văn ' || g FROM generate_series(1, 1000) g;
INSERT INTO fold_t VALUES ('Trần Thị Hòa');
CREATE INDEX ON fold_t (lead_crm.vn_fold(name));
ANALYZE fold_t;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT name FROM fold_t WHERE lead_crm.vn_fold(name) = 'tran thi hoa';
SELECT name FROM fold_t WHERE lead_crm.vn_fold(name) = lead_crm.vn_fold('TRẦN THỊ HOÀ');
RESET enable_seqscan;
DROP TABLE fold_t;

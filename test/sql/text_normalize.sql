-- vn_normalize: NFC, modern tone placement (vietnam.md 2), white space; keeps case
SELECT lead_crm.vn_normalize('  Nguyễn   Thị  Hòa ') AS api_example;
-- vietnam.md 2.3, old style -> new style
SELECT o AS old, lead_crm.vn_normalize(o) AS new
FROM unnest(ARRAY['hòa','hóa','hỏa','họa','tòa','tỏa','tọa','xóa','khóa','góa','thỏa','lõa','lòa',
	'khỏe','hòe','lòe','xòe','tóe','thủy','thúy','thụy','hủy','lũy','túy','tùy','ủy','súy','trụy',
	'khụy','nhụy','Thanh Hóa','Khánh Hòa','Hòa Bình','Ủy ban nhân dân','HÒA','THỦY']) AS o;
-- cases where both styles agree must not change
SELECT w, lead_crm.vn_normalize(w) = w AS unchanged
FROM unnest(ARRAY['hoàn','toán','khoét','huých','xoắn','tuấn','chuyến','Huế','thuở','bìa','lụa',
	'lửa','biển','thuyền','nhuộm','được','quý','quả','giá','ngoài','ngoáy','khuỷu','người']) AS w;
-- misplaced marks are put right; words that are not syllables are left alone
SELECT lead_crm.vn_normalize('qúy gìa tòan ngòai') AS fixed,
	lead_crm.vn_normalize('José café naïve Ђорђе') AS foreign;
-- NFD, cp1258-style (base letter + combining tone) and NFC give one form
SELECT lead_crm.vn_normalize(normalize('Nguyễn Thị Hòa', NFD)) AS from_nfd,
	lead_crm.vn_normalize(E'Nguy\u00ea\u0303n') = 'Nguyễn' AS cp1258_composed;
SELECT lead_crm.vn_normalize(normalize('Hòa', NFD)) = lead_crm.vn_normalize('Hoà') AS nfd_equals_nfc,
	lead_crm.vn_normalize('Hoà') IS NFC NORMALIZED AS result_is_nfc;
-- white space: tabs, newlines, no-break and other Unicode spaces collapse
SELECT lead_crm.vn_normalize(E'\tTrần\n\u00a0Văn\u2003 An \r\n') AS collapsed;
-- NULL, empty, only spaces
SELECT lead_crm.vn_normalize(NULL) IS NULL AS strict,
	lead_crm.vn_normalize('') = '' AS empty,
	lead_crm.vn_normalize(E' \t\n ') = '' AS blank;
-- 1 MB: every old-style word converted, length known
SELECT octet_length(i) AS in_bytes, length(n) AS chars, n = repeat('Hoà Thuỷ ', 87382) || 'x' AS all_converted
FROM (SELECT i, lead_crm.vn_normalize(i) AS n FROM (SELECT repeat('Hòa Thủy ', 87382) || 'x' AS i) i) s;
-- invalid UTF-8 never reaches the function: PostgreSQL refuses it on input
SELECT lead_crm.vn_normalize(convert_from('\x48c3'::bytea, 'UTF8'));
-- volatility as declared: usable in an expression index
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'lead_crm' AND p.proname IN ('vn_fold', 'vn_normalize', 'telex_to_vn', 'vni_to_vn')
ORDER BY 1;
-- a database that is not UTF8 gets a clear error
SELECT current_database() AS regress_db \gset
CREATE DATABASE lead_crm_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c lead_crm_latin1
SET client_min_messages = warning;
CREATE EXTENSION lead_crm CASCADE;
SELECT lead_crm.vn_normalize('Hoa');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT lead_crm.vn_fold('Hoa');
SELECT lead_crm.telex_to_vn('Hoaf');
SELECT lead_crm.vni_to_vn('Hoa2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\c :regress_db
DROP DATABASE lead_crm_latin1;

-- telex_to_vn / vni_to_vn: residue of typing without an input method
SELECT lead_crm.telex_to_vn('Nguyeenx Vawn Ddwcs') AS telex, lead_crm.vni_to_vn('Nguye6n4 Va8n D9u71c') AS vni;
SELECT t, lead_crm.telex_to_vn(t)
FROM unnest(ARRAY['Nguyeexn', 'Traanf Thij Hoongf', 'DDawngj', 'Phuwowngf', 'Phuowngf', 'Quaanj',
	'thuowr', 'nguwowif', 'hoaf khoer thuyr', 'NGUYEENX VAWN AN', 'nhwng', 'hoafz', 'xooong',
	'Hoaf-Binhf, (Thanhf Hoas).', '  Nguyeenx   Vawn  ', 'Hòa Vawn']) AS t;
SELECT v, lead_crm.vni_to_vn(v)
FROM unnest(ARRAY['Nguyen64', 'Tra6n2 Thi5 Ho6ng2', 'D9a8ng5', 'Phu7o7ng2', 'Phuo7ng2', 'Qua6n5',
	'thuo73', 'hoa2 khoe3 thuy3', 'NGUYE6N4', 'hoa2n0']) AS v;
-- must survive unchanged: e-mails, URLs, numbers, phones, codes, English words
SELECT t, lead_crm.telex_to_vn(t) = t AS telex_unchanged, lead_crm.vni_to_vn(t) = t AS vni_unchanged
FROM unnest(ARRAY['an.nguyen@gmail.com', 'https://vnexpress.net/kinh-doanh', '0912 345 678',
	'+84 912 345 678', '(+84) 912-345-678', 'Tp.HCM', 'Q1', 'P5', 'A10', 'U23', 'COVID-19',
	'Google Sheets', 'class taxi visa', 'Lisa Diaz', 'iPhone 15 Pro', 'v1.2.3', '3.5', 'snake_case']) AS t;
-- documented ambiguities: English words that spell a syllable in Telex, codes in VNI
SELECT lead_crm.telex_to_vn('as if it is') AS telex_english, lead_crm.vni_to_vn('A4 A1') AS vni_codes;
-- NULL, empty, 1 MB
SELECT lead_crm.telex_to_vn(NULL) IS NULL AS telex_strict, lead_crm.vni_to_vn(NULL) IS NULL AS vni_strict,
	lead_crm.telex_to_vn('') = '' AS telex_empty, lead_crm.vni_to_vn('') = '' AS vni_empty;
SELECT octet_length(i) AS in_bytes, length(t) AS chars, t = repeat('Nguyễn Văn Đức ', 52429) || 'x' AS all_decoded
FROM (SELECT i, lead_crm.telex_to_vn(i) AS t FROM (SELECT repeat('Nguyeenx Vawn Ddwcs ', 52429) || 'x' AS i) i) s;
SELECT octet_length(i) AS in_bytes, length(v) AS chars, v = repeat('Nguyễn Văn Đức ', 49933) || 'x' AS all_decoded
FROM (SELECT i, lead_crm.vni_to_vn(i) AS v FROM (SELECT repeat('Nguye6n4 Va8n D9u71c ', 49933) || 'x' AS i) i) s;
SELECT length(lead_crm.telex_to_vn(repeat('a', 1048576))) AS one_long_word;
-- the result is normalized: NFC, modern tone style
SELECT lead_crm.telex_to_vn(normalize('Thanh Hóa hoaf', NFD)) AS normalized;

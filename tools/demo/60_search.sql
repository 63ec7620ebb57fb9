\echo '== 6. Search: one call finds a lead however it was typed'
\echo '-- the demo lead Nguyễn Văn Đức, without diacritics, in Western order, with a typo in every word'
SELECT full_name, company_name, round(score::numeric, 2) AS score, matched
  FROM lead_crm.search('nguyen van duc', 3);
SELECT full_name, round(score::numeric, 2) AS score, matched FROM lead_crm.search('Duc Nguyen', 3);
SELECT full_name, round(score::numeric, 2) AS score, matched FROM lead_crm.search('nguyne vna dcu', 3);

\echo '-- typed in Telex or VNI with the input method off'
SELECT full_name, round(score::numeric, 2) AS score FROM lead_crm.search('nguyeenx vawn ddwcs', 1);
SELECT full_name, round(score::numeric, 2) AS score FROM lead_crm.search('nguye6n4 va8n d9u7c1', 1);

\echo '-- the given name and the company; the company without its legal form'
SELECT full_name, company_name, matched FROM lead_crm.search('Đức Minh Phát', 3);
SELECT full_name, company_name, matched FROM lead_crm.search('Thương mại Dịch vụ Minh Phát', 3);

\echo '-- a phone fragment in any format, an e-mail prefix'
SELECT full_name, phone, matched FROM lead_crm.search('0987 654', 3);
SELECT full_name, phone, matched FROM lead_crm.search('654321', 3);
SELECT full_name, email, matched FROM lead_crm.search('duc.nguyen@minh', 3);

\echo '-- how a query is read: words, their Telex decoding, a phone number old and new'
SELECT * FROM lead_crm.search_readings('nguyeenx ddwcs 0162 765');

\echo '-- nothing to search, and a query too long'
SELECT count(*) AS results FROM lead_crm.search(' ... ');
SELECT * FROM lead_crm.search(repeat('Nguyễn ', 40));

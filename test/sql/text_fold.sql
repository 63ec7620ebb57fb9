-- vn_fold: the API example, NFD, both tone styles, white space
SELECT lead_crm.vn_fold('  Nguyễn  Văn ĐỨC');
SELECT lead_crm.vn_fold(normalize('Nguyễn Thị Hoà', NFD)) = lead_crm.vn_fold('NGUYỄN THỊ HÒA') AS nfd_equals_nfc;
SELECT lead_crm.vn_fold(NULL) IS NULL AS strict;
SELECT lead_crm.vn_fold('') = '' AS empty;

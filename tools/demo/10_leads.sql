\echo '== 1. Leads: every field of the seeds, catalogues, required and custom fields, history'
\echo '-- sample leads by source (labels typed as "Hội chợ" or "Facebook" are stored as catalogue codes)'
SELECT l.source, c.label_vi AS nguon, count(*) AS leads
  FROM lead_crm.lead l LEFT JOIN lead_crm.catalog_item c
    ON c.tenant_id = l.tenant_id AND c.catalog = 'source' AND c.code = l.source
 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 6;

\echo '-- a lead typed with catalogue labels and a custom field'
INSERT INTO lead_crm.lead (kind, full_name, company_name, phone, email, province, source, tags, custom)
VALUES ('business', 'Nguyễn Văn Đức', 'Công ty TNHH Thương mại Dịch vụ Minh Phát', '0912 345 678',
        'duc.nguyen@minhphat.vn', 'TP.HCM', 'Hội chợ', '{Đậu xanh,Tiêu}', '{"company_size": "11-50"}')
RETURNING id, full_name, source, tags, custom;

\echo '-- the tenant makes phone required (Rodi''s default form); a lead without one is refused'
UPDATE lead_crm.lead_field SET required = true WHERE field = 'phone';
INSERT INTO lead_crm.lead (full_name, email) VALUES ('Trần Thị Bích', 'bich.tran@gmail.com');
UPDATE lead_crm.lead_field SET required = false WHERE field = 'phone';

\echo '-- a custom value outside the allowed list is refused'
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Lê Hoàng Nam', '{"company_size": "rất lớn"}');

\echo '-- every changed field is recorded with who and when (Rodi''s Lịch sử sửa đổi)'
SET lead_crm.actor = 'tuan.dm@demo.vn';
UPDATE lead_crm.lead SET phone = '0987 654 321', priority = 2
 WHERE full_name = 'Nguyễn Văn Đức';
SELECT field, old_value, new_value, changed_by, actor
  FROM lead_crm.lead_history h JOIN lead_crm.lead l ON l.id = h.lead_id AND l.tenant_id = h.tenant_id
 WHERE l.full_name = 'Nguyễn Văn Đức' ORDER BY h.id;

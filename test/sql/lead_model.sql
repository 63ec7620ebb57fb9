-- The lead data model: tenant defaults, provisioning, catalogues, required and
-- custom fields, history. Uses tenants 1, 2 and 3 (other tests use their own).
\set SHOW_CONTEXT never
\set VERBOSITY default

-- tenant defaults: unset setting means tenant 1, created on first use
SELECT lead_crm.current_tenant();
INSERT INTO lead_crm.lead (full_name) VALUES ('Nguyễn Văn An') RETURNING tenant_id, kind, status, lifecycle, priority, tags, custom;
SELECT tenant_id, name, language, time_zone, currency FROM lead_crm.tenant WHERE tenant_id IN (0, 1) ORDER BY tenant_id;
SELECT count(*) AS catalogue_rows_copied FROM lead_crm.catalog_item WHERE tenant_id = 1;
SELECT count(*) = (SELECT count(*) FROM lead_crm.catalog_item WHERE tenant_id = 0) AS same_as_template
  FROM lead_crm.catalog_item WHERE tenant_id = 1;
SELECT field, required FROM lead_crm.lead_field WHERE tenant_id = 1 AND required ORDER BY field;

-- a second tenant sees the same defaults, its own rows only by tenant_id
SET lead_crm.tenant = 2;
SELECT lead_crm.current_tenant();
INSERT INTO lead_crm.lead (full_name) VALUES ('Trần Thị Bình') RETURNING tenant_id;
SELECT tenant_id, count(*) FROM lead_crm.lead WHERE tenant_id IN (1, 2) GROUP BY 1 ORDER BY 1;
RESET lead_crm.tenant;
SET lead_crm.tenant = 0;
SET lead_crm.tenant = 'abc';
INSERT INTO lead_crm.lead (tenant_id, full_name) VALUES (0, 'Template Tenant');
SELECT lead_crm.create_tenant(-1);
SELECT lead_crm.create_tenant(3, 'Công ty Phân phối Nông sản Việt', 'en');
SELECT tenant_id, name, language FROM lead_crm.tenant WHERE tenant_id = 3;
\set VERBOSITY terse
UPDATE lead_crm.lead SET tenant_id = 2 WHERE full_name = 'Nguyễn Văn An';
\set VERBOSITY default

-- catalogue columns: codes, labels in either language, folded, unknown values kept
INSERT INTO lead_crm.lead (full_name, source, medium, industry, tags, marital_status, lost_reason)
VALUES ('Lê Thị Cúc', 'Hội chợ', 'GOOGLE ADS', 'nong nghiep', '{Đậu Xanh, tiêu, "hàng mới"}', 'Độc thân', 'Giá quá cao')
RETURNING source, medium, industry, tags, marital_status, lost_reason;
INSERT INTO lead_crm.lead (full_name, source) VALUES ('Phạm Văn Dũng', 'tivi') RETURNING source;
INSERT INTO lead_crm.campaign (code, name, source) VALUES ('fb_t1', 'Quảng cáo trang Facebook tháng 1', 'facebook');
INSERT INTO lead_crm.lead (full_name, campaign) VALUES ('Phạm Văn Dũng', 'quang cao trang facebook thang 1') RETURNING campaign;
UPDATE lead_crm.tenant SET strict_catalogues = true WHERE tenant_id = 1;
INSERT INTO lead_crm.lead (full_name, source) VALUES ('Phạm Văn Dũng', 'tivi');
INSERT INTO lead_crm.lead (full_name, tags) VALUES ('Phạm Văn Dũng', '{coffee,"hàng mới"}');
INSERT INTO lead_crm.lead (full_name, source, tags) VALUES ('Phạm Văn Dũng', 'Zalo', '{Cà phê}') RETURNING source, tags;
UPDATE lead_crm.tenant SET strict_catalogues = false WHERE tenant_id = 1;

-- required fields: kind and full_name by default; the tenant adds phone and email
INSERT INTO lead_crm.lead (full_name) VALUES (NULL);
INSERT INTO lead_crm.lead (full_name) VALUES ('   ');
UPDATE lead_crm.lead_field SET required = true WHERE tenant_id = 1 AND field IN ('phone', 'email');
INSERT INTO lead_crm.lead (full_name, email) VALUES ('Hoàng Minh Châu', 'chau@gmail.com');
INSERT INTO lead_crm.lead (full_name, phone, email) VALUES ('Hoàng Minh Châu', '0912345678', '');
INSERT INTO lead_crm.lead (full_name, phone, email) VALUES ('Hoàng Minh Châu', '0912345678', 'chau@gmail.com') RETURNING full_name;
-- an older lead without phone can still change status; it cannot lose its phone
UPDATE lead_crm.lead SET status = 'contacting' WHERE full_name = 'Lê Thị Cúc' RETURNING status;
UPDATE lead_crm.lead SET phone = NULL WHERE full_name = 'Hoàng Minh Châu';
UPDATE lead_crm.lead_field SET required = false WHERE tenant_id = 1;
UPDATE lead_crm.lead_field SET required = true WHERE tenant_id = 1 AND field IN ('kind', 'full_name');
-- field settings name real columns only
INSERT INTO lead_crm.lead_field (field, label_vi, label_en) VALUES ('shoe_size', 'Cỡ giày', 'Shoe size');
INSERT INTO lead_crm.lead_field (field, label_vi, label_en, required) VALUES ('created_at', 'Ngày tạo', 'Created', true);
-- labels follow the tenant's language
SET lead_crm.tenant = 3;
UPDATE lead_crm.lead_field SET required = true WHERE tenant_id = 3 AND field = 'phone';
INSERT INTO lead_crm.lead (full_name) VALUES ('Vũ Thị Lan');
RESET lead_crm.tenant;

-- custom fields
INSERT INTO lead_crm.custom_field (name, label_vi, type, required, allowed_values) VALUES
	('quy_mo', 'Quy mô', 'choice', false, '{nhỏ,vừa,lớn}'),
	('san_pham', 'Sản phẩm quan tâm', 'multichoice', false, '{đậu xanh,đậu đỏ,tiêu}'),
	('so_nhan_vien', 'Số nhân viên', 'integer', false, NULL),
	('ngay_hoi_cho', 'Ngày gặp ở hội chợ', 'date', false, NULL),
	('website_cu', 'Website cũ', 'url', false, NULL);
INSERT INTO lead_crm.custom_field (name, type) VALUES ('Bad Name', 'text');
INSERT INTO lead_crm.custom_field (name, type) VALUES ('loai', 'choice');
INSERT INTO lead_crm.custom_field (name, type) VALUES ('loai', 'colour');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em',
	'{"quy_mo": "vừa", "san_pham": ["tiêu", "đậu đỏ"], "so_nhan_vien": 25, "ngay_hoi_cho": "2025-07-01",
	  "hubspot_sync": true, "website_cu": "https://abc.vn"}') RETURNING custom;
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"so_nhan_vien": 25.00, "quy_mo": null}') RETURNING custom;
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', NULL) RETURNING custom;
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"quy_mo": "rất lớn"}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"san_pham": ["cà phê"]}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"san_pham": "tiêu"}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"so_nhan_vien": 2.5}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"so_nhan_vien": "25"}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"ngay_hoi_cho": "2025-02-30"}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"ngay_hoi_cho": "01/07/2025"}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"hubspot_sync": "có"}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"website_cu": "abc.vn"}');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"mau_sac": "đỏ"}');
\set VERBOSITY terse
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '"text"');
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '[1, 2]');
\set VERBOSITY default
UPDATE lead_crm.custom_field SET required = true WHERE tenant_id = 1 AND name = 'quy_mo';
INSERT INTO lead_crm.lead (full_name, custom) VALUES ('Đặng Văn Em', '{"quy_mo": ""}');
INSERT INTO lead_crm.lead (full_name) VALUES ('Đặng Văn Em');
UPDATE lead_crm.custom_field SET required = false WHERE tenant_id = 1 AND name = 'quy_mo';

-- history: one row per changed field, with who, actor and reason
SET lead_crm.actor = 'tuan.dm@congty.vn';
UPDATE lead_crm.lead SET phone = '0987 654 321', email = 'an.nguyen@gmail.com', priority = 2,
	tags = '{coffee}', custom = '{"quy_mo": "lớn"}'
 WHERE full_name = 'Nguyễn Văn An';
BEGIN;
SELECT set_config('lead_crm.reason', 'khách đổi số', true);
UPDATE lead_crm.lead SET phone = '0912 000 111' WHERE full_name = 'Nguyễn Văn An';
COMMIT;
RESET lead_crm.actor;
SELECT updated_at AS updated_before FROM lead_crm.lead WHERE full_name = 'Nguyễn Văn An' \gset
-- no change: no history row, updated_at kept
UPDATE lead_crm.lead SET phone = '0912 000 111' WHERE full_name = 'Nguyễn Văn An';
SELECT updated_at = :'updated_before' AS updated_at_kept FROM lead_crm.lead WHERE full_name = 'Nguyễn Văn An';
SELECT h.field, h.old_value, h.new_value, h.changed_by = current_user AS by_me, h.actor, h.reason
  FROM lead_crm.lead_history h
  JOIN lead_crm.lead l ON l.tenant_id = h.tenant_id AND l.id = h.lead_id
 WHERE l.full_name = 'Nguyễn Văn An' AND l.tenant_id = 1
 ORDER BY h.id;
SELECT count(*) AS history_rows_for_inserts FROM lead_crm.lead_history WHERE field = 'full_name';

-- Catalogues that tenants extend: lead sources, media, industries, tags, lost
-- reasons, marital statuses (one table, one lookup path in C), and campaigns.
-- Built-in rows belong to the template tenant 0 and are copied into every tenant.

CREATE TABLE IF NOT EXISTS @extschema@.catalog_item (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	catalog text NOT NULL
		CHECK (catalog IN ('source', 'medium', 'industry', 'tag', 'lost_reason', 'marital_status')),
	code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
	label_vi text NOT NULL,
	label_en text NOT NULL,
	-- a grouping inside the catalogue, e.g. Rodi's media types vs the distributor's channels
	category text,
	position integer NOT NULL DEFAULT 0,
	active boolean NOT NULL DEFAULT true,
	PRIMARY KEY (tenant_id, catalog, code)
);
COMMENT ON TABLE @extschema@.catalog_item IS
'choice lists of lead columns (source, medium, industry, tag, lost_reason, marital_status) with Vietnamese and English labels';
COMMENT ON COLUMN @extschema@.catalog_item.code IS
'value stored in the lead column; a lead may also be written with the label, which is mapped to the code';

CREATE TABLE IF NOT EXISTS @extschema@.campaign (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
	name text NOT NULL,
	source text,
	medium text,
	start_date date,
	end_date date CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
	budget numeric CHECK (budget >= 0),
	active boolean NOT NULL DEFAULT true,
	PRIMARY KEY (tenant_id, code)
);
COMMENT ON TABLE @extschema@.campaign IS
'marketing campaigns (chiến dịch), e.g. Quảng cáo Facebook tháng 1; lead.campaign holds the code or the name';

CREATE OR REPLACE TRIGGER catalog_item_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.catalog_item
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE OR REPLACE TRIGGER campaign_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.campaign
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

INSERT INTO @extschema@.catalog_item (tenant_id, catalog, code, label_vi, label_en, category, position) VALUES
	-- Rodi CRM sources
	(0, 'source', 'campaign',      'Chiến dịch',            'Campaign',             'rodi', 10),
	(0, 'source', 'paid_media',    'Paid Media',            'Paid media',           'rodi', 20),
	(0, 'source', 'earned_media',  'Earned Media',          'Earned media',         'rodi', 30),
	(0, 'source', 'owned_media',   'Owned Media',           'Owned media',          'rodi', 40),
	(0, 'source', 'shared_media',  'Shared Media',          'Shared media',         'rodi', 50),
	(0, 'source', 'affiliate',     'Affiliate Marketing',   'Affiliate marketing',  'rodi', 60),
	(0, 'source', 'internal',      'Kênh nội bộ',           'Internal channel',     'rodi', 70),
	-- the distributor's channels (seed 004)
	(0, 'source', 'facebook',      'Facebook',              'Facebook',             'channel', 110),
	(0, 'source', 'website',       'Website',               'Website',              'channel', 120),
	(0, 'source', 'trade_fair',    'Hội chợ',               'Trade fair',           'channel', 130),
	(0, 'source', 'telesales',     'Telesales',             'Telesales',            'channel', 140),
	(0, 'source', 'referral',      'Giới thiệu',            'Referral',             'channel', 150),
	(0, 'source', 'zalo',          'Zalo',                  'Zalo',                 'channel', 160),
	(0, 'source', 'phone_call',    'Cuộc gọi đến',          'Inbound call',         'channel', 170),
	(0, 'source', 'email',         'Email',                 'Email',                'channel', 180),
	(0, 'source', 'existing_list', 'Danh sách có sẵn',      'Existing list',        'channel', 190),
	(0, 'source', 'other',         'Khác',                  'Other',                NULL, 999),
	-- Odoo's media (phương tiện)
	(0, 'medium', 'email',         'Email',                 'Email',                NULL, 10),
	(0, 'medium', 'facebook',      'Facebook',              'Facebook',             NULL, 20),
	(0, 'medium', 'zalo',          'Zalo',                  'Zalo',                 NULL, 30),
	(0, 'medium', 'banner',        'Banner quảng cáo',      'Banner ad',            NULL, 40),
	(0, 'medium', 'google_ads',    'Google Ads',            'Google Ads',           NULL, 50),
	(0, 'medium', 'sms',           'SMS',                   'SMS',                  NULL, 60),
	(0, 'medium', 'phone',         'Điện thoại',            'Phone',                NULL, 70),
	(0, 'medium', 'direct',        'Trực tiếp',             'In person',            NULL, 80),
	(0, 'medium', 'organic',       'Tự nhiên (SEO)',        'Organic search',       NULL, 90),
	-- industries (Rodi's examples first)
	(0, 'industry', 'textile',        'Dệt may',                  'Textiles and garments',     NULL, 10),
	(0, 'industry', 'biotech',        'Công nghệ sinh học',       'Biotechnology',             NULL, 20),
	(0, 'industry', 'banking',        'Ngân hàng',                'Banking',                   NULL, 30),
	(0, 'industry', 'finance',        'Tài chính - Bảo hiểm',     'Finance and insurance',     NULL, 40),
	(0, 'industry', 'agriculture',    'Nông nghiệp',              'Agriculture',               NULL, 50),
	(0, 'industry', 'food',           'Thực phẩm - Đồ uống',      'Food and beverage',         NULL, 60),
	(0, 'industry', 'retail',         'Bán lẻ',                   'Retail',                    NULL, 70),
	(0, 'industry', 'wholesale',      'Phân phối - Bán buôn',     'Distribution and wholesale',NULL, 80),
	(0, 'industry', 'import_export',  'Xuất nhập khẩu',           'Import and export',         NULL, 90),
	(0, 'industry', 'manufacturing',  'Sản xuất',                 'Manufacturing',             NULL, 100),
	(0, 'industry', 'construction',   'Xây dựng',                 'Construction',              NULL, 110),
	(0, 'industry', 'real_estate',    'Bất động sản',             'Real estate',               NULL, 120),
	(0, 'industry', 'logistics',      'Vận tải - Logistics',      'Transport and logistics',   NULL, 130),
	(0, 'industry', 'it',             'Công nghệ thông tin',      'Information technology',    NULL, 140),
	(0, 'industry', 'education',      'Giáo dục - Đào tạo',       'Education',                 NULL, 150),
	(0, 'industry', 'healthcare',     'Y tế - Dược phẩm',         'Healthcare and pharma',     NULL, 160),
	(0, 'industry', 'tourism',        'Du lịch - Khách sạn',      'Tourism and hospitality',   NULL, 170),
	(0, 'industry', 'other',          'Khác',                     'Other',                     NULL, 999),
	-- tags: Odoo's product/service, the distributor's product tags
	(0, 'tag', 'product',    'Sản phẩm',      'Product',     NULL, 10),
	(0, 'tag', 'service',    'Dịch vụ',       'Service',     NULL, 20),
	(0, 'tag', 'beans',      'Các loại đậu',  'Beans',       'product', 30),
	(0, 'tag', 'mung_bean',  'Đậu xanh',      'Mung bean',   'product', 40),
	(0, 'tag', 'red_bean',   'Đậu đỏ',        'Red bean',    'product', 50),
	(0, 'tag', 'pepper',     'Tiêu',          'Pepper',      'product', 60),
	(0, 'tag', 'coffee',     'Cà phê',        'Coffee',      'product', 70),
	-- lost reasons (Odoo's and the distributor's "không tiềm năng" reasons)
	(0, 'lost_reason', 'too_expensive',  'Giá quá cao',                     'Too expensive',              NULL, 10),
	(0, 'lost_reason', 'price_mismatch', 'Giá không khớp',                  'Price does not match',       NULL, 20),
	(0, 'lost_reason', 'no_need',        'Không có nhu cầu thực sự',        'No real need',               NULL, 30),
	(0, 'lost_reason', 'wrong_product',  'Khác xa ngành hàng, mã hàng',     'Outside our product range',  NULL, 40),
	(0, 'lost_reason', 'too_small',      'Quy mô quá nhỏ',                  'Too small',                  NULL, 50),
	(0, 'lost_reason', 'infeasible',     'Yêu cầu không khả thi',           'Requirements not feasible',  NULL, 60),
	(0, 'lost_reason', 'competitor',     'Chọn đối thủ cạnh tranh',         'Chose a competitor',         NULL, 70),
	(0, 'lost_reason', 'unreachable',    'Không liên lạc được',             'Could not be reached',       NULL, 80),
	(0, 'lost_reason', 'no_stock',       'Không đủ hàng',                   'Not enough stock',           NULL, 90),
	(0, 'lost_reason', 'other',          'Lý do khác',                      'Other',                      NULL, 999),
	-- marital status (Rodi's Tình trạng hôn nhân)
	(0, 'marital_status', 'single',   'Độc thân',     'Single',   NULL, 10),
	(0, 'marital_status', 'married',  'Đã kết hôn',   'Married',  NULL, 20),
	(0, 'marital_status', 'divorced', 'Đã ly hôn',    'Divorced', NULL, 30),
	(0, 'marital_status', 'widowed',  'Góa',          'Widowed',  NULL, 40),
	(0, 'marital_status', 'other',    'Khác',         'Other',    NULL, 999)
ON CONFLICT DO NOTHING;

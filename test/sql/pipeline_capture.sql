-- capture_lead(): web forms (Vietnamese and English field names, Odoo's
-- website form) and Facebook Lead Ads, idempotency keys, bad payloads.
-- Tenant 94; lead ids are not printed.
\set SHOW_CONTEXT never
SET lead_crm.tenant = 94;
SET timezone = 'Asia/Ho_Chi_Minh';
SET datestyle = 'ISO, YMD';
INSERT INTO lead_crm.custom_field (name, label_vi, label_en, type, allowed_values) VALUES
	('company_size', 'Quy mô công ty', 'Company size', 'choice', '{1-10,11-50,51-200,200+}');
-- a rule assigns web leads from Hà Nội
INSERT INTO lead_crm.salesperson (id, full_name) VALUES (9401, 'Nguyễn Văn An');
INSERT INTO lead_crm.assignment_rule (name, provinces, salesperson_id) VALUES ('Hà Nội', '{Hà Nội}', 9401);

-- a website form with Vietnamese labels; an unknown question goes to the description
SELECT lead_crm.capture_lead('{"Họ và tên": "Nguyễn Thị Hoa", "Số điện thoại": "0912 345 678",
	"Email": "hoa@gmail.com", "Tỉnh/thành phố": "Hà Nội", "Quy mô công ty": "11-50",
	"Bạn quan tâm sản phẩm nào?": "Cà phê", "idempotency_key": "web-0001"}', 'Website') AS web \gset
-- the browser retries: the same lead, nothing new
SELECT lead_crm.capture_lead('{"Họ và tên": "Nguyễn Thị Hoa", "Số điện thoại": "0912 345 678",
	"idempotency_key": "web-0001"}', 'website') = :web AS same_lead;
SELECT full_name, phone, email, province, source, custom, description, salesperson_id
  FROM lead_crm.lead WHERE tenant_id = 94 AND id = :web;

-- Facebook Lead Ads as the Graph API returns a lead: field_data, the leadgen id as the key,
-- created_time as the creation time, campaign_name as the campaign, a standard
-- question (city) and a custom question (quy_mô_công_ty)
SELECT lead_crm.capture_lead('{"id": "2215417695421", "created_time": "2025-05-20T07:30:00+0000",
	"ad_id": "2385", "form_id": "7781", "campaign_name": "Cà phê tháng 5",
	"field_data": [{"name": "full_name", "values": ["Trần Văn Bình"]},
				   {"name": "phone_number", "values": ["+84987654321"]},
				   {"name": "email", "values": ["binh.tran@yahoo.com"]},
				   {"name": "city", "values": ["TP. Hồ Chí Minh"]},
				   {"name": "quy_mô_công_ty", "values": ["51-200"]},
				   {"name": "bạn_cần_tư_vấn_gì?", "values": ["Giá sỉ", "Giao hàng"]}]}') AS fb \gset
SELECT full_name, phone, email, province, source, campaign, custom, created_at, description
  FROM lead_crm.lead WHERE tenant_id = 94 AND id = :fb;
SELECT idempotency_key, source, payload ->> 'ad_id' AS ad_id FROM lead_crm.lead_capture
 WHERE tenant_id = 94 AND lead_id = :fb;
-- Facebook sends the same lead again (webhook retry): same lead
SELECT lead_crm.capture_lead('{"id": "2215417695421", "field_data": [{"name": "full_name", "values": ["Trần Văn Bình"]}]}') = :fb AS same_lead;

-- first_name and last_name: the family name first, as Vietnamese write it
SELECT lead_crm.capture_lead('{"first_name": "Minh Châu", "last_name": "Phạm", "phone_number": "0903 123 456"}',
							 'facebook') AS named \gset
SELECT full_name FROM lead_crm.lead WHERE tenant_id = 94 AND id = :named;

-- Odoo's website form: contact_name is the person, name the subject, utm_* the origin;
-- a malformed phone is kept and flagged, an unreadable birthday stays in the description
SELECT lead_crm.capture_lead('{"contact_name": "Lê Văn Cường", "partner_name": "Công ty ABC", "email_from": "cuong@abc.vn",
	"phone": "0912 34", "name": "Hỏi giá cà phê", "description": "Cần 500 kg", "birthday": "sáu tháng ba",
	"utm_source": "google", "utm_medium": "cpc"}') AS odoo \gset
SELECT full_name, company_name, email, phone, phone_invalid, source, medium, birthday, description
  FROM lead_crm.lead WHERE tenant_id = 94 AND id = :odoo;

-- without a key every call is a new lead
SELECT count(DISTINCT lead_crm.capture_lead('{"name": "Khách không khóa"}', 'website')) AS leads
  FROM generate_series(1, 2);
SELECT count(*) AS captured FROM lead_crm.lead_capture WHERE tenant_id = 94;

-- bad payloads
SELECT lead_crm.capture_lead(NULL);
SELECT lead_crm.capture_lead('["Nguyễn Văn A", "0912345678"]');
SELECT lead_crm.capture_lead('{"phone": "0912345678", "email": "a@b.vn"}');
SELECT lead_crm.capture_lead('{"entry": [{"changes": [{"field": "leadgen", "value": {"leadgen_id": "1"}}]}]}');
SELECT lead_crm.capture_lead('{"field_data": {"full_name": "A"}}');
SELECT lead_crm.capture_lead('{"field_data": [{"name": "full_name"}]}');
SELECT lead_crm.capture_lead('{"name": "A", "idempotency_key": ""}');
-- a tenant that refuses values outside its catalogues refuses an unknown source
UPDATE lead_crm.tenant SET strict_catalogues = true WHERE tenant_id = 94;
SELECT lead_crm.capture_lead('{"name": "Khách TikTok"}', 'tiktok');
UPDATE lead_crm.tenant SET strict_catalogues = false WHERE tenant_id = 94;
-- a tenant that requires a phone refuses a form without one
UPDATE lead_crm.lead_field SET required = true WHERE tenant_id = 94 AND field = 'phone';
SELECT lead_crm.capture_lead('{"name": "Khách không số"}', 'website');
UPDATE lead_crm.lead_field SET required = false WHERE tenant_id = 94 AND field = 'phone';
SELECT count(*) AS captured_after_errors FROM lead_crm.lead_capture WHERE tenant_id = 94;

-- State machines as users meet them: moves, refusals with their hints,
-- guards, lost and restore, workflow choice, conversion.
\set SHOW_CONTEXT never
SET lead_crm.tenant = 201;
SELECT lead_crm.create_tenant(201, 'Công ty Nông sản Việt', 'vi');
SELECT lead_crm.set_status_workflow('distributor');

-- a new lead starts in the initial states; labels are accepted
INSERT INTO lead_crm.lead (id, full_name, phone, source) VALUES (1, 'Anh Tùng', '0912 345 678', 'Hội chợ');
INSERT INTO lead_crm.lead (id, full_name, status) VALUES (2, 'Chị Mai', 'Khách chờ báo giá');
SELECT id, status, lifecycle FROM lead_crm.lead WHERE tenant_id = 201 ORDER BY id;
SELECT field, state, label, restore, needs FROM lead_crm.next_states(1);

-- allowed, forbidden, unknown
SELECT lead_crm.set_status(1, 'awaiting_quote', 'khách hỏi giá 2 tấn đậu xanh');
UPDATE lead_crm.lead SET status = 'ordered' WHERE tenant_id = 201 AND id = 1;
UPDATE lead_crm.lead SET status = 'won' WHERE tenant_id = 201 AND id = 1;
UPDATE lead_crm.lead SET lifecycle = 'loyal' WHERE tenant_id = 201 AND id = 1;

-- guards: not a prospect needs a lost reason; a supplier filed by mistake needs a reason
UPDATE lead_crm.lead SET status = 'not_prospect' WHERE tenant_id = 201 AND id = 2;
UPDATE lead_crm.lead SET status = 'not_prospect', lost_reason = 'Khác xa ngành hàng, mã hàng' WHERE tenant_id = 201 AND id = 2;
UPDATE lead_crm.lead SET status = 'no_info' WHERE tenant_id = 201 AND id = 2;
SELECT lead_crm.restore_lead(2);
INSERT INTO lead_crm.lead (id, full_name, status) VALUES (3, 'Cơ sở bao bì Hưng Thịnh', 'supplier');
SELECT lead_crm.set_status(3, 'no_info');
SELECT lead_crm.set_status(3, 'no_info', 'là khách mua bao bì, không phải nhà cung cấp');

SELECT lead_id, field, old_value, new_value, reason FROM lead_crm.lead_history WHERE tenant_id = 201 ORDER BY id;
SELECT lead_id, field, state FROM lead_crm.lead_state_durations WHERE NOT current ORDER BY lead_id, field, entered_at;

-- mark_lost and restore
SELECT lead_crm.mark_lost(1, 'Giá không khớp');
SELECT id, status, lost_reason FROM lead_crm.lost_leads;
SELECT lead_crm.restore_lead(1);
SELECT lead_crm.restore_lead(1);

-- an English-speaking tenant on the Odoo pipeline
SET lead_crm.tenant = 202;
SELECT lead_crm.create_tenant(202, 'Saigon Coffee Export', 'en');
SELECT lead_crm.set_status_workflow('pipeline');
INSERT INTO lead_crm.lead (id, full_name, status) VALUES (10, 'Mr. Hoàng', 'qualified');
UPDATE lead_crm.lead SET status = 'proposition' WHERE tenant_id = 202 AND id = 10;
UPDATE lead_crm.lead SET status = 'lost' WHERE tenant_id = 202 AND id = 10;
SELECT lead_crm.set_status(10, 'won', 'PO received');
SELECT lead_crm.set_status(10, 'new');
SELECT lead_crm.set_status(99, 'new');

-- switching a tenant with leads to another workflow
SET lead_crm.tenant = 201;
SELECT lead_crm.set_status_workflow('contact');
SELECT lead_crm.set_status_workflow('contact', '{"awaiting_quote": "contacting", "keep_in_touch": "promising", "no_info": "new", "supplier": "lost"}');
SELECT id, status FROM lead_crm.lead WHERE tenant_id = 201 ORDER BY id;
UPDATE lead_crm.tenant SET status_workflow = 'pipeline' WHERE tenant_id = 201;

-- a tenant's own workflow: built in several statements, checked when used
BEGIN;
INSERT INTO lead_crm.workflow (code, label_vi, label_en) VALUES ('du_hoc', 'Tư vấn du học', 'Study abroad');
INSERT INTO lead_crm.workflow_state (workflow, code, label_vi, label_en, position, initial, won, closed) VALUES
	('du_hoc', 'dang_ky', 'Đăng ký tư vấn', 'Signed up', 10, true, false, false),
	('du_hoc', 'nop_ho_so', 'Nộp hồ sơ', 'Applied', 20, false, false, false),
	('du_hoc', 'co_visa', 'Có visa', 'Visa granted', 30, false, true, true);
INSERT INTO lead_crm.workflow_transition (workflow, from_state, to_state, required_fields) VALUES
	('du_hoc', 'nop_ho_so', 'co_visa', '{email}');
SELECT * FROM lead_crm.workflow_problems('du_hoc');
SELECT lead_crm.set_lifecycle_workflow('du_hoc');
ROLLBACK;

-- conversion to an opportunity
INSERT INTO lead_crm.lead (id, full_name, kind, company_name, email) VALUES
	(20, 'Trần Quốc Bảo', 'business', 'Công ty TNHH Thực phẩm Xanh', 'bao@thucphamxanh.vn');
SELECT lead_crm.convert_lead(20, customer => 'create');
SELECT kind, name, company_id IS NOT NULL AS has_company, source_lead_id FROM lead_crm.customer WHERE tenant_id = 201 ORDER BY id;
SELECT id, lead_type, customer_id IS NOT NULL AS has_customer FROM lead_crm.lead WHERE tenant_id = 201 AND id = 20;
SELECT lead_crm.convert_lead(20);
SELECT lead_crm.convert_lead(1, merge_into => 20);
SELECT lead_crm.undo_conversion(20);
SELECT id, lead_type, customer_id FROM lead_crm.lead WHERE tenant_id = 201 AND id = 20;
SELECT count(*) AS customers_left FROM lead_crm.customer WHERE tenant_id = 201;

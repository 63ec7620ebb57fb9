-- Demo set-up: two sales teams (Miền Bắc, Miền Nam) and their salespeople.
INSERT INTO lead_crm.sales_team (id, name, region) VALUES
	(1, 'Kinh doanh Miền Bắc', 'north'),
	(2, 'Kinh doanh Miền Nam', 'south');
INSERT INTO lead_crm.salesperson (id, full_name, email, team_id, capacity) VALUES
	(1, 'Đỗ Minh Tuấn',   'tuan.dm@demo.vn',   1, 200),
	(2, 'Ngô Thị Hằng',   'hang.nt@demo.vn',   1, 200),
	(3, 'Trương Quốc Bảo', 'bao.tq@demo.vn',   2, 200),
	(4, 'Lâm Ngọc Trâm',  'tram.ln@demo.vn',   2, 200);
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('lead_crm.sales_team', 'id'), 2);
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('lead_crm.salesperson', 'id'), 4);
INSERT INTO lead_crm.custom_field (name, label_vi, label_en, type, allowed_values) VALUES
	('company_size', 'Quy mô công ty', 'Company size', 'choice', '{1-10,11-50,51-200,200+}');

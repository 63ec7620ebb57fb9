\echo '== 5. Duplicates: the same person typed twice is found, scored with reasons, merged and unmerged'
\echo '-- a lead, then the same person again from a web form: no diacritics, Western order, +84, Gmail dots and a +tag'
INSERT INTO lead_crm.lead (full_name, phone, email, company_name, province, need)
VALUES ('Nguyễn Thị Thanh Hương', '0912 345 001', 'huong.nguyen@gmail.com', 'Công ty TNHH Sao Mai', 'TP.HCM', NULL)
RETURNING id AS first_id \gset
INSERT INTO lead_crm.lead (full_name, phone, email, company_name, province, need)
VALUES ('Huong Nguyen', '+84912345001', 'h.u.o.n.g.nguyen+web@gmail.com', 'Sao Mai Co., Ltd', 'Sài Gòn', 'Báo giá 2 tấn cà phê')
RETURNING id AS second_id \gset

\echo '-- flagged on insert (policy flag): Rodi''s red icon, with the score and the reasons'
SELECT lead_id, duplicates, round(best_score::numeric, 4) AS best_score FROM lead_crm.possible_duplicate
 WHERE lead_id IN (:first_id, :second_id);
SELECT duplicate_id, round(score::numeric, 4) AS score, reasons FROM lead_crm.duplicates_of(:first_id);

\echo '-- a namesake in another province with another phone is no duplicate (score near 0)'
SELECT lead_id, round(score::numeric, 4) AS score, reasons
  FROM lead_crm.match_candidates('Nguyễn Thị Thanh Hương', '0987 000 111', province => 'Hà Nội', min_score => 0);

\echo '-- birthdays: a namesake in the same city with another birthday is no duplicate;'
\echo '-- the same name and birthday with a new phone and no e-mail is'
UPDATE lead_crm.lead SET birthday = '1991-08-23' WHERE id = :first_id;
INSERT INTO lead_crm.lead (full_name, phone, province, birthday) VALUES
	('Nguyễn Thị Thanh Hương', '0987 000 222', 'TP.HCM', '1988-02-14'),
	('Nguyen Thi Thanh Huong', '0933 456 789', 'Hồ Chí Minh', '1991-08-23');
SELECT duplicate_id, round(score::numeric, 4) AS score, reasons
  FROM lead_crm.duplicates_of(:first_id, 0.0001) WHERE duplicate_id <> :second_id;

\echo '-- check before inserting (web forms, imports): a name typed in Telex with the input method off'
SELECT lead_id, round(score::numeric, 4) AS score, reasons
  FROM lead_crm.match_candidates('Nguyeenx Thij Thanh Huwowng', '0912345001');

\echo '-- the whole tenant in one pass'
SELECT count(*) AS pairs, round(min(score)::numeric, 3) AS lowest_score FROM lead_crm.find_duplicates();
\echo '-- a tenant of 1000 leads or more has its parameters estimated from its own leads by its'
\echo '-- first pass (EM); this one has some 400, so the defaults (made for 10000 leads) stay'
SELECT (SELECT count(*) FROM lead_crm.lead) AS leads, estimated_at IS NOT NULL AS estimated, lead_count
  FROM lead_crm.dedup_setting WHERE tenant_id = lead_crm.current_tenant();

\echo '-- merge: the survivor keeps its name and spellings, takes newer values it lacks, every phone and e-mail; the other is archived'
SELECT lead_crm.merge_leads(:first_id, ARRAY[:second_id]) AS merge_id \gset
SELECT id, full_name, phone, email, alt_emails, company_name, need, merged_into
  FROM lead_crm.lead WHERE id IN (:first_id, :second_id) ORDER BY id;
SELECT lead_id, field, old_value, new_value, reason FROM lead_crm.lead_history
 WHERE lead_id IN (:first_id, :second_id) AND reason LIKE 'gộp%' AND field <> 'merged_at' ORDER BY id;

\echo '-- undo: every row exactly as it was'
SELECT lead_crm.undo_merge(:merge_id);
SELECT id, full_name, phone, email, alt_emails, need, merged_into
  FROM lead_crm.lead WHERE id IN (:first_id, :second_id) ORDER BY id;

\echo '-- policy block: a duplicate is refused, naming the lead it duplicates'
UPDATE lead_crm.dedup_setting SET policy = 'block' WHERE tenant_id = lead_crm.current_tenant();
INSERT INTO lead_crm.lead (full_name, phone) VALUES ('NGUYỄN THANH HƯƠNG', '0912.345.001');
UPDATE lead_crm.dedup_setting SET policy = 'flag' WHERE tenant_id = lead_crm.current_tenant();

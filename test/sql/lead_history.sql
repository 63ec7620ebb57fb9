-- History rows are buffered per statement and written by the statement trigger;
-- rows of a rolled-back (sub)transaction must never be written.
\set SHOW_CONTEXT never
-- regression tests share one database: each uses a tenant of its own
SET lead_crm.tenant = 901;
INSERT INTO lead_crm.lead (id, full_name)
VALUES (900101, 'Bùi Văn Hải'), (900102, 'Đỗ Thị Mai'), (900103, 'Ngô Quang Huy');

-- a savepoint rolled back takes its history rows with it
BEGIN;
UPDATE lead_crm.lead SET priority = 1 WHERE tenant_id = 901 AND id = 900101;
SAVEPOINT s;
UPDATE lead_crm.lead SET priority = 3 WHERE tenant_id = 901 AND id = 900102;
ROLLBACK TO SAVEPOINT s;
UPDATE lead_crm.lead SET need = 'Báo giá 2 tấn tiêu' WHERE tenant_id = 901 AND id = 900103;
COMMIT;
SELECT lead_id, field, old_value, new_value FROM lead_crm.lead_history
 WHERE tenant_id = 901 AND lead_id > 900100 ORDER BY id;

-- a failed statement writes nothing
\set VERBOSITY terse
UPDATE lead_crm.lead SET priority = 9 WHERE tenant_id = 901 AND id > 900100;
\set VERBOSITY default
SELECT count(*) AS rows_after_failed_update FROM lead_crm.lead_history WHERE tenant_id = 901 AND lead_id > 900100;

-- a nested update in an exception block that fails, inside the outer statement:
-- the outer rows are written, the inner ones are not; a nested update that
-- succeeds is written too
CREATE FUNCTION test_nested() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id = 900101 THEN
		BEGIN
			UPDATE lead_crm.lead SET description = 'inner, rolled back' WHERE tenant_id = 901 AND id = 900102;
			RAISE EXCEPTION 'inner failure';
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;
		UPDATE lead_crm.lead SET description = 'inner, kept' WHERE tenant_id = 901 AND id = 900103;
	END IF;
	RETURN NULL;
END;
$$;
CREATE TRIGGER lead_50_test AFTER UPDATE ON lead_crm.lead FOR EACH ROW EXECUTE FUNCTION test_nested();
UPDATE lead_crm.lead SET priority = 2 WHERE tenant_id = 901 AND id IN (900101, 900102);
DROP TRIGGER lead_50_test ON lead_crm.lead;
DROP FUNCTION test_nested();
SELECT lead_id, field, old_value, new_value FROM lead_crm.lead_history
 WHERE tenant_id = 901 AND lead_id > 900100 ORDER BY lead_id, field, id;
SELECT id, priority, description FROM lead_crm.lead WHERE tenant_id = 901 AND id > 900100 ORDER BY id;

-- many rows in one statement (over the flush threshold of 10000)
INSERT INTO lead_crm.lead (full_name) SELECT 'Khách ' || i FROM generate_series(1, 12000) i;
UPDATE lead_crm.lead SET priority = 1 WHERE full_name LIKE 'Khách %' AND tenant_id = 901;
SELECT count(*) AS history_rows, count(DISTINCT h.lead_id) AS leads
  FROM lead_crm.lead_history h
  JOIN lead_crm.lead l ON l.tenant_id = h.tenant_id AND l.id = h.lead_id
 WHERE h.field = 'priority' AND l.full_name LIKE 'Khách %' AND l.tenant_id = 901;

#!/usr/bin/env bash
# Phone parsing throughput on N realistic phone strings in mixed formats (every
# carrier prefix, spaces/dots/dashes, +84/84/0084, old 11-digit mobiles, old and
# new landlines, 1800/1900, about 8 % malformed), against a baseline in the same
# run: extracting the digits with regexp_replace, which is what a SQL-only
# normalizer would start with.
#   normalize_phone(text)   text -> E.164 or NULL
#   text::lead_crm.phone    the type's input function (valid strings only)
. "$(dirname "$0")/common.bash"
N=${N:-1000000}
bench_db lead_crm_bench_phone
psql -qX <<SQL
SELECT setseed(0.42) \gset
CREATE TABLE phone_input AS
WITH r AS (
	SELECT (ARRAY['32','33','34','35','36','37','38','39','86','96','97','98','81','82','83','84',
	              '85','88','91','94','70','76','77','78','79','90','93','92','56','58','59','87',
	              '896','899','522','993','998'])[1 + floor(random() * 37)::int] AS pre,
	       (ARRAY['162','163','164','165','166','167','168','169','120','121','122','126','128',
	              '123','124','125','127','129','186','188','199'])[1 + floor(random() * 21)::int] AS old,
	       (ARRAY['24','28','236','225','251','274','292','203','212'])[1 + floor(random() * 9)::int] AS area,
	       lpad(floor(random() * 10000000)::text, 7, '0') AS sub,
	       floor(random() * 13)::int AS style
	  FROM generate_series(1, $N)
), n AS (
	SELECT *, left(pre || sub, 9) AS nsn FROM r
)
SELECT CASE style
	WHEN 0 THEN '0' || nsn
	WHEN 1 THEN '0' || substr(nsn, 1, 3) || ' ' || substr(nsn, 4, 3) || ' ' || substr(nsn, 7)
	WHEN 2 THEN '0' || substr(nsn, 1, 3) || '.' || substr(nsn, 4, 3) || '.' || substr(nsn, 7)
	WHEN 3 THEN '+84 ' || substr(nsn, 1, 2) || ' ' || substr(nsn, 3, 3) || ' ' || substr(nsn, 6)
	WHEN 4 THEN '84' || nsn
	WHEN 5 THEN '(+84) ' || substr(nsn, 1, 3) || '-' || substr(nsn, 4, 3) || '-' || substr(nsn, 7)
	WHEN 6 THEN '0' || old || ' ' || substr(sub, 1, 3) || ' ' || substr(sub, 4)
	WHEN 7 THEN '(0' || area || ') ' || CASE WHEN length(area) = 2 THEN '3' || sub ELSE sub END
	WHEN 8 THEN '0' || area || ' ' || CASE WHEN length(area) = 2 THEN '3' || sub ELSE sub END
	WHEN 9 THEN '0084' || nsn
	WHEN 10 THEN '1800 ' || substr(sub, 1, 4)
	WHEN 11 THEN '+84 0' || nsn
	ELSE (ARRAY['0912 345', 'không có', '09123456789', '0912-345-678 / 0987', ''])[1 + floor(random() * 5)::int]
	END AS v
  FROM n;
CREATE TABLE phone_valid AS SELECT v FROM phone_input WHERE lead_crm.normalize_phone(v) IS NOT NULL;
VACUUM ANALYZE phone_input;
VACUUM ANALYZE phone_valid;
SQL
valid=$(psql -qXAt -c 'SELECT count(*) FROM phone_valid')
# warm the cache once, then time each statement
psql -qX -c 'SELECT count(v) FROM phone_input' -c 'SELECT count(v) FROM phone_valid' >/dev/null
t_base=$(ms "SELECT count(regexp_replace(v, '[^0-9]', '', 'g')) FROM phone_input")
t_norm=$(ms "SELECT count(lead_crm.normalize_phone(v)) FROM phone_input")
t_base_valid=$(ms "SELECT count(regexp_replace(v, '[^0-9]', '', 'g')) FROM phone_valid")
t_in=$(ms "SELECT count(v::lead_crm.phone) FROM phone_valid")
awk -v n="$N" -v nv="$valid" -v tb="$t_base" -v tn="$t_norm" -v tbv="$t_base_valid" -v ti="$t_in" 'BEGIN {
	printf "%d phone strings (%d valid)\n", n, nv
	printf "baseline regexp_replace digits: %8.0f ms  %10.0f /s\n", tb, n / tb * 1000
	printf "normalize_phone(text):          %8.0f ms  %10.0f /s  (%.2fx the baseline)\n", tn, n / tn * 1000, tb / tn
	printf "baseline on the valid strings:  %8.0f ms  %10.0f /s\n", tbv, nv / tbv * 1000
	printf "text::lead_crm.phone (input):   %8.0f ms  %10.0f /s  (%.2fx the baseline)\n", ti, nv / ti * 1000, tbv / ti
}' | tee "$bench_out/phone.txt"
psql -qX -d postgres -c 'DROP DATABASE lead_crm_bench_phone'

-- test/bench/bench_text.sql - throughput of the Vietnamese text functions on 1M realistic
-- strings (names, companies, addresses; 5% NFD, old and new tone styles), against
-- lower(unaccent(x)) measured in the same run. Run by test/bench/bench_text.sh.
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 0;	-- one core: the ratio, not the machine
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS lead_crm CASCADE;
CREATE EXTENSION IF NOT EXISTS unaccent;
SET client_min_messages = notice;

-- deterministic picks: element ((g * prime) mod n) of each list
CREATE FUNCTION pg_temp.pick(a text[], g bigint, prime bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT a[(g * prime) % cardinality(a) + 1] $$;

CREATE TABLE bench_text AS
WITH l AS (SELECT
	ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Vũ','Võ','Đặng','Bùi','Đỗ','Hồ','Ngô','Dương','Lý'] AS fam,
	ARRAY['Nguyeenx','Traanf','Lee','Phamj','Hoangf','Huyfnh','Phan','Vux','Voox','DDawngj','Buif','DDoox','Hoof','Ngoo','Dduwowng','Lys'] AS fam_t,
	ARRAY['Văn','Thị','Hữu','Đức','Minh','Ngọc','Thanh','Quang','Thu','Xuân','Hoàng','Bảo'] AS mid,
	ARRAY['Vawn','Thij','Huwux','DDwcs','Minh','Ngocj','Thanh','Quang','Thu','Xuaan','Hoangf','Baor'] AS mid_t,
	ARRAY['An','Bình','Hòa','Thủy','Khoa','Hương','Dũng','Tuấn','Lan','Hạnh','Phương','Quý','Khỏe','Nguyệt',
		'Trường','Hiếu','Long','Tâm','Yến','Đức'] AS giv,
	ARRAY['An','Binhf','Hoaf','Thuyr','Khoa','Huwowng','Duxng','Tuaans','Lan','Hanhj','Phuwowng','Quys','Khoer','Nguyeetj',
		'Truwowngf','Hieeus','Long','Taam','Yeens','DDuwcs'] AS giv_t,
	ARRAY['Công ty TNHH','Công ty Cổ phần','Công ty TNHH MTV','Doanh nghiệp tư nhân','CTCP'] AS legal,
	ARRAY['Thương mại','Dịch vụ','Xây dựng','Sản xuất','Xuất nhập khẩu','Thương mại và Dịch vụ','Vận tải'] AS trade,
	ARRAY['Hòa Bình','Thành Đạt','Phú Quý','Việt Tiến','Hưng Thịnh','Thủy sản Minh Phú','Khải Hoàn','Ánh Dương'] AS brand,
	ARRAY['Nguyễn Trãi','Lê Lợi','Trần Hưng Đạo','Hoàng Diệu','Võ Văn Tần','Điện Biên Phủ','Lý Thường Kiệt'] AS street,
	ARRAY['Bến Thành','Hòa Khánh','Thủy Xuân','Phú Hòa','Tân Định','Khương Trung','Thạc Gián'] AS ward,
	ARRAY['TP. Hồ Chí Minh','Hà Nội','Đà Nẵng','Thanh Hóa','Khánh Hòa','Huế','Cần Thơ','Hải Phòng'] AS city)
SELECT g AS id,
	CASE WHEN g % 20 = 0 THEN normalize(s, NFD) ELSE s END AS s,
	t
FROM l, generate_series(1, 1000000) g,
LATERAL (SELECT CASE g % 3
	WHEN 0 THEN pg_temp.pick(fam, g, 7919) || ' ' || pg_temp.pick(mid, g, 104729) || ' ' || pg_temp.pick(giv, g, 1299709)
	WHEN 1 THEN pg_temp.pick(legal, g, 7919) || ' ' || pg_temp.pick(trade, g, 104729) || ' ' || pg_temp.pick(brand, g, 1299709)
	ELSE 'Số ' || (g % 300 + 1) || ' Đường ' || pg_temp.pick(street, g, 7919) || ', Phường ' ||
		pg_temp.pick(ward, g, 104729) || ', ' || pg_temp.pick(city, g, 1299709)
	END AS s,
	pg_temp.pick(fam_t, g, 7919) || ' ' || pg_temp.pick(mid_t, g, 104729) || ' ' || pg_temp.pick(giv_t, g, 1299709) AS t) x;
VACUUM ANALYZE bench_text;
SELECT count(*) AS rows, round(avg(octet_length(s)), 1) AS avg_bytes, round(avg(octet_length(t)), 1) AS avg_telex_bytes,
	min(s) FILTER (WHERE id = 3) AS name, min(s) FILTER (WHERE id = 4) AS company, min(s) FILTER (WHERE id = 5) AS address,
	min(t) FILTER (WHERE id = 3) AS telex
FROM bench_text;

-- best of two runs of one full scan; sum(octet_length()) makes every row evaluate the function
CREATE FUNCTION pg_temp.bench(label text, q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	best float8 := 'Infinity';
	r bigint;
BEGIN
	FOR i IN 1..2 LOOP
		t0 := clock_timestamp();
		EXECUTE q INTO r;
		best := least(best, extract(epoch FROM clock_timestamp() - t0));
	END LOOP;
	RAISE NOTICE '%', format('%-30s %s s %s rows/s', label, to_char(best, '990.000'),
		lpad(to_char(1e6 / best, 'FM999G999G999'), 11));
	RETURN best;
END $$;

DO $$
DECLARE
	floor_s float8 := pg_temp.bench('scan + octet_length (floor)', 'SELECT sum(octet_length(s)) FROM bench_text');
	unaccent_s float8 := pg_temp.bench('lower(unaccent(s))', 'SELECT sum(octet_length(lower(unaccent(s)))) FROM bench_text');
	fold_s float8 := pg_temp.bench('vn_fold(s)', 'SELECT sum(octet_length(lead_crm.vn_fold(s))) FROM bench_text');
	nfc_s float8 := pg_temp.bench('normalize(s, NFC) (built-in)', 'SELECT sum(octet_length(normalize(s, NFC))) FROM bench_text');
	norm_s float8 := pg_temp.bench('vn_normalize(s)', 'SELECT sum(octet_length(lead_crm.vn_normalize(s))) FROM bench_text');
	telex_s float8 := pg_temp.bench('telex_to_vn(t)', 'SELECT sum(octet_length(lead_crm.telex_to_vn(t))) FROM bench_text');
	vni_s float8 := pg_temp.bench('vni_to_vn(s)', 'SELECT sum(octet_length(lead_crm.vni_to_vn(s))) FROM bench_text');
BEGIN
	RAISE NOTICE '%', format('vn_fold vs lower(unaccent(s)): %s x (target >= 3 x); above the scan floor: %s x',
		round((unaccent_s / fold_s)::numeric, 2), round(((unaccent_s - floor_s) / (fold_s - floor_s))::numeric, 2));
	RAISE NOTICE '%', format('vn_normalize vs built-in normalize(s, NFC): %s x', round((nfc_s / norm_s)::numeric, 2));
END $$;

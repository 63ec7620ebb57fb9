/* test/unit/test_province.c - lc_province_lookup: 34 units, 63 old names, spellings, addresses. */
#include "unit.h"
#include "core/vn_province.h"

static char work[1 << 16];

static const char *
canon(const char *s)
{
	return lc_province_name(lc_province_lookup(s, strlen(s), work));
}

int
main(void)
{
	/* vietnam.md 5.2: every pre-2025 unit -> the 2025 unit */
	static const char *const merged[][2] = {
		{"Hà Nội", "Hà Nội"}, {"Thừa Thiên Huế", "Huế"}, {"Lai Châu", "Lai Châu"},
		{"Điện Biên", "Điện Biên"}, {"Sơn La", "Sơn La"}, {"Lạng Sơn", "Lạng Sơn"},
		{"Quảng Ninh", "Quảng Ninh"}, {"Thanh Hóa", "Thanh Hóa"}, {"Nghệ An", "Nghệ An"},
		{"Hà Tĩnh", "Hà Tĩnh"}, {"Cao Bằng", "Cao Bằng"}, {"Tuyên Quang", "Tuyên Quang"},
		{"Hà Giang", "Tuyên Quang"}, {"Lào Cai", "Lào Cai"}, {"Yên Bái", "Lào Cai"},
		{"Thái Nguyên", "Thái Nguyên"}, {"Bắc Kạn", "Thái Nguyên"}, {"Phú Thọ", "Phú Thọ"},
		{"Vĩnh Phúc", "Phú Thọ"}, {"Hòa Bình", "Phú Thọ"}, {"Bắc Ninh", "Bắc Ninh"},
		{"Bắc Giang", "Bắc Ninh"}, {"Hưng Yên", "Hưng Yên"}, {"Thái Bình", "Hưng Yên"},
		{"Hải Phòng", "Hải Phòng"}, {"Hải Dương", "Hải Phòng"}, {"Ninh Bình", "Ninh Bình"},
		{"Hà Nam", "Ninh Bình"}, {"Nam Định", "Ninh Bình"}, {"Quảng Trị", "Quảng Trị"},
		{"Quảng Bình", "Quảng Trị"}, {"Đà Nẵng", "Đà Nẵng"}, {"Quảng Nam", "Đà Nẵng"},
		{"Quảng Ngãi", "Quảng Ngãi"}, {"Kon Tum", "Quảng Ngãi"}, {"Gia Lai", "Gia Lai"},
		{"Bình Định", "Gia Lai"}, {"Khánh Hòa", "Khánh Hòa"}, {"Ninh Thuận", "Khánh Hòa"},
		{"Lâm Đồng", "Lâm Đồng"}, {"Đắk Nông", "Lâm Đồng"}, {"Bình Thuận", "Lâm Đồng"},
		{"Đắk Lắk", "Đắk Lắk"}, {"Phú Yên", "Đắk Lắk"}, {"Hồ Chí Minh", "TP. Hồ Chí Minh"},
		{"Bình Dương", "TP. Hồ Chí Minh"}, {"Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh"},
		{"Đồng Nai", "Đồng Nai"}, {"Bình Phước", "Đồng Nai"}, {"Tây Ninh", "Tây Ninh"},
		{"Long An", "Tây Ninh"}, {"Cần Thơ", "Cần Thơ"}, {"Sóc Trăng", "Cần Thơ"},
		{"Hậu Giang", "Cần Thơ"}, {"Vĩnh Long", "Vĩnh Long"}, {"Bến Tre", "Vĩnh Long"},
		{"Trà Vinh", "Vĩnh Long"}, {"Đồng Tháp", "Đồng Tháp"}, {"Tiền Giang", "Đồng Tháp"},
		{"Cà Mau", "Cà Mau"}, {"Bạc Liêu", "Cà Mau"}, {"An Giang", "An Giang"},
		{"Kiên Giang", "An Giang"},
	};
	/* 5.3 spellings, prefixes, tone styles, case, no diacritics, addresses */
	static const char *const spellings[][2] = {
		{"HCM", "TP. Hồ Chí Minh"}, {"TP.HCM", "TP. Hồ Chí Minh"}, {"TPHCM", "TP. Hồ Chí Minh"},
		{"Tp. Hcm", "TP. Hồ Chí Minh"}, {"tp hồ chí minh", "TP. Hồ Chí Minh"},
		{"Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"}, {"Ho Chi Minh City", "TP. Hồ Chí Minh"},
		{"HCMC", "TP. Hồ Chí Minh"}, {"Sài Gòn", "TP. Hồ Chí Minh"}, {"saigon", "TP. Hồ Chí Minh"},
		{"SG", "TP. Hồ Chí Minh"}, {"TP. Hồ Chí Minh", "TP. Hồ Chí Minh"},
		{"HN", "Hà Nội"}, {"Hanoi", "Hà Nội"}, {"ha noi", "Hà Nội"}, {"TP. Hà Nội", "Hà Nội"},
		{"Thành phố Hà Nội", "Hà Nội"}, {"HÀ NỘI", "Hà Nội"}, {"Hanoi City", "Hà Nội"},
		{"TT-Huế", "Huế"}, {"TT Huế", "Huế"}, {"Thừa Thiên - Huế", "Huế"}, {"Hue", "Huế"},
		{"BR-VT", "TP. Hồ Chí Minh"}, {"BRVT", "TP. Hồ Chí Minh"}, {"Vũng Tàu", "TP. Hồ Chí Minh"},
		{"Daklak", "Đắk Lắk"}, {"Đăk Lăk", "Đắk Lắk"}, {"Đắc Lắc", "Đắk Lắk"}, {"Dak Lak", "Đắk Lắk"},
		{"Đăk Nông", "Lâm Đồng"}, {"Bắc Cạn", "Thái Nguyên"},
		{"Tỉnh Thanh Hoá", "Thanh Hóa"}, {"thanh hoa", "Thanh Hóa"}, {"Khánh Hoà", "Khánh Hòa"},
		{"Hoà Bình", "Phú Thọ"}, {"Tinh Quang Nam", "Đà Nẵng"}, {"Dong Nai Province", "Đồng Nai"},
		{"Phú Quốc", "An Giang"}, {"Phan Thiết", "Lâm Đồng"},
		{"Quận 1, TP.HCM", "TP. Hồ Chí Minh"}, {"P. Bến Nghé, Q.1, TP. HCM, Việt Nam", "TP. Hồ Chí Minh"},
		{"Hoàn Kiếm, Hà Nội, Vietnam", "Hà Nội"}, {"Quận 3 - HCM", "TP. Hồ Chí Minh"},
		{"Ha\xcc\x80 N\xc3\xb4\xcc\xa3i", "Hà Nội"},
	};
	static const char *const unknown[] = {
		"", "  ", "Quận 1", "Paris", "Việt Nam", "Hà", "Tỉnh", "TP.", "HCM HN", "\xff\xfe", "Hà Nội Hà Nội",
	};
	size_t		i;

	UNIT_OK(sizeof(merged) / sizeof(merged[0]) == 63, "63 pre-2025 units listed");
	for (i = 0; i < sizeof(merged) / sizeof(merged[0]); i++)
		UNIT_STR_EQ(canon(merged[i][0]), merged[i][1], "'%s'", merged[i][0]);
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		UNIT_STR_EQ(canon(spellings[i][0]), spellings[i][1], "'%s'", spellings[i][0]);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		UNIT_STR_EQ(canon(unknown[i]), NULL, "unknown '%s'", unknown[i]);
	for (i = 1; i <= LC_PROVINCE_UNITS; i++)
	{
		const char *name = lc_province_name((int) i);

		UNIT_STR_EQ(canon(name), name, "canonical name %s maps to itself", name);
	}
	UNIT_OK(lc_province_name(0) == NULL && lc_province_name(35) == NULL, "unit out of range");
	UNIT_OK(lc_area_code_count() == 63, "63 area codes");
	UNIT_STR_EQ(lc_area_code_old_province(236), "Đà Nẵng", "236 is Đà Nẵng");
	UNIT_STR_EQ(lc_area_code_before_2017(236), "511", "236 was 511");
	UNIT_OK(lc_area_code_renumbered("511", 3) == 236 && lc_area_code_renumbered("51", 2) == 0,
			"511 renumbered, 51 is not an old code");
	return unit_done();
}

/* test/unit/test_name.c - lc_parse_name and the family-name table. */
#include "unit.h"
#include "core/vn_name.h"

static char buf[1 << 16];

/* "family|middle|given" */
static const char *
parse(const char *s)
{
	static char res[1024];
	lc_name_parts p;

	lc_parse_name(s, strlen(s), buf, &p);
	snprintf(res, sizeof(res), "%.*s|%.*s|%.*s", (int) p.family_len, buf + p.family_off,
			 (int) p.middle_len, buf + p.middle_off, (int) p.given_len, buf + p.given_off);
	return res;
}

int
main(void)
{
	static const char *const cases[][2] = {
		{"Nguyễn Văn An", "Nguyễn|Văn|An"}, {"NGUYỄN VĂN AN", "Nguyễn|Văn|An"},
		{"nguyen van an", "Nguyen|Van|An"}, {"  Trần   Thị  Mai  ", "Trần|Thị|Mai"},
		{"Nguyễn Trãi", "Nguyễn||Trãi"}, {"Phạm Thị Hương Giang", "Phạm|Thị Hương|Giang"},
		{"An Nguyen", "Nguyen||An"}, {"Van An Nguyen", "Nguyen|Van|An"},
		{"Thi Lan Anh Tran", "Tran|Thi Lan|Anh"}, {"Nguyen, An", "Nguyen||An"},
		{"Nguyễn, Văn An", "Nguyễn|Văn|An"}, {"Tran, Thi Mai", "Tran|Thi|Mai"},
		{"Mai Nguyen", "Nguyen||Mai"}, {"Nguyen Mai", "Nguyen||Mai"},
		{"Tran Le", "Tran||Le"}, {"Le Tran", "Le||Tran"},
		{"Lê Nguyên", "Lê||Nguyên"}, {"Hoang Nguyen", "Nguyen||Hoang"},
		{"Hoàng Phủ Ngọc Tường", "Hoàng Phủ|Ngọc|Tường"}, {"Tôn Thất Thuyết", "Tôn Thất||Thuyết"},
		{"Hoàng Phú Quý", "Hoàng|Phú|Quý"}, {"Hoang Phu", "Hoang||Phu"},
		{"Trần Lê Quốc Toàn", "Trần|Lê Quốc|Toàn"}, {"Lan", "||Lan"}, {"LAN", "||Lan"},
		{"Minh Trang", "Minh||Trang"}, {"Đỗ Hùng", "Đỗ||Hùng"}, {"hung do", "Do||Hung"},
		{"ĐẶNG THỊ HƯƠNG", "Đặng|Thị|Hương"}, {"ƯNG HOÀNG PHÚC", "Ưng|Hoàng|Phúc"},
		{"nguyễn thị-mai", "Nguyễn||Thị-Mai"},
		{"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An", "Nguye\xcc\x82\xcc\x83n|Va\xcc\x86n|An"},
		{"", "||"}, {"   ", "||"}, {",", "||"}, {"Nguyen,", "||Nguyen"}, {"\xff\xfe", "||"},
		{"An\xff Nguyen", "Nguyen||An"},
	};
	const lc_family_name *f;
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		UNIT_STR_EQ(parse(cases[i][0]), cases[i][1], "'%s'", cases[i][0]);

	f = lc_family_name_lookup("HUỲNH", strlen("HUỲNH"));
	UNIT_OK(f && strcmp(f->written, "Huỳnh") == 0 && strcmp(f->same_as, "Hoàng") == 0,
			"Huỳnh is Hoàng's southern form");
	f = lc_family_name_lookup("vo", 2);
	UNIT_OK(f && strcmp(f->same_as, "Vũ") == 0, "vo is Võ, same as Vũ");
	UNIT_OK(lc_family_name_lookup("Lệ", strlen("Lệ")) == NULL, "Lệ is not Lê");
	UNIT_OK(lc_family_name_lookup("Văn", strlen("Văn")) == NULL, "Văn is a middle-name marker");
	f = lc_family_name_lookup("ha", 2);
	UNIT_OK(f && strcmp(f->written, "Hà") == 0, "undiacritized ha is the frequent Hà");
	f = lc_family_name_lookup("Hạ", strlen("Hạ"));
	UNIT_OK(f && strcmp(f->written, "Hạ") == 0, "Hạ with its diacritic");
	UNIT_OK(lc_is_family_name("nguyen", 6) && !lc_is_family_name("nguye", 5) &&
			!lc_is_family_name("nguyenx", 7) && !lc_is_family_name("", 0), "lc_is_family_name");
	return unit_done();
}

/* test/unit/test_normalize.c - lc_vn_normalize: modern tone placement (vietnam.md 2), white space. */
#include "unit.h"
#include "core/vn_text.h"

static char buf[1 << 16];

static const char *
norm(const char *s)
{
	size_t		n = lc_vn_normalize(s, strlen(s), buf);

	if (n >= lc_vn_normalize_bound(strlen(s)))
		return "(bound exceeded)";
	return buf;
}

/* vietnam.md 2.3: old style -> new style */
static void
old_to_new(void)
{
	static const char *const pairs[][2] = {
		{"hòa", "hoà"}, {"hóa", "hoá"}, {"hỏa", "hoả"}, {"họa", "hoạ"}, {"tòa", "toà"},
		{"tỏa", "toả"}, {"tọa", "toạ"}, {"xóa", "xoá"}, {"khóa", "khoá"}, {"góa", "goá"},
		{"thỏa", "thoả"}, {"lõa", "loã"}, {"lòa", "loà"}, {"khỏe", "khoẻ"}, {"hòe", "hoè"},
		{"lòe", "loè"}, {"xòe", "xoè"}, {"tóe", "toé"}, {"thủy", "thuỷ"}, {"thúy", "thuý"},
		{"thụy", "thuỵ"}, {"hủy", "huỷ"}, {"lũy", "luỹ"}, {"túy", "tuý"}, {"tùy", "tuỳ"},
		{"ủy", "uỷ"}, {"súy", "suý"}, {"trụy", "truỵ"}, {"khụy", "khuỵ"}, {"nhụy", "nhuỵ"},
		{"Thanh Hóa", "Thanh Hoá"}, {"Khánh Hòa", "Khánh Hoà"}, {"Hòa Bình", "Hoà Bình"},
		{"Ủy ban", "Uỷ ban"}, {"HÒA", "HOÀ"}, {"THỦY", "THUỶ"}, {"Hòa", "Hoà"}, {"hÒa", "hOà"},
	};
	size_t		i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
	{
		UNIT_STR_EQ(norm(pairs[i][0]), pairs[i][1], "old style %s -> %s", pairs[i][0], pairs[i][1]);
		UNIT_STR_EQ(norm(pairs[i][1]), pairs[i][1], "new style %s kept", pairs[i][1]);
	}
}

/* vietnam.md 2.1: the cases where both styles agree must not change */
static void
must_not_change(void)
{
	static const char *const same[] = {
		"hoàn", "toán", "khoét", "huých", "xoắn", "tuấn", "chuyến",	/* final consonant */
		"Huế", "thuở",			/* uê, uơ */
		"bìa", "lụa", "lửa",	/* ia, ua, ưa */
		"biển", "thuyền", "nhuộm", "được",	/* iê yê uô ươ */
		"quý", "quả", "giá", "quỳnh", "già",	/* qu, gi */
		"ngoài", "ngoáy", "khuỷu", "người", "rượu", "khuyến",	/* three vowels */
		"tài", "của", "kìa", "túi", "rìu", "cứu",	/* falling diphthongs */
		"José", "café", "Hòaf", "naïve", "Ђорђе",	/* not Vietnamese syllables */
	};
	size_t		i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		UNIT_STR_EQ(norm(same[i]), same[i], "unchanged: %s", same[i]);
}

static void
misplaced_fixed(void)
{
	UNIT_STR_EQ(norm("qúy"), "quý", "the u of qu never takes the mark");
	UNIT_STR_EQ(norm("gìa"), "già", "the i of gi never takes the mark");
	UNIT_STR_EQ(norm("tòan"), "toàn", "closed oa marks the a");
	UNIT_STR_EQ(norm("ngòai"), "ngoài", "oai marks the middle vowel");
	UNIT_STR_EQ(norm("ngừơi"), "người", "ươ marks the ơ");
}

static void
white_space_and_bytes(void)
{
	UNIT_STR_EQ(norm("  Nguyễn \t Thị\u00a0 Hòa \n"), "Nguyễn Thị Hoà", "white space collapsed and trimmed");
	UNIT_STR_EQ(norm(""), "", "empty");
	UNIT_STR_EQ(norm(" \t\n"), "", "only white space");
	UNIT_STR_EQ(norm("h\xffòa"), "hoà", "invalid byte dropped");
	UNIT_STR_EQ(norm("hoa\xcc\x80"), "hoa\xcc\x80", "a word followed by a combining mark is left alone");
	UNIT_STR_EQ(norm("hòa\xcc\x81"), "hòa\xcc\x81", "stray mark after a toned word: left alone");
	UNIT_STR_EQ(norm("Hòa-Bình,hòa.com"), "Hoà-Bình,hoà.com", "words between punctuation");
	UNIT_STR_EQ(norm("0912 345 678"), "0912 345 678", "numbers kept");
}

static void
embedded_nul(void)
{
	const char	in[] = {'h', (char) 0xc3, (char) 0xb2, 'a', '\0', 'b'};
	size_t		n = lc_vn_normalize(in, sizeof(in), buf);

	UNIT_OK(n == 6 && memcmp(buf, "ho\xc3\xa0 b", 6) == 0, "NUL is white space");
}

static void
growth_within_bound(void)
{
	/* tùy -> tuỳ grows by one byte (ù 2 bytes, ỳ 3): the worst case */
	static char in[4000], out[8000];
	size_t		i = 0,
				n;

	while (i + 6 <= sizeof(in))
	{
		memcpy(in + i, "t\xc3\xb9y ", 5);
		i += 5;
	}
	n = lc_vn_normalize(in, i, out);
	UNIT_OK(n < lc_vn_normalize_bound(i) && n == i / 5 * 6 - 1, "tuỳ growth within the bound (%zu -> %zu)", i, n);
}

int
main(void)
{
	old_to_new();
	must_not_change();
	misplaced_fixed();
	white_space_and_bytes();
	embedded_nul();
	growth_within_bound();
	return unit_done();
}

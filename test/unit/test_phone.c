/*
 * test/unit/test_phone.c - lc_phone_*: every 2018 prefix, every carrier prefix,
 * every province's landline in old and new codes, input formats, invalid input.
 * The tables here are restated from vietnam.md 4.3-4.5, not taken from the code.
 */
#include "unit.h"
#include "core/vn_phone.h"
#include "core/vn_province.h"

static char buf[64];

/* E.164 text of s, or the status as "!N" */
static const char *
e164(const char *s)
{
	int64_t		v;
	lc_phone_status st = lc_phone_parse(s, strlen(s), &v);

	if (st != LC_PHONE_OK)
	{
		snprintf(buf, sizeof(buf), "!%d", (int) st);
		return buf;
	}
	lc_phone_format_e164(v, buf);
	return buf;
}

static int64_t
value(const char *s)
{
	int64_t		v = 0;

	return lc_phone_parse(s, strlen(s), &v) == LC_PHONE_OK ? v : -1;
}

static void
input_formats(void)
{
	static const char *const forms[] = {
		"0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 91 234 5678",
		"84912345678", "(+84) 912-345-678", "+84 0912 345 678", "0084 912 345 678",
		"+84912345678", "912345678", "  0912345678  ", "'0912345678", "tel:+84912345678",
		"(091) 234 5678", ("0912\xc2\xa0" "345\xc2\xa0" "678"), ("0912\xe2\x80\x93" "345678"),
		"+84 (0) 912 345 678", "00840912345678", "840912345678", "0912/345/678",
	};
	size_t		i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		UNIT_STR_EQ(e164(forms[i]), "+84912345678", "format '%s'", forms[i]);
}

static void
old_mobile_prefixes(void)
{
	/* 4.4: old 4-digit prefix (with trunk 0), new 3-digit prefix, carrier */
	static const char *const table[][3] = {
		{"0162", "032", "Viettel"}, {"0163", "033", "Viettel"}, {"0164", "034", "Viettel"},
		{"0165", "035", "Viettel"}, {"0166", "036", "Viettel"}, {"0167", "037", "Viettel"},
		{"0168", "038", "Viettel"}, {"0169", "039", "Viettel"}, {"0120", "070", "MobiFone"},
		{"0121", "079", "MobiFone"}, {"0122", "077", "MobiFone"}, {"0126", "076", "MobiFone"},
		{"0128", "078", "MobiFone"}, {"0123", "083", "VinaPhone"}, {"0124", "084", "VinaPhone"},
		{"0125", "085", "VinaPhone"}, {"0127", "081", "VinaPhone"}, {"0129", "082", "VinaPhone"},
		{"0186", "056", "Vietnamobile"}, {"0188", "058", "Vietnamobile"}, {"0199", "059", "Gmobile"},
	};
	size_t		i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
	{
		char		old[32],
					want[32],
					intl[32];
		int64_t		v;

		snprintf(old, sizeof(old), "%s 765 4321", table[i][0]);
		snprintf(intl, sizeof(intl), "+84 %s 7654321", table[i][0] + 1);
		snprintf(want, sizeof(want), "+84%s7654321", table[i][1] + 1);
		UNIT_STR_EQ(e164(old), want, "2018 table: %s -> %s", old, want);
		UNIT_STR_EQ(e164(intl), want, "2018 table in E.164: %s", intl);
		v = value(old);
		UNIT_STR_EQ(lc_phone_carrier(v), table[i][2], "carrier of %s", old);
	}
}

static void
carrier_prefixes(void)
{
	/* 4.3 with 4.2's ranges: prefix with trunk 0 and carrier (NULL: none known) */
	static const char *const table[][2] = {
		{"086", "Viettel"}, {"096", "Viettel"}, {"097", "Viettel"}, {"098", "Viettel"},
		{"032", "Viettel"}, {"033", "Viettel"}, {"034", "Viettel"}, {"035", "Viettel"},
		{"036", "Viettel"}, {"037", "Viettel"}, {"038", "Viettel"}, {"039", "Viettel"},
		{"088", "VinaPhone"}, {"091", "VinaPhone"}, {"094", "VinaPhone"}, {"081", "VinaPhone"},
		{"082", "VinaPhone"}, {"083", "VinaPhone"}, {"084", "VinaPhone"}, {"085", "VinaPhone"},
		{"0896", "MobiFone"}, {"0897", "MobiFone"}, {"0898", "MobiFone"}, {"0899", "MobiFone"},
		{"090", "MobiFone"}, {"093", "MobiFone"}, {"070", "MobiFone"}, {"076", "MobiFone"},
		{"077", "MobiFone"}, {"078", "MobiFone"}, {"079", "MobiFone"},
		{"092", "Vietnamobile"}, {"056", "Vietnamobile"}, {"058", "Vietnamobile"},
		{"0522", "Vietnamobile"}, {"0523", "Vietnamobile"},
		{"0993", "Gmobile"}, {"0994", "Gmobile"}, {"0995", "Gmobile"}, {"0996", "Gmobile"},
		{"0997", "Gmobile"}, {"059", "Gmobile"},
		{"087", "Itelecom"}, {"0998", "Itelecom"}, {"0999", "Itelecom"},
		{"051", NULL}, {"095", NULL}, {"0528", NULL}, {"0559", NULL}, {"0990", NULL}, {"0991", NULL},
	};
	size_t		i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
	{
		char		in[32],
					want[32];
		int64_t		v;

		/* pad to 10 digits */
		snprintf(in, sizeof(in), "%s%s", table[i][0], strlen(table[i][0]) == 3 ? "4567890" : "567890");
		snprintf(want, sizeof(want), "+84%s", in + 1);
		UNIT_STR_EQ(e164(in), want, "mobile prefix %s", table[i][0]);
		v = value(in);
		UNIT_OK(lc_phone_kind_of(v) == LC_PHONE_MOBILE, "%s is a mobile", in);
		UNIT_STR_EQ(lc_phone_carrier(v), table[i][1], "carrier of %s", in);
	}
}

static void
landlines(void)
{
	/*
	 * 4.5: pre-2025 province, old code, new code, 2025 unit (5.2), and what the
	 * old form with trunk 0 reads as today: L = that landline, M = a current
	 * mobile (its old code is a mobile prefix now: the current meaning wins).
	 */
	static const char *const table[][5] = {
		{"Hà Nội", "4", "24", "Hà Nội", "L"},
		{"TP. Hồ Chí Minh", "8", "28", "TP. Hồ Chí Minh", "L"},
		{"Sơn La", "22", "212", "Sơn La", "L"},
		{"Lai Châu", "231", "213", "Lai Châu", "L"},
		{"Lào Cai", "20", "214", "Lào Cai", "L"},
		{"Điện Biên", "230", "215", "Điện Biên", "L"},
		{"Yên Bái", "29", "216", "Lào Cai", "L"},
		{"Quảng Bình", "52", "232", "Quảng Trị", "L"},
		{"Quảng Trị", "53", "233", "Quảng Trị", "L"},
		{"Thừa Thiên Huế", "54", "234", "Huế", "L"},
		{"Quảng Nam", "510", "235", "Đà Nẵng", "L"},
		{"Đà Nẵng", "511", "236", "Đà Nẵng", "L"},
		{"Thanh Hóa", "37", "237", "Thanh Hóa", "M"},
		{"Nghệ An", "38", "238", "Nghệ An", "M"},
		{"Hà Tĩnh", "39", "239", "Hà Tĩnh", "M"},
		{"Quảng Ninh", "33", "203", "Quảng Ninh", "M"},
		{"Bắc Giang", "240", "204", "Bắc Ninh", "L"},
		{"Lạng Sơn", "25", "205", "Lạng Sơn", "L"},
		{"Cao Bằng", "26", "206", "Cao Bằng", "L"},
		{"Tuyên Quang", "27", "207", "Tuyên Quang", "L"},
		{"Thái Nguyên", "280", "208", "Thái Nguyên", "L"},
		{"Bắc Kạn", "281", "209", "Thái Nguyên", "L"},
		{"Hải Dương", "320", "220", "Hải Phòng", "L"},
		{"Hưng Yên", "321", "221", "Hưng Yên", "L"},
		{"Bắc Ninh", "241", "222", "Bắc Ninh", "L"},
		{"Hải Phòng", "31", "225", "Hải Phòng", "L"},
		{"Hà Nam", "351", "226", "Ninh Bình", "L"},
		{"Thái Bình", "36", "227", "Hưng Yên", "M"},
		{"Nam Định", "350", "228", "Ninh Bình", "L"},
		{"Ninh Bình", "30", "229", "Ninh Bình", "L"},
		{"Phú Thọ", "210", "210", "Phú Thọ", "L"},
		{"Vĩnh Phúc", "211", "211", "Phú Thọ", "L"},
		{"Hà Giang", "219", "219", "Tuyên Quang", "L"},
		{"Hòa Bình", "218", "218", "Phú Thọ", "L"},
		{"Đồng Nai", "61", "251", "Đồng Nai", "L"},
		{"Bình Thuận", "62", "252", "Lâm Đồng", "L"},
		{"Bà Rịa–Vũng Tàu", "64", "254", "TP. Hồ Chí Minh", "L"},
		{"Quảng Ngãi", "55", "255", "Quảng Ngãi", "L"},
		{"Bình Định", "56", "256", "Gia Lai", "M"},
		{"Phú Yên", "57", "257", "Đắk Lắk", "L"},
		{"Khánh Hòa", "58", "258", "Khánh Hòa", "M"},
		{"Ninh Thuận", "68", "259", "Khánh Hòa", "L"},
		{"Kon Tum", "60", "260", "Quảng Ngãi", "L"},
		{"Đắk Nông", "501", "261", "Lâm Đồng", "L"},
		{"Đắk Lắk", "500", "262", "Đắk Lắk", "L"},
		{"Lâm Đồng", "63", "263", "Lâm Đồng", "L"},
		{"Gia Lai", "59", "269", "Gia Lai", "M"},
		{"Vĩnh Long", "70", "270", "Vĩnh Long", "M"},
		{"Bình Phước", "651", "271", "Đồng Nai", "L"},
		{"Long An", "72", "272", "Tây Ninh", "L"},
		{"Tiền Giang", "73", "273", "Đồng Tháp", "L"},
		{"Bình Dương", "650", "274", "TP. Hồ Chí Minh", "L"},
		{"Bến Tre", "75", "275", "Vĩnh Long", "L"},
		{"Tây Ninh", "66", "276", "Tây Ninh", "L"},
		{"Đồng Tháp", "67", "277", "Đồng Tháp", "L"},
		{"Cà Mau", "780", "290", "Cà Mau", "L"},
		{"Bạc Liêu", "781", "291", "Cà Mau", "L"},
		{"Cần Thơ", "710", "292", "Cần Thơ", "L"},
		{"Hậu Giang", "711", "293", "Cần Thơ", "L"},
		{"Trà Vinh", "74", "294", "Vĩnh Long", "L"},
		{"An Giang", "76", "296", "An Giang", "M"},
		{"Kiên Giang", "77", "297", "An Giang", "M"},
		{"Sóc Trăng", "79", "299", "Cần Thơ", "M"},
	};
	size_t		i;

	UNIT_OK(sizeof(table) / sizeof(table[0]) == 63, "63 pre-2025 provinces");
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
	{
		/* subscriber numbers: 8 digits in Hà Nội and HCMC, 7 elsewhere */
		const char *sub = strcmp(table[i][2], "24") == 0 ? "38251234" :
			strcmp(table[i][2], "28") == 0 ? "93251234" : "6821234";
		char		newform[32],
					oldform[32],
					want[32];
		int64_t		v;

		snprintf(newform, sizeof(newform), "0%s %s", table[i][2], sub);
		snprintf(oldform, sizeof(oldform), "(0%s) %s", table[i][1], sub);
		snprintf(want, sizeof(want), "+84%s%s", table[i][2], sub);
		UNIT_STR_EQ(e164(newform), want, "%s: new code %s", table[i][0], newform);
		v = value(newform);
		UNIT_OK(lc_phone_kind_of(v) == LC_PHONE_LANDLINE, "%s is a landline", newform);
		UNIT_STR_EQ(lc_province_name(lc_phone_province_unit(v)), table[i][3],
					"%s: province of %s", table[i][0], newform);
		v = value(oldform);
		if (table[i][4][0] == 'M')
			UNIT_OK(lc_phone_kind_of(v) == LC_PHONE_MOBILE,
					"%s: old form %s is a current mobile number", table[i][0], oldform);
		else
			UNIT_STR_EQ(e164(oldform), want, "%s: old code %s", table[i][0], oldform);
		/* the same old number written internationally, as on old business cards */
		snprintf(oldform, sizeof(oldform), "+84 %s %s", table[i][1], sub);
		if (table[i][4][0] == 'L')
			UNIT_STR_EQ(e164(oldform), want, "%s: old code %s", table[i][0], oldform);
	}
}

static void
collisions_and_history(void)
{
	UNIT_STR_EQ(e164("08 3823 4567"), "+84838234567", "old HCMC 08 3823 4567 is VinaPhone 083 now");
	UNIT_STR_EQ(e164("08 9023 4567"), "+842890234567", "old HCMC 08 9023 4567: 0890 is no mobile");
	UNIT_STR_EQ(e164("04 3825 1234"), "+842438251234", "old Hà Nội 04");
	UNIT_STR_EQ(e164("031 382 1234"), "+842253821234", "031 is unassigned as a mobile: old Hải Phòng");
	UNIT_STR_EQ(e164("030 382 1234"), "+842293821234", "030: old Ninh Bình");
	UNIT_STR_EQ(e164("018 385 2123"), "+842183852123", "pre-2007 Hòa Bình 018");
	UNIT_STR_EQ(e164("019 385 2123"), "+842193852123", "pre-2007 Hà Giang 019");
	UNIT_STR_EQ(e164("020 123 4567"), "+842141234567", "old Lào Cai 020");
	UNIT_STR_EQ(e164("1234567890"), "+84834567890", "01234567890 with the 0 dropped: old VinaPhone 0123");
	UNIT_STR_EQ(e164("0241 2345 678"), "+842222345678", "Hà Nội numbers do not start with 1: old Bắc Ninh 0241");
	UNIT_STR_EQ(e164("0992 123 456"), "+84672123456", "VSAT 992 renumbered 672");
	UNIT_STR_EQ(e164("0672 123 456"), "+84672123456", "VSAT 672");
	UNIT_STR_EQ(e164("0241 3821 234"), "+842223821234", "old Bắc Ninh 0241 (Hà Nội 24 + 1... is not valid)");
	UNIT_STR_EQ(e164("0280 3821 234"), "+842083821234", "old Thái Nguyên 0280");
}

static void
service_numbers(void)
{
	int64_t		v;

	UNIT_STR_EQ(e164("1800 1234"), "+8418001234", "toll free 8 digits");
	UNIT_STR_EQ(e164("1800 123456"), "+841800123456", "toll free 10 digits");
	UNIT_STR_EQ(e164("1900 54 54 54"), "+841900545454", "premium");
	UNIT_STR_EQ(e164("1900.6789"), "+8419006789", "premium with dot");
	UNIT_STR_EQ(e164("1201 1234"), "+8412011234", "toll free 1201");
	v = value("1800 1234");
	UNIT_OK(lc_phone_kind_of(v) == LC_PHONE_TOLL_FREE, "1800 is toll free");
	v = value("19001234");
	UNIT_OK(lc_phone_kind_of(v) == LC_PHONE_PREMIUM, "1900 is premium");
}

static void
foreign_numbers(void)
{
	int64_t		v;

	UNIT_STR_EQ(e164("+1 650 253 0000"), "+16502530000", "US");
	UNIT_STR_EQ(e164("+44 (0)20 7946 0000"), "+442079460000", "UK with (0)");
	UNIT_STR_EQ(e164("0061 2 9374 4000"), "+61293744000", "Australia via 00");
	UNIT_STR_EQ(e164("+39 06 698 1234"), "+39066981234", "Italy keeps its 0");
	UNIT_STR_EQ(e164("+82 10 1234 5678"), "+821012345678", "Korea");
	UNIT_STR_EQ(e164("+886 912 345 678"), "+886912345678", "Taiwan");
	v = value("+1 650 253 0000");
	UNIT_OK(lc_phone_kind_of(v) == LC_PHONE_FOREIGN, "US number is foreign");
	UNIT_OK(lc_phone_carrier(v) == NULL && lc_phone_province_unit(v) == 0, "no carrier or province");
	UNIT_STR_EQ(e164("+999 123 4567"), "!7", "unknown country code");
	UNIT_STR_EQ(e164("+1 650 253"), "!8", "too short for +1");
	UNIT_STR_EQ(e164("+49 1234567890123456"), "!8", "too long for +49");
}

static void
invalid_inputs(void)
{
	static const char *const bad[][2] = {
		{"", "!1"}, {"   ", "!1"}, {"-.-", "!1"}, {"abc", "!2"}, {"0912abc678", "!2"},
		{"0912 345 678 ext 12", "!2"}, {"0912345678+", "!3"}, {"++84912345678", "!3"},
		{"09123456789012345678901", "!4"}, {"0912345678 / 0987654321", "!4"},
		{"091234567", "!5"}, {"0912", "!5"}, {"113", "!5"}, {"09123456789", "!6"},
		{"0112345678", "!6"}, {"0212345678", "!6"}, {"0211234567", "!6"}, {"0692345678", "!6"},
		{"0802345678", "!6"}, {"02982345678", "!6"}, {"0231 234 567", "!6"},
		{"0170123456", "!6"}, {"1111111111", "!6"}, {"0123456789", "!6"},
		{("0912\x00" "345678"), "!2"}, {"\xff\xfe", "!2"}, {"0912\xc3", "!2"},
		{"１２３", "!2"},
	};
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		int64_t		v;
		size_t		len = strlen(bad[i][0]);
		lc_phone_status st;

		if (i == sizeof(bad) / sizeof(bad[0]) - 4)
			len = 11;			/* embedded NUL */
		st = lc_phone_parse(bad[i][0], len, &v);
		snprintf(buf, sizeof(buf), "!%d", (int) st);
		UNIT_STR_EQ(buf, bad[i][1], "invalid '%s'", bad[i][0]);
	}
}

static void
formatting(void)
{
	static const char *const cases[][2] = {
		{"0912345678", "0912 345 678"}, {"024 3825 1234", "024 3825 1234"},
		{"028-3823-4567", "028 3823 4567"}, {"02363821234", "0236 3821 234"},
		{"18001234", "1800 1234"}, {"1900 123 456", "1900 123456"},
		{"0672123456", "067 212 34 56"}, {"+1 650 253 0000", "+16502530000"},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		lc_phone_format_national(value(cases[i][0]), buf);
		UNIT_STR_EQ(buf, cases[i][1], "national format of %s", cases[i][0]);
	}
}

static void
canonical_values(void)
{
	UNIT_OK(lc_phone_is_canonical(84912345678LL), "+84912345678 is canonical");
	UNIT_OK(!lc_phone_is_canonical(841626123456LL), "old +84 162... is not canonical");
	UNIT_OK(!lc_phone_is_canonical(0) && !lc_phone_is_canonical(-5), "zero and negatives are not");
	UNIT_OK(!lc_phone_is_canonical(4402079460000LL), "+44 with its trunk 0 is not");
	UNIT_OK(lc_phone_is_canonical(442079460000LL), "+44 20 ... is");
	UNIT_OK(!lc_phone_is_canonical(1234567890123456LL), "16 digits is not");
	UNIT_OK(lc_phone_kind_of(84838234567LL) == LC_PHONE_MOBILE, "kind of +84838234567");
	UNIT_OK(lc_phone_kind_of(12) == LC_PHONE_INVALID, "kind of a non-number");
}

int
main(void)
{
	input_formats();
	old_mobile_prefixes();
	carrier_prefixes();
	landlines();
	collisions_and_history();
	service_numbers();
	foreign_numbers();
	invalid_inputs();
	formatting();
	canonical_values();
	return unit_done();
}

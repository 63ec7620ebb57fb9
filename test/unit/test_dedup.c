/* test/unit/test_dedup.c - comparison levels, weights, scores and EM of src/core/dedup.c. */
#include <math.h>

#include "unit.h"
#include "core/dedup.h"
#include "core/facebook.h"
#include "core/vn_phone.h"
#include "core/vn_text.h"

static int
names(const char *a, const char *b)
{
	lc_dd_name x,
				y;

	lc_dd_name_prepare(a, strlen(a), &x);
	lc_dd_name_prepare(b, strlen(b), &y);
	return lc_dd_compare_names(&x, &y);
}

static const char *
key(const char *s)
{
	static char out[LC_DD_NAME_KEY_MAX];
	lc_dd_name n;

	lc_dd_name_prepare(s, strlen(s), &n);
	lc_dd_name_key(&n, out);
	return out;
}

static int64_t
ph(const char *s)
{
	int64_t		v = 0;

	return lc_phone_parse(s, strlen(s), &v) == LC_PHONE_OK ? v : 0;
}

static int
phones(const char *a, const char *b, int64_t *shared)
{
	int64_t		x[1] = {ph(a)},
				y[1] = {ph(b)};

	return lc_dd_compare_phones(x, 1, y, 1, shared);
}

static int
emails(const char *a, const char *b)
{
	const char *x[1] = {a},
			   *y[1] = {b};
	size_t		xl[1] = {a ? strlen(a) : 0},
				yl[1] = {b ? strlen(b) : 0};
	int			which;

	return lc_dd_compare_emails(x, xl, 1, y, yl, 1, NULL, NULL, &which);
}

/* the e-mail level of two leads named a and b */
static int
named_emails(const char *ea, const char *na, const char *eb, const char *nb)
{
	const char *x[1] = {ea},
			   *y[1] = {eb};
	size_t		xl[1] = {strlen(ea)},
				yl[1] = {strlen(eb)};
	lc_dd_name a,
				b;
	int			which;

	lc_dd_name_prepare(na, strlen(na), &a);
	lc_dd_name_prepare(nb, strlen(nb), &b);
	return lc_dd_compare_emails(x, xl, 1, y, yl, 1, &a, &b, &which);
}

static bool
local_from(const char *local, const char *name)
{
	lc_dd_name n;

	lc_dd_name_prepare(name, strlen(name), &n);
	return lc_dd_local_from_name(local, strlen(local), &n);
}

static int
birthdays(int ya, int ma, int da, int yb, int mb, int db)
{
	lc_dd_date	a = {ya, ma, da},
				b = {yb, mb, db};

	return lc_dd_compare_birthdays(&a, &b);
}

static const char *
fb(const char *s)
{
	static char out[LC_FACEBOOK_KEY_MAX + 1];
	size_t		n = lc_facebook_key(s, strlen(s), out);

	return n ? out : "(none)";
}

int
main(void)
{
	lc_dd_params p;
	int			lev[LC_DD_NCMP];
	double		part[LC_DD_NCMP],
				w,
				common,
				rare,
				share;
	int64_t		shared;

	/* names */
	UNIT_OK(names("Nguyễn Văn An", "nguyen van an") == LC_DD_NAME_EXACT, "case and diacritics");
	UNIT_OK(names("Nguyễn Văn An", "Nguyễn Văn An") == LC_DD_NAME_EXACT, "NFD input");
	UNIT_OK(names("Nguyễn Văn An", "An Nguyen Van") == LC_DD_NAME_EXACT, "word order");
	UNIT_OK(names("Nguyễn Văn An", "Van An Nguyen") == LC_DD_NAME_EXACT, "western order");
	UNIT_OK(names("Nguyễn Văn An", "An Nguyen") == LC_DD_NAME_NO_MIDDLE, "middle name missing, western");
	UNIT_OK(names("Trần Thị Mai", "Trần Mai") == LC_DD_NAME_NO_MIDDLE, "middle name missing");
	UNIT_OK(names("Phạm Thị Hương Giang", "Phạm Hương Giang") == LC_DD_NAME_NO_MIDDLE, "one of two middle names missing");
	UNIT_OK(names("Hoàng Văn Nam", "Huỳnh Văn Nam") == LC_DD_NAME_CLOSE, "Hoàng/Huỳnh");
	UNIT_OK(names("Vũ Thị Lan", "Võ Thị Lan") == LC_DD_NAME_CLOSE, "Vũ/Võ");
	UNIT_OK(names("Nguyễn Văn Thắng", "Nguyen Van Thang") == LC_DD_NAME_EXACT, "folded");
	UNIT_OK(names("Nguyễn Văn Thắng", "Nguyen Van Thnag") == LC_DD_NAME_CLOSE, "swapped letters in the given name");
	UNIT_OK(names("Nguyễn Văn Cường", "Nguyen Van Cuong") == LC_DD_NAME_EXACT, "folded ư ờ");
	UNIT_OK(names("Nguyễn Văn Cường", "Nguyen Van Cuongg") == LC_DD_NAME_CLOSE, "doubled letter");
	UNIT_OK(names("Nguyễn Văn An", "Nguyễn Hữu An") == LC_DD_NAME_OTHER_MIDDLE, "different middle names");
	UNIT_OK(names("Lê Văn Dũng", "Lê Văn Tùng") == LC_DD_NAME_DIFFERENT, "a replaced letter in a short syllable is another name");
	UNIT_OK(names("Nguyễn Văn Phương", "Nguyen Van Phuong") == LC_DD_NAME_EXACT, "folded ư ơ");
	UNIT_OK(names("Nguyễn Văn Phương", "Nguyễn Văn Phuong") == LC_DD_NAME_CLOSE, "one word without its marks in an accented name");
	UNIT_OK(names("Trần Thị Nguyệt", "Trần Thị Nguyêt") == LC_DD_NAME_CLOSE, "tone mark lost");
	UNIT_OK(names("Nguyễn Văn Anh", "Nguyễn Văn Ánh") == LC_DD_NAME_CLOSE, "Anh and Ánh fold alike but differ");
	UNIT_OK(names("Nguyễn Anh", "Nguyễn Diệu Ánh") != LC_DD_NAME_NO_MIDDLE, "no missing middle name when the given names differ in tone");
	UNIT_OK(names("Nguyễn Văn Hòa", "Nguyễn Văn Hoà") == LC_DD_NAME_EXACT, "tone mark style");
	UNIT_OK(names("Nguyễn Văn Hòa", "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Ho\xcc\x80" "a") == LC_DD_NAME_EXACT, "NFD");
	UNIT_OK(names("Nguyễn Văn An", "Nguyeenx Vawn An") == LC_DD_NAME_EXACT, "Telex residue decoded");
	UNIT_OK(names("Nguyễn Văn An", "NGUYEENX VAWN AN") == LC_DD_NAME_EXACT, "Telex residue in capitals");
	UNIT_OK(names("Nguyễn Văn Lâm", "Nguyễn Văn Lm") == LC_DD_NAME_CLOSE, "a vowel left out: no syllable, a typo");
	UNIT_OK(names("Nguyễn Thị Hồng", "Nguyễn Thị Hương") == LC_DD_NAME_DIFFERENT, "Hồng and Hương are two names");
	UNIT_OK(names("Trần Văn An", "Trần Văn Anh") == LC_DD_NAME_DIFFERENT, "An and Anh are two names");
	UNIT_OK(names("Trần Thị Nguyệt", "Trần Thị Nguyxt") == LC_DD_NAME_CLOSE, "a replaced letter in a long word is a typo");
	UNIT_OK(names("Nguyễn Văn Thắng", "Nguyen Van Thag") == LC_DD_NAME_CLOSE, "a letter left out");
	UNIT_OK(names("Nguyễn Văn An", "Trần Văn An") == LC_DD_NAME_GIVEN_ONLY, "only the given name");
	UNIT_OK(names("Nguyễn Văn An", "Nguyễn Văn Bình") == LC_DD_NAME_DIFFERENT, "different given names");
	UNIT_OK(names("Nguyễn An", "Nguyễn An Khang") != LC_DD_NAME_NO_MIDDLE, "a longer given name is no missing middle");
	UNIT_OK(names("", "Nguyễn An") == LC_DD_NULL, "empty name is null");
	UNIT_OK(names("Lê Văn Tám", "Lê Văn Tâm") == LC_DD_NAME_CLOSE, "Tám and Tâm fold alike but differ");
	UNIT_OK(names("Le Van Tam", "Lê Văn Tâm") == LC_DD_NAME_EXACT, "no diacritics on one side: folded words compared");
	UNIT_OK(names("Nguyễn Ánh Huyền", "Nguyễn Ánh Huyn") == LC_DD_NAME_CLOSE, "a letter left out leaves no Vietnamese word: a typo");
	UNIT_OK(names("Phan Thùy Uyên", "Phan Thuy Uyn") == LC_DD_NAME_CLOSE, "Uyn is no word");
	UNIT_OK(names("Nguyễn Ánh Hạnh", "Nuyễn Ánh Hạnh") == LC_DD_NAME_CLOSE, "a typo in the family name");
	UNIT_OK(names("Nguyễn Quang", "Nguyn Quang") == LC_DD_NAME_CLOSE, "Nguyn is a typo of Nguyễn");
	UNIT_OK(names("Hà Văn Nam", "Hồ Văn Nam") == LC_DD_NAME_GIVEN_ONLY, "Hà and Hồ are two family names");
	UNIT_OK(names("Đinh Công Trung", "ĐINH CÔNG TURNG") == LC_DD_NAME_CLOSE, "Turng decodes as Telex (Tủng) but is Trung mistyped");
	UNIT_OK(names("Nguyễn Bích Trinh", "Nguyen Bich Tirnh") == LC_DD_NAME_CLOSE, "Tirnh: Telex Tỉnh, or Trinh with two letters swapped");
	UNIT_OK(names("Nguyễn Văn Tủng", "Nguyen Van Turng") == LC_DD_NAME_EXACT, "Telex still decoded");
	UNIT_OK(names("Hồ Thanh Quang", "HỒ TANH QUANG") == LC_DD_NAME_CLOSE, "a typo in the middle name, even one that makes a word");
	UNIT_OK(names("Trần Thị Hường", "Trần Tị Hường") == LC_DD_NAME_CLOSE, "Thị typed Tị");
	UNIT_OK(names("Trần Quỳnh Lệ", "Lệ Trần") == LC_DD_NAME_NO_MIDDLE, "two words read family-first the other way (Lê is a family name too)");
	UNIT_OK(names("Châu Hải Tuấn", "TUẤN CHÂU") == LC_DD_NAME_NO_MIDDLE, "western order of a two-word name");
	UNIT_OK(names("Châu Hải Tuấn", "Hải Châu") != LC_DD_NAME_NO_MIDDLE, "the middle and family name are no family and given name");
	UNIT_STR_EQ(key("Nguyễn Văn An"), "nguyen an", "name key");
	UNIT_STR_EQ(key("An Nguyen"), "nguyen an", "name key western order");
	UNIT_STR_EQ(key("Huỳnh Văn Nam"), "hoang nam", "name key Huỳnh -> hoang");
	UNIT_STR_EQ(key("Vũ Thị Lan"), "vo lan", "name key Vũ -> vo");
	UNIT_STR_EQ(key("Võ Thị Lan"), "vo lan", "name key Võ -> vo");
	UNIT_STR_EQ(key("   "), "", "name key of nothing");
	{
		char		fk[LC_DD_NAME_KEY_MAX];
		lc_dd_name n;

		lc_dd_name_prepare("Văn An Nguyễn", strlen("Văn An Nguyễn"), &n);
		lc_dd_name_full_key(&n, fk);
		UNIT_STR_EQ(fk, "nguyen van an", "full key in Vietnamese order");
		lc_dd_name_prepare("Huỳnh Thị Mai", strlen("Huỳnh Thị Mai"), &n);
		lc_dd_name_full_key(&n, fk);
		UNIT_STR_EQ(fk, "hoang thi mai", "full key with the family key");
	}
	UNIT_OK(names("Nguyễn Thảo Thúy", "Thao Thuy Ngyen") == LC_DD_NAME_CLOSE, "mistyped family name in western order");

	/* string measures */
	UNIT_OK(fabs(lc_dd_jaro_winkler("martha", 6, "marhta", 6) - 0.9611) < 0.001, "Jaro-Winkler martha/marhta");
	UNIT_OK(lc_dd_jaro_winkler("abc", 3, "xyz", 3) == 0.0, "Jaro-Winkler nothing in common");
	UNIT_OK(lc_edit_distance("thang", 5, "thnag", 5, 2) == 1, "Damerau transposition");
	UNIT_OK(lc_edit_distance("abcdef", 6, "azcdxf", 6, 1) == 2, "Damerau capped");

	/* phones */
	UNIT_OK(phones("0912 345 678", "+84912345678", &shared) == LC_DD_PHONE_SAME_MOBILE &&
			shared == 84912345678LL, "same mobile in two formats");
	UNIT_OK(phones("01623456789", "0323456789", &shared) == LC_DD_PHONE_SAME_MOBILE, "old 11-digit mobile");
	UNIT_OK(phones("024 3825 1234", "(024) 38251234", &shared) == LC_DD_PHONE_SAME_OTHER, "shared landline is weaker");
	UNIT_OK(phones("0912345678", "0912345679", &shared) == LC_DD_PHONE_ONE_DIGIT, "one digit apart");
	UNIT_OK(phones("0912345678", "0912345687", &shared) == LC_DD_PHONE_ONE_DIGIT, "two digits swapped");
	UNIT_OK(phones("0912345678", "0983456789", &shared) == LC_DD_PHONE_DIFFERENT, "different phones");
	UNIT_OK(phones("", "0983456789", &shared) == LC_DD_NULL, "missing phone is null");
	{
		int64_t		a[2] = {ph("0912345678"), ph("0983456789")},
					b[1] = {ph("0983456789")};

		UNIT_OK(lc_dd_compare_phones(a, 2, b, 1, &shared) == LC_DD_PHONE_SAME_MOBILE &&
				shared == b[0], "alternate phone agrees");
	}

	/* e-mails (keys), companies (keys), provinces */
	UNIT_OK(emails("annguyen@gmail.com", "annguyen@gmail.com") == LC_DD_EMAIL_SAME, "same e-mail key");
	UNIT_OK(emails("annguyen@gmail.com", "annguyen@yahoo.com") == LC_DD_EMAIL_SAME_LOCAL, "same local part elsewhere");
	UNIT_OK(emails("info@abc.vn", "info@xyz.vn") == LC_DD_EMAIL_DIFFERENT, "role mailbox is no evidence");
	UNIT_OK(emails("a@b.vn", NULL) == LC_DD_NULL, "missing e-mail is null");
	UNIT_OK(local_from("ngannt", "Nguyễn Thị Ngân"), "ngannt: given name and initials");
	UNIT_OK(local_from("nguyenvanan", "Nguyễn Văn An"), "the whole name");
	UNIT_OK(local_from("an.nguyen", "Nguyễn Văn An"), "given and family name with a dot");
	UNIT_OK(local_from("nva", "Nguyễn Văn An"), "initials");
	UNIT_OK(!local_from("ngannt1990", "Nguyễn Thị Ngân"), "digits are the person's own");
	UNIT_OK(!local_from("nganxinh", "Nguyễn Thị Ngân"), "a word of one's own");
	UNIT_OK(!local_from("annn", "Nguyễn An"), "each word once");
	UNIT_OK(!local_from("", "Nguyễn An") && !local_from("an", ""), "nothing to spell");
	UNIT_OK(named_emails("ngannt@gmail.com", "Nguyễn Thị Ngân", "ngannt@yahoo.com", "Nguyễn Thị Ngân") ==
			LC_DD_EMAIL_DIFFERENT, "namesakes get the same spelled-out name at two providers");
	UNIT_OK(named_emails("ngan.bds@gmail.com", "Nguyễn Thị Ngân", "ngan.bds@yahoo.com", "Nguyễn Ngân") ==
			LC_DD_EMAIL_SAME_LOCAL, "a local part of one's own counts at another provider");
	UNIT_OK(named_emails("ngannt@gmail.com", "Nguyễn Thị Ngân", "ngannt@gmail.com", "Nguyễn Ngân") ==
			LC_DD_EMAIL_SAME, "the same mailbox always counts");
	UNIT_OK(lc_dd_compare_companies("minh phat", 9, "minh phat", 9) == LC_DD_COMPANY_SAME, "same company");
	UNIT_OK(lc_dd_compare_companies("minh phat", 9, "minh phta", 9) == LC_DD_COMPANY_SIMILAR, "similar company");
	UNIT_OK(lc_dd_compare_companies("minh phat", 9, "hoang long", 10) == LC_DD_COMPANY_DIFFERENT, "other company");
	UNIT_OK(lc_dd_compare_provinces("Huế", 5, "", 0) == LC_DD_NULL, "missing province");

	/* birthdays */
	UNIT_OK(birthdays(1990, 5, 12, 1990, 5, 12) == LC_DD_BIRTHDAY_SAME, "same birthday");
	UNIT_OK(birthdays(1990, 5, 12, 1990, 12, 5) == LC_DD_BIRTHDAY_CLOSE, "day and month swapped");
	UNIT_OK(birthdays(1990, 11, 7, 1990, 7, 11) == LC_DD_BIRTHDAY_CLOSE, "07/11 typed as 11/07");
	UNIT_OK(birthdays(1990, 5, 12, 1991, 12, 5) == LC_DD_BIRTHDAY_DIFFERENT, "swapped but another year");
	UNIT_OK(birthdays(1990, 5, 12, 1990, 5, 17) == LC_DD_BIRTHDAY_CLOSE, "one digit of the day mistyped");
	UNIT_OK(birthdays(1990, 5, 12, 1980, 5, 12) == LC_DD_BIRTHDAY_CLOSE, "one digit of the year mistyped");
	UNIT_OK(birthdays(1990, 5, 12, 1990, 8, 12) == LC_DD_BIRTHDAY_CLOSE, "one digit of the month mistyped");
	UNIT_OK(birthdays(1990, 5, 12, 1990, 5, 21) == LC_DD_BIRTHDAY_DIFFERENT, "two digits of the day is another date");
	UNIT_OK(birthdays(1990, 5, 12, 1985, 3, 27) == LC_DD_BIRTHDAY_DIFFERENT, "different birthdays");
	UNIT_OK(birthdays(1900, 5, 12, 1990, 5, 12) == LC_DD_BIRTHDAY_CLOSE, "placeholder year: same day and month");
	UNIT_OK(birthdays(1900, 5, 12, 1900, 5, 12) == LC_DD_BIRTHDAY_CLOSE, "no year on either side: not the same date");
	UNIT_OK(birthdays(1900, 5, 12, 1990, 5, 13) == LC_DD_BIRTHDAY_DIFFERENT, "placeholder year: another day");
	UNIT_OK(birthdays(1990, 0, 0, 1990, 5, 12) == LC_DD_NULL, "no birthday is null");
	UNIT_OK(lc_dd_compare_birthdays(NULL, NULL) == LC_DD_NULL, "null pointers are null");
	UNIT_OK(birthdays(200000, 1, 1, 200000, 1, 2) == LC_DD_BIRTHDAY_DIFFERENT, "years past 9999 compared whole");

	/* Facebook profile keys */
	UNIT_STR_EQ(fb("https://www.facebook.com/nguyen.van.an"), "nguyenvanan", "link with www");
	UNIT_STR_EQ(fb("https://m.facebook.com/Nguyen.Van.An/?ref=bookmarks"), "nguyenvanan",
				"mobile link, case, trailing slash, query");
	UNIT_STR_EQ(fb("fb.com/nguyenvanan"), "nguyenvanan", "fb.com without scheme");
	UNIT_STR_EQ(fb("http://facebook.com/profile.php?id=100012345678901&sk=about"), "100012345678901",
				"profile.php?id=");
	UNIT_STR_EQ(fb("https://web.facebook.com/profile.php?ref=x&id=100012345678901#top"), "100012345678901",
				"id after another parameter");
	UNIT_STR_EQ(fb("https://www.facebook.com/people/Nguyen-Van-An/100012345678901/"), "100012345678901",
				"/people/<name>/<id>");
	UNIT_STR_EQ(fb("  @Nguyen.Van.An "), "nguyenvanan", "bare username with @");
	UNIT_STR_EQ(fb("100012345678901"), "100012345678901", "bare id");
	UNIT_STR_EQ(fb("<https://vi-vn.facebook.com/hoa.tran.99>"), "hoatran99", "language subdomain, angle brackets");
	UNIT_STR_EQ(fb("Nguyễn Văn An"), "(none)", "a display name is no profile");
	UNIT_STR_EQ(fb("0912345678"), "(none)", "a phone is no profile");
	UNIT_STR_EQ(fb("https://www.facebook.com/groups/123456789"), "(none)", "a group is no profile");
	UNIT_STR_EQ(fb("https://zalo.me/0912345678"), "(none)", "another site");
	UNIT_STR_EQ(fb("https://notfacebook.com/nguyenvanan"), "(none)", "a look-alike host");
	UNIT_STR_EQ(fb("facebook.com/profile.php"), "(none)", "profile.php without an id");
	UNIT_STR_EQ(fb("abc"), "(none)", "shorter than a username");
	UNIT_STR_EQ(fb(""), "(none)", "empty");
	UNIT_OK(lc_facebook_key_bound(3) == 4 && lc_facebook_key_bound(1000000) == LC_FACEBOOK_KEY_MAX + 1,
			"key bound");
	UNIT_OK(lc_dd_compare_facebook("nguyenvanan", 11, "nguyenvanan", 11) == LC_DD_FACEBOOK_SAME, "same profile");
	UNIT_OK(lc_dd_compare_facebook("nguyenvanan", 11, "100012345", 9) == LC_DD_FACEBOOK_DIFFERENT, "other profile");
	UNIT_OK(lc_dd_compare_facebook(NULL, 0, "100012345", 9) == LC_DD_NULL, "no profile is null");
	UNIT_STR_EQ(lc_dd_level_name(LC_DD_BIRTHDAY, LC_DD_BIRTHDAY_CLOSE), "close", "birthday level name");
	UNIT_STR_EQ(lc_dd_comparison_name(LC_DD_FACEBOOK), "facebook", "facebook comparison name");

	/* weights: a rare name weighs more than a common one; scores are probabilities */
	lc_dd_default_params(&p);
	lev[LC_DD_NAME] = LC_DD_NAME_EXACT;
	lev[LC_DD_PHONE] = LC_DD_NULL;
	lev[LC_DD_EMAIL] = LC_DD_NULL;
	lev[LC_DD_COMPANY] = LC_DD_NULL;
	lev[LC_DD_PROVINCE] = LC_DD_PROVINCE_SAME;
	lev[LC_DD_BIRTHDAY] = LC_DD_NULL;
	lev[LC_DD_FACEBOOK] = LC_DD_NULL;
	common = lc_dd_weight(&p, lev, 500, 500, part);
	rare = lc_dd_weight(&p, lev, 1, 500, part);
	UNIT_OK(rare > common + 8, "term frequency: rare name %.1f bits, common %.1f bits", rare, common);
	UNIT_OK(lc_dd_score(&p, common) < 0.5, "a common name and province alone is no duplicate (%.3f)",
			lc_dd_score(&p, common));
	lev[LC_DD_PHONE] = LC_DD_PHONE_SAME_MOBILE;
	w = lc_dd_weight(&p, lev, 500, 500, part);
	UNIT_OK(lc_dd_score(&p, w) > 0.99, "same mobile and name is a duplicate (%.4f)", lc_dd_score(&p, w));
	UNIT_OK(part[LC_DD_PHONE] > 10 && part[LC_DD_EMAIL] == 0, "parts: phone %.1f bits, null email 0", part[LC_DD_PHONE]);
	lev[LC_DD_PHONE] = LC_DD_PHONE_SAME_OTHER;
	UNIT_OK(lc_dd_weight(&p, lev, 500, 500, part) < w, "a shared landline weighs less than a shared mobile");
	UNIT_OK(fabs(lc_dd_score(&p, lc_dd_weight_for_score(&p, 0.9)) - 0.9) < 1e-9, "weight_for_score inverts score");
	/* colleagues: a switchboard and the company name are one piece of evidence */
	lev[LC_DD_NAME] = LC_DD_NAME_DIFFERENT;
	lev[LC_DD_PHONE] = LC_DD_PHONE_SAME_OTHER;
	lev[LC_DD_COMPANY] = LC_DD_COMPANY_SAME;
	w = lc_dd_weight(&p, lev, 0, 0, part);
	UNIT_OK(part[LC_DD_COMPANY] == 0 && lc_dd_redundant(lev, LC_DD_COMPANY), "same company not counted again beside a shared landline");
	UNIT_OK(lc_dd_score(&p, w) < 0.5, "colleagues sharing the switchboard are no duplicate (%.3f)", lc_dd_score(&p, w));
	lev[LC_DD_PHONE] = LC_DD_PHONE_SAME_MOBILE;
	UNIT_OK(!lc_dd_redundant(lev, LC_DD_COMPANY), "same company counts beside a shared mobile");
	lev[LC_DD_COMPANY] = LC_DD_NULL;
	/* a family on one mobile: the shared line already places them in one province */
	lev[LC_DD_PROVINCE] = LC_DD_PROVINCE_SAME;
	w = lc_dd_weight(&p, lev, 0, 0, part);
	UNIT_OK(part[LC_DD_PROVINCE] == 0 && lc_dd_redundant(lev, LC_DD_PROVINCE),
			"same province not counted beside a shared mobile");
	UNIT_OK(lc_dd_score(&p, w) < 0.5, "a family member on one mobile is no duplicate (%.3f)", lc_dd_score(&p, w));
	lev[LC_DD_PHONE] = LC_DD_PHONE_DIFFERENT;
	lev[LC_DD_EMAIL] = LC_DD_EMAIL_SAME;
	UNIT_OK(lc_dd_redundant(lev, LC_DD_PROVINCE), "nor beside a shared mailbox");
	lev[LC_DD_EMAIL] = LC_DD_NULL;
	UNIT_OK(!lc_dd_redundant(lev, LC_DD_PROVINCE), "the province counts when no line is shared");
	lev[LC_DD_PROVINCE] = LC_DD_NULL;
	/* namesakes against a duplicate with a new phone: the birthday decides */
	lev[LC_DD_NAME] = LC_DD_NAME_EXACT;
	lev[LC_DD_PHONE] = LC_DD_PHONE_DIFFERENT;
	lev[LC_DD_PROVINCE] = LC_DD_PROVINCE_SAME;
	lev[LC_DD_BIRTHDAY] = LC_DD_BIRTHDAY_DIFFERENT;
	w = lc_dd_weight(&p, lev, 2, 2, part);
	UNIT_OK(lc_dd_score(&p, w) < 0.05 && part[LC_DD_BIRTHDAY] < -4,
			"namesakes with different birthdays are no duplicate (%.4f, birthday %.1f bits)", lc_dd_score(&p, w),
			part[LC_DD_BIRTHDAY]);
	lev[LC_DD_BIRTHDAY] = LC_DD_BIRTHDAY_SAME;
	w = lc_dd_weight(&p, lev, 2, 2, part);
	UNIT_OK(lc_dd_score(&p, w) > 0.99 && part[LC_DD_BIRTHDAY] > 12,
			"same name and birthday with a new phone is a duplicate (%.4f, birthday %.1f bits)", lc_dd_score(&p, w),
			part[LC_DD_BIRTHDAY]);
	lev[LC_DD_BIRTHDAY] = LC_DD_NULL;
	lev[LC_DD_FACEBOOK] = LC_DD_FACEBOOK_SAME;
	w = lc_dd_weight(&p, lev, 2, 2, part);
	UNIT_OK(lc_dd_score(&p, w) > 0.99, "same name and Facebook with a new phone is a duplicate (%.4f)",
			lc_dd_score(&p, w));
	lev[LC_DD_FACEBOOK] = LC_DD_FACEBOOK_DIFFERENT;
	UNIT_OK(lc_dd_weight(&p, lev, 2, 2, part) < w && part[LC_DD_FACEBOOK] < 0,
			"another Facebook is evidence against (%.1f bits)", part[LC_DD_FACEBOOK]);
	lev[LC_DD_FACEBOOK] = LC_DD_NULL;
	UNIT_OK(lc_dd_score(&p, 1e6) == 1.0 && lc_dd_score(&p, -1e6) == 0.0, "score saturates");
	UNIT_OK(fabs(lc_dd_max_part(&p, LC_DD_PHONE) - log2(0.8 / 1e-6)) < 1e-9, "max part of the phone: same mobile");
	UNIT_OK(fabs(lc_dd_max_part(&p, LC_DD_NAME) - log2(0.65 * p.lead_count)) < 1e-9, "max part of the name: a unique name");

	/* EM recovers m from a mixture of clear matches and non-matches */
	{
		lc_dd_pattern pat[3];

		memset(pat, 0, sizeof(pat));
		for (int k = 0; k < 3; k++)
			pat[k].level[LC_DD_BIRTHDAY] = pat[k].level[LC_DD_FACEBOOK] = LC_DD_NULL;
		/* 100 matches: same everything */
		pat[0].level[0] = 0, pat[0].level[1] = 0, pat[0].level[2] = 0, pat[0].level[3] = LC_DD_NULL, pat[0].level[4] = 0;
		pat[0].count = 90;
		pat[1].level[0] = 1, pat[1].level[1] = 0, pat[1].level[2] = 2, pat[1].level[3] = LC_DD_NULL, pat[1].level[4] = 0;
		pat[1].count = 10;
		/* 900 non-matches: same name key, different everything */
		pat[2].level[0] = 5, pat[2].level[1] = 3, pat[2].level[2] = 2, pat[2].level[3] = LC_DD_NULL, pat[2].level[4] = 1;
		pat[2].count = 900;
		lc_dd_default_params(&p);
		UNIT_OK(lc_dd_em(pat, 3, &p, 200, 0, &share) > 1, "EM iterates");
		UNIT_OK(fabs(share - 0.1) < 0.01, "EM match share %.4f", share);
		UNIT_OK(fabs(p.m[LC_DD_PHONE][0] - 1.0) < 0.01 && fabs(p.m[LC_DD_NAME][0] - 0.9) < 0.02,
				"EM m: phone same %.3f, name exact %.3f", p.m[LC_DD_PHONE][0], p.m[LC_DD_NAME][0]);
	}
	/* EM with u of random pairs fixed: m and the share of matches among candidates */
	{
		lc_dd_pattern pat[3];
		int			c;

		memset(pat, 0, sizeof(pat));
		for (int k = 0; k < 3; k++)
			for (c = 0; c < LC_DD_NCMP; c++)
				pat[k].level[c] = LC_DD_NULL;
		pat[0].level[LC_DD_NAME] = LC_DD_NAME_EXACT, pat[0].level[LC_DD_PHONE] = LC_DD_PHONE_SAME_MOBILE;
		pat[0].count = 80;
		pat[1].level[LC_DD_NAME] = LC_DD_NAME_NO_MIDDLE, pat[1].level[LC_DD_PHONE] = LC_DD_PHONE_SAME_MOBILE;
		pat[1].count = 20;
		/* a family on one mobile: random pairs almost never share one, but their names differ */
		pat[2].level[LC_DD_NAME] = LC_DD_NAME_DIFFERENT, pat[2].level[LC_DD_PHONE] = LC_DD_PHONE_SAME_MOBILE;
		pat[2].count = 30;
		lc_dd_default_params(&p);
		UNIT_OK(lc_dd_em(pat, 3, &p, 200, 1e8, &share) > 1, "EM with fixed u iterates");
		UNIT_OK(fabs(share - 100.0 / 130) < 0.02, "families are no matches: share %.4f", share);
		UNIT_OK(fabs(p.m[LC_DD_NAME][LC_DD_NAME_EXACT] - 0.8) < 0.02 && p.m[LC_DD_NAME][LC_DD_NAME_DIFFERENT] < 0.01,
				"EM m: name exact %.3f, different %.4f", p.m[LC_DD_NAME][LC_DD_NAME_EXACT],
				p.m[LC_DD_NAME][LC_DD_NAME_DIFFERENT]);
		UNIT_OK(p.u[LC_DD_NAME][LC_DD_NAME_EXACT] == 2e-4, "u untouched");
	}
	{
		double		cnt[LC_DD_NCMP][LC_DD_NLEV] = {{0}};

		cnt[LC_DD_PROVINCE][0] = 9;
		cnt[LC_DD_PROVINCE][1] = 89;
		lc_dd_set_u(&p, cnt);
		UNIT_OK(fabs(p.u[LC_DD_PROVINCE][0] - 0.1) < 1e-9, "u from sample counts, smoothed");
	}
	return unit_done();
}

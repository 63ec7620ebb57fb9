/* test/unit/test_search.c - the search core: reading queries (phone, e-mail,
 * Telex, VNI, company), typo corrections, index keys and the ranking order. */
#include "unit.h"
#include "core/vn_search.h"
#include "core/vn_text.h"

#include <math.h>

static lc_search_query q;
static char work[1 << 16];

static const char *
sig(const char *s)
{
	static char out[4][256];
	static int	next;

	next = (next + 1) % 4;
	lc_search_signature(s, strlen(s), out[next]);
	return out[next];
}

/* the folded words of reading r, "|"-separated, with the kind in front */
static const char *
reading(int r)
{
	static char out[512];
	static const char *const kinds[] = {"typed", "telex", "vni", "company"};
	size_t		o;
	int			i;

	if (r >= q.nreadings)
		return "(none)";
	o = (size_t) snprintf(out, sizeof(out), "%s:", kinds[q.readings[r].kind]);
	for (i = 0; i < q.readings[r].nwords; i++)
		o += (size_t) snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "",
							   q.readings[r].words[i].fold);
	return out;
}

static lc_search_status
parse(const char *s)
{
	return lc_search_parse(s, strlen(s), &q);
}

static bool
has_phone(lc_search_phone_kind kind, int64_t lo, int64_t hi, const char *digits)
{
	int			i;

	for (i = 0; i < q.nphones; i++)
		if (q.phones[i].kind == kind && q.phones[i].lo == lo && q.phones[i].hi == hi &&
			(!digits || strcmp(q.phones[i].digits, digits) == 0))
			return true;
	return false;
}

static bool
has_email(bool exact, const char *text)
{
	int			i;

	for (i = 0; i < q.nemails; i++)
		if (q.emails[i].exact == exact && strcmp(q.emails[i].text, text) == 0)
			return true;
	return false;
}

static float
score(const char *query, const char *name, const char *company, int64_t phone,
	  const char *email)
{
	lc_search_candidate c = {name, strlen(name), company, company ? strlen(company) : 0,
	NULL, 0, phone, NULL, 0, email, email ? strlen(email) : 0};
	lc_search_result r;

	parse(query);
	lc_search_score(&q, &c, work, &r);
	return r.score;
}

static unsigned
matched(const char *query, const char *name, const char *company)
{
	lc_search_candidate c = {name, strlen(name), company, company ? strlen(company) : 0,
	NULL, 0, 0, NULL, 0, NULL, 0};
	lc_search_result r;

	parse(query);
	lc_search_score(&q, &c, work, &r);
	return r.matched;
}

/* keys as one string, "," between */
static const char *
keys_string(const char *keys, size_t n)
{
	static char out[1 << 17];
	size_t		o = 0,
				i;

	out[0] = '\0';
	for (i = 0; i < n && o < sizeof(out); i++)
	{
		size_t		l = strlen(keys);

		o += (size_t) snprintf(out + o, sizeof(out) - o, "%s%s", i ? "," : "", keys);
		keys += l + 1;
	}
	return out;
}

static void
test_signature(void)
{
	UNIT_STR_EQ(sig("Nguyễn"), "nguyeen4", "signature of Nguyễn");
	UNIT_STR_EQ(sig("Đặng"), "ddawng5", "signature of Đặng");
	UNIT_STR_EQ(sig("Hòa"), sig("Hoà"), "old and new tone style sign alike");
	UNIT_STR_EQ(sig("Ho\xcc\x80" "a"), sig("Hòa"), "NFD signs like NFC");
	UNIT_STR_EQ(sig("Hoa\xcc\x80"), sig("Hòa"), "NFD with the mark on the other vowel");
	UNIT_STR_EQ(sig("Nguye\xcc\x82\xcc\x83n"), "nguyeen4", "NFD circumflex and tilde");
	UNIT_STR_EQ(sig("nguy\xc3\xaa\xcc\x83n"), "nguyeen4", "cp1258 style ê + combining tilde");
	UNIT_OK(strcmp(sig("Hòa"), sig("Hóa")) != 0, "Hòa and Hóa differ");
	UNIT_STR_EQ(sig("\xc3\x90\xe1\xba\xb7ng"), "ddawng5", "ETH is read as Đ");
	UNIT_STR_EQ(sig("AN"), "an", "no diacritics: lower case letters");
	UNIT_STR_EQ(sig("Trường"), "truwowng2", "ươ");
}

static void
test_edits(void)
{
	char		corr[LC_SEARCH_CORRECTIONS][LC_SEARCH_WORD_BYTES + 1];
	size_t		n,
				i;
	bool		found = false;

	UNIT_OK(lc_edit_distance("van", 3, "vna", 3, 1) == 1, "transposition is one edit");
	UNIT_OK(lc_edit_distance("an", 2, "anh", 3, 1) == 1, "insertion is one edit");
	UNIT_OK(lc_edit_distance("nguyen", 6, "ngyuen", 6, 2) == 1, "ngyuen");
	UNIT_OK(lc_edit_distance("hoa", 3, "hoa", 3, 1) == 0, "equal");
	UNIT_OK(lc_edit_distance("hoa", 3, "xyz", 3, 1) == 2, "more than max is max + 1");
	UNIT_OK(lc_edit_distance("abcd", 4, "ab", 2, 1) == 2, "length difference alone");

	n = lc_search_corrections("ngyuen", 6, corr, LC_SEARCH_CORRECTIONS);
	UNIT_OK(n >= 1 && strcmp(corr[0], "nguyen") == 0, "ngyuen -> nguyen first (%zu)", n);
	n = lc_search_corrections("vna", 3, corr, LC_SEARCH_CORRECTIONS);
	for (i = 0; i < n; i++)
		found |= strcmp(corr[i], "van") == 0;
	UNIT_OK(found && strcmp(corr[0], "van") == 0, "vna -> van (transposition first)");
	n = lc_search_corrections("an", 2, corr, LC_SEARCH_CORRECTIONS);
	found = false;
	for (i = 0; i < n; i++)
		found |= strcmp(corr[i], "an") == 0;
	UNIT_OK(n > 5 && !found, "an has corrections, not itself (%zu)", n);
	UNIT_OK(lc_search_corrections("an", 2, corr, 3) == 3, "at most max corrections");
	UNIT_OK(lc_search_corrections("Nguyen", 6, corr, 3) == 0, "only folded letters are corrected");
	UNIT_OK(lc_search_corrections("", 0, corr, 3) == 0, "empty word");
	UNIT_OK(lc_search_is_syllable("nguyen", 6) && lc_search_is_syllable("vy", 2) &&
			!lc_search_is_syllable("nguyeenx", 8) && !lc_search_is_syllable("vawn", 4),
			"lexicon: nguyen, vy; not nguyeenx, vawn");
}

static void
test_parse(void)
{
	char		big[LC_SEARCH_MAX_BYTES + 2];

	UNIT_OK(parse("") == LC_SEARCH_EMPTY, "empty query");
	UNIT_OK(parse("   \t ") == LC_SEARCH_EMPTY, "white space");
	UNIT_OK(parse(" ,.;!?- ") == LC_SEARCH_EMPTY, "punctuation only");
	UNIT_OK(parse("\xe2\x80\x94 \xe2\x80\x9c\xe2\x80\x9d") == LC_SEARCH_EMPTY, "dashes and quotes");
	UNIT_OK(parse("12") == LC_SEARCH_EMPTY, "two digits are no phone");
	UNIT_OK(parse("\xcc\x80") == LC_SEARCH_EMPTY, "a lone combining mark");
	memset(big, 'a', sizeof(big));
	UNIT_OK(lc_search_parse(big, LC_SEARCH_MAX_BYTES + 1, &q) == LC_SEARCH_TOO_LONG &&
			q.nreadings == 0, "too long");
	UNIT_OK(lc_search_parse(big, LC_SEARCH_MAX_BYTES, &q) == LC_SEARCH_OK, "at the limit");

	UNIT_OK(parse("  Nguyễn   VĂN  an ") == LC_SEARCH_OK, "a name");
	UNIT_STR_EQ(reading(0), "typed:nguyen van an", "typed words folded");
	UNIT_STR_EQ(q.readings[0].words[0].sig, "nguyeen4", "diacritics kept as a signature");
	UNIT_STR_EQ(q.readings[0].words[2].sig, "an", "in a query with diacritics a plain word has none");
	parse("nguyen van an");
	UNIT_STR_EQ(q.readings[0].words[2].sig, "", "a query without any: unknown");
	UNIT_OK(score("Le Thanh Nguyen", "Lê Thanh Nguyên", NULL, 0, NULL) ==
			score("Le Thanh Nguyen", "Nguyễn Thanh Lệ", NULL, 0, NULL),
			"Le Thanh Nguyen: Lê Thanh Nguyên as much as Nguyễn Thanh Lệ written the Western way");
	UNIT_OK(q.nreadings == 1 && q.nphones == 0 && q.nemails == 0, "one reading, nothing else");

	parse("nguyeenx vawn an");
	UNIT_STR_EQ(reading(1), "telex:nguyen van an", "Telex decoded");
	UNIT_STR_EQ(q.readings[1].words[1].sig, "vawn", "decoded diacritics: văn");
	parse("NGUYEENX VAWN AN");
	UNIT_STR_EQ(reading(1), "telex:nguyen van an", "Telex in capitals");
	parse("nguye6n4 va8n an");
	UNIT_STR_EQ(reading(1), "vni:nguyen van an", "VNI decoded");
	UNIT_STR_EQ(q.readings[1].words[0].sig, "nguyeen4", "VNI diacritics");
	parse("Nguyen Van An");
	UNIT_OK(q.nreadings == 1, "plain words have no Telex reading");

	parse("Công ty TNHH TM Minh Phát");
	UNIT_STR_EQ(reading(1), "company:thuong mai minh phat", "company key of the query");

	parse("0912 345");
	UNIT_OK(q.nreadings == 0 && has_phone(LC_SEARCH_PHONE_PREFIX, 84912345000LL, 84912346000LL, NULL),
			"0912 345: prefix of 11-digit numbers");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_PREFIX, 849123450000LL, 849123460000LL, NULL),
			"0912 345: and of 12-digit ones");
	parse("345678");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_SUFFIX, 0, 0, "345678") && q.nphones == 1,
			"345678: the end of a number only");
	parse("+84 912");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_PREFIX, 84912000000LL, 84913000000LL, NULL),
			"+84 912: international prefix");
	parse("(+84) 0912-345");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_PREFIX, 84912345000LL, 84912346000LL, NULL),
			"+84 0912: the stray trunk 0");
	parse("0162 345 6789");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_FULL, 84323456789LL, 84323456790LL, NULL),
			"old 11-digit number: its current number");
	parse("0162 345");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_PREFIX, 84323450000LL, 84323460000LL, NULL),
			"old prefix fragment: the new prefix");
	parse("0084 912 345");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_PREFIX, 84912345000LL, 84912346000LL, NULL), "0084 prefix");
	parse("An 0912 345 678");
	UNIT_OK(has_phone(LC_SEARCH_PHONE_FULL, 84912345678LL, 84912345679LL, NULL) &&
			strcmp(reading(0), "typed:an") == 0, "a name and a number");
	parse("1234567890123456789");
	UNIT_OK(q.nphones == 0, "more digits than a number");

	parse("An.Nguyen@Gmail.com");
	UNIT_OK(has_email(true, "annguyen@gmail.com") && has_email(false, "an.nguyen@gmail.com"),
			"whole e-mail: its key, and the typed text as a prefix");
	UNIT_OK(q.nreadings == 0, "an e-mail has no name reading");
	parse("an.nguyen@gm");
	UNIT_OK(has_email(false, "an.nguyen@gm") && has_email(false, "annguyen@gm") &&
			!has_email(true, "annguyen@gm"), "start of a gmail address: both forms");
	parse("annguyen");
	UNIT_OK(has_email(false, "annguyen") && q.email_is_alternative && q.nreadings == 1,
			"one token: name word or start of an e-mail");
	parse("an nguyen");
	UNIT_OK(q.nemails == 0, "two words are not an e-mail");
	parse("<mailto:AN@fpt.vn>");
	UNIT_OK(has_email(true, "an@fpt.vn"), "mailto and brackets");
}

static void
test_keys(void)
{
	char		keys[LC_SEARCH_KEYS_BYTES];
	char		fk[900 * LC_SEARCH_FULL_KEY_BYTES];
	size_t		groups[LC_SEARCH_WORDS];
	size_t		n;
	int			g;

	n = lc_search_doc_keys(7, "nguyen van an", 13, "minh phat", 9, keys);
	UNIT_STR_EQ(keys_string(keys, n),
				"7:nguyen,7:van,7:an,7:minh,7:phat,7:n:nguyen van,7:n:an nguyen,7:n:an van,"
				"7:x:an minh,7:x:an phat,7:c:minh phat,7:f:an nguyen van",
				"doc keys: words, name pairs, given name x company, company neighbours");
	n = lc_search_doc_keys(-3, "le thi le", 9, NULL, 0, keys);
	UNIT_STR_EQ(keys_string(keys, n), "-3:le,-3:thi,-3:le,-3:n:le thi,-3:n:le le,-3:n:le thi,-3:f:le le thi",
				"a repeated word pairs with itself");
	parse("Nguyễn Thu Thư");
	n = lc_search_exact_keys(&q.readings[0], 1, LC_KEY_NAME, keys);
	UNIT_STR_EQ(keys_string(keys, n), "1:n:nguyen thu,1:n:thu thu", "Thu Thư: the same folded word twice");
	n = lc_search_doc_keys(1, "tran-le (bé)", 12, "", 0, keys);
	UNIT_STR_EQ(keys_string(keys, n), "1:tran,1:le,1:bé,1:n:le tran,1:n:bé tran,1:n:bé le,1:f:bé le tran",
				"punctuation splits words");
	n = lc_search_doc_keys(1, NULL, 0, NULL, 0, keys);
	UNIT_OK(n == 0, "no name, no keys");

	parse("An Nguyen");
	n = lc_search_exact_keys(&q.readings[0], 1, LC_KEY_NAME, keys);
	UNIT_STR_EQ(keys_string(keys, n), "1:n:an nguyen", "Western order: the same pair");
	parse("nguyen van an");
	n = lc_search_exact_keys(&q.readings[0], 1, LC_KEY_NAME, keys);
	UNIT_STR_EQ(keys_string(keys, n), "1:n:nguyen van,1:n:an van", "neighbouring pairs");
	lc_search_full_key(&q.readings[0], 1, keys);
	UNIT_STR_EQ(keys, "1:f:an nguyen van", "the whole name, any order");
	parse("lan");
	n = lc_search_exact_keys(&q.readings[0], 1, LC_KEY_COMPANY, keys);
	UNIT_STR_EQ(keys_string(keys, n), "1:lan", "one word: the word, whatever the field");
	parse("nguyen an minh phat");
	n = lc_search_split_keys(&q.readings[0], 1, 2, false, keys);
	UNIT_STR_EQ(keys_string(keys, n), "1:n:an nguyen,1:x:an minh,1:c:minh phat",
				"name | company: name pairs, the given name with the company, company pairs");
	parse("minh phat an");
	n = lc_search_split_keys(&q.readings[0], 1, 2, true, keys);
	UNIT_STR_EQ(keys_string(keys, n), "1:c:minh phat,1:x:an phat", "company | name");
	UNIT_OK(lc_search_split_keys(&q.readings[0], 1, 3, false, keys) == 0 &&
			lc_search_split_keys(&q.readings[0], 1, 0, false, keys) == 0, "split outside the words");

	parse("ngyuen vna an");
	g = lc_search_fuzzy_keys(&q.readings[0], 1, NULL, 900, fk, groups);
	UNIT_OK(g == 2 && groups[0] + groups[1] <= 900, "two groups within budget (%d)", g);
	UNIT_OK(strstr(keys_string(fk, groups[0] + groups[1]), "1:n:nguyen van") != NULL &&
			strstr(keys_string(fk, groups[0] + groups[1]), "1:n:an van") != NULL,
			"corrected pairs are among the keys");
	g = lc_search_fuzzy_keys(&q.readings[0], 1, NULL, 30, fk, groups);
	UNIT_OK(g == 2 && groups[0] + groups[1] <= 30, "trimmed to a small budget");
	{
		static const char *const words[] = {"gia", "hoang"};
		static const float share[] = {0.01f, 0.05f};
		lc_search_vocabulary v = {words, share, 2};

		parse("hoan gi");
		g = lc_search_fuzzy_keys(&q.readings[0], 1, &v, 3, fk, groups);
		UNIT_STR_EQ(keys_string(fk, groups[0]), "1:n:gi hoan,1:x:gi hoan,1:c:gi hoan",
					"tight budget: the words as typed");
		g = lc_search_fuzzy_keys(&q.readings[0], 1, &v, 12, fk, groups);
		UNIT_OK(strstr(keys_string(fk, groups[0]), "1:n:gia hoang") != NULL,
				"frequent words are the first corrections tried");
		UNIT_OK(lc_search_vocabulary_share(&v, "hoang", 5) == 0.05f &&
				lc_search_vocabulary_share(&v, "hoa", 3) == 0.0f &&
				lc_search_vocabulary_share(NULL, "hoa", 3) == 0.0f, "vocabulary lookup");
	}
	parse("sunrise");
	UNIT_OK(lc_search_fuzzy_keys(&q.readings[0], 1, NULL, 600, fk, groups) == 0,
			"no syllable near: no fuzzy keys");
	{
		static const char *const words[] = {"bao", "nguyen"};
		static const float share[] = {0.01f, 0.4f};
		lc_search_vocabulary v = {words, share, 2};

		parse("nugyen bayo");
		n = lc_search_fuzzy_full_keys(&q.readings[0], 1, &v, 300, fk);
		UNIT_OK(n >= 4 && n <= 300, "whole-name corrections within budget (%zu)", n);
		UNIT_STR_EQ(fk, "1:f:bao nguyen", "words no syllable: their corrections first");
		UNIT_OK(strstr(keys_string(fk, n), "1:f:bao nguyen") != NULL, "nguyen bao is among them");
		n = lc_search_fuzzy_full_keys(&q.readings[0], 1, &v, 4, fk);
		UNIT_OK(n >= 2 && n <= 4 && strcmp(fk, "1:f:bao nguyen") == 0,
				"budget 4: the likeliest first (%zu)", n);
		UNIT_OK(strstr(keys_string(fk, n), "nugyen") == NULL,
				"nugyen has a correction far likelier than itself: it is not tried as typed");
	}
	{
		static const char *const words[] = {"an", "doan", "hoan", "lan", "loan", "nguyen", "oanh", "toan"};
		static const float share[] = {0.05f, 0.04f, 0.03f, 0.03f, 0.02f, 0.4f, 0.01f, 0.02f};
		lc_search_vocabulary v = {words, share, 8};

		/* nguyedn has one correction, oan many: the budget goes to oan (the
		 * same number of each word would be 4 x 4: oan, an, doan, hoan) */
		parse("nguyedn oan");
		n = lc_search_fuzzy_full_keys(&q.readings[0], 1, &v, 24, fk);
		UNIT_OK(n > 16 && n <= 24, "a word with one correction leaves room for the others (%zu)", n);
		UNIT_OK(strstr(keys_string(fk, n), "1:f:nguyen oanh") != NULL &&
				strstr(keys_string(fk, n), "1:f:loan nguyen") != NULL, "oan: oanh and loan are tried");
	}
	{
		static const char *const words[] = {"an", "cam", "dung", "hung", "lam", "nam", "nguyen", "quang", "tam"};
		static const float share[] = {0.056f, 0.019f, 0.077f, 0.039f, 0.009f, 0.034f, 0.41f, 0.037f, 0.015f};
		lc_search_vocabulary v = {words, share, 9};

		/* nuyen is nguyen (the others are rare), am is one of many: the
		 * budget goes to am, even beyond its five likeliest corrections */
		parse("nuyen qung am");
		n = lc_search_fuzzy_full_keys(&q.readings[0], 1, &v, 60, fk);
		UNIT_OK(n <= 60 && strstr(keys_string(fk, n), "1:f:lam nguyen quang") != NULL,
				"nuyen qung am: Nguyễn Quang Lâm is tried (%zu keys)", n);
		UNIT_OK(strstr(keys_string(fk, n), "luyen") == NULL, "rare corrections of nuyen are not");
		parse("nguyen");
		UNIT_OK(lc_search_fuzzy_full_keys(&q.readings[0], 1, &v, 300, fk) == 0, "one word: none");
	}
}

static void
test_score(void)
{
	float		exact,
				folded,
				typo;
	char		unexplained[512];

	/* exact with diacritics > folded > typo: Hòa before Hóa */
	exact = score("Hòa", "Nguyễn Văn Hòa", NULL, 0, NULL);
	UNIT_OK(score("Hòa", "Nguyễn Văn Hoà", NULL, 0, NULL) == exact, "tone style does not matter");
	folded = score("Hòa", "Nguyễn Văn Hóa", NULL, 0, NULL);
	typo = score("Hòa", "Nguyễn Văn Hoan", NULL, 0, NULL);
	UNIT_OK(exact > folded && folded > typo && typo > 0.0f,
			"Hòa: Hòa %.3f > Hóa %.3f > Hoan %.3f", exact, folded, typo);
	UNIT_OK(score("Hoa", "Trần Thị Hòa", NULL, 0, NULL) == score("Hoa", "Trần Thị Hóa", NULL, 0, NULL),
			"a query without diacritics cannot tell Hòa from Hóa");
	UNIT_OK(score("Nguyễn Văn Hòa", "Nguyễn Văn Hòa", NULL, 0, NULL) >
			score("Nguyễn Văn Hòa", "Nguyen Van Hoa", NULL, 0, NULL),
			"a lead typed without diacritics ranks below the exact one");
	UNIT_OK(score("Nguyễn Văn An", "Nguyễn Văn An", NULL, 0, NULL) > 0.99f, "exact is 1");

	/* middle name optional, given name weighted, any order */
	UNIT_OK(score("nguyen an", "Nguyễn Văn An", NULL, 0, NULL) >
			score("nguyen an", "Nguyễn An Khang", NULL, 0, NULL),
			"family + given beats family + middle");
	UNIT_OK(score("nguyen an", "Nguyễn Văn An", NULL, 0, NULL) > 0.9f, "middle name optional");
	UNIT_OK(fabsf(score("An Nguyen", "Nguyễn Văn An", NULL, 0, NULL) -
				  score("Nguyen An", "Nguyễn Văn An", NULL, 0, NULL)) < 0.01f, "Western order");
	UNIT_OK(score("vu mia huyne", "Vũ Mai Huyền", NULL, 0, NULL) >
			score("vu mia huyne", "Huỳnh Gia Vũ", NULL, 0, NULL),
			"read alike in Vietnamese and Western order: the Vietnamese wins the tie");
	UNIT_OK(score("le dmng", "Lê Dung", NULL, 0, NULL) > score("le dmng", "Đặng Lệ", NULL, 0, NULL),
			"two words: Lê Dung, not Đặng Lệ written the Western way");
	UNIT_OK(score("Huynh Gia Vu", "Vũ Gia Huỳnh", NULL, 0, NULL) >
			score("Huynh Gia Vu", "Huỳnh Gia Vy", NULL, 0, NULL),
			"a Western order without typos still beats a typo in Vietnamese order");
	UNIT_OK(score("nguyen van an", "Nguyễn Văn An", NULL, 0, NULL) >
			score("nguyen van an", "Nguyễn Văn Anh", NULL, 0, NULL), "An before Anh");

	/* typos, Telex, VNI */
	UNIT_OK(score("ngyuen vna an", "Nguyễn Văn An", NULL, 0, NULL) >
			score("ngyuen vna an", "Nguyễn Thị Lan", NULL, 0, NULL), "typos in every word");
	UNIT_OK(score("nguyeenx vawn an", "Nguyễn Văn An", NULL, 0, NULL) > 0.95f, "Telex");
	UNIT_OK(score("nguyeenx vawn an", "Nguyễn Văn An", NULL, 0, NULL) >
			score("nguyeenx vawn an", "Nguyen Van An", NULL, 0, NULL),
			"Telex carries diacritics: the exact spelling first");
	UNIT_OK(score("nguye6n4 va8n an", "Nguyễn Văn An", NULL, 0, NULL) > 0.95f, "VNI");
	UNIT_OK(score("nguye6n va8n an", "Nguyễn Văn An", NULL, 0, NULL) > 0.85f,
			"VNI without the tone key: Nguyên, folded alike");

	/* company */
	UNIT_OK(score("An Minh Phát", "Nguyễn Văn An", "minh phat", 0, NULL) >
			score("An Minh Phát", "Nguyễn Văn An", "hoang long", 0, NULL), "given name + company");
	UNIT_OK(score("Công ty TNHH Minh Phát", "Trần Bình", "minh phat", 0, NULL) > 0.85f,
			"legal form dropped");
	UNIT_OK(matched("An Minh Phát", "Nguyễn Văn An", "minh phat") ==
			(LC_MATCH_NAME | LC_MATCH_COMPANY), "matched: name and company");
	UNIT_OK(matched("nguyen vna", "Nguyễn Văn An", NULL) == LC_MATCH_NAME_TYPO, "matched: typo");
	UNIT_OK(matched("Nguyễn Vân", "Nguyễn Văn An", NULL) == LC_MATCH_NAME_FOLDED,
			"matched: folded");

	/* a name is not spread over name and company, nor read in another order */
	UNIT_OK(score("Trần Đức Dũng", "Trần Đức Dũng", NULL, 0, NULL) >
			score("Trần Đức Dũng", "Trần Dũng", "giao duc quang minh", 0, NULL),
			"Trần Đức Dũng: not Trần Dũng of Giáo dục ...");
	UNIT_OK(score("Nguyễn Bích Phương", "Nguyễn Bích Phương", NULL, 0, NULL) >
			score("Nguyễn Bích Phương", "Nguyễn Bích", "thuong mai phuong nam", 0, NULL),
			"Nguyễn Bích Phương: not Nguyễn Bích of Phương Nam");
	UNIT_OK(score("Nguyễn Anh Tuấn", "Nguyễn Anh Tuấn", NULL, 0, NULL) >
			score("Nguyễn Anh Tuấn", "Nguyễn Tuấn Anh", NULL, 0, NULL), "Anh Tuấn is not Tuấn Anh");
	UNIT_OK(score("Hoàng Công Công", "Hoàng Công Công", NULL, 0, NULL) > 0.99f,
			"a repeated word: each in its place");
	{
		lc_search_candidate c = {"Phạm Phương Thùy Thư", strlen("Phạm Phương Thùy Thư"),
			"giao duc phuong nam", 19, "CTCP Giáo dục Phương Nam", strlen("CTCP Giáo dục Phương Nam"),
		0, NULL, 0, NULL, 0};
		lc_search_result r;

		parse("Phạm Phương Thuỳ Thư");
		lc_search_score(&q, &c, work, &r);
		UNIT_OK(r.score > 0.99f, "a name word also in the company stays in the name (%.3f)", r.score);
	}
	UNIT_OK(score("Mai An", "Mai Duy An", NULL, 0, NULL) >
			score("Mai An", "Nguyễn Hạnh", "thuong mai an khang", 0, NULL),
			"Mai An: a person before Thương mại An Khang");
	UNIT_OK(score("Vũ Minh Phát", "Trần Ngọc Vũ", "giao duc minh phat", 0, NULL) >
			score("Vũ Minh Phát", "Vũ Văn Minh", "dich vu minh phat", 0, NULL),
			"Vũ of Minh Phát before Vũ Văn Minh of ... Phát: a lone company word says little");
	UNIT_OK(score("Anh Duong", "Trần Quân", "anh duong", 0, NULL) == 1.0f &&
			score("Anh Duong", "Dương Ánh", NULL, 0, NULL) == 1.0f,
			"a whole company name and a whole person's name score exactly alike");
	UNIT_OK(score("Duyên Mekong", "Bùi Quỳnh Duyên", "mekong", 0, NULL) >
			score("Duyên Mekong", "Bùi Quỳnh Duyên", "giao duc mekong", 0, NULL) &&
			score("Duyên Mekong", "Bùi Quỳnh Duyên", "giao duc mekong", 0, NULL) > 0.8f,
			"a one-word company matched whole, or alone in a longer name");
	UNIT_OK(score("An Minh Phát", "Lê An", "thuong mai minh phat", 0, NULL) >
			score("An Minh Phát", "Hoàng Minh Phát", "cong nghe khanh an", 0, NULL),
			"given name then company, not company then name");
	{
		lc_search_candidate a = {"Nguyễn Dung", 13, "det may cuu long", 16,
			"Công ty TNHH Dệt may Cửu Long", strlen("Công ty TNHH Dệt may Cửu Long"), 0, NULL, 0,
		NULL, 0};
		lc_search_candidate b = {"Lê Thu Huyền", strlen("Lê Thu Huyền"), "dau tu xay dung cuu long", 24,
			"Công ty TNHH Đầu tư Xây dựng Cửu Long",
			strlen("Công ty TNHH Đầu tư Xây dựng Cửu Long"), 0, NULL, 0, NULL, 0};
		lc_search_result ra,
					rb;

		parse("Dung Cửu Long");
		lc_search_score(&q, &a, work, &ra);
		lc_search_score(&q, &b, work, &rb);
		UNIT_OK(ra.score > rb.score, "Dung Cửu Long: Dung is not dựng (%.3f > %.3f)",
				ra.score, rb.score);
	}

	/* phone and e-mail */
	UNIT_OK(score("0912 345 678", "X", NULL, 84912345678LL, NULL) == 1.0f, "whole number");
	UNIT_OK(score("0912 345", "X", NULL, 84912345678LL, NULL) >= 0.85f, "prefix");
	UNIT_OK(score("091227", "X", NULL, 84907091227LL, NULL) >
			score("091227", "X", NULL, 84912270000LL, NULL), "the end of a number before its start");
	UNIT_OK(score("345678", "X", NULL, 84912345678LL, NULL) > 0.85f, "suffix");
	UNIT_OK(score("345679", "X", NULL, 84912345678LL, NULL) == 0.0f, "other suffix");
	UNIT_OK(score("01623456789", "X", NULL, 84323456789LL, NULL) == 1.0f, "old number");
	{
		char		d[LC_SEARCH_PHONE_DIGITS + 1];
		lc_search_candidate c = {"X", 1, NULL, 0, NULL, 0, 0, "0893500808", 10, NULL, 0};
		lc_search_result r;

		UNIT_OK(lc_search_phone_digits("+84 (0)89 350 0808", 18, d) == 10 && strcmp(d, "0893500808") == 0,
				"typed digits in national form");
		UNIT_OK(lc_search_phone_digits("0084 89 3500", 12, d) == 7 && strcmp(d, "0893500") == 0, "0084");
		UNIT_OK(lc_search_phone_digits("84893500808", 11, d) == 10 && strcmp(d, "0893500808") == 0,
				"84 in front of a whole number");
		UNIT_OK(lc_search_phone_digits("8489", 4, d) == 4 && strcmp(d, "8489") == 0,
				"84 in front of a few digits: digits");
		parse("0893 5008");
		lc_search_score(&q, &c, work, &r);
		UNIT_OK(r.score >= 0.85f && (r.matched & LC_MATCH_PHONE), "a number that is no valid one, by its start");
		parse("500808");
		lc_search_score(&q, &c, work, &r);
		UNIT_OK(r.score >= 0.9f, "and by its end");
		parse("0893500808");
		lc_search_score(&q, &c, work, &r);
		UNIT_OK(r.score == 1.0f, "and whole");
	}
	UNIT_OK(score("an.nguyen@gmail.com", "X", NULL, 0, "annguyen@gmail.com") == 1.0f, "e-mail key");
	UNIT_OK(score("annguy", "X", NULL, 0, "annguyen@gmail.com") > 0.85f, "e-mail start");
	UNIT_OK(score("khang.tran", "Trần Khang", NULL, 0, "khang.tran@tanphu.vn") >
			score("khang.tran", "Trần Khang", NULL, 0, "khangt@gmail.com"),
			"khang.tran: the e-mail before the name");
	UNIT_OK(score("An 0912 345 678", "Nguyễn Văn An", NULL, 84912345678LL, NULL) >
			score("An 0912 345 678", "Nguyễn Văn An", NULL, 84987654321LL, NULL),
			"name and phone count together");

	parse("nguyen sunrsie tnhh");
	lc_search_unexplained_words(&q, unexplained);
	UNIT_STR_EQ(unexplained, "sunrsie", "only the word no syllable or legal form explains");
	parse("nguyeenx vawn");
	lc_search_unexplained_words(&q, unexplained);
	UNIT_STR_EQ(unexplained, "", "Telex words are explained");
}

/* the order of lc_search_order as "pos,pos,..." */
static const char *
order_of(const float *scores, const int *names, int n)
{
	static char out[256];
	lc_search_ranked r[32];
	size_t		o = 0;
	int			k;

	for (k = 0; k < n; k++)
		r[k] = (lc_search_ranked) {scores[k], names[k], k, -1};
	lc_search_order(r, (size_t) n);
	out[0] = '\0';
	for (k = 0; k < n; k++)
		o += (size_t) snprintf(out + o, sizeof(out) - o, "%s%d", k ? "," : "", r[k].pos);
	return out;
}

static void
test_order(void)
{
	/* a typo read as An (3 leads), Lan (2) or Oanh (1), all alike */
	static const float typo_scores[] = {0.6f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f};
	static const int typo_names[] = {0, 0, 0, 1, 1, 2};
	/* an exact name (7 namesakes) before a folded one */
	static const float exact_scores[] = {1, 1, 1, 1, 1, 1, 1, 0.875f, 0.5f};
	static const int exact_names[] = {0, 0, 0, 0, 0, 0, 0, 1, 2};
	static const float differ_scores[] = {0.9f, 0.8f, 0.75f};
	static const int differ_names[] = {0, 0, 1};

	UNIT_STR_EQ(order_of(typo_scores, typo_names, 6), "0,3,5,1,4,2",
				"equal scores: every reading once, then the namesakes");
	UNIT_STR_EQ(order_of(exact_scores, exact_names, 9), "0,1,2,3,4,7,5,6,8",
				"five namesakes, then the next name, then the others; below 80%% in order");
	UNIT_STR_EQ(order_of(differ_scores, differ_names, 3), "0,1,2", "different scores keep their order");
	{
		static const float scores[] = {0.6f, 0.6f, 0.6f, 0.6f};
		static const int names[] = {0, 0, 0, 1};

		UNIT_STR_EQ(order_of(scores, names, 4), "0,3,1,2", "equal scores: the next name before the second namesake");
	}
	UNIT_OK(lc_search_order(NULL, 0) == 0, "no leads");
}

int
main(void)
{
	test_signature();
	test_edits();
	test_parse();
	test_keys();
	test_score();
	test_order();
	return unit_done();
}

/* test/unit/test_syllable.c - Vietnamese letters and the syllable validator. */
#include "unit.h"
#include "core/utf8.h"
#include "core/vn_syllable.h"
#include "core/vn_text.h"

static int
valid(const char *s)
{
	return lc_vn_syllable_valid(s, strlen(s));
}

static void
rhyme_table_sorted(void)
{
	size_t		n,
				i,
				bad = 0;
	const char *const *r = lc_vn_rhyme_table(&n);

	for (i = 1; i < n; i++)
		if (strcmp(r[i - 1], r[i]) >= 0)
			bad++;
	UNIT_OK(bad == 0 && n > 150, "rhyme table of %zu spellings is in strcmp order (bsearch)", n);
}

/* every one of the 134 non-ASCII letters decodes and encodes back to itself */
static void
letters_round_trip(void)
{
	uint32_t	cp;
	int			count = 0,
				bad = 0;

	for (cp = 0x80; cp < 0x2000; cp++)
	{
		lc_vn_letter l;
		char		buf[4];
		size_t		adv;

		if (!lc_vn_letter_decode(cp, &l))
			continue;
		count++;
		lc_vn_letter_encode(&l, buf);
		if (lc_utf8_decode((const unsigned char *) buf, 4, &adv) != cp)
			bad++;
	}
	UNIT_OK(count == 134 && bad == 0, "134 Vietnamese letter forms round trip (%d seen, %d bad)", count, bad);
}

static void
valid_syllables(void)
{
	static const char *const ok[] = {
		"a", "ăn", "ấy", "ông", "ở", "uống", "oán", "uyên", "yêu", "ích", "ỉa",
		"Nguyễn", "nghiêng", "khuếch", "người", "rượu", "khuỷu", "ngoáy", "quốc", "quý", "quyền",
		"gì", "gìn", "già", "giữa", "giếng", "kìa", "kẻ", "ghế", "nghề", "cá", "gà", "ngà",
		"đặng", "Đức", "hoà", "hòa", "thuỷ", "thủy", "khoẻ", "huých", "thuở", "xoong", "boóng",
		"HOÀ", "NGUYỄN", "tuấn", "huế", "quên", "quít", "chuyến", "xoắn", "ngoằn", "hoạch",
	};
	size_t		i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		UNIT_OK(valid(ok[i]), "valid syllable: %s", ok[i]);
}

static void
invalid_syllables(void)
{
	static const struct
	{
		const char *s;
		const char *why;
	}			bad[] = {
		{"cac", "stop final c with level tone"},
		{"càc", "stop final c with huyền"},
		{"hỏt", "stop final t with hỏi"},
		{"mãch", "stop final ch with ngã"},
		{"cem", "c before e is spelled k"},
		{"kan", "k before a is spelled c"},
		{"ge", "g before e is spelled gh"},
		{"ghan", "gh before a is spelled g"},
		{"nge", "ng before e is spelled ngh"},
		{"coa", "/kw/ is spelled qu"},
		{"tyên", "yê after an onset is spelled iê"},
		{"iên", "iê without onset is spelled yê"},
		{"qu", "qu without rhyme"},
		{"ng", "no vowel"},
		{"str", "no vowel, not an onset"},
		{"fan", "f is not a Vietnamese onset"},
		{"jam", "j is not a Vietnamese onset"},
		{"wow", "w is not a letter of the script"},
		{"as", "s is not a final"},
		{"hoàà", "two tone marks"},
		{"thoma", "two vowel groups"},
		{"xyz", "no syllable"},
		{"", "empty"},
		{"nghiêngg", "longer than any syllable"},
		{"an\xff", "invalid UTF-8"},
		{"a b", "two words"},
		{"café", "not a rhyme (afé)"},
	};
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UNIT_OK(!valid(bad[i].s), "not a syllable: '%s' (%s)", bad[i].s, bad[i].why);
}

int
main(void)
{
	rhyme_table_sorted();
	letters_round_trip();
	valid_syllables();
	invalid_syllables();
	return unit_done();
}

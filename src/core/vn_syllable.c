/*
 * src/core/vn_syllable.c - Vietnamese letters, syllable validation, tone placement.
 *
 * A syllable is onset + rhyme, spelled by the rules of the national script:
 * the onset is one of 27 consonant spellings (qu and gi included), the rhyme
 * one of the 162 spellings in lc_vn_rhymes (medial glide, main vowel, final),
 * with the spelling constraints c/k, g/gh, ng/ngh, i/y and the tone
 * constraint that a stop final (c, ch, p, t) only takes sắc or nặng.
 *
 * Tone placement is the modern style of Decision 1989/QĐ-BGDĐT (2018), Art. 8:
 * the mark goes on the main vowel, so open oa/oe/uy mark the second letter
 * (hoà, khoẻ, thuỷ); every other case agrees with the old style.
 */
#include "core/vn_syllable.h"

#include <string.h>

#include "core/generated/vn_letters.h"
#include "core/utf8.h"

#define VOWEL_COUNT 12
#define D_STROKE_INDEX 13		/* đ in the packed decomposition tables */

/* vowel index (order of tools/gen_vn_letters.py) to base and modifier */
static const uint8_t vowel_base[VOWEL_COUNT] = "aaaeeiooouuy";
static const uint8_t vowel_mod[VOWEL_COUNT] = {
	LC_VN_MOD_NONE, LC_VN_MOD_BREVE, LC_VN_MOD_CIRC, LC_VN_MOD_NONE,
	LC_VN_MOD_CIRC, LC_VN_MOD_NONE, LC_VN_MOD_NONE, LC_VN_MOD_CIRC,
	LC_VN_MOD_HORN, LC_VN_MOD_NONE, LC_VN_MOD_HORN, LC_VN_MOD_NONE
};

/* -1 if the letter is not a vowel (consonant or a modifier that a vowel cannot have) */
static int
vowel_index(const lc_vn_letter *l)
{
	switch (l->base)
	{
		case 'a':
			return l->mod == LC_VN_MOD_NONE ? 0 : l->mod == LC_VN_MOD_BREVE ? 1 :
				l->mod == LC_VN_MOD_CIRC ? 2 : -1;
		case 'e':
			return l->mod == LC_VN_MOD_NONE ? 3 : l->mod == LC_VN_MOD_CIRC ? 4 : -1;
		case 'i':
			return l->mod == LC_VN_MOD_NONE ? 5 : -1;
		case 'o':
			return l->mod == LC_VN_MOD_NONE ? 6 : l->mod == LC_VN_MOD_CIRC ? 7 :
				l->mod == LC_VN_MOD_HORN ? 8 : -1;
		case 'u':
			return l->mod == LC_VN_MOD_NONE ? 9 : l->mod == LC_VN_MOD_HORN ? 10 : -1;
		case 'y':
			return l->mod == LC_VN_MOD_NONE ? 11 : -1;
	}
	return -1;
}

static void
unpack(uint8_t packed, lc_vn_letter *l)
{
	int			v = packed & 0x0F;

	l->upper = packed >> 7;
	l->tone = (packed >> 4) & 0x07;
	if (v == D_STROKE_INDEX)
	{
		l->base = 'd';
		l->mod = LC_VN_MOD_STROKE;
		return;
	}
	l->base = vowel_base[v - 1];
	l->mod = vowel_mod[v - 1];
}

int
lc_vn_letter_decode(uint32_t cp, lc_vn_letter *l)
{
	uint8_t		packed = 0;

	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
	{
		l->upper = cp <= 'Z';
		l->base = (uint8_t) (cp | 0x20);
		l->mod = LC_VN_MOD_NONE;
		l->tone = LC_VN_TONE_NONE;
		return 1;
	}
	if (cp >= LC_VN_DECOMP_LO_FIRST && cp < LC_VN_DECOMP_LO_END)
		packed = lc_vn_decomp_lo[cp - LC_VN_DECOMP_LO_FIRST];
	else if (cp >= LC_VN_DECOMP_HI_FIRST && cp < LC_VN_DECOMP_HI_END)
		packed = lc_vn_decomp_hi[cp - LC_VN_DECOMP_HI_FIRST];
	if (packed == 0)
		return 0;
	unpack(packed, l);
	return 1;
}

size_t
lc_vn_letter_encode(const lc_vn_letter *l, char *out)
{
	int			v = vowel_index(l);

	if (v >= 0)
		return lc_utf8_encode(lc_vn_compose[v][l->tone][l->upper ? 1 : 0], out);
	if (l->mod == LC_VN_MOD_STROKE)
		return lc_utf8_encode(l->upper ? 0x0110 : 0x0111, out);
	out[0] = (char) (l->upper ? l->base - ('a' - 'A') : l->base);
	return 1;
}

/* ---- syllable structure ---- */

/* Rhymes in strcmp (UTF-8 byte) order, for bsearch; test_syllable checks the order. */
static const char *const lc_vn_rhymes[] = {
	"a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay", "e",
	"ec", "em", "en", "eng", "eo", "ep", "et", "i", "ia", "ich", "im", "in", "inh", "ip",
	"it", "iu", "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu", "o", "oa", "oac", "oach",
	"oai", "oam", "oan", "oang", "oanh", "oao", "oap", "oat", "oay", "oc", "oe", "oen",
	"oeo", "oet", "oi", "om", "on", "ong", "ooc", "oong", "op", "ot", "oăc", "oăm", "oăn",
	"oăng", "oăp", "oăt", "u", "ua", "uc", "ui", "um", "un", "ung", "up", "ut", "uy",
	"uya", "uych", "uyn", "uynh", "uyp", "uyt", "uyu", "uyên", "uyêt", "uân", "uâng",
	"uât", "uây", "uê", "uêch", "uênh", "uêt", "uôc", "uôi", "uôm", "uôn", "uông", "uôt",
	"uơ", "y", "yêm", "yên", "yêng", "yêt", "yêu", "âc", "âm", "ân", "âng", "âp", "ât",
	"âu", "ây", "ê", "êch", "êm", "ên", "ênh", "êp", "êt", "êu", "ô", "ôc", "ôi", "ôm",
	"ôn", "ông", "ôp", "ôt", "ăc", "ăm", "ăn", "ăng", "ăp", "ăt", "ơ", "ơi", "ơm", "ơn",
	"ơp", "ơt", "ư", "ưa", "ưc", "ưi", "ưm", "ưn", "ưng", "ưt", "ưu", "ươc", "ươi", "ươm",
	"ươn", "ương", "ươp", "ươt", "ươu",
};

const char *const *
lc_vn_rhyme_table(size_t *n)
{
	*n = sizeof(lc_vn_rhymes) / sizeof(lc_vn_rhymes[0]);
	return lc_vn_rhymes;
}

static int
is_rhyme(const char *r)
{
	size_t		lo = 0,
				hi = sizeof(lc_vn_rhymes) / sizeof(lc_vn_rhymes[0]);

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(r, lc_vn_rhymes[mid]);

		if (c == 0)
			return 1;
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* is r (NUL-terminated) the prefix p + s a rhyme? */
static int
is_rhyme_with(const char *p, const char *s)
{
	char		buf[4 * LC_VN_SYLLABLE_MAX];
	size_t		pl = strlen(p),
				sl = strlen(s);

	if (pl + sl >= sizeof(buf))
		return 0;
	memcpy(buf, p, pl);
	memcpy(buf + pl, s, sl + 1);
	return is_rhyme(buf);
}

static int
starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Onsets, longest first so that ngh wins over ng and n; len in bytes (đ is 2). */
static const struct
{
	const char *s;
	uint8_t		len;
}			lc_vn_onsets[] = {
	{"ngh", 3}, {"ng", 2}, {"nh", 2}, {"ch", 2}, {"gh", 2}, {"gi", 2}, {"kh", 2}, {"ph", 2},
	{"qu", 2}, {"th", 2}, {"tr", 2}, {"b", 1}, {"c", 1}, {"d", 1}, {"\xc4\x91", 2}, {"g", 1},
	{"h", 1}, {"k", 1}, {"l", 1}, {"m", 1}, {"n", 1}, {"p", 1}, {"r", 1}, {"s", 1}, {"t", 1},
	{"v", 1}, {"x", 1},
};

/* e, ê, i, y: the vowels after which c/g/ng are spelled k/gh/ngh */
static int
is_front(const char *rhyme)
{
	return rhyme[0] == 'e' || rhyme[0] == 'i' || rhyme[0] == 'y' ||
		starts_with(rhyme, "\xc3\xaa");
}

/* rhymes with a medial glide /w/ written o or u: hoa, hoe, hoặc, huy, huế, tuấn, thuở */
static int
is_glide(const char *rhyme)
{
	static const char *const glides[] = {"oa", "oe", "o\xc4\x83", "u\xc3\xa2", "u\xc3\xaa", "uy", "u\xc6\xa1"};
	size_t		i;

	for (i = 0; i < sizeof(glides) / sizeof(glides[0]); i++)
		if (starts_with(rhyme, glides[i]))
			return 1;
	return 0;
}

/* a rhyme ending in a stop consonant takes only sắc or nặng */
static int
tone_allowed(const char *rhyme, int tone)
{
	size_t		n = strlen(rhyme);
	char		last = rhyme[n - 1];

	if (last == 'c' || last == 'p' || last == 't' || (last == 'h' && n >= 2 && rhyme[n - 2] == 'c'))
		return tone == LC_VN_TONE_SAC || tone == LC_VN_TONE_NANG;
	return 1;
}

/*
 * qu + rest: the u is the medial glide, so rest spells a rhyme after /w/:
 * quân quê quý quyên quốc quơ (u + rest is a rhyme), qua quăn que queo
 * (o + rest), and the rhymes of a, ă, â, e, ê, i, y that follow it as they
 * are (quên, quít, quạu, quào); quoàng, quoắt are variant spellings of oa.
 */
static int
qu_rhyme_ok(const char *rest)
{
	unsigned char c = (unsigned char) rest[0];

	if (c == '\0')
		return 0;
	if (is_rhyme_with("u", rest))
		return 1;
	if (c == 'o')
		return is_glide(rest) && is_rhyme(rest);
	if (is_rhyme_with("o", rest))
		return 1;
	return is_rhyme(rest) && (c == 'a' || c == 'e' || c == 'i' || c == 'y' ||
							  starts_with(rest, "\xc4\x83") || starts_with(rest, "\xc3\xa2") ||
							  starts_with(rest, "\xc3\xaa"));
}

/*
 * Split key (lower-case, toneless UTF-8 of the word) into onset and rhyme.
 * Returns the letter index where the rhyme starts, -1 if the word does not
 * spell a syllable. gi before a consonant (gì, gìn) shares its i with the
 * rhyme, so the rhyme then starts at the i.
 */
static int
split_and_check(const lc_vn_letter *l, size_t n, const char *key,
				const size_t *off, const char **onset)
{
	size_t		i,
				onset_letters;
	const char *rest;

	*onset = "";
	if (lc_vn_letter_is_vowel(&l[0]))
		return is_rhyme(key) && !starts_with(key, "i\xc3\xaa") ? 0 : -1;
	for (i = 0; i < sizeof(lc_vn_onsets) / sizeof(lc_vn_onsets[0]); i++)
		if (key[0] == lc_vn_onsets[i].s[0] &&
			memcmp(key, lc_vn_onsets[i].s, lc_vn_onsets[i].len) == 0)
			break;
	if (i == sizeof(lc_vn_onsets) / sizeof(lc_vn_onsets[0]))
		return -1;
	*onset = lc_vn_onsets[i].s;
	if (strcmp(*onset, "gi") == 0)
	{
		if (n == 2 || !lc_vn_letter_is_vowel(&l[2]))
			return is_rhyme(key + 1) ? 1 : -1;	/* gì, gìn */
		rest = key + off[2];
		if (rest[0] == 'i')
			return -1;
		if (is_rhyme(rest) || (starts_with(rest, "\xc3\xaa") && is_rhyme_with("i", rest)))
			return 2;			/* gia, giữa, giếng (gi + iêng) */
		return -1;
	}
	onset_letters = (*onset)[0] == '\xc4' ? 1 : lc_vn_onsets[i].len;	/* đ is 2 bytes */
	if (onset_letters >= n || !lc_vn_letter_is_vowel(&l[onset_letters]))
		return -1;
	rest = key + off[onset_letters];
	if (strcmp(*onset, "qu") == 0)
		return qu_rhyme_ok(rest) ? (int) onset_letters : -1;
	return is_rhyme(rest) ? (int) onset_letters : -1;
}

/* spelling rules that tie onset and rhyme */
static int
spelling_ok(const char *onset, const char *rhyme)
{
	int			front = is_front(rhyme);

	if (strcmp(onset, "k") == 0 || strcmp(onset, "gh") == 0 || strcmp(onset, "ngh") == 0)
		if (!front)
			return 0;
	if (strcmp(onset, "c") == 0 || strcmp(onset, "g") == 0 || strcmp(onset, "ng") == 0)
		if (front)
			return 0;
	if ((strcmp(onset, "c") == 0 || strcmp(onset, "k") == 0) && is_glide(rhyme))
		return 0;				/* /kw/ is spelled qu */
	if (starts_with(rhyme, "y\xc3\xaa") && onset[0] != '\0' && strcmp(onset, "qu") != 0)
		return 0;				/* yê starts a syllable or follows qu: yên, quyên, but tiên */
	return 1;
}

/*
 * Modern tone position in the vowel group v[0..nv-1] (onset qu/gi excluded):
 * the last vowel with a modifier (ươ -> ơ, uyê -> ê); else the only vowel;
 * else the last vowel before a final consonant (hoàn, huých); else the middle
 * of three (ngoài, khuỷu); else the second of open oa/oe/uy (hoà, khoẻ, thuỷ)
 * and the first of the other pairs (tài, của, kìa, túi).
 */
static size_t
tone_position(const lc_vn_letter *v, size_t nv, int has_final)
{
	size_t		i;

	for (i = nv; i-- > 0;)
		if (v[i].mod != LC_VN_MOD_NONE)
			return i;
	if (nv == 1)
		return 0;
	if (has_final)
		return nv - 1;
	if (nv == 3)
		return 1;
	if ((v[0].base == 'o' && (v[1].base == 'a' || v[1].base == 'e')) ||
		(v[0].base == 'u' && v[1].base == 'y'))
		return 1;
	return 0;
}

size_t
lc_vn_tone_position(const lc_vn_letter *l, size_t n)
{
	size_t		start = 0,
				nv;

	while (start < n && !lc_vn_letter_is_vowel(&l[start]))
		start++;
	/* the u of qu and the i of gi (before another vowel) belong to the onset */
	if (start == 1 && start + 1 < n &&
		((l[0].base == 'q' && l[1].base == 'u' && l[1].mod == LC_VN_MOD_NONE) ||
		 (l[0].base == 'g' && l[1].base == 'i' && lc_vn_letter_is_vowel(&l[2]))))
		start++;
	for (nv = 0; start + nv < n && lc_vn_letter_is_vowel(&l[start + nv]); nv++)
		;
	if (nv == 0)
		return 0;
	return start + tone_position(l + start, nv, start + nv < n);
}

int
lc_vn_syllable_check(const lc_vn_letter *l, size_t n, int tone, size_t *tone_pos)
{
	char		key[4 * LC_VN_SYLLABLE_MAX + 1];
	size_t		off[LC_VN_SYLLABLE_MAX + 1];
	size_t		i,
				k = 0,
				nv;
	const char *onset;
	int			start;

	if (n == 0 || n > LC_VN_SYLLABLE_MAX)
		return 0;
	for (i = 0; i < n; i++)
	{
		lc_vn_letter plain = l[i];

		if (plain.mod != LC_VN_MOD_NONE && vowel_index(&plain) < 0 && plain.mod != LC_VN_MOD_STROKE)
			return 0;
		plain.tone = LC_VN_TONE_NONE;
		plain.upper = 0;
		off[i] = k;
		k += lc_vn_letter_encode(&plain, key + k);
	}
	off[n] = k;
	key[k] = '\0';

	start = split_and_check(l, n, key, off, &onset);
	if (start < 0 || !spelling_ok(onset, key + off[start]) ||
		!tone_allowed(key + off[start], tone))
		return 0;
	for (nv = 0; start + nv < n && lc_vn_letter_is_vowel(&l[start + nv]); nv++)
		;
	*tone_pos = (size_t) start + tone_position(l + start, nv, start + nv < n);
	return 1;
}

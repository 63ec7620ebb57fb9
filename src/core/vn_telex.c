/*
 * src/core/vn_telex.c - decode Vietnamese typed without an input method (Telex, VNI).
 *
 * Each word is replayed key by key with the rules of m17n's vi-telex.mim and
 * vi-vni.mim (aa aw ee oo ow uw w dd, 6 7 8 9, tones s f r x j / 1-5, z / 0
 * removes, a repeated key escapes), plus the Unikey habits seen in residue:
 * uow and uo7 give ươ, and a VNI modifier may come late (Nguyen64). The tone
 * key may follow the vowels or end the syllable (Nguyeexn, Nguyeenx); a vowel
 * after a tone key rejects the word (so taxi, visa and Lisa stay), and so do
 * a second tone key and a z / 0 with no tone to remove. The word is
 * accepted only if the letters spell a Vietnamese syllable (vn_syllable.c),
 * whose tone then goes to the modern position.
 */
#include "core/vn_text.h"

#include <string.h>

#include "core/utf8.h"
#include "core/vn_syllable.h"

/* what the previous key did, for doubling (aa, dd) and escapes (aaa, ww, ss) */
typedef enum key_effect
{
	EFFECT_LETTER,				/* appended a letter */
	EFFECT_DOUBLED,				/* aa ee oo dd: modified the letter before */
	EFFECT_W,					/* w or 7/8: modified letters, or appended ư */
	EFFECT_TONE
} key_effect;

typedef struct decoder
{
	lc_vn_letter l[LC_VN_INPUT_MAX_KEYS];
	size_t		n;
	int			tone;
	int			tone_keyed;		/* a tone key was pressed: no vowel may follow */
	int			tone_keys;		/* tone keys other than z / 0 */
	int			escaped;		/* a repeated key undid its effect: keys are literal now */
	int			invalid;
	int			prev_key;		/* lower-case previous key, 0 at the start */
	key_effect	prev_effect;
	int			w_changed[2];	/* letters the last w changed (-1: none) */
	int			w_appended;		/* the last w appended ư */
	int			uo_horn;		/* letter index of a u horned by the uow/uo7 rule, or -1 */
} decoder;

/* has a vowel been typed yet? (before one, s r x are consonants and w is ư) */
static int
has_vowel(const decoder *d)
{
	size_t		i;

	for (i = 0; i < d->n; i++)
		if (lc_vn_letter_is_vowel(&d->l[i]))
			return 1;
	return 0;
}

/* the characters of a chunk around its words: opening and closing punctuation */
static int
is_lead_punct(unsigned char c)
{
	return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'';
}

static int
is_trail_punct(unsigned char c)
{
	switch (c)
	{
		case '.':
		case ',':
		case ';':
		case ':':
		case '!':
		case '?':
		case ')':
		case ']':
		case '}':
		case '"':
		case '\'':
			return 1;
	}
	return 0;
}

/* Telex keys that change letters by themselves */
static int
is_telex_key(int k)
{
	return k == 's' || k == 'f' || k == 'r' || k == 'x' || k == 'j' || k == 'z' || k == 'w';
}

static void
append(decoder *d, int key, int upper, int mod)
{
	lc_vn_letter *l = &d->l[d->n++];

	l->base = (uint8_t) key;
	l->mod = (uint8_t) mod;
	l->tone = LC_VN_TONE_NONE;
	l->upper = (uint8_t) upper;
}

/* last letter, if it is the plain vowel v */
static lc_vn_letter *
last_plain(decoder *d, int v)
{
	lc_vn_letter *l;

	if (d->n == 0)
		return NULL;
	l = &d->l[d->n - 1];
	return (l->base == v && l->mod == LC_VN_MOD_NONE) ? l : NULL;
}

/*
 * A repeated key, whose effect the caller has undone, is typed literally and
 * so is every key after it (m17n's temporary-escape).
 */
static void
escape(decoder *d, int key, int upper)
{
	d->escaped = 1;
	append(d, key, upper, LC_VN_MOD_NONE);
}

/*
 * Horn (or breve on a) from w / 7 / 8 on the vowel group: the pair uo takes
 * the horn on both letters (Unikey), else the last plain letter that can take
 * it. Telex needs the vowel right before the key, VNI lets it come late.
 */
static int
apply_horn(decoder *d, int breve, int adjacent)
{
	size_t		i;

	d->w_changed[0] = d->w_changed[1] = -1;
	for (i = d->n; i-- > 0;)
	{
		lc_vn_letter *l = &d->l[i];

		if (!lc_vn_letter_is_vowel(l))
		{
			if (adjacent)
				return 0;
			continue;
		}
		if (l->mod == LC_VN_MOD_NONE &&
			((breve && l->base == 'a') || (!breve && (l->base == 'o' || l->base == 'u'))))
		{
			l->mod = breve ? LC_VN_MOD_BREVE : LC_VN_MOD_HORN;
			d->w_changed[0] = (int) i;
			if (!breve && l->base == 'o' && i > 0 &&
				d->l[i - 1].base == 'u' && d->l[i - 1].mod == LC_VN_MOD_NONE)
			{
				d->l[i - 1].mod = LC_VN_MOD_HORN;
				d->w_changed[1] = (int) i - 1;
				d->uo_horn = (int) i - 1;
			}
			return 1;
		}
		if (adjacent)
			return 0;
	}
	return 0;
}

static void
undo_w(decoder *d)
{
	int			k;

	for (k = 0; k < 2; k++)
		if (d->w_changed[k] >= 0)
			d->l[d->w_changed[k]].mod = LC_VN_MOD_NONE;
	if (d->w_appended)
		d->n--;
}

static int
telex_tone(int key)
{
	switch (key)
	{
		case 's':
			return LC_VN_TONE_SAC;
		case 'f':
			return LC_VN_TONE_HUYEN;
		case 'r':
			return LC_VN_TONE_HOI;
		case 'x':
			return LC_VN_TONE_NGA;
		case 'j':
			return LC_VN_TONE_NANG;
		case 'z':
			return LC_VN_TONE_NONE;
	}
	return -1;
}

static int
is_vowel_key(int key)
{
	return key == 'a' || key == 'e' || key == 'i' || key == 'o' || key == 'u' || key == 'y';
}

static void
telex_key(decoder *d, int key, int upper)
{
	int			tone = telex_tone(key);
	key_effect	effect = EFFECT_LETTER;

	if (d->escaped)
	{
		append(d, key, upper, LC_VN_MOD_NONE);
		return;
	}
	if (tone >= 0 && has_vowel(d))
	{
		if (d->prev_effect == EFFECT_TONE && d->prev_key == key)
		{
			d->tone = LC_VN_TONE_NONE;
			escape(d, key, upper);
			return;
		}
		/*
		 * One tone per word: a second tone key, or z with no tone to remove,
		 * is English rather than residue (dwarfs, lists, Diaz).
		 */
		if (tone == LC_VN_TONE_NONE ? d->tone_keys == 0 : ++d->tone_keys > 1)
			d->invalid = 1;
		d->tone = tone;
		d->tone_keyed = 1;
		effect = EFFECT_TONE;
	}
	else if (key == 'w')
	{
		if (d->prev_key == 'w' && d->prev_effect == EFFECT_W)
		{
			undo_w(d);
			escape(d, key, upper);
			return;
		}
		d->w_appended = 0;
		if (apply_horn(d, last_plain(d, 'a') != NULL, 1))
			effect = EFFECT_W;
		else if (!has_vowel(d))
		{
			append(d, 'u', upper, LC_VN_MOD_HORN);	/* w alone is ư */
			d->w_changed[0] = d->w_changed[1] = -1;
			d->w_appended = 1;
			effect = EFFECT_W;
		}
		else
			append(d, key, upper, LC_VN_MOD_NONE);
	}
	else if ((key == 'a' || key == 'e' || key == 'o' || key == 'd') && d->prev_key == key &&
			 d->prev_effect != EFFECT_TONE && d->n > 0)
	{
		lc_vn_letter *l = &d->l[d->n - 1];
		int			mod = key == 'd' ? LC_VN_MOD_STROKE : LC_VN_MOD_CIRC;

		if (d->prev_effect == EFFECT_DOUBLED)
		{
			l->mod = LC_VN_MOD_NONE;	/* aaa -> aa, ddd -> dd */
			escape(d, key, upper);
			return;
		}
		if (d->prev_effect != EFFECT_LETTER || l->mod != LC_VN_MOD_NONE)
			append(d, key, upper, LC_VN_MOD_NONE);
		else
		{
			l->mod = (uint8_t) mod;
			effect = EFFECT_DOUBLED;
		}
	}
	else
	{
		if (is_vowel_key(key) && d->tone_keyed)
			d->invalid = 1;
		append(d, key, upper, LC_VN_MOD_NONE);
	}
	d->prev_effect = effect;
}

static void
vni_key(decoder *d, int key, int upper)
{
	if (key >= 'a' && key <= 'z')
	{
		if (is_vowel_key(key) && d->tone_keyed)
			d->invalid = 1;
		append(d, key, upper, LC_VN_MOD_NONE);
		d->prev_effect = EFFECT_LETTER;
		return;
	}
	/* a digit that repeats its own effect escapes to a literal digit: no syllable */
	if (d->prev_key == key && d->prev_effect != EFFECT_LETTER)
	{
		d->invalid = 1;
		return;
	}
	if (key >= '0' && key <= '5')
	{
		/* one tone per word; 0 right after a tone digit is a number (A10) */
		if (!has_vowel(d) ||
			(key == '0' ? d->tone_keys == 0 || d->prev_effect == EFFECT_TONE : ++d->tone_keys > 1))
			d->invalid = 1;
		d->tone = key - '0';
		d->tone_keyed = 1;
		d->prev_effect = EFFECT_TONE;
		return;
	}
	d->prev_effect = EFFECT_W;
	if (key == '7' || key == '8')
	{
		if (!apply_horn(d, key == '8', 0))
			d->invalid = 1;
		return;
	}
	if (key == '9')
	{
		if (d->n > 0 && d->l[0].base == 'd' && d->l[0].mod == LC_VN_MOD_NONE)
			d->l[0].mod = LC_VN_MOD_STROKE;
		else
			d->invalid = 1;
		return;
	}
	/* 6: circumflex on the last plain a, e or o of the vowel group */
	{
		size_t		i;

		for (i = d->n; i-- > 0;)
		{
			lc_vn_letter *l = &d->l[i];

			if (l->mod == LC_VN_MOD_NONE && (l->base == 'a' || l->base == 'e' || l->base == 'o'))
			{
				l->mod = LC_VN_MOD_CIRC;
				return;
			}
		}
		d->invalid = 1;
	}
	(void) upper;
}

/* the decoded letters as a syllable with its tone placed, or 0 */
static size_t
finish(decoder *d, char *out)
{
	size_t		pos,
				i,
				k = 0;

	if (d->invalid || d->n == 0 || d->n > LC_VN_SYLLABLE_MAX)
		return 0;
	if (!lc_vn_syllable_check(d->l, d->n, d->tone, &pos))
	{
		/* thuở typed thuowr: uow gave ươ, but open ươ is spelled uơ */
		if (d->uo_horn < 0)
			return 0;
		d->l[d->uo_horn].mod = LC_VN_MOD_NONE;
		if (!lc_vn_syllable_check(d->l, d->n, d->tone, &pos))
			return 0;
	}
	d->l[pos].tone = (uint8_t) d->tone;
	for (i = 0; i < d->n; i++)
		k += lc_vn_letter_encode(&d->l[i], out + k);
	out[k] = '\0';
	return k;
}

size_t
lc_vn_input_word(lc_vn_input method, const char *s, size_t len, char *out)
{
	decoder		d;
	size_t		i;

	if (len == 0 || len > LC_VN_INPUT_MAX_KEYS)
		return 0;
	memset(&d, 0, sizeof(d));
	d.uo_horn = -1;
	d.w_changed[0] = d.w_changed[1] = -1;
	for (i = 0; i < len; i++)
	{
		int			c = (unsigned char) s[i];
		int			upper = c >= 'A' && c <= 'Z';
		int			key = upper ? c + ('a' - 'A') : c;

		if (key >= 'a' && key <= 'z')
		{
			if (method == LC_VN_TELEX)
				telex_key(&d, key, upper);
			else
				vni_key(&d, key, upper);
		}
		else if (method == LC_VN_VNI && key >= '0' && key <= '9' && i > 0)
			vni_key(&d, key, upper);
		else
			return 0;
		d.prev_key = key;
	}
	return finish(&d, out);
}

/* ---- whole texts ---- */

size_t
lc_vn_input_bound(size_t len)
{
	/* every key adds at most 2 bytes: w -> ư; a toned vowel needs two keys */
	return 2 * len + 1;
}

static int
is_word_byte(lc_vn_input method, unsigned char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		(method == LC_VN_VNI && c >= '0' && c <= '9');
}

/*
 * Is chunk[0..len-1] lead-punctuation, words joined by '-', trail-punctuation?
 * Anything else (@ / : _ . inside, digits in Telex, non-ASCII) is left alone.
 */
static int
chunk_eligible(lc_vn_input method, const unsigned char *c, size_t len)
{
	size_t		i = 0;

	while (i < len && is_lead_punct(c[i]))
		i++;
	for (;;)
	{
		size_t		start = i;

		while (i < len && is_word_byte(method, c[i]))
			i++;
		if (i == start)
			return 0;
		if (i + 1 < len && c[i] == '-' && is_word_byte(method, c[i + 1]))
			i++;
		else
			break;
	}
	while (i < len && is_trail_punct(c[i]))
		i++;
	return i == len;
}

/* copy bytes that are valid UTF-8, dropping the others */
static size_t
copy_valid(const unsigned char *p, size_t len, char *out)
{
	size_t		i = 0,
				o = 0,
				adv;

	while (i < len)
	{
		if (lc_utf8_decode(p + i, len - i, &adv) == LC_UTF8_INVALID)
		{
			i++;
			continue;
		}
		memcpy(out + o, p + i, adv);
		o += adv;
		i += adv;
	}
	return o;
}

/*
 * Does the word press a key that changes letters (a tone, w, a doubled vowel
 * or d, a VNI digit)? Without one it decodes to itself or not at all, so the
 * decoder is skipped (most words of a text).
 */
static int
has_keys(lc_vn_input method, const unsigned char *w, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		int			k = w[i] | 0x20;

		if (method == LC_VN_VNI ? (w[i] >= '0' && w[i] <= '9') :
			(is_telex_key(k) ||
			 (i > 0 && (k == 'a' || k == 'e' || k == 'o' || k == 'd') && (w[i - 1] | 0x20) == k)))
			return 1;
	}
	return 0;
}

static size_t
decode_chunk(lc_vn_input method, const unsigned char *c, size_t len, char *out)
{
	size_t		i = 0,
				o = 0;

	while (i < len)
	{
		size_t		start = i,
					n;

		if (!is_word_byte(method, c[i]))
		{
			out[o++] = (char) c[i++];
			continue;
		}
		while (i < len && is_word_byte(method, c[i]))
			i++;
		n = 0;
		if (has_keys(method, c + start, i - start))
			n = lc_vn_input_word(method, (const char *) c + start, i - start, out + o);
		if (n == 0)
		{
			n = i - start;
			memcpy(out + o, c + start, n);
		}
		o += n;
	}
	return o;
}

size_t
lc_vn_input_decode(lc_vn_input method, const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0,
				o = 0;

	while (i < len)
	{
		size_t		start = i;

		if (p[i] <= ' ' || p[i] == 0x7F)
		{
			out[o++] = (char) p[i++];
			continue;
		}
		while (i < len && p[i] > ' ' && p[i] != 0x7F)
			i++;
		if (chunk_eligible(method, p + start, i - start))
			o += decode_chunk(method, p + start, i - start, out + o);
		else
			o += copy_valid(p + start, i - start, out + o);
	}
	out[o] = '\0';
	return o;
}

/*
 * src/core/vn_syllable.h - Vietnamese letters and syllables, shared inside the core.
 *
 * A word is handled as an array of letters (base, modifier, tone, case) so
 * that tone placement, validation and the Telex/VNI decoders work on the
 * spelling rather than on bytes. Public entry points are in vn_text.h.
 */
#ifndef LC_VN_SYLLABLE_H
#define LC_VN_SYLLABLE_H

#include <stddef.h>
#include <stdint.h>

/* the longest Vietnamese syllable has 7 letters (nghiêng) */
#define LC_VN_SYLLABLE_MAX 8

typedef enum lc_vn_mod
{
	LC_VN_MOD_NONE = 0,
	LC_VN_MOD_BREVE,			/* ă */
	LC_VN_MOD_CIRC,				/* â ê ô */
	LC_VN_MOD_HORN,				/* ơ ư */
	LC_VN_MOD_STROKE			/* đ */
} lc_vn_mod;

/* tones in the order of Telex s f r x j and VNI 1-5 */
typedef enum lc_vn_tone
{
	LC_VN_TONE_NONE = 0,
	LC_VN_TONE_SAC,				/* acute */
	LC_VN_TONE_HUYEN,			/* grave */
	LC_VN_TONE_HOI,				/* hook above */
	LC_VN_TONE_NGA,				/* tilde */
	LC_VN_TONE_NANG				/* dot below */
} lc_vn_tone;

typedef struct lc_vn_letter
{
	uint8_t		base;			/* lower-case ASCII letter a..z */
	uint8_t		mod;			/* lc_vn_mod */
	uint8_t		tone;			/* lc_vn_tone, vowels only */
	uint8_t		upper;			/* 1 if upper case */
} lc_vn_letter;

/* Letter of cp (ASCII letter or one of the 134 Vietnamese forms); 0 if none. */
extern int	lc_vn_letter_decode(uint32_t cp, lc_vn_letter *l);

/* UTF-8 of a letter (1 to 3 bytes); returns the bytes written. */
extern size_t lc_vn_letter_encode(const lc_vn_letter *l, char *out);

/* a, ă, â, e, ê, i, o, ô, ơ, u, ư, y (inline: the decoders ask for every key) */
static inline int
lc_vn_letter_is_vowel(const lc_vn_letter *l)
{
	unsigned	mods;				/* bit m set: modifier m is allowed on this base */

	switch (l->base)
	{
		case 'a':
			mods = 1u << LC_VN_MOD_NONE | 1u << LC_VN_MOD_BREVE | 1u << LC_VN_MOD_CIRC;
			break;
		case 'e':
			mods = 1u << LC_VN_MOD_NONE | 1u << LC_VN_MOD_CIRC;
			break;
		case 'o':
			mods = 1u << LC_VN_MOD_NONE | 1u << LC_VN_MOD_CIRC | 1u << LC_VN_MOD_HORN;
			break;
		case 'u':
			mods = 1u << LC_VN_MOD_NONE | 1u << LC_VN_MOD_HORN;
			break;
		case 'i':
		case 'y':
			mods = 1u << LC_VN_MOD_NONE;
			break;
		default:
			return 0;
	}
	return (mods >> l->mod) & 1u;
}

/*
 * Is l[0..n-1] a Vietnamese syllable when it carries tone (the tones on the
 * letters themselves are ignored)? On success *tone_pos is the letter that
 * carries the tone in the modern style (see vn_syllable.c).
 */
extern int	lc_vn_syllable_check(const lc_vn_letter *l, size_t n, int tone,
								 size_t *tone_pos);

/*
 * Where the modern style puts the tone of l[0..n-1] if it is a syllable, found
 * cheaply without validating it (same answer as lc_vn_syllable_check then).
 */
extern size_t lc_vn_tone_position(const lc_vn_letter *l, size_t n);

/* The rhyme spellings, in strcmp order (for test_syllable). */
extern const char *const *lc_vn_rhyme_table(size_t *n);

#endif							/* LC_VN_SYLLABLE_H */

/*
 * src/core/vn_text.h - Vietnamese text folding and normalization (no PostgreSQL).
 *
 * Contract of the core: input is (bytes, length), never NUL-terminated and
 * possibly not valid UTF-8; output goes into a caller buffer sized by the
 * matching *_bound() function; no globals, no locale, no allocation.
 */
#ifndef LC_VN_TEXT_H
#define LC_VN_TEXT_H

#include <stddef.h>

/* Bytes lc_fold() may write for an input of len bytes (plus a NUL). */
extern size_t lc_fold_bound(size_t len);

/*
 * Fold for matching: lower case, every diacritic removed, đ/Đ (and the
 * look-alike ETH ð/Ð) to d, zero-width characters dropped, runs of white
 * space and control characters collapsed to one space, trimmed. NFC and NFD
 * input fold alike. Bytes that are not valid UTF-8 are dropped. Writes a NUL
 * after the result; returns its length.
 */
extern size_t lc_fold(const char *s, size_t len, char *out);

/* Bytes lc_vn_normalize() may write for an input of len bytes (plus a NUL). */
extern size_t lc_vn_normalize_bound(size_t len);

/*
 * Canonical display form of NFC text (the caller normalizes to NFC first):
 * every word that spells a Vietnamese syllable gets its tone mark on the
 * letter the modern style (Decision 1989/QĐ-BGDĐT) chooses, so hòa/hoà,
 * khỏe/khoẻ, thủy/thuỷ, HÒA/HOÀ become one form; case and diacritics kept;
 * runs of white space and control characters collapsed to one space and
 * trimmed. Other words are copied as they are. Bytes that are not valid
 * UTF-8 are dropped. Writes a NUL after the result; returns its length.
 */
extern size_t lc_vn_normalize(const char *s, size_t len, char *out);

/*
 * Is s[0..len-1] (one NFC word, any case) a Vietnamese syllable: a valid
 * onset and rhyme, one tone at most, and a tone its rhyme allows (a stop
 * final c/ch/p/t takes only sắc or nặng)? The position of the tone mark is
 * not checked (hòa and hoà are both valid).
 */
extern int	lc_vn_syllable_valid(const char *s, size_t len);

/* Keyboard conventions of text typed without an input method. */
typedef enum lc_vn_input
{
	LC_VN_TELEX = 0,
	LC_VN_VNI = 1
} lc_vn_input;

/* Longest typed word lc_vn_input_word() considers, and its output buffer size. */
#define LC_VN_INPUT_MAX_KEYS 24
#define LC_VN_INPUT_WORD_OUT (2 * LC_VN_INPUT_MAX_KEYS + 1)

/*
 * Decode one typed word (ASCII letters, and digits for VNI) such as
 * "Nguyeenx" or "Nguye6n4". Returns the length of the NFC result written to
 * out (LC_VN_INPUT_WORD_OUT bytes, NUL added), tone in the modern position,
 * or 0 when the keys do not spell a Vietnamese syllable. A plain syllable
 * without keys ("an") decodes to itself.
 */
extern size_t lc_vn_input_word(lc_vn_input method, const char *s, size_t len, char *out);

/* Bytes lc_vn_input_decode() may write for an input of len bytes (plus a NUL). */
extern size_t lc_vn_input_bound(size_t len);

/*
 * Decode every typed word of a text. Only chunks (between ASCII white space)
 * made of words joined by '-' with leading ([{"' and trailing .,;:!?)]}"'
 * punctuation are considered, so e-mails, URLs, numbers and codes pass
 * unchanged; a word that does not decode to a syllable is kept as typed.
 * Bytes that are not valid UTF-8 are dropped. Writes a NUL; returns the length.
 */
extern size_t lc_vn_input_decode(lc_vn_input method, const char *s, size_t len, char *out);

/* Edit distance (optimal string alignment: a letter missing, extra, wrong, or
 * two neighbours swapped) of two byte strings; more than cap gives cap + 1. */
extern int	lc_edit_distance(const char *a, size_t alen, const char *b, size_t blen, int cap);

#endif							/* LC_VN_TEXT_H */

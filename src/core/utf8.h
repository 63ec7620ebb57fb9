/*
 * src/core/utf8.h - strict UTF-8 decoding and encoding shared by the core.
 *
 * Input may be any bytes (fuzzers, COPY of bad files): a sequence that is not
 * well-formed UTF-8 (overlong, surrogate, above U+10FFFF, truncated) decodes
 * as LC_UTF8_INVALID and advances one byte, so callers can skip or replace it.
 */
#ifndef LC_UTF8_H
#define LC_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define LC_UTF8_INVALID 0xFFFFFFFFu

/* Decode one code point at s[0..len-1] (len > 0); *adv gets the bytes used. */
static inline uint32_t
lc_utf8_decode(const unsigned char *s, size_t len, size_t *adv)
{
	uint32_t	c = s[0];
	uint32_t	min;
	size_t		n,
				i;

	*adv = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return LC_UTF8_INVALID;
	if (len < n)
		return LC_UTF8_INVALID;
	for (i = 1; i < n; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return LC_UTF8_INVALID;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return LC_UTF8_INVALID;
	*adv = n;
	return c;
}

/* Encode c (a valid scalar value) at out; returns the bytes written (1-4). */
static inline size_t
lc_utf8_encode(uint32_t c, char *out)
{
	unsigned char *o = (unsigned char *) out;

	if (c < 0x80)
	{
		o[0] = (unsigned char) c;
		return 1;
	}
	if (c < 0x800)
	{
		o[0] = (unsigned char) (0xC0 | (c >> 6));
		o[1] = (unsigned char) (0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000)
	{
		o[0] = (unsigned char) (0xE0 | (c >> 12));
		o[1] = (unsigned char) (0x80 | ((c >> 6) & 0x3F));
		o[2] = (unsigned char) (0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (unsigned char) (0xF0 | (c >> 18));
	o[1] = (unsigned char) (0x80 | ((c >> 12) & 0x3F));
	o[2] = (unsigned char) (0x80 | ((c >> 6) & 0x3F));
	o[3] = (unsigned char) (0x80 | (c & 0x3F));
	return 4;
}

#endif							/* LC_UTF8_H */

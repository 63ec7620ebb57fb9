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

#endif							/* LC_VN_TEXT_H */

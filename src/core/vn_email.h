/*
 * src/core/vn_email.h - e-mail addresses: validity and the matching key
 * (vietnam.md 8). No PostgreSQL.
 */
#ifndef LC_VN_EMAIL_H
#define LC_VN_EMAIL_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes lc_email_key() may write for an input of len bytes (NUL included). */
extern size_t lc_email_key_bound(size_t len);

/*
 * The key two spellings of one mailbox share, for finding duplicates (not for
 * sending): junk around the address removed (white space, "mailto:", a display
 * name with <angle brackets>, a trailing "." "," or ";"), lower case; for
 * gmail.com and googlemail.com the dots and a "+tag" of the local part dropped
 * and the domain gmail.com; for other providers known to deliver "+tag" mail
 * the tag dropped. Returns false, writing nothing useful, when what remains is
 * not a plausible address (ASCII only: internationalized addresses are not
 * accepted). Otherwise writes the key and a NUL and sets *key_len.
 */
extern bool lc_email_key(const char *s, size_t len, char *out, size_t *key_len);

#endif							/* LC_VN_EMAIL_H */

/*
 * src/core/vn_company.h - the matching key of a company name (vietnam.md 7).
 * No PostgreSQL.
 */
#ifndef LC_VN_COMPANY_H
#define LC_VN_COMPANY_H

#include <stddef.h>

/* Bytes lc_company_key() needs at out for an input of len bytes: the key and,
 * behind it, room to fold the input. */
extern size_t lc_company_key_bound(size_t len);

/*
 * The folded core name: legal forms removed from both ends (Công ty TNHH,
 * TNHH MTV, CTCP, Cty CP, DNTN, HTX, Tập đoàn, Tổng công ty, Chi nhánh ...;
 * Co., Ltd, JSC, LLC, Corp, Group ...), a trailing branch designation ("- Chi
 * nhánh Hà Nội") cut, then business-line abbreviations expanded (TM, DV, XD,
 * SX, XNK, TMDV, TM-DV, TM&DV, ĐTXD ...) and "và" between business-line words
 * dropped. Words are separated by one space. The last word is never removed as
 * a legal form, so only empty input gives an empty key. Writes a NUL after
 * the key and returns its length.
 */
extern size_t lc_company_key(const char *s, size_t len, char *out);

/* Every abbreviation expands to at most this many times its length + 1 bytes. */
#define LC_COMPANY_GROWTH 6

#endif							/* LC_VN_COMPANY_H */

/*
 * src/core/vn_name.h - Vietnamese personal names: the family-name table and
 * splitting a full name into family, middle and given name (vietnam.md 6).
 * No PostgreSQL.
 */
#ifndef LC_VN_NAME_H
#define LC_VN_NAME_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lc_family_name
{
	const char *folded;			/* "nguyen" */
	const char *written;		/* "Nguyễn" */
	const char *same_as;		/* the other form of the same name (Hoàng/Huỳnh, Vũ/Võ) or NULL */
	int			tier;			/* 1 Nguyễn, 2 rest of the top 14, 3 other frequent, 4 rarer */
	int			also_given;		/* also a common given or middle name (Hoàng, Mai, Hà ...) */
} lc_family_name;

/*
 * The family name a word of a name is, or NULL. The word may be in any case,
 * with or without diacritics; when it has precomposed diacritics they must be
 * the family name's ("Lệ" is not "Lê", "Nguyên" is not "Nguyễn"). Among
 * names that fold alike (Hà/Hạ) an undiacritized word gets the most frequent.
 */
extern const lc_family_name *lc_family_name_lookup(const char *word, size_t len);

/* Is a folded word (lc_fold output: "nguyen") a family name? */
extern bool lc_is_family_name(const char *folded, size_t len);

/* Where the parts are in the output of lc_parse_name; len 0 = absent. */
typedef struct lc_name_parts
{
	size_t		family_off,
				family_len;
	size_t		middle_off,
				middle_len;
	size_t		given_off,
				given_len;
} lc_name_parts;

/* Bytes lc_parse_name() needs at out for an input of len bytes. */
extern size_t lc_name_bound(size_t len);

/*
 * Split a full name. Words are title-cased (diacritics kept; Latin letters
 * only, other scripts as written) and separated by one space; bytes that are
 * not valid UTF-8 are dropped. Order: "Family, Given" with a comma is Western;
 * otherwise Vietnamese (family first) unless the last word is a family name
 * more frequent than the first word as a family name ("An Nguyen", "Van An
 * Nguyen"), or the first word is the middle-name marker Văn/Thị and the last
 * a family name. Compound family names (Hoàng Phủ, Tôn Thất ...) count as one
 * when a given name is left. One word is a given name.
 */
extern void lc_parse_name(const char *s, size_t len, char *out, lc_name_parts *parts);

#endif							/* LC_VN_NAME_H */

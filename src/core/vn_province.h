/*
 * src/core/vn_province.h - Vietnamese provinces: the 34 units of 2025, the 63
 * before them, their landline area codes, and matching of what users type.
 *
 * Units are numbered 1..LC_PROVINCE_UNITS in the order of vietnam.md 5.2;
 * 0 means "not a province".
 */
#ifndef LC_VN_PROVINCE_H
#define LC_VN_PROVINCE_H

#include <stddef.h>

#define LC_PROVINCE_UNITS 34

/* Bytes of work space lc_province_lookup() needs for an input of len bytes. */
extern size_t lc_province_work_bound(size_t len);

/*
 * The 2025 unit a province name, old (pre-2025) name, abbreviation or spelling
 * refers to, in any case, with or without diacritics, in either tone style,
 * with or without "Tỉnh"/"Thành phố"/"TP." in front or "City"/"Province"
 * behind. When the whole text is not a province, the last comma-separated
 * part is tried (addresses end with the province), skipping a trailing
 * "Việt Nam". Returns 0 when nothing matches.
 */
extern int	lc_province_lookup(const char *s, size_t len, char *work);

/* Canonical name of a unit ("TP. Hồ Chí Minh"), or NULL when out of range. */
extern const char *lc_province_name(int unit);

/* Aliases lc_province_lookup() knows, for the SQL view; kind is "current",
 * "pre_2025", "spelling", "abbreviation" or "town". */
extern size_t lc_province_alias_count(void);
extern void lc_province_alias_at(size_t i, const char **alias, int *unit, const char **kind);

/* Landline area codes (since 2017, digits after the trunk 0: 24, 236 ...). */
extern int	lc_area_code_unit(int code);	/* 2025 unit, 0 if no such code */
extern const char *lc_area_code_old_province(int code);	/* pre-2025 unit */
extern const char *lc_area_code_before_2017(int code);	/* e.g. "4" for 24 */

/* The current code of an old area code given as digits ("4" -> 24, "511" -> 236,
 * "18" -> 218), 0 when those digits are not an old code that changed. */
extern int	lc_area_code_renumbered(const char *digits, size_t len);

/* Iterate over the 63 codes in order, for the SQL view (i < count). */
extern size_t lc_area_code_count(void);
extern int	lc_area_code_at(size_t i);

#endif							/* LC_VN_PROVINCE_H */

/*
 * src/core/vn_phone.h - parsing and describing phone numbers (no PostgreSQL).
 *
 * A phone number is held as the digits of its E.164 form read as one integer
 * (+84912345678 -> 84912345678): country codes never start with 0, so the
 * integer gives the digits back, and 15 digits fit an int64 with room to
 * spare. Only canonical values exist: Vietnamese numbers in their current
 * form (old mobile prefixes and area codes already mapped).
 */
#ifndef LC_VN_PHONE_H
#define LC_VN_PHONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum lc_phone_status
{
	LC_PHONE_OK = 0,
	LC_PHONE_NO_DIGITS,			/* empty, or separators only */
	LC_PHONE_BAD_CHARACTER,		/* a letter or symbol no phone format uses */
	LC_PHONE_MISPLACED_PLUS,	/* "+" after digits, or twice */
	LC_PHONE_TOO_MANY_DIGITS,	/* more than E.164 allows (two numbers in one?) */
	LC_PHONE_BAD_LENGTH,		/* no Vietnamese number has this many digits */
	LC_PHONE_UNASSIGNED,		/* right length, prefix not in the numbering plan */
	LC_PHONE_BAD_COUNTRY,		/* "+CC" that is no country calling code */
	LC_PHONE_BAD_FOREIGN_LENGTH /* too short or long for that country */
} lc_phone_status;

typedef enum lc_phone_kind
{
	LC_PHONE_INVALID = 0,
	LC_PHONE_MOBILE,
	LC_PHONE_LANDLINE,
	LC_PHONE_TOLL_FREE,			/* 1800 */
	LC_PHONE_PREMIUM,			/* 1900 */
	LC_PHONE_SATELLITE,			/* VSAT 672 */
	LC_PHONE_FOREIGN
} lc_phone_kind;

/* Longest text any lc_phone_* formatter writes, NUL included. */
#define LC_PHONE_TEXT_MAX 24

/*
 * Parse what a user typed: "0912 345 678", "+84 91 234 5678", "(+84) 912-345-678",
 * "84912345678", "0084...", "+84 0912...", "912345678" (the 0 Excel drops),
 * old 11-digit mobiles ("0162 ..."), landlines with old or new area codes,
 * 1800/1900 numbers, and foreign numbers written with "+" or "00". On
 * LC_PHONE_OK *e164 holds the canonical number.
 */
extern lc_phone_status lc_phone_parse(const char *s, size_t len, int64_t *e164);

/* Is v a canonical number (what lc_phone_parse can produce)? For binary input. */
extern bool lc_phone_is_canonical(int64_t v);

/* "+84912345678"; returns the length. */
extern size_t lc_phone_format_e164(int64_t v, char *out);

/* How it is written in Vietnam: "0912 345 678", "024 3825 1234",
 * "0236 3821 234", "1800 1234"; foreign numbers in E.164. */
extern size_t lc_phone_format_national(int64_t v, char *out);

extern lc_phone_kind lc_phone_kind_of(int64_t v);
extern const char *lc_phone_kind_name(lc_phone_kind kind);

/* Network the mobile prefix was assigned to (NULL when none or unknown). */
extern const char *lc_phone_carrier(int64_t v);

/* 2025 province unit (vn_province.h) of a landline's area code, 0 otherwise. */
extern int	lc_phone_province_unit(int64_t v);

#endif							/* LC_VN_PHONE_H */

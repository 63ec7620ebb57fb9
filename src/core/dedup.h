/*
 * src/core/dedup.h - duplicate detection: per-field comparison levels of two
 * leads, Fellegi-Sunter match weights with a name term-frequency adjustment,
 * and EM estimation of the m probabilities. No PostgreSQL.
 *
 * A comparison gives a level (0 = strongest agreement, then weaker ones, the
 * last = disagreement) or LC_DD_NULL when a side has no value. Each level has
 * m = P(level | same person) and u = P(level | two random leads); the weight
 * of a pair is the sum of log2(m/u) over its non-null comparisons and its
 * score is the posterior probability 1 / (1 + 2^-(prior_log2_odds + weight)).
 */
#ifndef LC_DEDUP_H
#define LC_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LC_DD_NULL (-1)

typedef enum lc_dd_comparison
{
	LC_DD_NAME = 0,
	LC_DD_PHONE,
	LC_DD_EMAIL,
	LC_DD_COMPANY,
	LC_DD_PROVINCE,
	LC_DD_BIRTHDAY,
	LC_DD_FACEBOOK,
	LC_DD_NCMP
} lc_dd_comparison;

#define LC_DD_NLEV 6			/* most levels any comparison has */

typedef enum lc_dd_name_level
{
	LC_DD_NAME_EXACT = 0,		/* same words, in any order */
	LC_DD_NAME_NO_MIDDLE,		/* same family and given name, one middle name missing */
	LC_DD_NAME_CLOSE,			/* a typo, or Hoàng/Huỳnh, Vũ/Võ, with the given name kept */
	LC_DD_NAME_OTHER_MIDDLE,	/* same family and given name, different middle names */
	LC_DD_NAME_GIVEN_ONLY,		/* only the given name agrees */
	LC_DD_NAME_DIFFERENT
} lc_dd_name_level;

typedef enum lc_dd_phone_level
{
	LC_DD_PHONE_SAME_MOBILE = 0,
	LC_DD_PHONE_SAME_OTHER,		/* a shared landline (switchboard), 1800/1900 or foreign number */
	LC_DD_PHONE_ONE_DIGIT,		/* one digit mistyped or two swapped */
	LC_DD_PHONE_DIFFERENT
} lc_dd_phone_level;

typedef enum lc_dd_email_level
{
	LC_DD_EMAIL_SAME = 0,
	LC_DD_EMAIL_SAME_LOCAL,		/* same personal local part at another domain */
	LC_DD_EMAIL_DIFFERENT
} lc_dd_email_level;

typedef enum lc_dd_company_level
{
	LC_DD_COMPANY_SAME = 0,
	LC_DD_COMPANY_SIMILAR,
	LC_DD_COMPANY_DIFFERENT
} lc_dd_company_level;

typedef enum lc_dd_province_level
{
	LC_DD_PROVINCE_SAME = 0,
	LC_DD_PROVINCE_DIFFERENT
} lc_dd_province_level;

typedef enum lc_dd_birthday_level
{
	LC_DD_BIRTHDAY_SAME = 0,
	LC_DD_BIRTHDAY_CLOSE,		/* day and month swapped, one digit mistyped, or the year unknown */
	LC_DD_BIRTHDAY_DIFFERENT
} lc_dd_birthday_level;

typedef enum lc_dd_facebook_level
{
	LC_DD_FACEBOOK_SAME = 0,	/* same profile key (facebook.h) */
	LC_DD_FACEBOOK_DIFFERENT
} lc_dd_facebook_level;

/* Levels each comparison has. */
extern int	lc_dd_levels(lc_dd_comparison c);
/* Stable names for tables and reasons: "name", "exact" ... */
extern const char *lc_dd_comparison_name(lc_dd_comparison c);
extern const char *lc_dd_level_name(lc_dd_comparison c, int level);

/* ---- names ---- */

#define LC_DD_NAME_BYTES 120
#define LC_DD_NAME_WORDS 8
#define LC_DD_NAME_INPUT_MAX 240	/* longer names are compared on their start */

/*
 * A full name prepared for comparison: Telex residue decoded ("Nguyeenx" ->
 * Nguyễn, vn_text.h), parsed into family, middle and given name (vn_name.h),
 * each word folded, with the diacritics of each word kept aside when the
 * name was typed with them, so that Anh and Ánh, Trần and Trân, which fold
 * alike, are not the same word, and the typed form of each word Telex decoding
 * changed, for typos ("Turng" is no Tủng but Trung). Words beyond the limits
 * are dropped.
 * family_key is the family name with Hoàng/Huỳnh and Vũ/Võ mapped to one
 * form, for blocking.
 */
typedef struct lc_dd_name
{
	char		text[LC_DD_NAME_BYTES];	/* folded words, each NUL-terminated */
	unsigned char off[LC_DD_NAME_WORDS];
	unsigned char len[LC_DD_NAME_WORDS];
	uint32_t	marks[LC_DD_NAME_WORDS];	/* diacritics of each word (modifiers and tone) */
	unsigned char raw_off[LC_DD_NAME_WORDS];	/* the word as typed, folded, in text */
	unsigned char raw_len[LC_DD_NAME_WORDS];	/* 0: the same as the word */
	unsigned char nwords;
	unsigned char nfamily;		/* words [0, nfamily) */
	unsigned char ngiven;		/* the last ngiven words (0 or 1) */
	unsigned char accented;		/* typed with diacritics: marks can be compared */
	char		family_key[24];
} lc_dd_name;

extern void lc_dd_name_prepare(const char *s, size_t len, lc_dd_name *out);

/* Bytes lc_dd_name_key() may write, NUL included. */
#define LC_DD_NAME_KEY_MAX (LC_DD_NAME_BYTES + 24)
/*
 * Blocking key of a name: family key and given name, "nguyen an" for both
 * "Nguyễn Văn An" and "An Nguyen"; empty when the name has no words.
 * Returns its length.
 */
extern size_t lc_dd_name_key(const lc_dd_name *n, char *out);
/*
 * Key of the whole name in one order: family key, middle and given name,
 * "nguyen van an" for "Văn An Nguyễn" too. Exact name agreements are weighed
 * by how many leads share it.
 */
extern size_t lc_dd_name_full_key(const lc_dd_name *n, char *out);
extern int	lc_dd_compare_names(const lc_dd_name *a, const lc_dd_name *b);

/* ---- string similarity (bytes; names and keys are folded ASCII) ---- */
extern double lc_dd_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

/* ---- the other fields ---- */

/*
 * Phones: canonical numbers (vn_phone.h), the main one and alternates; 0
 * entries are ignored. *shared gets the shared number (0 if none).
 */
extern int	lc_dd_compare_phones(const int64_t *a, int na, const int64_t *b, int nb, int64_t *shared);
/*
 * E-mail keys (vn_email.h) as (pointer, length) lists; *which = index in a of
 * the agreeing key. The same local part at another domain counts only when it
 * is more than the name of either lead (aname, bname; may be NULL) spelled
 * out: namesakes make "ngannt" or "nguyenvana" at their own providers.
 */
extern int	lc_dd_compare_emails(const char *const *a, const size_t *alen, int na,
								 const char *const *b, const size_t *blen, int nb,
								 const lc_dd_name *aname, const lc_dd_name *bname, int *which);
/* Local parts longer than this are never taken for a spelled-out name. */
#define LC_DD_LOCAL_MAX 64
/*
 * Is the local part (letters, '.', '_', '-') spelled from the words of the
 * name, each word whole or as its initial, in any order? ("ngannt" for
 * Nguyễn Thị Ngân.) Digits make it the person's own choice: false.
 */
extern bool lc_dd_local_from_name(const char *local, size_t len, const lc_dd_name *n);
/* Company keys (vn_company.h). */
extern int	lc_dd_compare_companies(const char *a, size_t alen, const char *b, size_t blen);
/* Canonical province names (or any equal-means-same code). */
extern int	lc_dd_compare_provinces(const char *a, size_t alen, const char *b, size_t blen);

/*
 * A birthday: month 0 = none. Years up to LC_DD_YEAR_UNKNOWN are the
 * placeholders forms store when only the day and month were given
 * (1900-05-12 for "12/05").
 */
typedef struct lc_dd_date
{
	int			year;
	int			month;
	int			day;
} lc_dd_date;

#define LC_DD_YEAR_UNKNOWN 1900

/*
 * Same date; close: the same year with day and month swapped (both <= 12),
 * one digit of YYYYMMDD mistyped, or the same day and month with a year
 * unknown on a side; otherwise different. Null when a side has none.
 */
extern int	lc_dd_compare_birthdays(const lc_dd_date *a, const lc_dd_date *b);
/* Facebook profile keys (facebook.h). */
extern int	lc_dd_compare_facebook(const char *a, size_t alen, const char *b, size_t blen);

/* ---- Fellegi-Sunter ---- */

typedef struct lc_dd_params
{
	double		m[LC_DD_NCMP][LC_DD_NLEV];
	double		u[LC_DD_NCMP][LC_DD_NLEV];
	double		prior_log2_odds;	/* log2(lambda / (1 - lambda)), lambda = P(random pair is a match) */
	double		lead_count;		/* leads the u values and name frequencies refer to */
} lc_dd_params;

/* Defaults before a tenant's own data is known (documented in README). */
extern void lc_dd_default_params(lc_dd_params *p);

/*
 * Weight of a comparison vector. full_count and name_count are how many leads
 * of the tenant have the pair's full name key and name key (0 = unknown): for
 * an exact name agreement u becomes full_count / lead_count, for a missing
 * middle name name_count / lead_count, so a common name weighs little and a
 * rare one much. part[c] gets each comparison's weight (0 for null).
 */
extern double lc_dd_weight(const lc_dd_params *p, const int level[LC_DD_NCMP],
						   double full_count, double name_count, double part[LC_DD_NCMP]);
extern double lc_dd_score(const lc_dd_params *p, double weight);
/*
 * Is comparison c of this vector left out of the weight because another one
 * already counts the same evidence? (A shared landline and the same company.)
 */
extern bool lc_dd_redundant(const int level[LC_DD_NCMP], int c);
/*
 * The largest weight comparison c can add (its best level; for the name a
 * name no other lead has). Lets a caller stop comparing a pair once the
 * comparisons left cannot lift it to the threshold.
 */
extern double lc_dd_max_part(const lc_dd_params *p, lc_dd_comparison c);
/* Smallest weight whose score reaches min_score (inverse of lc_dd_score). */
extern double lc_dd_weight_for_score(const lc_dd_params *p, double min_score);

/* A distinct comparison vector and how many candidate pairs have it. */
typedef struct lc_dd_pattern
{
	signed char level[LC_DD_NCMP];
	double		count;
} lc_dd_pattern;

/*
 * EM for the two-class mixture of candidate pairs under conditional
 * independence: re-estimates p->m. With all_pairs > 0 (the number of pairs
 * of the tenant) u stays p->u, that of random pairs, and the pairs blocking
 * left out count as non-matches: the prior is the matches among all pairs,
 * as scores use it. With all_pairs <= 0 u of the candidate pairs is
 * estimated along (and not returned). Starts from p. Returns the number of
 * iterations; *match_share gets the estimated share of matches among the
 * candidate pairs. Levels that no pair has keep a small floor so that no
 * weight is infinite.
 */
extern int	lc_dd_em(const lc_dd_pattern *pat, size_t npat, lc_dd_params *p,
					 int max_iter, double all_pairs, double *match_share);

/*
 * Set u from level counts of random pairs (count[c][l]; null levels left out),
 * with add-one smoothing so that a level never seen in the sample keeps a
 * small probability.
 */
extern void lc_dd_set_u(lc_dd_params *p, const double count[LC_DD_NCMP][LC_DD_NLEV]);

#endif							/* LC_DEDUP_H */

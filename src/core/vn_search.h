/*
 * src/core/vn_search.h - Vietnamese search: what a query means, the index keys
 * of a lead, and how well a lead matches a query (no PostgreSQL).
 *
 * A query is read every way a salesperson may have typed it: its words as
 * typed (folded), decoded from Telex or VNI typed without an input method,
 * reduced to a company key (legal form dropped, abbreviations expanded); a
 * phone fragment as a whole number, a prefix or a suffix; an e-mail or the
 * start of one. The glue (src/search.c) looks each reading up with exact index
 * keys and the scorer here ranks the candidates (see vn_search.c).
 */
#ifndef LC_VN_SEARCH_H
#define LC_VN_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest query in characters; the glue refuses longer ones with an error. */
#define LC_SEARCH_MAX_CHARS 200
/* The core reads at most this many bytes (a character has at most 4). */
#define LC_SEARCH_MAX_BYTES (4 * LC_SEARCH_MAX_CHARS)

#define LC_SEARCH_WORDS 8			/* words of a query or a name part that count */
#define LC_SEARCH_WORD_BYTES 32		/* bytes of a folded word that count */
#define LC_SEARCH_SIG_BYTES (2 * LC_SEARCH_WORD_BYTES + 2)
#define LC_SEARCH_READINGS 4
#define LC_SEARCH_PHONES 12			/* phone interpretations (ranges) */
#define LC_SEARCH_PHONE_DIGITS 24	/* digits of a phone typed that count */
#define LC_SEARCH_EMAILS 3
#define LC_SEARCH_EMAIL_BYTES 96
#define LC_SEARCH_CORRECTIONS 48	/* typo corrections kept per word */

typedef enum lc_search_status
{
	LC_SEARCH_OK = 0,
	LC_SEARCH_EMPTY,			/* nothing searchable: empty, spaces, punctuation */
	LC_SEARCH_TOO_LONG			/* more than LC_SEARCH_MAX_BYTES bytes */
} lc_search_status;

typedef enum lc_search_reading_kind
{
	LC_READ_TYPED = 0,			/* the words as typed, folded */
	LC_READ_TELEX,				/* Telex keys typed without an input method, decoded */
	LC_READ_VNI,				/* VNI keys (digits), decoded */
	LC_READ_COMPANY				/* the company key of the query (legal form dropped) */
} lc_search_reading_kind;

typedef enum lc_search_role
{
	LC_ROLE_FAMILY = 0,
	LC_ROLE_MIDDLE,
	LC_ROLE_GIVEN,
	LC_ROLE_COMPANY
} lc_search_role;

typedef struct lc_search_word
{
	char		fold[LC_SEARCH_WORD_BYTES + 1]; /* lc_fold of the word */
	/* its diacritics (lc_search_signature); "" when unknown: a query typed
	 * without any diacritics, a company key word */
	char		sig[LC_SEARCH_SIG_BYTES];
	bool		lexical;		/* fold is a Vietnamese syllable */
} lc_search_word;

typedef struct lc_search_reading
{
	lc_search_reading_kind kind;
	int			nwords;
	lc_search_word words[LC_SEARCH_WORDS];
} lc_search_reading;

typedef enum lc_search_phone_kind
{
	LC_SEARCH_PHONE_FULL = 0,	/* the whole number (lo == the E.164 digits) */
	LC_SEARCH_PHONE_PREFIX,		/* E.164 digits in [lo, hi) */
	LC_SEARCH_PHONE_SUFFIX		/* the number ends with digits */
} lc_search_phone_kind;

typedef struct lc_search_phone
{
	lc_search_phone_kind kind;
	int64_t		lo,
				hi;
	char		digits[16];		/* SUFFIX: the digits typed, NUL-terminated */
} lc_search_phone;

typedef struct lc_search_email
{
	bool		exact;			/* text is a whole e-mail key, else a key prefix */
	char		text[LC_SEARCH_EMAIL_BYTES + 1];
} lc_search_email;

typedef struct lc_search_query
{
	int			nreadings;
	lc_search_reading readings[LC_SEARCH_READINGS];
	int			nphones;
	lc_search_phone phones[LC_SEARCH_PHONES];
	/* the start of the number in national digits (0912345), to match phones
	 * as typed (no valid number, or read as another); "" if none */
	char		phone_national[LC_SEARCH_PHONE_DIGITS + 1];
	int			nemails;
	lc_search_email emails[LC_SEARCH_EMAILS];
	/* the e-mail readings come from the same token as the words (a query
	 * "an.nguyen"): a lead matches by one or the other, not both */
	bool		email_is_alternative;
	bool		email_likely;	/* that token has dots, digits ...: rather an e-mail */
} lc_search_query;

/*
 * Read a query. Returns LC_SEARCH_EMPTY when nothing in it can be searched
 * (the lead list would be arbitrary) and LC_SEARCH_TOO_LONG past
 * LC_SEARCH_MAX_BYTES bytes; *q is then empty.
 */
extern lc_search_status lc_search_parse(const char *s, size_t len, lc_search_query *q);

/*
 * Diacritics of one word in a form that does not depend on how they were
 * typed: NFC, NFD or a mix (cp1258), tone mark on either vowel (hòa, hoà).
 * Letters lower case, a modifier as in Telex (â aa, ă aw, ê ee, ô oo, ơ ow,
 * ư uw, đ dd), then the tone as a digit 1-5 (sắc huyền hỏi ngã nặng) at the
 * end: "Nguyễn" -> "nguyeen4", "Hoà" and "Hòa" -> "hoa2". Other characters
 * are copied, control characters dropped. out needs 2 * len + 2 bytes; writes
 * a NUL, returns the length.
 */
extern size_t lc_search_signature(const char *s, size_t len, char *out);


/*
 * Vietnamese syllables one edit away from a folded word (letters a-z), the
 * likeliest typos first (transposition, extra letter, wrong letter, missing
 * letter); the word itself is not included. Writes at most max words of
 * LC_SEARCH_WORD_BYTES + 1 bytes each into out; returns how many.
 */
extern size_t lc_search_corrections(const char *fold, size_t len,
									char (*out)[LC_SEARCH_WORD_BYTES + 1], size_t max);

/*
 * The digits of a typed phone number in national form: 0084 and 84 before a
 * number (84 912..., +84 0912...) become its trunk 0. For numbers that are no
 * valid ones, which are kept as typed. out needs LC_SEARCH_PHONE_DIGITS + 1
 * bytes; returns the number of digits (at most LC_SEARCH_PHONE_DIGITS).
 */
extern size_t lc_search_phone_digits(const char *s, size_t len, char *out);

/* Is a folded word a Vietnamese syllable? */
extern bool lc_search_is_syllable(const char *fold, size_t len);

/*
 * Index keys of a lead: every word of its folded name and of its company key
 * ("17:nguyen"), the pairs of words both in the name ("17:n:an nguyen"), of
 * the given name and a company word ("17:x:an minh"), of neighbouring company
 * words ("17:c:minh phat"), and the whole name ("17:f:an nguyen van"). Words
 * of a pair or a whole name are in byte order, so word order does not
 * matter; the tenant in front keeps one tenant's search off another's
 * postings. At most LC_SEARCH_WORDS words of each. Writes the keys NUL-terminated one after the other into out
 * (LC_SEARCH_KEYS_BYTES bytes) and returns how many.
 */
#define LC_KEY_NAME 'n'
#define LC_KEY_CROSS 'x'
#define LC_KEY_COMPANY 'c'
#define LC_KEY_FULL 'f'
#define LC_SEARCH_KEY_BYTES (16 + 2 * LC_SEARCH_WORD_BYTES + 2)
#define LC_SEARCH_MAX_DOC_KEYS (2 * LC_SEARCH_WORDS + LC_SEARCH_WORDS * (LC_SEARCH_WORDS - 1) / 2 + \
								LC_SEARCH_WORDS * LC_SEARCH_WORDS + LC_SEARCH_WORDS)
#define LC_SEARCH_FULL_KEY_BYTES (16 + LC_SEARCH_WORDS * (LC_SEARCH_WORD_BYTES + 1))
#define LC_SEARCH_KEYS_BYTES (LC_SEARCH_MAX_DOC_KEYS * LC_SEARCH_KEY_BYTES + LC_SEARCH_FULL_KEY_BYTES)
extern size_t lc_search_doc_keys(int32_t tenant, const char *name_fold, size_t name_len,
								 const char *company_key, size_t company_len, char *out);

/*
 * Keys a lead has (all of them) when a reading matches it exactly within one
 * field: the pairs of neighbouring words of the given type (LC_KEY_NAME or
 * LC_KEY_COMPANY), or the word alone. At most LC_SEARCH_WORDS keys, same
 * format as lc_search_doc_keys. Returns how many.
 */
extern size_t lc_search_exact_keys(const lc_search_reading *r, int32_t tenant, char type,
								   char *out);

/* The whole-name key of a reading (its words as one name); returns its
 * length with the NUL, out needs LC_SEARCH_FULL_KEY_BYTES bytes. */
extern size_t lc_search_full_key(const lc_search_reading *r, int32_t tenant, char *out);

/*
 * The same across fields: the first split words of the reading are the name
 * and the others the company (or the other way round), An | Minh Phát. Keys:
 * the name pairs within the name part, the company pairs within the company
 * part, and where they meet the pair of the given name and a company word.
 * Returns how many (0 when split is not inside the reading).
 */
extern size_t lc_search_split_keys(const lc_search_reading *r, int32_t tenant, int split,
								   bool company_first, char *out);

/* How often words occur among a tenant's leads (share 0..1), words sorted in
 * byte order; the glue fills it from the search index's statistics. */
typedef struct lc_search_vocabulary
{
	const char *const *words;
	const float *share;
	size_t		n;
} lc_search_vocabulary;

/* The share of a word in the vocabulary, 0 when unknown or v is NULL. */
extern float lc_search_vocabulary_share(const lc_search_vocabulary *v, const char *word,
										size_t len);

/*
 * Whole-name keys for a reading of two words or more with a typo in any of
 * its words: every combination of the likeliest alternatives of each word
 * (the word itself, then its corrections the leads have most often; a word
 * that is no syllable last), as many as fit budget: each list grows where
 * the next alternative adds the most chance per key (a word with one likely
 * correction leaves the budget to a word with many). out needs budget *
 * LC_SEARCH_FULL_KEY_BYTES bytes.
 * Returns how many keys.
 */
extern size_t lc_search_fuzzy_full_keys(const lc_search_reading *r, int32_t tenant,
										const lc_search_vocabulary *v, size_t budget,
										char *out);

/*
 * Keys for a reading with a typo in any of its words: for each pair of
 * neighbouring words one group of keys, the pairs (all three types) of each
 * word or one of its corrections with the other or one of its corrections (a
 * one-word reading: one group of the word and its corrections). A lead
 * matching has a key of every group. Corrections the leads have most often
 * (v, may be NULL) come first, and the others are dropped from the end so
 * that all groups together stay within budget keys. Writes group after group,
 * their sizes into group_sizes (LC_SEARCH_WORDS entries); returns the number
 * of groups (0 when no word can be corrected). out needs budget *
 * LC_SEARCH_KEY_BYTES bytes.
 */
extern int	lc_search_fuzzy_keys(const lc_search_reading *r, int32_t tenant,
								 const lc_search_vocabulary *v, size_t budget,
								 char *out, size_t *group_sizes);

/*
 * The document pg_trgm indexes: the folded name and the company key, one
 * space between. out needs name_len + company_len + 2 bytes; returns the length.
 */
extern size_t lc_search_document(const char *name_fold, size_t name_len,
								 const char *company_key, size_t company_len, char *out);

/* What the trigram fallback looks for: the words of the typed reading that
 * no reading explains as a syllable, folded, space separated; "" if none.
 * out needs LC_SEARCH_WORDS * (LC_SEARCH_WORD_BYTES + 1) bytes. */
extern size_t lc_search_unexplained_words(const lc_search_query *q, char *out);

/* A lead as the scorer sees it. */
typedef struct lc_search_candidate
{
	const char *name;			/* full_name as typed (any normalization) */
	size_t		name_len;
	const char *company_key;	/* normalize_company(company_name) or NULL */
	size_t		company_len;
	const char *company_name;	/* as typed, for the diacritics of company words, or NULL */
	size_t		company_name_len;
	int64_t		phone;			/* E.164 digits, 0 when none */
	/* the digits of the phone as typed (lc_search_phone_digits), or NULL */
	const char *phone_digits;
	size_t		phone_digits_len;
	const char *email_key;		/* normalize_email(email) or NULL */
	size_t		email_len;
} lc_search_candidate;

/* what matched, for the "matched" column */
#define LC_MATCH_NAME			0x01	/* every name word typed matched with its diacritics */
#define LC_MATCH_NAME_FOLDED	0x02	/* some only without diacritics */
#define LC_MATCH_NAME_TYPO		0x04	/* some with a typo or as a prefix */
#define LC_MATCH_COMPANY		0x08
#define LC_MATCH_COMPANY_TYPO	0x10
#define LC_MATCH_PHONE			0x20
#define LC_MATCH_EMAIL			0x40

typedef struct lc_search_result
{
	float		score;			/* 0 (nothing) .. 1 (everything typed, exactly) */
	int			fields;			/* how many of name, company, phone, e-mail matched */
	unsigned	matched;		/* LC_MATCH_* bits */
} lc_search_result;

/* Bytes of work space lc_search_score() needs for a name of name_len bytes. */
extern size_t lc_search_score_work_bound(size_t name_len);

/*
 * How well a lead matches the query. The words of each reading are aligned
 * with the lead's name words (parsed as family, middle, given) and company
 * words in any order, each with its best lead word: with its diacritics 1,
 * only folded alike 0.7 (when the query has diacritics), one edit apart 0.6,
 * a prefix 0.5, two edits apart in long words 0.3; a given name weighs 1, a
 * family name 0.8, a middle name 0.6, a company word 0.8 (and counts 0.95 of
 * its level unless the whole company name matched: part of a company name
 * says less about who is meant; 0.8 when neither of its neighbours in the
 * company name matched: one word, Phát of Minh Phát, is in thousands of
 * company names). The weighted mean, less penalties, is the reading's score
 * and the best reading counts:
 *   name parts left unmatched: given 0.08, family 0.04, each middle 0.01;
 *   company words left unmatched: 0.01 each, at most 0.05, and 0.08 when
 *   nothing of the name matched (a lead found by part of its company only);
 *   a name whose parts are not where the query has them, read in
 *   Vietnamese order or one of the Western ones (An Nguyen, Van An Nguyen),
 *   whichever fits best (Anh Tuấn for Tuấn Anh): 0.03 a word; a name with a
 *   typo read in a Western order 0.06 (the Vietnamese order wins a tie);
 *   words split between name and company 0.03, the company first 0.05,
 *   interleaved (name, company, name) 0.1 a block.
 * Phone and e-mail parts count 1 (whole number or key) or 0.9 (prefix,
 * suffix). work needs lc_search_score_work_bound(name_len) bytes.
 */
extern void lc_search_score(const lc_search_query *q, const lc_search_candidate *c,
							char *work, lc_search_result *res);

/*
 * Result order. The caller sorts its leads by score (ties broken as it likes:
 * fields matched, recency, id), numbers them 0.. in that order (pos) and gives
 * namesakes, leads of the same name, the same name number. Among the leads
 * scoring at least LC_SEARCH_NAMESAKE_SHARE of the best, at most
 * LC_SEARCH_NAMESAKES of one name come before the next of every other name,
 * and leads of equal score take turns by name (the first of each name, then
 * the second ...): a query that reads several ways equally well (a typo
 * that is Oanh or Loan or An) shows every reading before the namesakes of one.
 * Reorders items[0..n) in place; returns n.
 */
#define LC_SEARCH_NAMESAKES 5
#define LC_SEARCH_NAMESAKE_SHARE 0.8f
typedef struct lc_search_ranked
{
	float		score;
	int			name;			/* equal for namesakes */
	int			pos;			/* place in the caller's order */
	int			nth;			/* set here: namesakes before it */
} lc_search_ranked;
extern size_t lc_search_order(lc_search_ranked *items, size_t n);

#endif							/* LC_VN_SEARCH_H */

/*
 * src/core/vn_phone.c - Vietnamese (and foreign) phone numbers, vietnam.md 4.
 *
 * Parsing is two steps: collect the digits and the "+" from what was typed,
 * then decide what the digits mean. A Vietnamese national significant number
 * (NSN, the digits after the trunk 0) is read in its current meaning first and
 * only then as an old form:
 *   9 digits   current mobile (the carrier prefixes of 4.3 within the ranges
 *              of 4.2) or VSAT 672; else VSAT 992 renumbered to 672 in 2018;
 *              else an old landline (area code 4 / 8 + 8 digits, or a 2-digit
 *              code + 7). So old HCMC "08 3823 4567" reads as the VinaPhone
 *              mobile 083 823 4567: a current number wins, as the brief asks.
 *              030 and 031 are inside the 4.2 mobile range but no carrier has
 *              them, so "031 xxx xxxx" is old Hải Phòng, the only real number
 *              it can be.
 *   10 digits  current landline (code + 7 digits, or 24/28 + 8); else an old
 *              11-digit mobile (2018 table, 4.4); else 1800/1900 + 6 digits;
 *              else an old 3-digit area code + 7 digits.
 *   8-10       1800 (toll free) / 1900 (premium) + 4-6 digits; 1201, 1203,
 *              1228 + 4 (toll free, 4.2).
 * Not accepted: M2M ranges (1x0, 121x), UAN 199x/799x/69x and emergency
 * numbers, which are never a person's or a company's phone.
 */
#include "core/vn_phone.h"

#include <string.h>

#include "core/generated/phone_countries.h"
#include "core/vn_province.h"

/* "00" + 15 digits + a stray trunk 0 at most; more is several numbers, or noise */
#define MAX_DIGITS 18
#define E164_MAX 15

typedef enum carrier
{
	NO_CARRIER = 0, VIETTEL, VINAPHONE, MOBIFONE, VIETNAMOBILE, GMOBILE, ITELECOM, VSAT
} carrier;

static const char *const carrier_names[] = {
	NULL, "Viettel", "VinaPhone", "MobiFone", "Vietnamobile", "Gmobile", "Itelecom", "VSAT"
};

/*
 * Current mobile prefixes of the NSN (4.3 carriers within the 4.2 ranges).
 * 051, 0528, 0559, 095, 0990 and 0991 are in the 4.2 ranges without a known carrier.
 */
typedef struct mobile_prefix
{
	short		prefix;			/* 2 or 3 digits */
	carrier		carrier;
} mobile_prefix;

static const mobile_prefix mobile_prefixes[] = {
	{32, VIETTEL}, {33, VIETTEL}, {34, VIETTEL}, {35, VIETTEL}, {36, VIETTEL},
	{37, VIETTEL}, {38, VIETTEL}, {39, VIETTEL}, {86, VIETTEL}, {96, VIETTEL},
	{97, VIETTEL}, {98, VIETTEL},
	{81, VINAPHONE}, {82, VINAPHONE}, {83, VINAPHONE}, {84, VINAPHONE},
	{85, VINAPHONE}, {88, VINAPHONE}, {91, VINAPHONE}, {94, VINAPHONE},
	{70, MOBIFONE}, {76, MOBIFONE}, {77, MOBIFONE}, {78, MOBIFONE}, {79, MOBIFONE},
	{90, MOBIFONE}, {93, MOBIFONE}, {896, MOBIFONE}, {897, MOBIFONE},
	{898, MOBIFONE}, {899, MOBIFONE},
	{92, VIETNAMOBILE}, {56, VIETNAMOBILE}, {58, VIETNAMOBILE},
	{522, VIETNAMOBILE}, {523, VIETNAMOBILE},
	{59, GMOBILE}, {993, GMOBILE}, {994, GMOBILE}, {995, GMOBILE}, {996, GMOBILE},
	{997, GMOBILE},
	{87, ITELECOM}, {998, ITELECOM}, {999, ITELECOM},
	{51, NO_CARRIER}, {95, NO_CARRIER}, {528, NO_CARRIER}, {559, NO_CARRIER}, {990, NO_CARRIER},
	{991, NO_CARRIER},
};

/* 4.4: 11-digit mobile prefixes (NSN 1xx) and their 2-digit replacements */
static const short mobile_2018[][2] = {
	{162, 32}, {163, 33}, {164, 34}, {165, 35}, {166, 36}, {167, 37}, {168, 38},
	{169, 39}, {120, 70}, {121, 79}, {122, 77}, {126, 76}, {128, 78}, {123, 83},
	{124, 84}, {125, 85}, {127, 81}, {129, 82}, {186, 56}, {188, 58}, {199, 59},
};

/* what the digits of a Vietnamese NSN turned out to be */
typedef struct vn_number
{
	char		nsn[E164_MAX];	/* current form */
	int			len;
	lc_phone_kind kind;
	carrier		carrier;
} vn_number;

static int
digits_value(const char *d, int n)
{
	int			v = 0;

	while (n-- > 0)
		v = v * 10 + (*d++ - '0');
	return v;
}

static const mobile_prefix *
find_mobile(const char *d)
{
	int			p2 = digits_value(d, 2),
				p3 = digits_value(d, 3);
	size_t		i;

	for (i = 0; i < sizeof(mobile_prefixes) / sizeof(mobile_prefixes[0]); i++)
		if (mobile_prefixes[i].prefix == (mobile_prefixes[i].prefix < 100 ? p2 : p3))
			return &mobile_prefixes[i];
	return NULL;
}

static void
set_number(vn_number *num, const char *d, int n, lc_phone_kind kind, carrier c)
{
	memcpy(num->nsn, d, (size_t) n);
	num->len = n;
	num->kind = kind;
	num->carrier = c;
}

/* a current landline: area code of 4.5 + 7 digits, Hà Nội 24 / HCMC 28 + 8 (4.2) */
static bool
is_current_landline(const char *d, int n)
{
	int			code2 = digits_value(d, 2);

	if (n != 10 || d[0] != '2')
		return false;
	if (code2 == 24)
		return d[2] >= '2' && d[2] <= '8';
	if (code2 == 28)
		return d[2] >= '2';
	return lc_area_code_unit(digits_value(d, 3)) != 0;
}

/* the decimal digits of code (2 or 3 of them) at out; returns how many */
static int
put_code(int code, char *out)
{
	int			k = code < 100 ? 2 : 3;
	int			i;

	for (i = k - 1; i >= 0; i--, code /= 10)
		out[i] = (char) ('0' + code % 10);
	return k;
}

/* old area code of code_len digits at d + subscriber -> current landline */
static bool
renumber_landline(const char *d, int n, int code_len, vn_number *num)
{
	int			code = lc_area_code_renumbered(d, (size_t) code_len);
	char		buf[E164_MAX];
	int			k;

	if (code == 0)
		return false;
	k = put_code(code, buf);
	if (k + n - code_len != 10)
		return false;			/* the subscriber number has the wrong length */
	memcpy(buf + k, d + code_len, (size_t) (n - code_len));
	if (!is_current_landline(buf, 10))
		return false;
	set_number(num, buf, 10, LC_PHONE_LANDLINE, NO_CARRIER);
	return true;
}

/* 1800 / 1900 + 4-6 digits, 1201 / 1203 / 1228 + 4 */
static bool
service_number(const char *d, int n, vn_number *num)
{
	int			p4 = digits_value(d, 4);

	if ((p4 == 1800 || p4 == 1900) && n >= 8 && n <= 10)
	{
		set_number(num, d, n, p4 == 1800 ? LC_PHONE_TOLL_FREE : LC_PHONE_PREMIUM, NO_CARRIER);
		return true;
	}
	if ((p4 == 1201 || p4 == 1203 || p4 == 1228) && n == 8)
	{
		set_number(num, d, n, LC_PHONE_TOLL_FREE, NO_CARRIER);
		return true;
	}
	return false;
}

static bool
nine_digits(const char *d, vn_number *num)
{
	const mobile_prefix *m = find_mobile(d);
	char		buf[9];

	if (m)
	{
		set_number(num, d, 9, LC_PHONE_MOBILE, m->carrier);
		return true;
	}
	if (memcmp(d, "672", 3) == 0 || memcmp(d, "992", 3) == 0)
	{
		memcpy(buf, "672", 3);
		memcpy(buf + 3, d + 3, 6);
		set_number(num, buf, 9, LC_PHONE_SATELLITE, VSAT);
		return true;
	}
	return renumber_landline(d, 9, 1, num) || renumber_landline(d, 9, 2, num);
}

static bool
ten_digits(const char *d, vn_number *num)
{
	int			p3 = digits_value(d, 3);
	size_t		i;

	if (is_current_landline(d, 10))
	{
		set_number(num, d, 10, LC_PHONE_LANDLINE, NO_CARRIER);
		return true;
	}
	for (i = 0; i < sizeof(mobile_2018) / sizeof(mobile_2018[0]); i++)
		if (mobile_2018[i][0] == p3)
		{
			char		buf[9];

			put_code(mobile_2018[i][1], buf);
			memcpy(buf + 2, d + 3, 7);	/* the last 7 digits stay */
			return nine_digits(buf, num);
		}
	return renumber_landline(d, 10, 3, num);
}

/* A Vietnamese NSN (no trunk 0) in any of its forms -> current form. */
static lc_phone_status
classify_vn(const char *d, int n, vn_number *num)
{
	if (n < 8 || n > 10)
		return LC_PHONE_BAD_LENGTH;
	if (d[0] == '1' && service_number(d, n, num))
		return LC_PHONE_OK;
	if (n == 9 && nine_digits(d, num))
		return LC_PHONE_OK;
	if (n == 10 && ten_digits(d, num))
		return LC_PHONE_OK;
	return n == 8 ? LC_PHONE_BAD_LENGTH : LC_PHONE_UNASSIGNED;
}

static const lc_phone_country *
find_country(const char *d, int n)
{
	size_t		i;

	for (i = 0; i < sizeof(lc_phone_countries) / sizeof(lc_phone_countries[0]); i++)
	{
		const lc_phone_country *c = &lc_phone_countries[i];

		if (c->cc_len <= n && digits_value(d, c->cc_len) == c->cc)
			return c;			/* calling codes are prefix-free */
	}
	return NULL;
}

static int64_t
to_int64(const char *d, int n)
{
	int64_t		v = 0;

	while (n-- > 0)
		v = v * 10 + (*d++ - '0');
	return v;
}

static int64_t
pow10_int64(int n)
{
	int64_t		p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

static lc_phone_status
parse_vn(const char *d, int n, int64_t *e164)
{
	vn_number	num;
	lc_phone_status st;

	if (n > 0 && d[0] == '0')	/* "+84 0912...": the trunk 0 kept by habit */
		d++, n--;
	st = classify_vn(d, n, &num);
	if (st == LC_PHONE_OK)
		*e164 = 84 * pow10_int64(num.len) + to_int64(num.nsn, num.len);
	return st;
}

/* digits after "+" or "00" */
static lc_phone_status
parse_international(const char *d, int n, int64_t *e164)
{
	const lc_phone_country *c;
	int			nsn;

	if (n >= 2 && d[0] == '8' && d[1] == '4')
		return parse_vn(d + 2, n - 2, e164);
	c = find_country(d, n);
	if (c == NULL)
		return LC_PHONE_BAD_COUNTRY;
	nsn = n - c->cc_len;
	if (c->trunk0 && nsn > 0 && d[(int) c->cc_len] == '0')
	{
		/* "+44 (0)20 ...": drop the trunk 0 written after the country code */
		char		buf[MAX_DIGITS];

		memcpy(buf, d, (size_t) c->cc_len);
		memcpy(buf + c->cc_len, d + c->cc_len + 1, (size_t) (nsn - 1));
		return parse_international(buf, n - 1, e164);
	}
	if (nsn < c->min_len || nsn > c->max_len || n > E164_MAX)
		return LC_PHONE_BAD_FOREIGN_LENGTH;
	*e164 = to_int64(d, n);
	return LC_PHONE_OK;
}

static bool
is_separator(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.' ||
		c == '-' || c == '/' || c == '(' || c == ')';
}

/*
 * Digits and "+" of s. Besides ASCII separators, a no-break space (Excel) and
 * the Unicode dashes (word processors) separate; a leading "tel:" (links) and
 * a leading apostrophe (Excel's text marker, '0912...) are ignored.
 */
static lc_phone_status
scan(const char *s, size_t len, char *digits, int *nd, bool *plus)
{
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + len;

	*nd = 0;
	*plus = false;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\''))
		p++;
	if (end - p >= 4 && (p[0] | 0x20) == 't' && (p[1] | 0x20) == 'e' &&
		(p[2] | 0x20) == 'l' && p[3] == ':')
		p += 4;
	while (p < end)
	{
		if (*p >= '0' && *p <= '9')
		{
			if (*nd == MAX_DIGITS)
				return LC_PHONE_TOO_MANY_DIGITS;
			digits[(*nd)++] = (char) *p++;
		}
		else if (is_separator(*p))
			p++;
		else if (*p == '+')
		{
			if (*nd > 0 || *plus)
				return LC_PHONE_MISPLACED_PLUS;
			*plus = true;
			p++;
		}
		else if (end - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
			p += 2;				/* no-break space */
		else if (end - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95)
			p += 3;				/* U+2010..U+2015 dashes */
		else
			return LC_PHONE_BAD_CHARACTER;
	}
	return *nd == 0 ? LC_PHONE_NO_DIGITS : LC_PHONE_OK;
}

lc_phone_status
lc_phone_parse(const char *s, size_t len, int64_t *e164)
{
	char		d[MAX_DIGITS];
	int			n;
	bool		plus;
	lc_phone_status st = scan(s, len, d, &n, &plus);

	if (st != LC_PHONE_OK)
		return st;
	if (plus)
		return parse_international(d, n, e164);
	if (n >= 2 && d[0] == '0' && d[1] == '0')
		return parse_international(d + 2, n - 2, e164);
	if (d[0] == '0')
		return parse_vn(d, n, e164);	/* national form: parse_vn drops the 0 */
	if (n >= 11 && d[0] == '8' && d[1] == '4')
		return parse_vn(d + 2, n - 2, e164);	/* "84912345678": + forgotten */
	return parse_vn(d, n, e164);	/* "912345678": the 0 Excel dropped */
}

/* digits of v into d (no NUL); returns the count */
static int
value_digits(int64_t v, char *d)
{
	char		tmp[20];
	int			n = 0,
				i;

	if (v <= 0)
		return 0;
	while (v > 0 && n < 20)
	{
		tmp[n++] = (char) ('0' + v % 10);
		v /= 10;
	}
	for (i = 0; i < n; i++)
		d[i] = tmp[n - 1 - i];
	return n;
}

/* the Vietnamese NSN of a canonical value; false when v is not +84... */
static bool
vn_nsn(int64_t v, char *d, int *n)
{
	char		all[20];
	int			k = value_digits(v, all);

	if (k < 10 || k > 12 || all[0] != '8' || all[1] != '4')
		return false;
	*n = k - 2;
	memcpy(d, all + 2, (size_t) *n);
	return true;
}

/* kind and carrier of a canonical value */
static lc_phone_kind
describe(int64_t v, vn_number *num)
{
	char		d[20];
	int			n;

	if (!vn_nsn(v, d, &n))
		return lc_phone_is_canonical(v) ? LC_PHONE_FOREIGN : LC_PHONE_INVALID;
	if (classify_vn(d, n, num) != LC_PHONE_OK || num->len != n || memcmp(num->nsn, d, (size_t) n) != 0)
		return LC_PHONE_INVALID;
	return num->kind;
}

bool
lc_phone_is_canonical(int64_t v)
{
	char		d[20];
	int			n = value_digits(v, d);
	int64_t		again;

	if (n == 0 || n > E164_MAX)
		return false;
	if (n >= 2 && d[0] == '8' && d[1] == '4')
	{
		vn_number	num;

		return classify_vn(d + 2, n - 2, &num) == LC_PHONE_OK &&
			num.len == n - 2 && memcmp(num.nsn, d + 2, (size_t) num.len) == 0;
	}
	/* foreign: valid as written, and no trunk 0 to drop */
	return parse_international(d, n, &again) == LC_PHONE_OK && again == v;
}

size_t
lc_phone_format_e164(int64_t v, char *out)
{
	int			n = value_digits(v, out + 1);

	out[0] = '+';
	out[n + 1] = '\0';
	return (size_t) n + 1;
}

/* out <- "0" (if trunk) + groups of d separated by spaces */
static size_t
grouped(const char *d, int n, bool trunk, const int *groups, char *out)
{
	char	   *o = out;
	int			g;

	if (trunk)
		*o++ = '0';
	for (g = 0; n > 0; g++)
	{
		int			k = groups[g] > 0 && groups[g] < n ? groups[g] : n;

		if (g > 0)
			*o++ = ' ';
		memcpy(o, d, (size_t) k);
		o += k, d += k, n -= k;
	}
	*o = '\0';
	return (size_t) (o - out);
}

size_t
lc_phone_format_national(int64_t v, char *out)
{
	/* libphonenumber's VN formats (4.2) */
	static const int mobile[] = {3, 3, 3};
	static const int big_city[] = {2, 4, 4};
	static const int province[] = {3, 4, 3};
	static const int service[] = {4, 0};
	static const int satellite[] = {2, 3, 2, 2};
	vn_number	num;
	char		d[20];
	int			n;

	switch (describe(v, &num))
	{
		case LC_PHONE_MOBILE:
			vn_nsn(v, d, &n);
			return grouped(d, n, true, mobile, out);
		case LC_PHONE_LANDLINE:
			vn_nsn(v, d, &n);
			return grouped(d, n, true, (d[1] == '4' || d[1] == '8') ? big_city : province, out);
		case LC_PHONE_TOLL_FREE:
		case LC_PHONE_PREMIUM:
			vn_nsn(v, d, &n);
			return grouped(d, n, false, service, out);
		case LC_PHONE_SATELLITE:
			vn_nsn(v, d, &n);
			return grouped(d, n, true, satellite, out);
		case LC_PHONE_FOREIGN:
		case LC_PHONE_INVALID:
			break;
	}
	return lc_phone_format_e164(v, out);
}

lc_phone_kind
lc_phone_kind_of(int64_t v)
{
	vn_number	num;

	return describe(v, &num);
}

const char *
lc_phone_kind_name(lc_phone_kind kind)
{
	static const char *const names[] = {
		NULL, "mobile", "landline", "toll_free", "premium", "satellite", "foreign"
	};

	return (int) kind >= 0 && (size_t) kind < sizeof(names) / sizeof(names[0]) ? names[kind] : NULL;
}

const char *
lc_phone_carrier(int64_t v)
{
	vn_number	num;
	lc_phone_kind kind = describe(v, &num);

	return kind == LC_PHONE_MOBILE || kind == LC_PHONE_SATELLITE ? carrier_names[num.carrier] : NULL;
}

int
lc_phone_province_unit(int64_t v)
{
	vn_number	num;
	char		d[20];
	int			n;

	if (describe(v, &num) != LC_PHONE_LANDLINE || !vn_nsn(v, d, &n))
		return 0;
	if (d[1] == '4' || d[1] == '8')
		return lc_area_code_unit(digits_value(d, 2));
	return lc_area_code_unit(digits_value(d, 3));
}

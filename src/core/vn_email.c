/*
 * src/core/vn_email.c - e-mail matching key and validity.
 *
 * Validity is the dot-atom form of RFC 5321/5322 that providers hand out
 * (quoted local parts and IP-literal domains are legal but never seen in CRM
 * data, so they count as malformed), with a domain of at least two labels and
 * a top-level label of letters or an IDNA "xn--" label.
 */
#include "core/vn_email.h"

#include <string.h>

#define LOCAL_MAX 64
#define DOMAIN_MAX 253
#define LABEL_MAX 63

size_t
lc_email_key_bound(size_t len)
{
	return len + 1;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
}

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* RFC 5322 atext (of lower-cased text) */
static bool
is_atext(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static bool
has_prefix_ci(const char *p, const char *e, const char *prefix)
{
	size_t		n = strlen(prefix),
				i;

	if ((size_t) (e - p) < n)
		return false;
	for (i = 0; i < n; i++)
		if (lower(p[i]) != prefix[i])
			return false;
	return true;
}

/* trim white space and no-break spaces from both ends of [*p, *e) */
static void
trim(const char **p, const char **e)
{
	for (;;)
	{
		if (*p < *e && is_space((unsigned char) **p))
			(*p)++;
		else if (has_prefix_ci(*p, *e, "\xc2\xa0"))
			*p += 2;
		else
			break;
	}
	for (;;)
	{
		if (*e > *p && is_space((unsigned char) (*e)[-1]))
			(*e)--;
		else if (*e - *p >= 2 && has_prefix_ci(*e - 2, *e, "\xc2\xa0"))
			*e -= 2;
		else
			break;
	}
}

/* narrow [*p, *e) to the address inside what was pasted */
static void
strip_junk(const char **p, const char **e)
{
	const char *lt = NULL;
	const char *q;

	trim(p, e);
	/* "An Nguyen <an@x.vn>": what is between the last < and the next > */
	for (q = *p; q < *e; q++)
		if (*q == '<')
			lt = q;
	if (lt)
	{
		const char *gt = memchr(lt, '>', (size_t) (*e - lt));

		if (gt)
		{
			*p = lt + 1;
			*e = gt;
			trim(p, e);
		}
	}
	if (has_prefix_ci(*p, *e, "mailto:"))
	{
		const char *qm = memchr(*p, '?', (size_t) (*e - *p));

		*p += 7;
		if (qm)
			*e = qm;			/* mailto:a@b.vn?subject=... */
		trim(p, e);
	}
	/* the end of a sentence the address was copied from */
	while (*e > *p && ((*e)[-1] == '.' || (*e)[-1] == ',' || (*e)[-1] == ';'))
		(*e)--;
}

/* dot-atom: atext runs separated by single dots */
static bool
valid_local(const char *s, size_t n)
{
	size_t		i;

	if (n == 0 || n > LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '.' ? s[i + 1] == '.' : !is_atext(s[i]))
			return false;
	return true;
}

static bool
valid_label(const char *s, size_t n, bool top)
{
	size_t		i;

	if (n == 0 || n > LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return false;
	if (top && !(n >= 4 && memcmp(s, "xn--", 4) == 0))
	{
		if (n < 2)
			return false;
		for (i = 0; i < n; i++)
			if (s[i] < 'a' || s[i] > 'z')
				return false;
	}
	return true;
}

static bool
valid_domain(const char *s, size_t n)
{
	const char *label = s;
	const char *end = s + n;
	const char *dot;
	int			labels = 0;

	if (n == 0 || n > DOMAIN_MAX)
		return false;
	while ((dot = memchr(label, '.', (size_t) (end - label))) != NULL)
	{
		if (!valid_label(label, (size_t) (dot - label), false))
			return false;
		labels++;
		label = dot + 1;
	}
	return labels >= 1 && valid_label(label, (size_t) (end - label), true);
}

/* providers that deliver local+tag@domain to local@domain (vietnam.md 8) */
static bool
drops_plus_tag(const char *domain, size_t n)
{
	static const char *const providers[] = {
		"gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
		"icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me",
		"fastmail.com", "yandex.ru", "yandex.com",
	};
	size_t		i;

	for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (strlen(providers[i]) == n && memcmp(providers[i], domain, n) == 0)
			return true;
	return false;
}

/* gmail's local part: without dots, up to a "+" */
static size_t
gmail_local(char *local, size_t n)
{
	size_t		i,
				k = 0;

	for (i = 0; i < n && local[i] != '+'; i++)
		if (local[i] != '.')
			local[k++] = local[i];
	return k;
}

bool
lc_email_key(const char *s, size_t len, char *out, size_t *key_len)
{
	const char *p = s;
	const char *e = s + len;
	const char *at;
	size_t		n,
				local_len,
				domain_len,
				i;
	char	   *domain;

	strip_junk(&p, &e);
	n = (size_t) (e - p);
	at = memchr(p, '@', n);
	if (at == NULL || memchr(at + 1, '@', (size_t) (e - at - 1)) != NULL)
		return false;
	for (i = 0; i < n; i++)
		out[i] = lower(p[i]);
	local_len = (size_t) (at - p);
	domain = out + local_len + 1;
	domain_len = n - local_len - 1;
	if (!valid_local(out, local_len) || !valid_domain(domain, domain_len))
		return false;
	if (domain_len == 14 && memcmp(domain, "googlemail.com", 14) == 0)
	{
		memcpy(domain, "gmail.com", 9);
		domain_len = 9;
	}
	if (domain_len == 9 && memcmp(domain, "gmail.com", 9) == 0)
		local_len = gmail_local(out, local_len);
	else if (drops_plus_tag(domain, domain_len))
	{
		const char *plus = memchr(out, '+', local_len);

		/* keep the tag when what is before it is no local part ("a.+x") */
		if (plus && valid_local(out, (size_t) (plus - out)))
			local_len = (size_t) (plus - out);
	}
	if (local_len == 0)
		return false;			/* "+tag@gmail.com", ".@gmail.com" */
	out[local_len] = '@';
	memmove(out + local_len + 1, domain, domain_len);
	*key_len = local_len + 1 + domain_len;
	out[*key_len] = '\0';
	return true;
}

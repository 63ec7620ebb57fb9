/*
 * src/core/facebook.c - Facebook profile keys (see facebook.h). No
 * PostgreSQL, no allocation, ASCII only (anything else is no profile).
 */
#include "core/facebook.h"

#include <stdbool.h>
#include <string.h>

size_t
lc_facebook_key_bound(size_t len)
{
	return (len < LC_FACEBOOK_KEY_MAX ? len : LC_FACEBOOK_KEY_MAX) + 1;
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* s[0, len) equals the lower-case ASCII word w, ignoring case */
static bool
eq_ci(const char *s, size_t len, const char *w)
{
	size_t		i;

	if (strlen(w) != len)
		return false;
	for (i = 0; i < len; i++)
		if (lower(s[i]) != w[i])
			return false;
	return true;
}

static bool
starts_ci(const char *s, size_t len, const char *w)
{
	size_t		n = strlen(w);

	return len >= n && eq_ci(s, n, w);
}

/*
 * A username or id: letters, digits and periods only, at least 5 characters
 * without the periods (Facebook's minimum), the periods dropped, lower case.
 * A number with a leading 0 is a phone, not an id.
 */
static size_t
profile_key(const char *s, size_t len, char *out)
{
	size_t		i,
				n = 0;
	bool		digits = true;

	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == '.')
			continue;
		if (!is_digit(c) && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return 0;
		if (n == LC_FACEBOOK_KEY_MAX)
			return 0;
		digits &= is_digit(c);
		out[n++] = lower(c);
	}
	if (n < 5 || (digits && out[0] == '0'))
		return 0;
	out[n] = '\0';
	return n;
}

/* path segments that are not a profile: groups, events, posts, share links, Facebook's own pages */
static bool
reserved_segment(const char *s, size_t len)
{
	static const char *const reserved[] = {
		"events", "groups", "hashtag", "help", "home.php", "login", "login.php", "marketplace",
		"media", "messages", "notifications", "permalink.php", "photo", "photo.php", "photos",
		"plugins", "policies", "privacy", "reel", "search", "settings", "share", "share.php",
		"sharer", "sharer.php", "stories", "story.php", "watch"
	};
	size_t		i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (eq_ci(s, len, reserved[i]))
			return true;
	return false;
}

static bool
facebook_host(const char *h, size_t len)
{
	if (eq_ci(h, len, "facebook.com") || eq_ci(h, len, "fb.com") || eq_ci(h, len, "fb.me") ||
		eq_ci(h, len, "m.me"))
		return true;
	/* www., m., mbasic., web., touch., vi-vn. ... */
	return len > 13 && eq_ci(h + len - 13, 13, ".facebook.com");
}

/* the value of parameter name in the query q[0, qlen) ("a=1&id=2") */
static const char *
query_param(const char *q, size_t qlen, const char *name, size_t *vlen)
{
	size_t		i = 0,
				nlen = strlen(name);

	while (i < qlen)
	{
		size_t		end = i;

		while (end < qlen && q[end] != '&')
			end++;
		if (end - i > nlen && q[i + nlen] == '=' && eq_ci(q + i, nlen, name))
		{
			*vlen = end - i - nlen - 1;
			return q + i + nlen + 1;
		}
		i = end + 1;
	}
	return NULL;
}

static size_t facebook_key(const char *s, size_t len, char *out);

size_t
lc_facebook_key(const char *s, size_t len, char *out)
{
	size_t		n = facebook_key(s, len, out);

	if (n == 0)
		out[0] = '\0';
	return n;
}

static size_t
facebook_key(const char *s, size_t len, char *out)
{
	const char *e = s + len,
			   *host,
			   *p,
			   *q = NULL,
			   *seg[3];
	size_t		seglen[3],
				nseg = 0,
				qlen = 0;
	bool		scheme = false;

	while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '<'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '>'))
		e--;
	if (starts_ci(s, (size_t) (e - s), "https://"))
		s += 8, scheme = true;
	else if (starts_ci(s, (size_t) (e - s), "http://"))
		s += 7, scheme = true;

	/* the host: up to the first / ? or # */
	host = s;
	for (p = s; p < e && *p != '/' && *p != '?' && *p != '#'; p++)
		;
	if (!facebook_host(host, (size_t) (p - host)))
	{
		/* not a link to Facebook: a bare username or id, or nothing */
		if (scheme || p < e)
			return 0;
		if (s < e && *s == '@')
			s++;
		return profile_key(s, (size_t) (e - s), out);
	}

	/* the path: its first three segments, then the query */
	while (p < e && *p != '?' && *p != '#')
	{
		const char *start;

		while (p < e && *p == '/')
			p++;
		start = p;
		while (p < e && *p != '/' && *p != '?' && *p != '#')
			p++;
		if (p > start && nseg < 3)
		{
			seg[nseg] = start;
			seglen[nseg++] = (size_t) (p - start);
		}
	}
	if (p < e && *p == '?')
	{
		q = ++p;
		while (p < e && *p != '#')
			p++;
		qlen = (size_t) (p - q);
	}
	if (nseg == 0)
		return 0;
	if (eq_ci(seg[0], seglen[0], "profile.php"))
	{
		size_t		vlen = 0;
		const char *v = q ? query_param(q, qlen, "id", &vlen) : NULL;
		size_t		i;

		if (v == NULL)
			return 0;
		for (i = 0; i < vlen; i++)
			if (!is_digit(v[i]))
				return 0;
		return profile_key(v, vlen, out);
	}
	if (eq_ci(seg[0], seglen[0], "people") || eq_ci(seg[0], seglen[0], "pages") ||
		eq_ci(seg[0], seglen[0], "pg"))
	{
		/* /people/Name-Surname/100012345678: the id; /pg/username: the name */
		size_t		i,
					k;

		for (k = nseg; k-- > 1;)
		{
			for (i = 0; i < seglen[k] && is_digit(seg[k][i]); i++)
				;
			if (i == seglen[k])
				return profile_key(seg[k], seglen[k], out);
		}
		return nseg >= 2 && eq_ci(seg[0], seglen[0], "pg") ? profile_key(seg[1], seglen[1], out) : 0;
	}
	if (reserved_segment(seg[0], seglen[0]))
		return 0;
	return profile_key(seg[0], seglen[0], out);
}

/* test/unit/test_email.c - lc_email_key: junk, case, gmail rules, plus providers, invalid. */
#include "unit.h"
#include "core/vn_email.h"

static char buf[1024];

static const char *
key(const char *s)
{
	size_t		n;

	return lc_email_key(s, strlen(s), buf, &n) ? buf : NULL;
}

int
main(void)
{
	static const char *const same[][2] = {
		{"An.Nguyen@Gmail.com", "annguyen@gmail.com"},
		{"a.n.nguyen+shop@googlemail.com", "annguyen@gmail.com"},
		{"  <annguyen@gmail.com>  ", "annguyen@gmail.com"},
		{"mailto:AnNguyen@gmail.com", "annguyen@gmail.com"},
		{"MAILTO:an@fpt.vn?subject=Bao%20gia", "an@fpt.vn"},
		{"Nguyễn Văn An <an.nguyen@congty.com.vn>", "an.nguyen@congty.com.vn"},
		{"an.nguyen@congty.com.vn.", "an.nguyen@congty.com.vn"},
		{"an+crm@outlook.com", "an@outlook.com"},
		{"an+crm@icloud.com", "an@icloud.com"},
		{"an+crm@yahoo.com.vn", "an+crm@yahoo.com.vn"},
		{"a.n@yahoo.com", "a.n@yahoo.com"},
		{"an+tag@congty.vn", "an+tag@congty.vn"},
		{"\xc2\xa0" "an@vnn.vn\xc2\xa0", "an@vnn.vn"},
		{"an@xn--tnmin-6qa.vn", "an@xn--tnmin-6qa.vn"},
		{"o'brien@example.com", "o'brien@example.com"},
		{"a.+x@outlook.com", "a.+x@outlook.com"},
		{"+x@outlook.com", "+x@outlook.com"},
	};
	static const char *const bad[] = {
		"", "   ", "an", "an@", "@gmail.com", "an@gmail", "an@@gmail.com", "an@gmail..com",
		"an.@gmail.com", ".an@gmail.com", "a..n@x.vn", "an@-x.vn", "an@x-.vn", "an@x.c0m",
		"an@x.v", "a n@x.vn", "an@x .vn", "nguyễn@x.vn", "an@tênmiền.vn", "+tag@gmail.com",
		"...@gmail.com", "an@x.vn\xff", "an@[127.0.0.1]", "\"an\"@x.vn", "an@x.vn@y.vn",
		"0912345678", "mailto:", "<>",
	};
	char		longlocal[100];
	size_t		i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		UNIT_STR_EQ(key(same[i][0]), same[i][1], "key of '%s'", same[i][0]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UNIT_STR_EQ(key(bad[i]), NULL, "not an address: '%s'", bad[i]);
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@x.vn");
	UNIT_STR_EQ(key(longlocal), NULL, "local part over 64");
	UNIT_OK(key("an\0@x.vn") == NULL, "NUL inside");
	UNIT_STR_EQ(key(key("A.B+c@GoogleMail.com")), "ab@gmail.com", "a key is its own key");
	return unit_done();
}

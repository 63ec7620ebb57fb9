/* test/unit/test_fold.c - lc_fold: Vietnamese letters, NFC = NFD, white space, bad bytes. */
#include "unit.h"
#include "core/vn_text.h"

static char buf[1 << 16];

static const char *
fold(const char *s)
{
	lc_fold(s, strlen(s), buf);
	return buf;
}

static void
fold_cases(void)
{
	UNIT_STR_EQ(fold("  Nguyễn  Văn ĐỨC"), "nguyen van duc", "API example");
	UNIT_STR_EQ(fold("Nguye\xcc\x82\xcc\x83n"), "nguyen", "NFD input folds like NFC");
	UNIT_STR_EQ(fold("Ê\xcc\x83"), "e", "cp1258 style base+tone");
	UNIT_STR_EQ(fold("ĐẶNG THỊ HƯƠNG"), "dang thi huong", "upper case with stacked marks");
	UNIT_STR_EQ(fold("Ðức"), "duc", "ETH look-alike from Latin-1 decoding");
	UNIT_STR_EQ(fold("hòa hoà HOÀ"), "hoa hoa hoa", "both tone styles");
	UNIT_STR_EQ(fold("\t a\xc2\xa0\xe2\x80\x83 b \n"), "a b", "unicode spaces collapse and trim");
	UNIT_STR_EQ(fold("a\xe2\x80\x8b" "b"), "ab", "zero-width space dropped");
	UNIT_STR_EQ(fold("\xef\xbb\xbfHọ và tên"), "ho va ten", "BOM dropped (Excel CSV header)");
	UNIT_STR_EQ(fold(""), "", "empty");
	UNIT_STR_EQ(fold("   "), "", "only spaces");
	UNIT_STR_EQ(fold("abc\xff\xfe" "d\xc3"), "abcd", "invalid bytes dropped");
	UNIT_STR_EQ(fold("\xed\xa0\x80x"), "x", "encoded surrogate rejected");
	UNIT_STR_EQ(fold("\xc0\xaf" "y"), "y", "overlong rejected");
	UNIT_STR_EQ(fold("Ствол Ω"), "ствол ω", "other scripts lower-cased");
	UNIT_STR_EQ(fold("ĂÂÊÔƠƯĐ ăâêôơưđ"), "aaeooud aaeooud", "all Vietnamese base letters");
}

static void
fold_embedded_nul(void)
{
	const char	in[] = {'a', '\0', 'b'};
	size_t		n = lc_fold(in, sizeof(in), buf);

	UNIT_OK(n == 3 && strcmp(buf, "a b") == 0, "NUL byte is a separator");
}

static void
fold_bound_holds(void)
{
	/* U+023A folds to the 3-byte U+2C65: the worst case the bound allows */
	static char in[3000], out[3000 * 3 + 1];
	size_t		i,
				n;

	for (i = 0; i + 2 <= sizeof(in); i += 2)
		memcpy(in + i, "\xc8\xba", 2);
	n = lc_fold(in, i, out);
	UNIT_OK(n <= lc_fold_bound(i) - 1 && n == i / 2 * 3, "growth within lc_fold_bound (%zu bytes)", n);
}

int
main(void)
{
	fold_cases();
	fold_embedded_nul();
	fold_bound_holds();
	return unit_done();
}

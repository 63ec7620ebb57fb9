/* test/unit/test_telex.c - Telex and VNI residue: words, escapes, case, what must survive. */
#include "unit.h"
#include "core/vn_text.h"

static char buf[1 << 16];

static const char *
telex(const char *s)
{
	lc_vn_input_decode(LC_VN_TELEX, s, strlen(s), buf);
	return buf;
}

static const char *
vni(const char *s)
{
	lc_vn_input_decode(LC_VN_VNI, s, strlen(s), buf);
	return buf;
}

static void
telex_words(void)
{
	UNIT_STR_EQ(telex("Nguyeenx Vawn Ddwcs"), "Nguyễn Văn Đức", "issue example");
	UNIT_STR_EQ(telex("Nguyeexn"), "Nguyễn", "tone right after the vowels");
	UNIT_STR_EQ(telex("Traanf Thij Hoongf"), "Trần Thị Hồng", "vietnam.md 3.4");
	UNIT_STR_EQ(telex("DDawngj Ddawngj"), "Đặng Đặng", "DD and Dd");
	UNIT_STR_EQ(telex("Phuwowngf Quaanj"), "Phường Quận", "uwow and qu");
	UNIT_STR_EQ(telex("Phuowngf nguowif"), "Phường người", "uow (Unikey) gives ươ");
	UNIT_STR_EQ(telex("thuowr"), "thuở", "open uơ stays uơ");
	UNIT_STR_EQ(telex("hoaf khoer thuyr"), "hoà khoẻ thuỷ", "modern tone position");
	UNIT_STR_EQ(telex("NGUYEENX VAWN DDWCS"), "NGUYỄN VĂN ĐỨC", "upper case");
	UNIT_STR_EQ(telex("nhwng tw"), "nhưng tư", "w alone is ư");
	UNIT_STR_EQ(telex("hoafz"), "hoa", "z removes the tone");
	UNIT_STR_EQ(telex("xooong"), "xoong", "ooo escapes to oo");
	UNIT_STR_EQ(telex("Hoaf-Binhf, (Thanhf)."), "Hoà-Bình, (Thành).", "hyphen and punctuation");
	UNIT_STR_EQ(telex("Nguyễn Vawn"), "Nguyễn Văn", "text already in Vietnamese kept");
}

static void
telex_left_alone(void)
{
	static const char *const same[] = {
		"an.nguyen@gmail.com", "https://vnexpress.net/hoaf", "0912345678", "+84 912 345 678",
		"Tp.HCM", "C++", "abc123", "snake_case", "class", "taxi", "visa", "Lisa", "Diaz",
		"dwarfs", "lists", "hello world", "Google", "iPhone", "aaa", "ww", "cass", "Linux",
		"Nguyeenxx", "don't", "O'Brien", "12-3", "a--b",
	};
	size_t		i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		UNIT_STR_EQ(telex(same[i]), same[i], "Telex leaves '%s' alone", same[i]);
	/* the documented ambiguity: English words that spell a syllable */
	UNIT_STR_EQ(telex("as if"), "á ì", "as and if are Telex for á and ì (documented)");
}

static void
vni_words(void)
{
	UNIT_STR_EQ(vni("Nguye6n4"), "Nguyễn", "issue example");
	UNIT_STR_EQ(vni("Nguyen64"), "Nguyễn", "late modifier (Unikey)");
	UNIT_STR_EQ(vni("Tra6n2 Thi5 Ho6ng2"), "Trần Thị Hồng", "vietnam.md 3.4");
	UNIT_STR_EQ(vni("D9a8ng5 Phu7o7ng2 Qua6n5"), "Đặng Phường Quận", "d9, u7o7");
	UNIT_STR_EQ(vni("Phuo7ng2 thuo73"), "Phường thuở", "uo7 gives ươ, open uơ stays");
	UNIT_STR_EQ(vni("hoa2 khoe3 thuy3"), "hoà khoẻ thuỷ", "modern tone position");
	UNIT_STR_EQ(vni("hoa20"), "hoa20", "0 right after a tone digit is a number");
	UNIT_STR_EQ(vni("hoa2n0"), "hoan", "0 removes the tone");
}

static void
vni_left_alone(void)
{
	static const char *const same[] = {
		"0912345678", "+84912345678", "Q1", "P5", "B52", "H2O", "A10", "U23", "3G", "2b",
		"a66", "o77", "d99", "x@y.vn", "hello", "v1.2.3", "COVID-19",
	};
	size_t		i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		UNIT_STR_EQ(vni(same[i]), same[i], "VNI leaves '%s' alone", same[i]);
	UNIT_STR_EQ(vni("A4"), "Ã", "A4 is VNI for Ã (documented)");
}

static void
word_api(void)
{
	char		out[LC_VN_INPUT_WORD_OUT];
	size_t		n;

	n = lc_vn_input_word(LC_VN_TELEX, "Ddwcs", 5, out);
	UNIT_OK(n == strlen("Đức") && strcmp(out, "Đức") == 0, "word API decodes Ddwcs");
	UNIT_OK(lc_vn_input_word(LC_VN_TELEX, "an", 2, out) == 2 && strcmp(out, "an") == 0,
			"plain syllable decodes to itself");
	UNIT_OK(lc_vn_input_word(LC_VN_TELEX, "class", 5, out) == 0, "class is not Telex");
	UNIT_OK(lc_vn_input_word(LC_VN_VNI, "9a", 2, out) == 0, "VNI word cannot start with a digit");
	UNIT_OK(lc_vn_input_word(LC_VN_TELEX, "", 0, out) == 0, "empty word");
	UNIT_OK(lc_vn_input_word(LC_VN_TELEX, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 34, out) == 0,
			"too many keys");
	/* the longest output: every key of a maximal word */
	n = lc_vn_input_word(LC_VN_TELEX, "nghieengj", 9, out);
	UNIT_OK(n > 0 && n < LC_VN_INPUT_WORD_OUT && strcmp(out, "nghiệng") == 0, "nghieengj");
}

static void
bytes(void)
{
	const char	in[] = {'h', 'o', 'a', 'f', '\0', 'x', (char) 0xff, 'y'};
	size_t		n = lc_vn_input_decode(LC_VN_TELEX, in, sizeof(in), buf);

	UNIT_OK(n == 7 && memcmp(buf, "ho\xc3\xa0\0xy", 7) == 0, "NUL separates, invalid byte dropped");
	UNIT_STR_EQ(telex(""), "", "empty");
	UNIT_STR_EQ(telex("w"), "ư", "w alone: the largest growth (1 -> 2 bytes)");
}

int
main(void)
{
	telex_words();
	telex_left_alone();
	vni_words();
	vni_left_alone();
	word_api();
	bytes();
	return unit_done();
}

/* test/unit/test_company.c - lc_company_key: legal forms at both ends, abbreviations, growth bound. */
#include "unit.h"
#include "core/vn_company.h"

static char buf[1 << 18];

static const char *
key(const char *s)
{
	lc_company_key(s, strlen(s), buf);
	return buf;
}

int
main(void)
{
	static const char *const cases[][2] = {
		/* the brief's example: three spellings, one key */
		{"CÔNG TY TNHH TM-DV ABC", "thuong mai dich vu abc"},
		{"Cty TNHH Thương Mại Dịch Vụ ABC", "thuong mai dich vu abc"},
		{"Công ty TNHH Thương mại và Dịch vụ ABC", "thuong mai dich vu abc"},
		{"CONG TY TNHH TM&DV ABC", "thuong mai dich vu abc"},
		{"Công ty TNHH TMDV ABC", "thuong mai dich vu abc"},
		{"Công ty TNHH T.Mại & DV ABC", "thuong mai dich vu abc"},
		/* English "Trading" is not TM: no translation */
		{"ABC Trading Co., Ltd", "abc trading"},
		/* legal forms, Vietnamese and English, at either end */
		{"Công ty Cổ phần Sữa Việt Nam", "sua viet nam"},
		{"CTCP Hoà Phát", "hoa phat"}, {"Cty CP Hòa Phát", "hoa phat"},
		{"Tập đoàn Hòa Phát", "hoa phat"}, {"Hoa Phat Group", "hoa phat"},
		{"Hoà Phát JSC", "hoa phat"}, {"Hoa Phat Joint Stock Company", "hoa phat"},
		{"Công ty TNHH MTV Xây dựng Minh Long", "xay dung minh long"},
		{"Công ty TNHH 1TV XD Minh Long", "xay dung minh long"},
		{"Công ty TNHH Một Thành Viên XD Minh Long", "xay dung minh long"},
		{"Minh Long Construction One Member Co., Ltd.", "minh long construction"},
		{"Minh Long Company Limited", "minh long"}, {"Minh Long LLC", "minh long"},
		{"Minh Long Corp.", "minh long"}, {"Minh Long Corporation", "minh long"},
		{"DNTN Minh Long", "minh long"}, {"Doanh nghiệp tư nhân Minh Long", "minh long"},
		{"HTX Nông nghiệp Minh Long", "nong nghiep minh long"},
		{"Hợp tác xã NN Minh Long", "nong nghiep minh long"},
		{"Tổng công ty Hàng không Việt Nam - CTCP", "hang khong viet nam"},
		{"Công ty TNHH Hai Thành Viên Trở Lên Minh Long", "minh long"},
		/* branches */
		{"Chi nhánh Công ty TNHH ABC", "abc"}, {"CN Công ty TNHH ABC", "abc"},
		{"Công ty TNHH ABC - Chi nhánh Hà Nội", "abc"},
		{"ABC Co., Ltd - Ho Chi Minh Branch", "abc"}, {"ABC Ho Chi Minh Branch", "abc ho chi minh"},
		/* abbreviations, after the legal form (CN = Công nghệ here) */
		{"Công ty CP ĐTXD Minh Long", "dau tu xay dung minh long"},
		{"Công ty CP ĐT&XD Minh Long", "dau tu xay dung minh long"},
		{"Công ty TNHH SX TM XNK Minh Long", "san xuat thuong mai xuat nhap khau minh long"},
		{"Công ty TNHH SXTM Minh Long", "san xuat thuong mai minh long"},
		{"Công ty CP CN Minh Long", "cong nghe minh long"},
		{"Công ty TNHH TV TK XD Minh Long", "tu van thiet ke xay dung minh long"},
		{"Công ty TNHH BĐS Minh Long", "bat dong san minh long"},
		{"Công ty CP VNPT Minh Long", "vnpt minh long"},
		{"Minh Long VN", "minh long viet nam"}, {"Minh Long Vietnam Co Ltd", "minh long viet nam"},
		/* never empty unless the input is */
		{"Công ty TNHH", "cong ty tnhh"}, {"Group", "group"}, {"Co., Ltd", "co ltd"},
		{"", ""}, {"  ,.-  ", ""}, {"ABC", "abc"}, {"\xff" "AB\xc3" "C", "abc"},
	};
	size_t		i;
	char		big[4096];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		UNIT_STR_EQ(key(cases[i][0]), cases[i][1], "'%s'", cases[i][0]);

	/* the worst growth the bound must cover: "nn" -> "nong nghiep" */
	for (i = 0; i + 3 <= sizeof(big) - 1; i += 3)
		memcpy(big + i, "nn ", 3);
	big[i] = '\0';
	UNIT_OK(lc_company_key(big, i, buf) <= LC_COMPANY_GROWTH * i, "growth within LC_COMPANY_GROWTH");
	for (i = 0; i + 5 <= sizeof(big) - 1; i += 5)
		memcpy(big + i, "nnnn ", 5);
	big[i] = '\0';
	UNIT_OK(lc_company_key(big, i, buf) <= LC_COMPANY_GROWTH * i, "compound growth within LC_COMPANY_GROWTH");
	UNIT_STR_EQ(key(key("Công ty TNHH TM-DV ABC")), "thuong mai dich vu abc", "a key is its own key");
	return unit_done();
}

"""tools/vn_data.py - deterministic generator of realistic Vietnamese lead data.

Used by `make demo` (a few hundred leads), the benchmarks (1M leads) and the
search / duplicate quality sets. Every draw comes from a random.Random the
caller seeds, so the same seed always gives the same data.

Frequencies follow ../shared/reference/vietnam.md: family names by share of the
population (Nguyễn ~38%), Văn/Thị as classic middle names, mobile prefixes of the
2018 numbering by carrier, a few old 11-digit numbers and landlines, Gmail and
Yahoo as the common mail providers, the 34 provinces weighted toward the big
cities and written the many ways people write them.
"""
import random
import unicodedata

FAMILY = [  # (name, weight in %)
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.1),
    ("Huỳnh", 2.0), ("Phan", 4.5), ("Vũ", 2.2), ("Võ", 1.7), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.6),
    ("Đào", 0.5), ("Đoàn", 0.5), ("Trịnh", 0.4), ("Trương", 0.5), ("Lương", 0.3),
    ("Lâm", 0.3), ("Mai", 0.3), ("Hà", 0.3), ("Cao", 0.3), ("Tạ", 0.2), ("Phùng", 0.2),
    ("Kiều", 0.1), ("Quách", 0.1), ("Lưu", 0.2), ("Vương", 0.1), ("Thái", 0.1),
    ("Tô", 0.1), ("Triệu", 0.1), ("Châu", 0.1), ("Tăng", 0.05), ("Khúc", 0.03),
    ("Âu", 0.03), ("Hoàng Phủ", 0.01), ("Tôn Nữ", 0.01), ("Lạc", 0.02), ("Ông", 0.03),
]
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Thành", "Công", "Minh", "Quang", "Quốc",
               "Gia", "Bảo", "Hoàng", "Anh", "Tuấn", "Xuân", "Thanh", "Ngọc", "Đình", "Trọng",
               "Mạnh", "Tiến", "Duy", "Hải", "Trung", "Nhật", "Phúc", "Khánh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Minh", "Hồng", "Mai",
                 "Bảo", "Phương", "Thùy", "Khánh", "Diệu", "Hoài", "Mỹ", "Bích", "Quỳnh",
                 "Hải", "Tuyết", "Cẩm", "Hoàng", "Như", "Thảo", "Ánh"]
GIVEN_MALE = ["An", "Anh", "Bảo", "Bình", "Cường", "Công", "Dũng", "Duy", "Dương", "Đạt",
              "Đức", "Định", "Giang", "Hải", "Hào", "Hiếu", "Hiệp", "Hòa", "Hoàng", "Hùng",
              "Huy", "Hưng", "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Luân",
              "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quân", "Quang",
              "Quyết", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Thuận", "Tiến",
              "Toàn", "Trí", "Trung", "Trường", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
              "Thủy", "Thụy", "Quý", "Khoa", "Trãi", "Lực", "Nguyên", "Hậu", "Tín", "Sang",
              "Trường Sơn", "Bình Minh", "Gia Huy", "Minh Khôi", "Đăng Khoa"]
GIVEN_FEMALE = ["An", "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh",
                "Hằng", "Hiền", "Hoa", "Hòa", "Hồng", "Huyền", "Hương", "Lan", "Liên",
                "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Nhi",
                "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thơ", "Thu", "Thủy",
                "Thúy", "Thư", "Trang", "Trâm", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân",
                "Yến", "Khuê", "Hoài", "Diệp", "Nguyệt", "Loan", "Tú", "Lệ", "Hường",
                "Mỹ Dạ", "Bảo Ngọc", "Thanh Hương", "Kim Chi", "Phương Anh"]

PROVINCES = [  # (canonical unit, weight, ways people write it, pre-2025 units merged in)
    ("Hà Nội", 14, ["Hà Nội", "Ha Noi", "HN", "TP. Hà Nội", "Hanoi", "Thành phố Hà Nội"], []),
    ("TP. Hồ Chí Minh", 16, ["TP.HCM", "TP. Hồ Chí Minh", "Hồ Chí Minh", "HCM", "Sài Gòn", "TPHCM",
                             "Ho Chi Minh City", "Tp.HCM"], ["Bình Dương", "Bà Rịa - Vũng Tàu", "Vũng Tàu"]),
    ("Hải Phòng", 4, ["Hải Phòng", "Hai Phong", "TP. Hải Phòng"], ["Hải Dương"]),
    ("Đà Nẵng", 4, ["Đà Nẵng", "Da Nang", "TP. Đà Nẵng"], ["Quảng Nam"]),
    ("Cần Thơ", 3, ["Cần Thơ", "Can Tho"], ["Sóc Trăng", "Hậu Giang"]),
    ("Huế", 2, ["Huế", "Thừa Thiên Huế", "TT-Huế", "Hue"], []),
    ("Bắc Ninh", 3, ["Bắc Ninh", "Bac Ninh"], ["Bắc Giang"]),
    ("Hưng Yên", 2, ["Hưng Yên"], ["Thái Bình"]),
    ("Ninh Bình", 2, ["Ninh Bình"], ["Nam Định", "Hà Nam"]),
    ("Thanh Hóa", 3, ["Thanh Hóa", "Thanh Hoá", "Thanh Hoa"], []),
    ("Nghệ An", 3, ["Nghệ An", "Nghe An"], []),
    ("Hà Tĩnh", 1, ["Hà Tĩnh"], []),
    ("Quảng Ninh", 2, ["Quảng Ninh"], []),
    ("Thái Nguyên", 1, ["Thái Nguyên"], ["Bắc Kạn"]),
    ("Phú Thọ", 2, ["Phú Thọ"], ["Vĩnh Phúc", "Hòa Bình"]),
    ("Lào Cai", 1, ["Lào Cai"], ["Yên Bái"]),
    ("Tuyên Quang", 1, ["Tuyên Quang"], ["Hà Giang"]),
    ("Lạng Sơn", 1, ["Lạng Sơn"], []),
    ("Cao Bằng", 0.5, ["Cao Bằng"], []),
    ("Sơn La", 0.5, ["Sơn La"], []),
    ("Điện Biên", 0.3, ["Điện Biên"], []),
    ("Lai Châu", 0.3, ["Lai Châu"], []),
    ("Quảng Trị", 1, ["Quảng Trị"], ["Quảng Bình"]),
    ("Quảng Ngãi", 1, ["Quảng Ngãi"], ["Kon Tum"]),
    ("Gia Lai", 1.5, ["Gia Lai"], ["Bình Định", "Quy Nhơn"]),
    ("Khánh Hòa", 2, ["Khánh Hòa", "Khánh Hoà", "Nha Trang"], ["Ninh Thuận"]),
    ("Lâm Đồng", 2, ["Lâm Đồng", "Đà Lạt"], ["Bình Thuận", "Đắk Nông"]),
    ("Đắk Lắk", 1.5, ["Đắk Lắk", "Daklak", "Đăk Lăk"], ["Phú Yên"]),
    ("Đồng Nai", 4, ["Đồng Nai", "Biên Hòa"], ["Bình Phước"]),
    ("Tây Ninh", 1.5, ["Tây Ninh"], ["Long An"]),
    ("Vĩnh Long", 1.5, ["Vĩnh Long"], ["Bến Tre", "Trà Vinh"]),
    ("Đồng Tháp", 1.5, ["Đồng Tháp"], ["Tiền Giang"]),
    ("Cà Mau", 1, ["Cà Mau"], ["Bạc Liêu"]),
    ("An Giang", 2, ["An Giang"], ["Kiên Giang", "Phú Quốc"]),
]
WARDS = ["Phường Bến Nghé", "Phường Đa Kao", "Phường 7", "Phường Tân Định", "Phường Hoàn Kiếm",
         "Phường Ba Đình", "Phường Cầu Giấy", "Xã Tân Phú", "Xã Phước Long", "Phường Hải Châu",
         "Phường An Khánh", "Xã Vĩnh Hòa", "Phường Thủ Dầu Một", "Phường Long Biên"]
DISTRICTS = ["Quận 1", "Q.3", "Quận Bình Thạnh", "Quận Cầu Giấy", "Huyện Củ Chi", "Quận Hải Châu",
             "Quận Ninh Kiều", "Thị xã Dĩ An", "Quận Tân Bình", "Huyện Đông Anh"]
STREETS = ["Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ",
           "Cách Mạng Tháng Tám", "Nguyễn Trãi", "Phan Đình Phùng", "Võ Văn Kiệt", "Lê Duẩn",
           "Quang Trung", "Bạch Đằng", "Hoàng Diệu", "Nguyễn Văn Linh", "Phạm Văn Đồng"]

# current mobile prefixes (with trunk 0) by carrier, weighted by market share
MOBILE = [("Viettel", 50, ["086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039"]),
          ("VinaPhone", 25, ["088", "091", "094", "081", "082", "083", "084", "085"]),
          ("MobiFone", 20, ["089", "090", "093", "070", "076", "077", "078", "079"]),
          ("Vietnamobile", 4, ["092", "056", "058"]),
          ("Gmobile", 1, ["099", "059"])]
OLD_TO_NEW = {"0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
              "0167": "037", "0168": "038", "0169": "039", "0120": "070", "0121": "079",
              "0122": "077", "0126": "076", "0128": "078", "0123": "083", "0124": "084",
              "0125": "085", "0127": "081", "0129": "082", "0186": "056", "0188": "058",
              "0199": "059"}
NEW_TO_OLD = {v: k for k, v in OLD_TO_NEW.items()}
LANDLINE = [("024", 8), ("028", 8), ("0236", 7), ("0225", 7), ("0292", 7), ("0251", 7), ("0274", 7)]

LEGAL_FORMS = [("Công ty TNHH", 30), ("Công ty Cổ phần", 15), ("CTCP", 8), ("Cty TNHH", 8),
               ("Công ty TNHH MTV", 10), ("CÔNG TY TNHH", 5), ("Doanh nghiệp tư nhân", 3),
               ("DNTN", 2), ("Hợp tác xã", 1), ("Cty CP", 3)]
BUSINESS_LINES = [("Thương mại", "TM"), ("Dịch vụ", "DV"), ("Thương mại Dịch vụ", "TMDV"),
                  ("Xây dựng", "XD"), ("Sản xuất", "SX"), ("Xuất nhập khẩu", "XNK"),
                  ("Sản xuất Thương mại", "SXTM"), ("Đầu tư Xây dựng", "ĐTXD"),
                  ("Công nghệ", None), ("Vận tải", None), ("Nông sản", None), ("Thực phẩm", None),
                  ("Dệt may", None), ("Bất động sản", "BĐS"), ("Tư vấn", None), ("Giáo dục", None)]
BRAND_WORDS = ["Minh Phát", "Hoàng Long", "Phú Quý", "An Khang", "Thành Công", "Việt Tiến",
               "Đại Việt", "Sao Mai", "Hưng Thịnh", "Tân Phú", "Phương Nam", "Bắc Á", "Trường Hải",
               "Hòa Bình", "Kim Long", "Thiên Ân", "Nam Việt", "Đông Á", "Hải Âu", "Bình Minh",
               "Thuận Phát", "Gia Bảo", "Toàn Cầu", "Ánh Dương", "Sông Hồng", "Mekong", "Sunrise",
               "Green Life", "Lotus", "Vạn Xuân", "Hồng Hà", "Tây Đô", "Cửu Long", "Phúc Lộc",
               "Khánh An", "Tín Nghĩa", "Vĩnh Hưng", "Đức Thành", "Quang Minh", "Ngọc Lan"]
SOURCES = [("facebook", 22), ("website", 18), ("referral", 12), ("zalo", 10), ("trade_fair", 8),
           ("telesales", 7), ("paid_media", 6), ("campaign", 5), ("phone_call", 4), ("email", 3),
           ("owned_media", 2), ("affiliate", 1), ("internal", 1), ("existing_list", 1)]
INDUSTRIES = ["food", "agriculture", "retail", "wholesale", "import_export", "manufacturing",
              "construction", "real_estate", "logistics", "it", "textile", "education",
              "healthcare", "tourism", "finance", "banking", "biotech"]
TAGS = ["product", "service", "beans", "mung_bean", "red_bean", "pepper", "coffee"]
NEEDS = ["Cần báo giá 5 tấn đậu xanh loại 1, giao tại kho", "Quan tâm cà phê robusta rang xay cho chuỗi quán",
         "Tìm nhà cung cấp hạt tiêu đen xuất khẩu", "Muốn dùng thử phần mềm CRM cho 20 nhân viên",
         "Cần tư vấn giải pháp quản lý kho", "Hỏi giá thiết kế website bán hàng",
         "Cần đối tác vận chuyển hàng lạnh Bắc - Nam", "Đặt mẫu thử 50kg đậu đỏ",
         "Quan tâm gói bảo hiểm cho doanh nghiệp", "Cần tư vấn xây nhà xưởng 2.000 m2",
         "Muốn mở đại lý phân phối tại tỉnh", "Hỏi chính sách chiết khấu cho đơn hàng lớn"]
EMAIL_DOMAINS = [("gmail.com", 62), ("yahoo.com", 10), ("yahoo.com.vn", 7), ("hotmail.com", 4),
                 ("outlook.com", 3), ("icloud.com", 2), ("fpt.vn", 1), ("vnn.vn", 1)]


def weighted(rng, items, key=lambda x: x[1]):
    total = sum(key(i) for i in items)
    r = rng.random() * total
    for i in items:
        r -= key(i)
        if r <= 0:
            return i
    return items[-1]


def strip_diacritics(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.replace("đ", "d").replace("Đ", "D")


def person(rng):
    """(family, middle, given, female) of one person."""
    female = rng.random() < 0.5
    family = weighted(rng, FAMILY)[0]
    if rng.random() < 0.08:
        middle = ""  # no middle name (Nguyễn Trãi)
    else:
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        if rng.random() < 0.05:
            middle += " " + rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return family, middle, given, female


def full_name(family, middle, given):
    return " ".join(p for p in (family, middle, given) if p)


def mobile_national(rng):
    """A current 10-digit mobile number with trunk 0, e.g. 0912345678."""
    prefix = rng.choice(weighted(rng, MOBILE)[2])
    return prefix + "".join(str(rng.randrange(10)) for _ in range(10 - len(prefix)))


def format_phone(rng, national):
    """The ways people type one mobile number (national form 0XXXXXXXXX)."""
    n = national[1:]
    style = rng.random()
    if style < 0.40:
        return national
    if style < 0.55:
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    if style < 0.65:
        return f"{national[:4]}.{national[4:7]}.{national[7:]}"
    if style < 0.75:
        return f"+84 {n[:2]} {n[2:5]} {n[5:]}"
    if style < 0.82:
        return "84" + n
    if style < 0.87:
        return f"(+84) {n[:3]}-{n[3:6]}-{n[6:]}"
    if style < 0.92:
        return f"+84{n}"
    old = NEW_TO_OLD.get(national[:3])
    if old:  # the old 11-digit number of this subscriber
        return old + national[3:]
    return national


def landline(rng):
    code, digits = rng.choice(LANDLINE)
    sub = "".join(str(rng.randrange(10)) for _ in range(digits))
    return f"{code} {sub[:4]} {sub[4:]}"


def company(rng):
    """(company name as typed, its brand words)"""
    form = weighted(rng, LEGAL_FORMS)[0]
    line, abbr = rng.choice(BUSINESS_LINES)
    brand = rng.choice(BRAND_WORDS)
    if abbr and rng.random() < 0.35:
        line = abbr
    if rng.random() < 0.08:
        return f"{strip_diacritics(brand)} {rng.choice(['Co., Ltd', 'JSC', 'Company Limited'])}", brand
    return f"{form} {line} {brand}", brand


def email_for(rng, family, middle, given, brand=None):
    f, m, g = (strip_diacritics(x).lower().replace(" ", "") for x in (family, middle, given))
    mi = "".join(w[0] for w in strip_diacritics(middle).lower().split())
    patterns = [f + m + g, g + "." + f, f + g, g + f[0] + mi, g + f, f + "." + g,
                f + mi + g, g + "." + f + str(rng.randrange(70, 100)), f + g + str(rng.randrange(1, 999))]
    local = rng.choice(patterns)
    if brand and rng.random() < 0.4:
        dom = strip_diacritics(brand).lower().replace(" ", "") + rng.choice([".com.vn", ".vn", ".com"])
        return (g + "." + f if rng.random() < 0.5 else g + f[0] + mi) + "@" + dom
    return local + "@" + weighted(rng, EMAIL_DOMAINS)[0]


def province(rng):
    canon, _, spellings, olds = weighted(rng, PROVINCES)
    if olds and rng.random() < 0.25:
        return rng.choice(olds), canon
    return rng.choice(spellings), canon


def lead(rng, i, now_epoch=1764547200):
    """One lead as a dict of lead_crm.lead columns (what a salesperson would type)."""
    business = rng.random() < 0.35
    family, middle, given, female = person(rng)
    name = full_name(family, middle, given)
    comp, brand = company(rng) if business or rng.random() < 0.3 else (None, None)
    phone = format_phone(rng, mobile_national(rng)) if rng.random() < 0.93 else landline(rng)
    email = email_for(rng, family, middle, given, brand) if rng.random() < 0.8 else None
    prov, _ = province(rng)
    created = now_epoch - rng.randrange(0, 365 * 86400)
    return {
        "kind": "business" if business else "person",
        "full_name": name,
        "company_name": comp,
        "phone": phone,
        "email": email,
        "province": prov,
        "ward": rng.choice(WARDS) if rng.random() < 0.5 else None,
        "district": rng.choice(DISTRICTS) if rng.random() < 0.3 else None,
        "street": f"{rng.randrange(1, 400)} {rng.choice(STREETS)}" if rng.random() < 0.6 else None,
        "source": weighted(rng, SOURCES)[0],
        "industry": rng.choice(INDUSTRIES) if rng.random() < 0.7 else None,
        "tags": "{" + ",".join(sorted(set(rng.sample(TAGS, rng.randrange(0, 3))))) + "}",
        "need": rng.choice(NEEDS) if rng.random() < 0.6 else None,
        "expected_revenue": rng.choice([None, 5e6, 1.2e7, 2.5e7, 5e7, 1e8, 3e8, 1e9]),
        "priority": rng.choice([0, 0, 1, 1, 2, 3]),
        "created_at": created,
    }

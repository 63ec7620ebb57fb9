#!/usr/bin/env python3
"""Generate the data tables behind the matching keys of lead_crm.

  src/core/generated/province_table.h  the 34 provincial units of 2025, the 63 units
      before it with their landline area codes (old and new), the area-code changes of
      2007 and 2017, and every alias normalize_province() accepts.
  src/core/generated/family_names.h    Vietnamese family names (lc_family_name_lookup).

The facts come from /work/shared/reference/vietnam.md: 4.5 (area codes), 5.2 (the
merger), 5.3 (spellings), 6.2 (family names). Keys are folded the way lc_fold folds
(NFD, nonspacing marks removed, lower case, đ -> d); province keys are then "squashed"
to [a-z0-9] only, so "TP.HCM", "TP HCM" and "tphcm" meet.

Run: python3 tools/gen_key_tables.py   (writes both headers)
"""
import os
import sys
import unicodedata

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# 5.2: the 34 units in the reference's order; the index (1-based) is the unit id.
UNITS = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai",
    "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình",
    "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk",
    "TP. Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp",
    "Cà Mau", "An Giang",
]

# 4.5 and 5.2: (pre-2025 unit, old area code before 2017, area code since 2017,
# the 2025 unit it belongs to now).
OLD_PROVINCES = [
    ("Hà Nội", "4", 24, "Hà Nội"),
    ("TP. Hồ Chí Minh", "8", 28, "TP. Hồ Chí Minh"),
    ("Sơn La", "22", 212, "Sơn La"),
    ("Lai Châu", "231", 213, "Lai Châu"),
    ("Lào Cai", "20", 214, "Lào Cai"),
    ("Điện Biên", "230", 215, "Điện Biên"),
    ("Yên Bái", "29", 216, "Lào Cai"),
    ("Quảng Bình", "52", 232, "Quảng Trị"),
    ("Quảng Trị", "53", 233, "Quảng Trị"),
    ("Thừa Thiên Huế", "54", 234, "Huế"),
    ("Quảng Nam", "510", 235, "Đà Nẵng"),
    ("Đà Nẵng", "511", 236, "Đà Nẵng"),
    ("Thanh Hóa", "37", 237, "Thanh Hóa"),
    ("Nghệ An", "38", 238, "Nghệ An"),
    ("Hà Tĩnh", "39", 239, "Hà Tĩnh"),
    ("Quảng Ninh", "33", 203, "Quảng Ninh"),
    ("Bắc Giang", "240", 204, "Bắc Ninh"),
    ("Lạng Sơn", "25", 205, "Lạng Sơn"),
    ("Cao Bằng", "26", 206, "Cao Bằng"),
    ("Tuyên Quang", "27", 207, "Tuyên Quang"),
    ("Thái Nguyên", "280", 208, "Thái Nguyên"),
    ("Bắc Kạn", "281", 209, "Thái Nguyên"),
    ("Hải Dương", "320", 220, "Hải Phòng"),
    ("Hưng Yên", "321", 221, "Hưng Yên"),
    ("Bắc Ninh", "241", 222, "Bắc Ninh"),
    ("Hải Phòng", "31", 225, "Hải Phòng"),
    ("Hà Nam", "351", 226, "Ninh Bình"),
    ("Thái Bình", "36", 227, "Hưng Yên"),
    ("Nam Định", "350", 228, "Ninh Bình"),
    ("Ninh Bình", "30", 229, "Ninh Bình"),
    ("Phú Thọ", "210", 210, "Phú Thọ"),
    ("Vĩnh Phúc", "211", 211, "Phú Thọ"),
    ("Hòa Bình", "218", 218, "Phú Thọ"),
    ("Hà Giang", "219", 219, "Tuyên Quang"),
    ("Đồng Nai", "61", 251, "Đồng Nai"),
    ("Bình Thuận", "62", 252, "Lâm Đồng"),
    ("Bà Rịa–Vũng Tàu", "64", 254, "TP. Hồ Chí Minh"),
    ("Quảng Ngãi", "55", 255, "Quảng Ngãi"),
    ("Bình Định", "56", 256, "Gia Lai"),
    ("Phú Yên", "57", 257, "Đắk Lắk"),
    ("Khánh Hòa", "58", 258, "Khánh Hòa"),
    ("Ninh Thuận", "68", 259, "Khánh Hòa"),
    ("Kon Tum", "60", 260, "Quảng Ngãi"),
    ("Đắk Nông", "501", 261, "Lâm Đồng"),
    ("Đắk Lắk", "500", 262, "Đắk Lắk"),
    ("Lâm Đồng", "63", 263, "Lâm Đồng"),
    ("Gia Lai", "59", 269, "Gia Lai"),
    ("Vĩnh Long", "70", 270, "Vĩnh Long"),
    ("Bình Phước", "651", 271, "Đồng Nai"),
    ("Long An", "72", 272, "Tây Ninh"),
    ("Tiền Giang", "73", 273, "Đồng Tháp"),
    ("Bình Dương", "650", 274, "TP. Hồ Chí Minh"),
    ("Bến Tre", "75", 275, "Vĩnh Long"),
    ("Tây Ninh", "66", 276, "Tây Ninh"),
    ("Đồng Tháp", "67", 277, "Đồng Tháp"),
    ("Cà Mau", "780", 290, "Cà Mau"),
    ("Bạc Liêu", "781", 291, "Cà Mau"),
    ("Cần Thơ", "710", 292, "Cần Thơ"),
    ("Hậu Giang", "711", 293, "Cần Thơ"),
    ("Trà Vinh", "74", 294, "Vĩnh Long"),
    ("An Giang", "76", 296, "An Giang"),
    ("Kiên Giang", "77", 297, "An Giang"),
    ("Sóc Trăng", "79", 299, "Cần Thơ"),
]

# 4.5 note: Hòa Bình and Hà Giang dialled 18 and 19 until 24 Nov 2007, then 218/219.
# (Điện Biên and Lai Châu shared 23 before then: ambiguous, so not mapped.)
EXTRA_AREA_CHANGES = [("18", 218), ("19", 219)]

# 5.3 spellings and abbreviations, plus the towns 5.2 names as examples of where an
# old address now belongs. (alias, unit, kind)
SPELLINGS = [
    ("TP.HCM", "TP. Hồ Chí Minh", "abbreviation"),
    ("HCM", "TP. Hồ Chí Minh", "abbreviation"),
    ("HCMC", "TP. Hồ Chí Minh", "abbreviation"),
    ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "spelling"),
    ("Hồ Chí Minh", "TP. Hồ Chí Minh", "spelling"),
    ("Ho Chi Minh City", "TP. Hồ Chí Minh", "spelling"),
    ("Sài Gòn", "TP. Hồ Chí Minh", "spelling"),
    ("Saigon", "TP. Hồ Chí Minh", "spelling"),
    ("SG", "TP. Hồ Chí Minh", "abbreviation"),
    ("HN", "Hà Nội", "abbreviation"),
    ("Hanoi", "Hà Nội", "spelling"),
    ("Thừa Thiên - Huế", "Huế", "spelling"),
    ("TT-Huế", "Huế", "abbreviation"),
    ("Thừa Thiên", "Huế", "spelling"),
    ("BR-VT", "TP. Hồ Chí Minh", "abbreviation"),
    ("Bà Rịa", "TP. Hồ Chí Minh", "town"),
    ("Vũng Tàu", "TP. Hồ Chí Minh", "town"),
    ("Đăk Lăk", "Đắk Lắk", "spelling"),
    ("Đắc Lắc", "Đắk Lắk", "spelling"),
    ("Đắk Lắc", "Đắk Lắk", "spelling"),
    ("Đắc Lắk", "Đắk Lắk", "spelling"),
    ("Đắc Nông", "Lâm Đồng", "spelling"),
    ("Bắc Cạn", "Thái Nguyên", "spelling"),
    ("Phú Quốc", "An Giang", "town"),
    ("Phan Thiết", "Lâm Đồng", "town"),
    # Hà Tây was merged whole into Hà Nội on 1 Aug 2008 (Resolution 15/2008/QH12); older
    # customers still write it
    ("Hà Tây", "Hà Nội", "pre_2025"),
]

# Fold exactly as lc_fold does for these letters.
def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s).lower()


def squash(s):
    return "".join(c for c in fold(s) if c.isascii() and c.isalnum())


def c_str(s):
    """A C string literal; UTF-8 stays as is (the sources are UTF-8)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def province_header():
    assert len(UNITS) == 34 and len(set(UNITS)) == 34
    assert len(OLD_PROVINCES) == 63 and len({p[0] for p in OLD_PROVINCES}) == 63
    unit_id = {u: i + 1 for i, u in enumerate(UNITS)}
    for name, old, new, unit in OLD_PROVINCES:
        assert unit in unit_id, unit
    assert {p[3] for p in OLD_PROVINCES} == set(UNITS), "every 2025 unit has members"

    aliases = {}  # squashed key -> (display alias, unit id, kind)

    def add(alias, unit, kind):
        key = squash(alias)
        if key in aliases:
            assert aliases[key][1] == unit_id[unit], (alias, aliases[key])
            return
        aliases[key] = (alias, unit_id[unit], kind)

    for u in UNITS:
        add(u, u, "current")
    for name, _old, _new, unit in OLD_PROVINCES:
        add(name, unit, "pre_2025")
    for alias, unit, kind in SPELLINGS:
        add(alias, unit, kind)

    kinds = ["current", "pre_2025", "spelling", "abbreviation", "town"]
    area_changes = sorted({(old, new) for _n, old, new, _u in OLD_PROVINCES if str(new) != old}
                          | set(EXTRA_AREA_CHANGES))
    new_codes = sorted({p[2] for p in OLD_PROVINCES})
    assert len(new_codes) == 63

    out = []
    w = out.append
    w("/* src/core/generated/province_table.h - generated by tools/gen_key_tables.py; do not edit.")
    w(" * Data: vietnam.md 4.5 (area codes), 5.2 (2025 merger), 5.3 (spellings). */")
    w("#ifndef LC_PROVINCE_TABLE_H\n#define LC_PROVINCE_TABLE_H\n\n#include <stdint.h>\n")
    w("#define LC_PROVINCE_UNIT_COUNT %d" % len(UNITS))
    w("static const char *const lc_unit_names[LC_PROVINCE_UNIT_COUNT + 1] = {\n\t\"\",")
    for u in UNITS:
        w("\t%s," % c_str(u))
    w("};\n")
    w("static const char *const lc_alias_kind_names[] = {%s};\n" %
      ", ".join(c_str(k) for k in kinds))
    w("/* a pre-2025 unit: its name, area code before 2017 (digits after the trunk 0),")
    w(" * area code since 2017, and the 2025 unit it is part of; sorted by new_code */")
    w("typedef struct { const char *name; const char *old_code; int16_t new_code; uint8_t unit; } lc_old_province_entry;")
    w("#define LC_OLD_PROVINCE_COUNT %d" % len(OLD_PROVINCES))
    w("static const lc_old_province_entry lc_old_provinces[LC_OLD_PROVINCE_COUNT] = {")
    for name, old, new, unit in sorted(OLD_PROVINCES, key=lambda p: p[2]):
        w("\t{%s, %s, %d, %d}," % (c_str(name), c_str(old), new, unit_id[unit]))
    w("};\n")
    w("/* old area code (digits after the trunk 0) -> code since 2017 or 2007 */")
    w("typedef struct { const char *old_code; int16_t new_code; } lc_area_change_entry;")
    w("static const lc_area_change_entry lc_area_changes[] = {")
    for old, new in area_changes:
        w("\t{%s, %d}," % (c_str(old), new))
    w("};\n")
    w("/* squashed alias ([a-z0-9] of the folded alias) -> unit; sorted by key */")
    w("typedef struct { const char *key; const char *alias; uint8_t unit; uint8_t kind; } lc_province_alias_entry;")
    w("#define LC_PROVINCE_ALIAS_COUNT %d" % len(aliases))
    w("static const lc_province_alias_entry lc_province_aliases[LC_PROVINCE_ALIAS_COUNT] = {")
    for key in sorted(aliases):
        alias, unit, kind = aliases[key]
        w("\t{%s, %s, %d, %d}," % (c_str(key), c_str(alias), unit, kinds.index(kind)))
    w("};\n\n#endif")
    return "\n".join(out) + "\n"


# 6.2: the 14 most frequent family names (Hoàng/Huỳnh and Vũ/Võ are one name each),
# then the other frequent ones the reference lists, then further family names in use
# (rarer; mostly from the usual "100 họ phổ biến" lists). Tier: 1 = Nguyễn alone
# (~38 %), 2 = the rest of the top 14, 3 = the other frequent ones, 4 = the rest.
# same_as: the northern/southern form of the same name (6.2). given: also a common
# given or middle name, so weaker evidence of a family name at the end of a name.
FAMILY = [
    # name, tier, same_as, given
    ("Nguyễn", 1, None, False),
    ("Trần", 2, None, False), ("Lê", 2, None, False), ("Phạm", 2, None, False),
    ("Hoàng", 2, "Huỳnh", True), ("Huỳnh", 2, "Hoàng", False), ("Phan", 2, None, False),
    ("Vũ", 2, "Võ", True), ("Võ", 2, "Vũ", False), ("Đặng", 2, None, False),
    ("Bùi", 2, None, False), ("Đỗ", 2, None, False), ("Hồ", 2, None, False),
    ("Ngô", 2, None, False), ("Dương", 2, None, True), ("Lý", 2, None, False),
    ("Đinh", 3, None, False), ("Đào", 3, None, True), ("Đoàn", 3, None, False),
    ("Trịnh", 3, None, False), ("Trương", 3, None, False), ("Lương", 3, None, False),
    ("Lâm", 3, None, True), ("Mai", 3, None, True), ("Hà", 3, None, True),
    ("Cao", 3, None, False), ("Tạ", 3, None, False), ("Phùng", 3, None, False),
    ("Kiều", 3, None, True), ("Quách", 3, None, False), ("Lưu", 3, None, False),
    ("Vương", 3, None, True), ("Thái", 3, None, True), ("Tô", 3, None, False),
    ("Triệu", 3, None, False),
    ("Chu", 4, None, False), ("Châu", 4, None, True), ("Đàm", 4, None, False),
    ("La", 4, None, False), ("Lại", 4, None, False), ("Lã", 4, None, False),
    ("Lạc", 4, None, False), ("Lục", 4, None, False), ("Mạc", 4, None, False),
    ("Mạch", 4, None, False), ("Nghiêm", 4, None, False), ("Nông", 4, None, False),
    ("Phí", 4, None, False), ("Phó", 4, None, False), ("Quan", 4, None, False),
    ("Tăng", 4, None, False), ("Tống", 4, None, False), ("Từ", 4, None, False),
    ("Thân", 4, None, False), ("Thạch", 4, None, False), ("Kim", 4, None, True),
    ("Khúc", 4, None, False), ("Khổng", 4, None, False), ("Khương", 4, None, False),
    ("Giang", 4, None, True), ("Giáp", 4, None, False), ("Hàn", 4, None, False),
    ("Hầu", 4, None, False), ("Hứa", 4, None, False), ("Kha", 4, None, False),
    ("Lư", 4, None, False), ("Lữ", 4, None, False), ("Âu", 4, None, False),
    ("Ông", 4, None, False), ("Ninh", 4, None, True), ("Nhữ", 4, None, False),
    ("Tiêu", 4, None, False), ("Trình", 4, None, False), ("Ung", 4, None, False),
    ("Viên", 4, None, False), ("Vi", 4, None, True), ("Doãn", 4, None, False),
    ("Diệp", 4, None, False), ("Dư", 4, None, False), ("Bạch", 4, None, True),
    ("Bế", 4, None, False), ("Cù", 4, None, False), ("Cung", 4, None, False),
    ("Đới", 4, None, False), ("Đồng", 4, None, False), ("Đường", 4, None, False),
    ("Hạ", 4, None, False), ("Khuất", 4, None, False), ("Lò", 4, None, False),
    ("Lường", 4, None, False), ("Mẫn", 4, None, False), ("Nhâm", 4, None, False),
    ("Sầm", 4, None, False), ("Thiều", 4, None, False), ("Tôn", 4, None, False),
    ("An", 4, None, True), ("Bành", 4, None, False), ("Cấn", 4, None, False),
    ("Chế", 4, None, False), ("Đậu", 4, None, False), ("Giản", 4, None, False),
    ("Khiếu", 4, None, False), ("Ma", 4, None, False), ("Quản", 4, None, False),
    ("Tất", 4, None, False), ("Mã", 4, None, False), ("Tào", 4, None, False),
    ("Tiết", 4, None, False), ("Văn", 0, None, True),
]
# Văn (tier 0) is listed only to say it is NOT used as a family-name signal: as a
# family name it is rare, as the male middle-name marker it is everywhere (6.3).
FAMILY = [f for f in FAMILY if f[1] > 0]

# 6.1: compound family names (Hoàng Phủ is the reference's example).
COMPOUND = ["Hoàng Phủ", "Tôn Nữ", "Tôn Thất", "Âu Dương", "Công Tôn", "Tư Mã",
            "Gia Cát", "Thượng Quan"]

# 6.3: middle names that mark Vietnamese order when second (Nguyễn Văn An).
MIDDLE_MARKERS = ["Văn", "Thị"]


def family_header():
    names = [f[0] for f in FAMILY]
    assert len(names) == len(set(names)), "duplicate family name"
    entries = sorted(FAMILY, key=lambda f: (fold(f[0]), f[1], f[0]))
    out = []
    w = out.append
    w("/* src/core/generated/family_names.h - generated by tools/gen_key_tables.py; do not edit.")
    w(" * Data: vietnam.md 6.1-6.3. Sorted by folded form; names that fold alike are adjacent. */")
    w("#ifndef LC_FAMILY_NAMES_H\n#define LC_FAMILY_NAMES_H\n")
    w("#define LC_FAMILY_NAME_COUNT %d" % len(entries))
    w("static const lc_family_name lc_family_names[LC_FAMILY_NAME_COUNT] = {")
    for name, tier, same, given in entries:
        w("\t{%s, %s, %s, %d, %d}," % (c_str(fold(name)), c_str(name),
                                     c_str(same) if same else "NULL", tier, int(given)))
    w("};\n")
    w("/* compound family names as (folded, written) pairs of words */")
    w("static const char *const lc_compound_family_names[][2] = {")
    for c in sorted(COMPOUND, key=fold):
        w("\t{%s, %s}," % (c_str(fold(c)), c_str(c)))
    w("};\n")
    w("static const char *const lc_middle_markers[][2] = {")
    for m in MIDDLE_MARKERS:
        w("\t{%s, %s}," % (c_str(fold(m)), c_str(m)))
    w("};\n\n#endif")
    return "\n".join(out) + "\n"


def main():
    gen = os.path.join(TOP, "src", "core", "generated")
    with open(os.path.join(gen, "province_table.h"), "w", encoding="utf-8") as f:
        f.write(province_header())
    with open(os.path.join(gen, "family_names.h"), "w", encoding="utf-8") as f:
        f.write(family_header())


if __name__ == "__main__":
    sys.exit(main())

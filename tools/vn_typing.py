#!/usr/bin/env python3
"""Type Vietnamese words as Telex and VNI keystrokes, by the rules of m17n's vi-telex.mim and
vi-vni.mim (m17n-db), to test telex_to_vn / vni_to_vn against an independent reference.

Reads NFC words, one per line, on stdin; writes one line per word:
    word TAB telex_tone_after_vowels TAB telex_tone_at_end TAB vni_tone_after_vowels
         TAB vni_tone_at_end TAB telex_uow TAB old_style
The keys of one letter follow the .mim maps: â ê ô = the vowel twice (aa ee oo, or a6 e6 o6),
ă ơ ư = vowel + w (a8 o7 u7), đ = dd (d9); ươ is uwow as m17n needs (u7o7); the last column
types ươ as uow, the Unikey habit. A plain double vowel (xoong) is typed tripled, the .mim
escape (ooo -> oo), after which m17n takes every key literally. The last column is the word in
the old tone style (hòa for hoà), for vn_normalize. The tone key (s f r x j / 1-5) goes right after the last
vowel of the syllable, or after its last letter. In an upper-case word every key is upper
case, otherwise only the letter's own first key is (Dd, Aa, Uw as in the .mim maps).
"""
import sys
import unicodedata

TONES = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
TELEX_TONE = " sfrxj"
MODS = {"\u0302": "circ", "\u0306": "breve", "\u031B": "horn"}
VOWELS = set("aeiouy")


def letters(word):
    """[(base, mod, tone, upper)] of an NFC word; đ is ('d', 'stroke')."""
    out = []
    for ch in word:
        if ch in "đĐ":
            out.append(("d", "stroke", 0, ch == "Đ"))
            continue
        d = unicodedata.normalize("NFD", ch)
        base, mod, tone = d[0], None, 0
        for m in d[1:]:
            if m in TONES:
                tone = TONES[m]
            elif m in MODS:
                mod = MODS[m]
            else:
                raise ValueError("unexpected mark in %r" % word)
        out.append((base.lower(), mod, tone, base.isupper()))
    return out


def keys_of(letter, all_upper, method, uow_next=False):
    base, mod, _, upper = letter
    first = base.upper() if upper else base

    def k(c):
        return c.upper() if all_upper else c
    if mod is None:
        return first
    if method == "telex":
        if mod == "circ":
            return first + k(base)
        if mod == "stroke":
            return first + k("d")
        if uow_next:
            return first  # the u of uow: the w after o makes both horned
        return first + k("w")
    return first + {"circ": "6", "breve": "8", "horn": "7", "stroke": "9"}[mod]


def typed(word, method, tone_at_end, uow=False):
    ls = letters(word)
    all_upper = word.upper() == word
    tone = max(lt[2] for lt in ls)
    last_vowel = max((i for i, lt in enumerate(ls) if lt[0] in VOWELS), default=-1)
    parts = []
    for i, lt in enumerate(ls):
        uow_here = (uow and method == "telex" and lt[0] == "u" and lt[1] == "horn"
                    and i + 1 < len(ls) and ls[i + 1][0] == "o" and ls[i + 1][1] == "horn")
        if (method == "telex" and i > 0 and lt[1] is None and lt[0] in "aeo"
                and ls[i - 1][:2] == (lt[0], None)):
            parts.append(lt[0].upper() if lt[3] else lt[0])  # oo is ô: a plain oo is escaped, ooo
        parts.append(keys_of(lt, all_upper, method, uow_here))
        if tone and not tone_at_end and i == last_vowel:
            parts.append(tone_key(tone, method, all_upper))
    if tone and tone_at_end:
        parts.append(tone_key(tone, method, all_upper))
    return "".join(parts)


def tone_key(tone, method, all_upper):
    if method == "vni":
        return str(tone)
    return TELEX_TONE[tone].upper() if all_upper else TELEX_TONE[tone]


def old_style(word):
    """The word with the old ("aesthetic") tone placement: in an open oa/oe/uy the mark moves to
    the first vowel (hoà -> hòa, thuỷ -> thủy); qu and gi are part of the onset (quý stays)."""
    ls = letters(word)
    low = "".join(lt[0] for lt in ls)
    start = 2 if low[:2] in ("qu", "gi") and len(ls) > 2 else 0
    while start < len(ls) and ls[start][0] not in VOWELS:
        start += 1
    group = ls[start:]
    if (len(group) != 2 or any(lt[1] for lt in group) or group[1][2] == 0
            or "".join(lt[0] for lt in group) not in ("oa", "oe", "uy")):
        return word
    chars = list(word)
    for i, tone in ((start, group[1][2]), (start + 1, 0)):
        base, _, _, upper = ls[i]
        c = unicodedata.normalize("NFC", base + ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")[tone])
        chars[i] = c.upper() if upper else c
    return "".join(chars)


def typed_text(text, method):
    """Every word of a text (letters only) typed with the tone at the end; other tokens kept."""
    out = []
    for w in text.split(" "):
        ok = w and all(c.isalpha() for c in w)
        out.append(typed(w, method, True) if ok else w)
    return " ".join(out)


def main():
    if sys.argv[1:] == ["--text"]:  # texts in, "telex TAB vni" out (benchmarks)
        for line in sys.stdin:
            t = unicodedata.normalize("NFC", line.rstrip("\n"))
            print(typed_text(t, "telex") + "\t" + typed_text(t, "vni"))
        return
    for line in sys.stdin:
        w = line.strip()
        if not w:
            continue
        w = unicodedata.normalize("NFC", w)
        row = [w, typed(w, "telex", False), typed(w, "telex", True),
               typed(w, "vni", False), typed(w, "vni", True), typed(w, "telex", True, uow=True),
               old_style(w)]
        print("\t".join(row))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""tools/gen_dups.py - labelled duplicate test set for test/bench/bench_dedup.sh.

Prints CSV (header first) of leads with an explicit id and the id of the person
(entity) each one is: leads of one entity are duplicates, all others are not.

    python3 tools/gen_dups.py --people 20000 --seed 7 > dups.csv

People come from tools/vn_data.py (realistic names, phones, e-mails, companies
and provinces). About 15% of them are typed again, once or twice, the way leads
come back from another form, import or salesperson, with the corruptions the
issue lists: diacritics dropped, the other tone-mark style, NFD, case, name
order, missing middle name, one typo, Telex residue; other phone formats and
old 11-digit prefixes, a mistyped digit, a new number; Gmail dots, +tags,
googlemail.com, another provider, a new address; other legal forms of the
company; old (pre-2025) province names. Some fields go missing. Hard negatives
are added as new people: namesakes (same full name, other phone and e-mail,
sometimes the same province), colleagues sharing the company and its landline,
and family members sharing a mobile. Nothing here looks at the matcher.
"""
import argparse
import csv
import datetime
import random
import sys
import unicodedata

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import vn_data  # noqa: E402

COLUMNS = ["id", "entity", "kind", "full_name", "phone", "email", "company_name", "province", "created_at"]

# new style (òa) <-> old style (oà) of the tone-mark placement, vietnam.md 2
TONE_STYLE = [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
              ("òe", "oè"), ("óe", "oé"), ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"),
              ("ụy", "uỵ")]
# Telex keys of the marks (typing with the input method off)
TELEX_TONE = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
TELEX_BASE = {"â": "aa", "ê": "ee", "ô": "oo", "ă": "aw", "ơ": "ow", "ư": "uw", "đ": "dd",
              "Â": "AA", "Ê": "EE", "Ô": "OO", "Ă": "AW", "Ơ": "OW", "Ư": "UW", "Đ": "DD"}
LEGAL_ALT = ["Công ty TNHH", "Cty TNHH", "CÔNG TY TNHH", "Công ty CP", "CTCP", ""]
EN_FORMS = ["Co., Ltd", "JSC", "Company Limited", "Co.,Ltd."]


def telex(word):
    """How a syllable comes out when Telex is typed with the IME off: Nguyễn -> Nguyeenx."""
    out, tone = [], ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in TELEX_TONE:
            tone = TELEX_TONE[ch]
        elif ch in ("\u0302", "\u0306", "\u031b"):  # circumflex, breve, horn
            base = out.pop() if out else ""
            comp = unicodedata.normalize("NFC", base + ch)
            out.append(TELEX_BASE.get(comp, base))
        else:
            out.append(TELEX_BASE.get(ch, ch))
    return "".join(out) + tone


def corrupt_name(rng, family, middle, given):
    """A person's name as typed again: a few corruptions, each with its usual frequency."""
    fam, mid, giv = family, middle, given
    if mid and rng.random() < 0.2:
        mid = ""  # middle name left out
    if rng.random() < 0.04 and family in ("Hoàng", "Huỳnh", "Vũ", "Võ"):
        fam = {"Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Vũ": "Võ", "Võ": "Vũ"}[family]
    words = [w for w in " ".join(p for p in (fam, mid, giv) if p).split()]
    if rng.random() < 0.08:  # one typo in one word of 3+ letters
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) >= 3:
            j = rng.randrange(1, len(w) - 1)
            kind = rng.random()
            if kind < 0.4:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            elif kind < 0.7:
                w = w[:j] + w[j + 1:]
            else:
                w = w[:j] + w[j] + w[j:]
            words[i] = w
    if rng.random() < 0.05:  # Telex residue in one word
        i = rng.randrange(len(words))
        words[i] = telex(words[i])
    order = rng.random()
    if order < 0.12:  # Western order: given (middle) family
        fam_n = len(fam.split())
        words = words[fam_n:] + words[:fam_n]
    name = " ".join(words)
    if rng.random() < 0.35:
        name = vn_data.strip_diacritics(name)
    elif rng.random() < 0.15:
        for new, old in TONE_STYLE:
            name = name.replace(new, old)
    case = rng.random()
    if case < 0.1:
        name = name.upper()
    elif case < 0.2:
        name = name.lower()
    if rng.random() < 0.1:
        name = unicodedata.normalize("NFD", name)
    if rng.random() < 0.05:
        name = "  " + name.replace(" ", "  ") + " "
    return name


def corrupt_phone(rng, national):
    r = rng.random()
    if r < 0.12:
        return None
    if r < 0.22:
        return vn_data.format_phone(rng, vn_data.mobile_national(rng))  # a new number
    if r < 0.26:  # one digit mistyped
        i = rng.randrange(4, len(national))
        return national[:i] + str((int(national[i]) + rng.randrange(1, 10)) % 10) + national[i + 1:]
    old = vn_data.NEW_TO_OLD.get(national[:3])
    if old and r < 0.36:
        return old + national[3:]
    return vn_data.format_phone(rng, national)


def corrupt_email(rng, email, family, middle, given):
    r = rng.random()
    if email is None or r < 0.25:
        return None if rng.random() < 0.7 or email is None else vn_data.email_for(rng, family, middle, given)
    if r < 0.37:
        return vn_data.email_for(rng, family, middle, given)  # another address
    local, dom = email.split("@")
    if dom == "gmail.com":
        t = rng.random()
        if t < 0.3 and len(local) > 3:
            i = rng.randrange(1, len(local) - 1)
            local = local[:i] + "." + local[i:]
        elif t < 0.5:
            local += "+" + rng.choice(["shop", "work", "crm", "zalo"])
        elif t < 0.6:
            dom = "googlemail.com"
    elif rng.random() < 0.15:
        dom = rng.choice(["gmail.com", "yahoo.com", "yahoo.com.vn"])  # same name elsewhere
    e = local + "@" + dom
    return e.upper() if rng.random() < 0.08 else e


def corrupt_company(rng, company, brand):
    if company is None:
        return None
    r = rng.random()
    if r < 0.2:
        return None
    if r < 0.55:
        return company
    core = company
    for form, _ in vn_data.LEGAL_FORMS:
        if core.startswith(form + " "):
            core = core[len(form) + 1:]
            break
    if r < 0.8:
        return (rng.choice(LEGAL_ALT) + " " + core).strip()
    return vn_data.strip_diacritics(core) + " " + rng.choice(EN_FORMS)


def corrupt_province(rng, canon):
    r = rng.random()
    if r < 0.15:
        return None
    entry = next(p for p in vn_data.PROVINCES if p[0] == canon)
    if entry[3] and r < 0.3:
        return rng.choice(entry[3])  # an old province merged into it (that person lives there)
    return rng.choice(entry[2])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--first-id", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(COLUMNS)
    next_id = args.first_id
    entity = 0
    people = []

    mailboxes = {}  # an address belongs to one person: a taken one gets digits, as people do

    def own_email(ent, email):
        if not email:
            return email
        local, dom = email.rsplit("@", 1)
        name, _, tag = local.partition("+")

        def key(n):
            return (n.replace(".", "").lower(), dom.lower().replace("googlemail.com", "gmail.com"))
        while mailboxes.setdefault(key(name), ent) != ent:
            name += str(rng.randrange(10))
        return name + ("+" + tag if tag else "") + "@" + dom

    def emit(ent, kind, name, phone, email, company, province):
        nonlocal next_id
        email = own_email(ent, email)
        created = datetime.datetime.fromtimestamp(1764547200 - rng.randrange(0, 365 * 86400),
                                                  datetime.timezone.utc).isoformat()
        w.writerow([next_id, ent, kind, name, phone or "", email or "", company or "", province or "",
                    created])
        next_id += 1

    for _ in range(args.people):
        entity += 1
        business = rng.random() < 0.35
        family, middle, given, _female = vn_data.person(rng)
        comp, brand = vn_data.company(rng) if business or rng.random() < 0.3 else (None, None)
        mobile = rng.random() < 0.93
        national = vn_data.mobile_national(rng) if mobile else None
        phone = vn_data.format_phone(rng, national) if mobile else vn_data.landline(rng)
        email = vn_data.email_for(rng, family, middle, given, brand) if rng.random() < 0.8 else None
        prov, canon = vn_data.province(rng)
        kind = "business" if business else "person"
        people.append((entity, kind, family, middle, given, comp, brand, national, phone, email, canon))
        emit(entity, kind, vn_data.full_name(family, middle, given), phone, email, comp, prov)

    for (ent, kind, family, middle, given, comp, brand, national, phone, email, canon) in list(people):
        r = rng.random()
        copies = 2 if r < 0.03 else 1 if r < 0.15 else 0
        for _ in range(copies):
            p = corrupt_phone(rng, national) if national else (phone if rng.random() < 0.7 else None)
            emit(ent, kind, corrupt_name(rng, family, middle, given), p,
                 corrupt_email(rng, email, family, middle, given),
                 corrupt_company(rng, comp, brand), corrupt_province(rng, canon))

    # hard negatives: new people who look like existing ones
    for (ent, kind, family, middle, given, comp, brand, national, phone, email, canon) in list(people):
        r = rng.random()
        if r < 0.05:  # a namesake: same full name, own phone and e-mail, province often the same
            entity += 1
            f2, m2, g2 = family, middle, given
            prov = vn_data.province(rng)[0] if rng.random() < 0.6 else rng.choice(
                next(p for p in vn_data.PROVINCES if p[0] == canon)[2])
            emit(entity, "person", vn_data.full_name(f2, m2, g2),
                 vn_data.format_phone(rng, vn_data.mobile_national(rng)),
                 vn_data.email_for(rng, f2, m2, g2) if rng.random() < 0.7 else None, None, prov)
        elif r < 0.08 and comp:  # two colleagues: same company, both give its switchboard
            switchboard = vn_data.landline(rng)
            for _ in range(2):
                entity += 1
                f2, m2, g2, _ = vn_data.person(rng)
                emit(entity, "business", vn_data.full_name(f2, m2, g2), switchboard,
                     vn_data.email_for(rng, f2, m2, g2, brand) if rng.random() < 0.7 else None,
                     comp, rng.choice(next(p for p in vn_data.PROVINCES if p[0] == canon)[2]))
        elif r < 0.09 and national:  # a family member on the same mobile (parent's phone)
            entity += 1
            _, m2, g2, _ = vn_data.person(rng)
            emit(entity, "person", vn_data.full_name(family, m2, g2), vn_data.format_phone(rng, national),
                 None, None, rng.choice(next(p for p in vn_data.PROVINCES if p[0] == canon)[2]))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Query set and quality report of the search benchmark (test/bench/bench_search.sh).

    search_bench.py queries --count N --seed S --per-kind K > queries.csv
    search_bench.py report  --count N --seed S queries.csv runs.csv

The leads are the ones tools/gen_leads.py writes for the same --count and --seed
(tools/vn_data.py, in the same order, so lead i has id i + 1 in a fresh table); the
generator's own parts of each lead (family, middle and given name, company brand and
business line, national phone number) are the ground truth.

Targets are drawn uniformly from the leads that have what a kind needs (a phone, an
e-mail, a company). Each query kind corrupts its target one way, as a salesperson types
it (one kind per bullet of issue 6):

  exact            the full name as stored
  no_diacritics    the full name without diacritics (đ -> d), lower or title case
  tone_style       a name with an open oa/oe/uy syllable (Hòa, Thủy) in the other
                   tone style (Hoà, Thuỷ); only names that have one
  nfd_case_spaces  the full name in NFD, upper or lower case, 1-3 spaces between
                   words and around
  family_given     family + given name, middle name left out
  given_company    given name + the company's brand ("An Minh Phát"), half of them
                   without diacritics
  western          given name then family name without diacritics ("An Nguyen")
  telex            the full name typed in Telex without an input method, lower case,
                   tone key after the vowel or at the end of each word (random),
                   ươ as uow or uwow (random)
  vni              the same in VNI (nguye6n4 / nguye64n)
  typo             the full name without diacritics, every word of 3 letters or more
                   with one random edit (a letter deleted, inserted, replaced by any
                   letter, or two neighbours swapped); an edit that spells another
                   name word of the generator is drawn again (no search can tell it)
  phone_prefix     the first 7 or 8 digits of the mobile number: "0912 345",
                   "0912345", "+84 912 345" (random)
  phone_suffix     the last 6 digits
  phone_old        the whole number in its old 11-digit form (0162 ...), for numbers
                   whose prefix had one
  email            the e-mail as stored, in random case
  email_prefix     the local part, or the local part + "@" + 2 letters of the domain
  company          the company name without its legal form ("Thương mại Minh Phát",
                   "TM Minh Phát", "Sunrise")

A query is a hit at rank r when the lead returned at r is the target (strict) or a
namesake of it: a lead equal to the target in everything the query was made from
(the same full name up to case, NFC/NFD and tone style; the same folded name for
no_diacritics and typo; the same family and given name; the same number prefix or
suffix; the same e-mail key or prefix; the same company key). The report gives both,
and the share of queries whose target has namesakes.
"""
import argparse
import csv
import os
import pickle
import random
import re
import statistics
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vn_data  # noqa: E402
import vn_typing  # noqa: E402

KINDS = ["exact", "no_diacritics", "tone_style", "nfd_case_spaces", "family_given",
         "given_company", "western", "telex", "vni", "typo", "phone_prefix", "phone_suffix",
         "phone_old", "email", "email_prefix", "company"]
TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"
ENGLISH_FORMS = (" Co., Ltd", " JSC", " Company Limited")


# ---- the leads, with what the generator knew about them ----

def generate(count, seed):
    """Leads of tools/gen_leads.py --count --seed, with their parts (cached)."""
    cache = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "bench",
                         "search_leads_%d_%d.pickle" % (count, seed))
    if os.path.exists(cache):
        with open(cache, "rb") as f:
            return pickle.load(f)
    rng = random.Random(seed)
    people = []
    orig_person = vn_data.person

    def person(r):
        p = orig_person(r)
        people.append(p)
        return p
    vn_data.person = person
    leads = []
    try:
        for i in range(count):
            row = vn_data.lead(rng, i)
            family, middle, given, _ = people[-1]
            leads.append({
                "name": row["full_name"], "family": family, "middle": middle, "given": given,
                "company": row["company_name"], "phone": row["phone"], "email": row["email"],
            })
    finally:
        vn_data.person = orig_person
    for ld in leads:
        ld["national"] = national_mobile(ld["phone"])
        ld["line"], ld["brand"] = company_parts(ld["company"])
        # the keys namesakes share, computed once
        ld["k_name"] = norm_name(ld["name"])
        ld["k_fold"] = fold(ld["name"])
        ld["k_given"] = norm_name(ld["given"])
        ld["k_given_fold"] = fold(ld["given"])
        ld["k_fg"] = (norm_name(ld["family"]), ld["k_given"])
        ld["k_fg_fold"] = (fold(ld["family"]), ld["k_given_fold"])
        ld["k_brand"] = fold(ld["brand"]) if ld["brand"] else None
        ld["k_company"] = company_key(ld) if ld["brand"] else None
        ld["k_email"] = email_key(ld["email"]) if ld["email"] else None
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "wb") as f:
        pickle.dump(leads, f)
    return leads


def national_mobile(phone):
    """0XXXXXXXXX of a mobile number as the generator typed it, else None."""
    d = re.sub(r"\D", "", phone or "")
    if len(d) == 11 and d.startswith("84"):
        d = "0" + d[2:]
    if len(d) == 11 and d[:4] in vn_data.OLD_TO_NEW:
        d = vn_data.OLD_TO_NEW[d[:4]] + d[4:]
    if len(d) == 10 and d[0] == "0" and d[1] in "35789":
        return d
    return None


def company_parts(name):
    """(business line in full or None, brand) of a generated company name."""
    if not name:
        return None, None
    for e in ENGLISH_FORMS:
        if name.endswith(e):
            return None, name[:-len(e)]
    for form, _ in sorted(vn_data.LEGAL_FORMS, key=lambda f: -len(f[0])):
        if name.startswith(form + " "):
            rest = name[len(form) + 1:]
            break
    else:
        rest = name
    for brand in sorted(vn_data.BRAND_WORDS, key=len, reverse=True):
        if rest.endswith(" " + brand):
            line = rest[:-len(brand) - 1]
            for full, abbr in vn_data.BUSINESS_LINES:
                if line == abbr:
                    line = full
            return line, brand
    return None, rest


# ---- text forms ----

def fold(s):
    return vn_data.strip_diacritics(s or "").lower()


def modern_word(w):
    """The word with the tone of an open oa/oe/uy on its second vowel (Hòa -> Hoà)."""
    d = unicodedata.normalize("NFD", w)
    base = "".join(c for c in d if unicodedata.category(c) != "Mn").lower()
    m = re.search(r"(oa|oe|uy)$", base)
    if not m or base[:m.start() + 1].endswith(("qu", "gi")) and m.group(1) == "uy":
        return w
    # letters with their marks
    letters = []
    for c in d:
        if unicodedata.category(c) == "Mn" and letters:
            letters[-1] += c
        else:
            letters.append(c)
    first = len(letters) - 2
    tone = [c for c in letters[first] if c in TONE_MARKS]
    if not tone or any(c in TONE_MARKS for c in letters[first + 1]):
        return w
    letters[first] = "".join(c for c in letters[first] if c not in TONE_MARKS)
    letters[first + 1] += tone[0]
    return unicodedata.normalize("NFC", "".join(letters))


def norm_name(s):
    """Name equality up to case, NFC/NFD, tone style and spacing."""
    s = unicodedata.normalize("NFC", s or "").lower()
    return " ".join(modern_word(w) for w in s.split())


def email_key(e):
    e = (e or "").strip().lower()
    if "@" not in e:
        return e
    local, dom = e.split("@", 1)
    local = local.split("+", 1)[0]
    if dom in ("gmail.com", "googlemail.com"):
        return local.replace(".", "") + "@gmail.com"
    return local + "@" + dom


def gmail_prefix(p):
    local, at, dom = p.partition("@")
    return local.replace(".", "") + at + dom


def company_key(ld):
    return (fold(ld["line"]) if ld["line"] else None, fold(ld["brand"]))


# ---- corruptions ----

def random_case(rng, s, cases=("lower", "title")):
    c = rng.choice(cases)
    return s.lower() if c == "lower" else s.upper() if c == "upper" else s.title()


def typo_word(rng, w, vocabulary):
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(50):
        i = rng.randrange(len(w))
        op = rng.choice(["delete", "insert", "replace", "swap"])
        if op == "delete":
            t = w[:i] + w[i + 1:]
        elif op == "insert":
            t = w[:i] + rng.choice(letters) + w[i:]
        elif op == "replace":
            t = w[:i] + rng.choice(letters.replace(w[i], "")) + w[i + 1:]
        else:
            if i + 1 >= len(w) or w[i] == w[i + 1]:
                continue
            t = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if t != w and t not in vocabulary:
            return t
    return w


def type_name(rng, name, method):
    words = []
    for w in name.split():
        k = vn_typing.typed(w, method, rng.random() < 0.5, uow=(method == "telex" and rng.random() < 0.5))
        words.append(k.lower())
    return " ".join(words)


def make_query(rng, kind, ld, vocabulary):
    """(query, what a namesake must share) or None when the lead does not fit the kind."""
    name = ld["name"]
    if kind == "exact":
        return name
    if kind == "no_diacritics":
        return random_case(rng, vn_data.strip_diacritics(name))
    if kind == "tone_style":
        modern = " ".join(modern_word(w) for w in name.split())
        return modern if modern != name else None
    if kind == "nfd_case_spaces":
        words = random_case(rng, name, ("lower", "upper")).split()
        sep = lambda: " " * rng.randint(1, 3)  # noqa: E731
        return unicodedata.normalize("NFD", sep() + "".join(w + sep() for w in words))
    if kind == "family_given":
        return ld["family"] + " " + ld["given"] if ld["middle"] else None
    if kind == "given_company":
        if not ld["brand"]:
            return None
        q = ld["given"] + " " + ld["brand"]
        return vn_data.strip_diacritics(q) if rng.random() < 0.5 else q
    if kind == "western":
        return random_case(rng, vn_data.strip_diacritics(ld["given"] + " " + ld["family"]))
    if kind in ("telex", "vni"):
        return type_name(rng, name, kind)
    if kind == "typo":
        words = fold(name).split()
        return " ".join(typo_word(rng, w, vocabulary) if len(w) >= 3 else w for w in words)
    n = ld["national"]
    if kind == "phone_prefix":
        if not n:
            return None
        k = rng.choice([7, 8])
        return rng.choice([n[:4] + " " + n[4:k], n[:k], "+84 " + n[1:4] + " " + n[4:k]])
    if kind == "phone_suffix":
        return n[-6:] if n else None
    if kind == "phone_old":
        old = vn_data.NEW_TO_OLD.get(n[:3]) if n else None
        if not old:
            return None
        o = old + n[3:]
        return rng.choice([o, o[:4] + " " + o[4:7] + " " + o[7:]])
    if kind == "email":
        return random_case(rng, ld["email"], ("lower", "title", "upper")) if ld["email"] else None
    if kind == "email_prefix":
        if not ld["email"]:
            return None
        local, dom = ld["email"].lower().split("@", 1)
        return local if rng.random() < 0.5 else local + "@" + dom[:2]
    if kind == "company":
        if not ld["brand"]:
            return None
        for e in ENGLISH_FORMS:
            if ld["company"].endswith(e):
                return ld["brand"]
        for form, _ in sorted(vn_data.LEGAL_FORMS, key=lambda f: -len(f[0])):
            if ld["company"].startswith(form + " "):
                return ld["company"][len(form) + 1:]
        return ld["company"]
    raise ValueError(kind)


# ---- what makes two leads the same answer ----

def equivalence_key(kind, ld, query):
    """The part of a lead a query of this kind was made from (None: never equal);
    prefix and suffix kinds are decided by matches()."""
    if kind in ("exact", "tone_style", "nfd_case_spaces", "telex", "vni"):
        return ld["k_name"]
    if kind in ("no_diacritics", "typo"):
        return ld["k_fold"]
    if kind == "family_given":
        return ld["k_fg"]
    if kind == "western":
        return ld["k_fg_fold"]
    if kind == "given_company":
        if not ld["brand"]:
            return None
        folded = query == vn_data.strip_diacritics(query)
        return (ld["k_given_fold"] if folded else ld["k_given"]), ld["k_brand"], folded
    if kind == "company":
        return ld["k_company"]
    if kind == "email":
        return ld["k_email"]
    if kind == "phone_old":
        return ld["national"]
    return None


def prefix_of(kind, query):
    """phone_prefix: the national digits; email_prefix: the typed text."""
    if kind == "phone_prefix":
        digits = re.sub(r"\D", "", query)
        return "0" + digits[2:] if query.startswith("+") else digits
    return query


def matches(kind, query, target, ld):
    if kind == "phone_prefix":
        return bool(ld["national"]) and ld["national"].startswith(prefix_of(kind, query))
    if kind == "phone_suffix":
        return bool(ld["national"]) and ld["national"].endswith(query)
    if kind == "email_prefix":
        e = (ld["email"] or "").lower()
        return bool(e) and (e.startswith(query) or ld["k_email"].startswith(gmail_prefix(query)))
    k = equivalence_key(kind, ld, query)
    return k is not None and k == equivalence_key(kind, target, query)


class Namesakes:
    """How many leads are as good an answer as the target of a query."""

    def __init__(self, leads):
        import bisect
        self.bisect = bisect
        self.count = {}
        for ld in leads:
            for k in (("name", ld["k_name"]), ("fold", ld["k_fold"]), ("fg", ld["k_fg"]),
                      ("fgf", ld["k_fg_fold"]), ("company", ld["k_company"]),
                      ("email", ld["k_email"]), ("phone", ld["national"]),
                      ("gc", ld["k_given_fold"], ld["k_brand"], True),
                      ("gc", ld["k_given"], ld["k_brand"], False),
                      ("suffix", ld["national"][-6:] if ld["national"] else None)):
                if all(x is not None for x in k[1:]):
                    self.count[k] = self.count.get(k, 0) + 1
        self.nationals = sorted(ld["national"] for ld in leads if ld["national"])
        self.emails = sorted(((ld["email"] or "").lower(), i) for i, ld in enumerate(leads) if ld["email"])
        self.keys = sorted((ld["k_email"], i) for i, ld in enumerate(leads) if ld["email"])

    def _range(self, items, prefix):
        lo = self.bisect.bisect_left(items, (prefix,))
        hi = self.bisect.bisect_left(items, (prefix + "\uffff",))
        return {i for _, i in items[lo:hi]}

    def of(self, kind, query, target):
        if kind == "phone_prefix":
            p = prefix_of(kind, query)
            n = self.bisect.bisect_left(self.nationals, p + "a") - self.bisect.bisect_left(self.nationals, p)
        elif kind == "phone_suffix":
            n = self.count.get(("suffix", query), 0)
        elif kind == "email_prefix":
            n = len(self._range(self.emails, query) | self._range(self.keys, gmail_prefix(query)))
        else:
            k = equivalence_key(kind, target, query)
            table = {"exact": "name", "tone_style": "name", "nfd_case_spaces": "name", "telex": "name",
                     "vni": "name", "no_diacritics": "fold", "typo": "fold", "family_given": "fg",
                     "western": "fgf", "company": "company", "email": "email", "phone_old": "phone",
                     "given_company": "gc"}[kind]
            n = self.count.get((table,) + (k if kind == "given_company" else (k,)), 1)
        return max(n - 1, 0)


# ---- commands ----

def cmd_queries(args):
    leads = generate(args.count, args.seed)
    rng = random.Random(args.query_seed)
    vocabulary = set()
    for ld in leads[:20000]:
        vocabulary.update(fold(ld["name"]).split())
    for b in vn_data.BRAND_WORDS:
        vocabulary.update(fold(b).split())
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["qid", "kind", "query", "target"])
    qid = 0
    for kind in KINDS:
        made = 0
        tries = 0
        while made < args.per_kind and tries < args.per_kind * 200:
            tries += 1
            i = rng.randrange(len(leads))
            q = make_query(rng, kind, leads[i], vocabulary)
            if q is None:
                continue
            qid += 1
            made += 1
            w.writerow([qid, kind, q, i + 1])


def percentile(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def cmd_report(args):
    leads = generate(args.count, args.seed)
    queries = {}
    with open(args.queries) as f:
        for r in csv.DictReader(f):
            queries[int(r["qid"])] = (r["kind"], r["query"], int(r["target"]))
    names = Namesakes(leads)
    runs = {}
    with open(args.runs) as f:
        for r in csv.DictReader(f):
            ids = [int(x) for x in r["ids"].split()] if r["ids"] else []
            runs[(r["method"], int(r["qid"]))] = (float(r["ms"]), ids)
    methods = sorted({m for m, _ in runs}, key=lambda m: (m != "search", m))
    stats = {}
    for qid, (kind, query, target) in sorted(queries.items()):
        t = leads[target - 1]
        ns = names.of(kind, query, t)
        for m in methods:
            if (m, qid) not in runs:
                continue
            ms, ids = runs[(m, qid)]
            strict = next((r + 1 for r, i in enumerate(ids) if i == target), None)
            aware = next((r + 1 for r, i in enumerate(ids)
                          if i == target or matches(kind, query, t, leads[i - 1])), None)
            s = stats.setdefault((m, kind), {"ms": [], "strict": [], "aware": [], "ns": []})
            s["ms"].append(ms)
            s["strict"].append(strict)
            s["aware"].append(aware)
            s["ns"].append(ns)

    def recall(ranks, k):
        return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else float("nan")

    def mrr(ranks):
        return sum(1.0 / r for r in ranks if r is not None) / len(ranks) if ranks else float("nan")

    # the baseline answers a subset (it is slow): compare both on that subset
    base_qids = {q for (m, q) in runs if m == "baseline"}
    by_kind = {}
    for qid, (kind, query, target) in sorted(queries.items()):
        by_kind.setdefault(kind, []).append(qid)
    rank_of = {}
    for qid, (kind, query, target) in queries.items():
        t = leads[target - 1]
        for m in methods:
            if (m, qid) in runs:
                ids = runs[(m, qid)][1]
                rank_of[(m, qid)] = (
                    next((r + 1 for r, i in enumerate(ids) if i == target or matches(kind, query, t, leads[i - 1])), None),
                    next((r + 1 for r, i in enumerate(ids) if i == target), None))
    out = []
    out.append("quality per kind: R@1, R@10, MRR where a hit is the target or a namesake of it;")
    out.append("strict: the target itself; namesakes: share of targets that have some")
    out.append("%-16s %4s %5s | %-19s | %-11s || %4s | %-13s | %-19s" % (
        "kind", "n", "names", "search R@1 R@10 MRR", "strict @1 @10", "n'", "search @10 MRR", "baseline R@1 R@10 MRR"))
    tot = {"aware": [], "strict": [], "sub": [], "base": []}
    for kind in KINDS:
        qids = by_kind.get(kind, [])
        if not qids:
            continue
        aware = [rank_of[("search", q)][0] for q in qids]
        strict = [rank_of[("search", q)][1] for q in qids]
        share = 100.0 * sum(1 for q in qids if stats[("search", kind)]["ns"][qids.index(q)] > 0) / len(qids)
        sub = [q for q in qids if q in base_qids]
        s_sub = [rank_of[("search", q)][0] for q in sub]
        b_sub = [rank_of[("baseline", q)][0] for q in sub]
        tot["aware"] += aware
        tot["strict"] += strict
        tot["sub"] += s_sub
        tot["base"] += b_sub
        out.append("%-16s %4d %4.0f%% | %5.3f %5.3f %5.3f   | %5.3f %5.3f || %4d | %5.3f %5.3f   | %5.3f %5.3f %5.3f" % (
            kind, len(qids), share, recall(aware, 1), recall(aware, 10), mrr(aware),
            recall(strict, 1), recall(strict, 10), len(sub), recall(s_sub, 10), mrr(s_sub),
            recall(b_sub, 1), recall(b_sub, 10), mrr(b_sub)))
    out.append("%-16s %4d %5s | %5.3f %5.3f %5.3f   | %5.3f %5.3f || %4d | %5.3f %5.3f   | %5.3f %5.3f %5.3f" % (
        "all", len(tot["aware"]), "", recall(tot["aware"], 1), recall(tot["aware"], 10), mrr(tot["aware"]),
        recall(tot["strict"], 1), recall(tot["strict"], 10), len(tot["sub"]), recall(tot["sub"], 10),
        mrr(tot["sub"]), recall(tot["base"], 1), recall(tot["base"], 10), mrr(tot["base"])))
    out.append("")
    out.append("latency in the server, ms (p50 / p95); baseline on its subset, and search on the same")
    out.append("%-16s | %-21s | %-21s | %-21s" % ("kind", "search (all)", "baseline (n')", "search (n')"))
    alls = {"s": [], "b": [], "sb": []}
    for kind in KINDS:
        qids = by_kind.get(kind, [])
        if not qids:
            continue
        s_ms = [runs[("search", q)][0] for q in qids]
        sub = [q for q in qids if q in base_qids]
        b_ms = [runs[("baseline", q)][0] for q in sub]
        sb_ms = [runs[("search", q)][0] for q in sub]
        alls["s"] += s_ms
        alls["b"] += b_ms
        alls["sb"] += sb_ms
        out.append("%-16s | %8.2f / %8.2f   | %8.1f / %8.1f   | %8.2f / %8.2f" % (
            kind, percentile(s_ms, 0.5), percentile(s_ms, 0.95), percentile(b_ms, 0.5),
            percentile(b_ms, 0.95), percentile(sb_ms, 0.5), percentile(sb_ms, 0.95)))
    out.append("%-16s | %8.2f / %8.2f   | %8.1f / %8.1f   | %8.2f / %8.2f" % (
        "all", percentile(alls["s"], 0.5), percentile(alls["s"], 0.95), percentile(alls["b"], 0.5),
        percentile(alls["b"], 0.95), percentile(alls["sb"], 0.5), percentile(alls["sb"], 0.95)))
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("queries")
    q.add_argument("--count", type=int, default=1000000)
    q.add_argument("--seed", type=int, default=1)
    q.add_argument("--per-kind", type=int, default=100)
    q.add_argument("--query-seed", type=int, default=1,
                   help="targets and corruptions (tune on another seed than the one reported)")
    r = sub.add_parser("report")
    r.add_argument("--count", type=int, default=1000000)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("queries")
    r.add_argument("runs")
    args = ap.parse_args()
    if args.cmd == "queries":
        cmd_queries(args)
    else:
        cmd_report(args)


if __name__ == "__main__":
    main()

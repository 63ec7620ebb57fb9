#!/usr/bin/env python3
"""Closed leads whose outcome depends on their features in a known way, for
measuring the calibration of the win model (test/bench/bench_win_model.sh).

    python3 test/bench/gen_win_history.py --count 20000 --seed 3 > history.csv

Each lead gets realistic values (tools/vn_data.py) and a true probability of
winning, logistic in a sum of effects below: the source, business or person,
an e-mail and a company (correlated with being a business, so naive Bayes,
which assumes independence, double-counts a little), the salesperson's skill,
the industry and two tags. The province and the campaign have no effect (noise
the model must learn to ignore). won is drawn from the true probability.
Deterministic: the same seed gives the same rows.
"""
import argparse
import csv
import math
import random
import sys

sys.path.insert(0, __file__.rsplit("/", 3)[0] + "/tools")
import vn_data  # noqa: E402

BASE = -1.1
SOURCE = {"referral": 1.3, "trade_fair": 0.7, "website": 0.2, "zalo": 0.0, "facebook": -0.6,
          "telesales": -0.9, "existing_list": -1.2}
SOURCE_SHARE = {"referral": 10, "trade_fair": 8, "website": 18, "zalo": 12, "facebook": 30,
                "telesales": 12, "existing_list": 10}
INDUSTRY = {"food": 0.3, "agriculture": 0.4, "retail": -0.2, "wholesale": 0.5, "import_export": 0.2,
            "manufacturing": 0.0, "it": -0.4, None: -0.3}
SALESPEOPLE = 8
TAG = {"coffee": 0.35, "pepper": -0.25, "product": 0.0, "service": 0.1}
CAMPAIGNS = [None, None, "tet_2025", "facebook_thang_1", "hoi_cho_sai_gon"]

COLUMNS = ["id", "kind", "full_name", "company_name", "email", "province", "source", "campaign",
           "industry", "tags", "salesperson", "true_p", "won"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    skill = [rng.gauss(0, 0.5) for _ in range(SALESPEOPLE)]
    sources = list(SOURCE_SHARE)
    weights = [SOURCE_SHARE[s] for s in sources]
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(COLUMNS)
    for i in range(1, args.count + 1):
        business = rng.random() < 0.4
        family, middle, given, _ = vn_data.person(rng)
        name = vn_data.full_name(family, middle, given)
        company, brand = vn_data.company(rng) if business or rng.random() < 0.15 else (None, None)
        email = vn_data.email_for(rng, family, middle, given, brand) \
            if rng.random() < (0.85 if business else 0.55) else None
        province, _ = vn_data.province(rng)
        source = rng.choices(sources, weights)[0]
        industry = rng.choice(list(INDUSTRY)) if business or rng.random() < 0.5 else None
        tags = sorted({t for t in TAG if rng.random() < 0.2})
        salesperson = rng.randrange(SALESPEOPLE)
        logit = (BASE + SOURCE[source] + (0.4 if business else 0) + (0.5 if email else 0)
                 + (0.3 if company else 0) + skill[salesperson] + INDUSTRY[industry]
                 + sum(TAG[t] for t in tags))
        p = 1 / (1 + math.exp(-logit))
        w.writerow([i, "business" if business else "person", name, company or "", email or "",
                    province, source, rng.choice(CAMPAIGNS) or "", industry or "",
                    "{" + ",".join(tags) + "}", salesperson + 1, f"{p:.6f}",
                    "t" if rng.random() < p else "f"])


if __name__ == "__main__":
    main()

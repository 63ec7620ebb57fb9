#!/usr/bin/env python3
"""Print N realistic Vietnamese leads as CSV for COPY lead_crm.lead (... ) FROM STDIN.

    python3 tools/gen_leads.py --count 300 --seed 1 | psql -c "COPY lead_crm.lead ($(python3 tools/gen_leads.py --columns)) FROM STDIN WITH (FORMAT csv, HEADER)"

Deterministic: the same --seed gives the same rows. See tools/vn_data.py.
"""
import argparse
import csv
import datetime
import random
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import vn_data  # noqa: E402

COLUMNS = ["kind", "full_name", "company_name", "phone", "email", "province", "ward", "district",
           "street", "source", "industry", "tags", "need", "expected_revenue", "priority",
           "created_at"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--columns", action="store_true", help="print the column list and exit")
    args = ap.parse_args()
    if args.columns:
        print(", ".join(COLUMNS))
        return
    rng = random.Random(args.seed)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(COLUMNS)
    for i in range(args.count):
        row = vn_data.lead(rng, i)
        row["created_at"] = datetime.datetime.fromtimestamp(
            row["created_at"], datetime.timezone.utc).isoformat()
        if row["expected_revenue"] is not None:
            row["expected_revenue"] = int(row["expected_revenue"])
        w.writerow(["" if row[c] is None else row[c] for c in COLUMNS])


if __name__ == "__main__":
    main()

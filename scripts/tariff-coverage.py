#!/usr/bin/env python3
"""How much of the HS the embedded tariffs price, as a new user would find it.

Usage: scripts/tariff-coverage.py [--xborder BIN] [--sample N] [--seed S] [--codes FILE]
                                  [--date D] [--option NAME=VALUE]...

Draws N HS 2022 subheadings at random (seed S) from the six-digit codes of the embedded US
tariff (regimes/US/US.tariff, chapters 1-97), or reads them from FILE (one code a line), and
assesses one B2C express consignment per code and destination (FR for the EU, GB, US, JP, AU):
one item above every de minimis, no --tariff. Prints, per destination, how many were priced,
refused as E_HS_AMBIGUOUS (the subheading covers national lines with different duties), found
no tariff line, or failed otherwise (E_DUTY_NOT_COMPUTABLE, E_MISSING_DUTY_INPUT, ...), and the
mean over FR GB US JP of (priced + ambiguous) and of priced alone. Figures: BENCHMARKS.md.
"""
import argparse
import json
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# destination: (currency, item value above the regime's de minimis)
DESTINATIONS = {
    "FR": ("EUR", "400.00"),
    "GB": ("GBP", "400.00"),
    "US": ("USD", "1000.00"),
    "JP": ("JPY", "300000"),
    "AU": ("AUD", "2500.00"),
}
BIG_FOUR = ("FR", "GB", "US", "JP")


def subheadings():
    """The six-digit codes of chapters 1-97 in the embedded HTSUS, sorted."""
    codes = set()
    for line in (ROOT / "regimes/US/US.tariff").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^[-+~=]?\t?(\d{8,10})\t", line)
        if m and 1 <= int(m.group(1)[:2]) <= 97:
            codes.add(m.group(1)[:6])
    return sorted(codes)


def declaration(dest, hs, date):
    currency, value = DESTINATIONS[dest]
    address = {"line1": "1 Main St", "city": "Town", "postcode": "10000", "country": dest}
    if dest == "US":
        address["subdivision"] = "US-NY"
    return {
        "id": f"{dest}-{hs}", "date": date, "destination": dest, "transaction": "B2C",
        "channel": "express", "currency": currency,
        "items": [{"description": "Sample goods", "hs_code": hs, "quantity": 1, "value": value,
                   "origin": "VN", "nature": "sale", "net_mass_kg": "1.0",
                   "gross_mass_kg": "1.2"}],
        "shipping": "0", "insurance": "0",
        "seller": {"name": "Overseas Shop", "country": "VN", "registrations": []},
        "consignee": {"name": "A Buyer", "kind": "individual", "country": dest,
                      "address": address},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xborder", default=str(ROOT / "target/release/xborder"))
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--codes")
    ap.add_argument("--date", default="2026-08-03")
    ap.add_argument("--option", action="append", default=[])
    args = ap.parse_args()
    if args.codes:
        codes = [l.strip() for l in open(args.codes, encoding="utf-8") if l.strip()]
    else:
        codes = random.Random(args.seed).sample(subheadings(), args.sample)
    command = [args.xborder, "assess"]
    for option in args.option:
        command += ["--option", option]
    print(f"{len(codes)} subheadings, date {args.date}, options {args.option or 'none'}")
    both, priced = [], []
    for dest in DESTINATIONS:
        text = "".join(json.dumps(declaration(dest, hs, args.date)) + "\n" for hs in codes)
        out = subprocess.run(command + ["-"], input=text, capture_output=True, text=True,
                             check=False).stdout
        results = [json.loads(l) for l in out.splitlines() if l.strip()]
        if len(results) != len(codes):
            sys.exit(f"{dest}: {len(results)} results for {len(codes)} declarations")
        count = Counter(r["error"]["code"] if "error" in r else "priced" for r in results)
        n = len(codes)
        ok, amb, none = count.pop("priced", 0), count.pop("E_HS_AMBIGUOUS", 0), \
            count.pop("E_HS_NO_TARIFF_LINE", 0)
        print(f"{dest}: priced {ok} ({100 * ok / n:.1f} %), ambiguous {amb}, "
              f"no tariff line {none}, other {dict(count)}")
        if dest in BIG_FOUR:
            both.append(100 * (ok + amb) / n)
            priced.append(100 * ok / n)
    print(f"mean FR GB US JP: priced or ambiguous {sum(both) / 4:.1f} %, "
          f"priced {sum(priced) / 4:.1f} %")


main()

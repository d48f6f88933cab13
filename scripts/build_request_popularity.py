"""Write how often residents file each demo request type, from the real Baltimore and NYC
samples: cityhall/demo/data/request_type_popularity.json (0–1, log-scaled, city-wide) and
request_type_local_lift.json (per Baltimore neighbourhood, the types filed at least twice as
often there as city-wide). Run from the repo root:
.venv/bin/python scripts/build_request_popularity.py"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    types = json.loads((ROOT / "cityhall/demo/data/service_types.json").read_text())
    counts: Counter[str] = Counter()
    local: dict[str, Counter[str]] = defaultdict(Counter)
    with open(SHARED / "baltimore-311/requests-sample.csv", newline="") as f:
        for row in csv.DictReader(f):
            counts[("baltimore", row["SRType"].strip())] += 1  # type: ignore[index]
            if row["Neighborhood"].strip():
                local[slugify(row["Neighborhood"])][row["SRType"].strip()] += 1
    with open(SHARED / "nyc-311/requests-sample.csv", newline="") as f:
        for row in csv.DictReader(f):
            counts[("nyc", row["complaint_type"].strip())] += 1  # type: ignore[index]
    raw = {t["code"]: counts.get((t["source"], t["source_code"]), 0) for t in types}  # type: ignore[call-overload]
    top = max(raw.values()) or 1
    scaled = {code: round(math.log1p(n) / math.log1p(top), 3) for code, n in sorted(raw.items())}
    out = ROOT / "cityhall/demo/data/request_type_popularity.json"
    out.write_text(json.dumps(scaled, indent=1, sort_keys=True) + "\n")
    print(f"{sum(1 for v in scaled.values() if v)} of {len(scaled)} types seen; wrote {out}")

    code_of = {t["source_code"]: t["code"] for t in types if t["source"] == "baltimore"}
    baltimore_total = sum(n for (src, _), n in counts.items() if src == "baltimore")
    lifts: dict[str, dict[str, float]] = {}
    for place, here in sorted(local.items()):
        total = sum(here.values())
        if total < 20:
            continue
        found = {}
        for source_code, n in here.items():
            city_share = counts[("baltimore", source_code)] / baltimore_total  # type: ignore[index]
            lift = (n / total) / city_share if city_share else 0.0
            if n >= 3 and lift >= 2.0 and source_code in code_of:
                found[code_of[source_code]] = round(min(lift, 10.0), 2)
        if found:
            lifts[place] = dict(sorted(found.items()))
    out = ROOT / "cityhall/demo/data/request_type_local_lift.json"
    out.write_text(json.dumps(lifts, indent=1, sort_keys=True) + "\n")
    print(f"{len(lifts)} neighbourhoods with locally popular types; wrote {out}")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100].rstrip("-")


if __name__ == "__main__":
    main()

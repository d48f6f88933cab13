"""Write cityhall/demo/data/request_type_popularity.json: how often residents file each demo
request type, from the real Baltimore and NYC samples (0–1, log-scaled). Run from the repo root:
.venv/bin/python scripts/build_request_popularity.py"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    types = json.loads((ROOT / "cityhall/demo/data/service_types.json").read_text())
    counts: Counter[str] = Counter()
    with open(SHARED / "baltimore-311/requests-sample.csv", newline="") as f:
        for row in csv.DictReader(f):
            counts[("baltimore", row["SRType"].strip())] += 1  # type: ignore[index]
    with open(SHARED / "nyc-311/requests-sample.csv", newline="") as f:
        for row in csv.DictReader(f):
            counts[("nyc", row["complaint_type"].strip())] += 1  # type: ignore[index]
    raw = {t["code"]: counts.get((t["source"], t["source_code"]), 0) for t in types}  # type: ignore[call-overload]
    top = max(raw.values()) or 1
    scaled = {code: round(math.log1p(n) / math.log1p(top), 3) for code, n in sorted(raw.items())}
    out = ROOT / "cityhall/demo/data/request_type_popularity.json"
    out.write_text(json.dumps(scaled, indent=1, sort_keys=True) + "\n")
    print(f"{sum(1 for v in scaled.values() if v)} of {len(scaled)} types seen; wrote {out}")


if __name__ == "__main__":
    main()

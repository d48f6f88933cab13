"""Build cityhall/demo/data/case_history.json: how long real Baltimore 311 requests took.

Why: the demo city's expected resolution dates ("8 in 10 like this were done by …") and its
staff queue need a believable history. We keep only what that needs, per closed request:
request type code (as the demo catalogue names it), neighbourhood slug, when it came in, how
many hours it took to close, and the channel. No addresses, no free text. Run from the repo root:

    .venv/bin/python scripts/build_demo_case_history.py [--source ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_demo_slice import BALTIMORE_DATE, OUT_DIR, REPO_ROOT, slugify  # noqa: E402

CHANNELS = {"Phone": "phone", "API": "api", "Internal": "internal", "Email": "email", "Web": "web"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(REPO_ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    types = {t["code"] for t in json.loads((OUT_DIR / "service_types.json").read_text())}
    areas = {
        n["name"]: n["slug"] for n in json.loads((OUT_DIR / "neighbourhoods.json").read_text())
    }
    rows = []
    path = Path(args.source) / "baltimore-311" / "requests-sample.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = f"baltimore-{slugify(row['SRType'], 80)}"
            if code not in types or not row["CloseDate"] or not row["CreatedDate"]:
                continue
            created = datetime.strptime(row["CreatedDate"], BALTIMORE_DATE)
            closed = datetime.strptime(row["CloseDate"], BALTIMORE_DATE)
            hours = (closed - created).total_seconds() / 3600
            if hours < 0:
                continue
            rows.append(
                [
                    code,
                    areas.get(row["Neighborhood"].strip(), ""),
                    created.isoformat(timespec="minutes"),
                    round(hours, 1),
                    CHANNELS.get(row["MethodReceived"], "phone"),
                ]
            )
    rows.sort(key=lambda r: (r[2], r[0]))
    out = OUT_DIR / "case_history.json"
    out.write_text(
        "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n",
        encoding="utf-8",
    )
    print(
        f"{len(rows)} closed requests → {out.relative_to(REPO_ROOT)} ({out.stat().st_size:,} bytes)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

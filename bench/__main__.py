"""Run benchmarks: `python -m bench [--only NAME]`.

Each benchmark module in this package defines `run() -> dict[str, float]` (flat metric: value
pairs, each measured alongside its baseline in the same run). Results are printed as a table
and merged into bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    names = available()
    if args.only:
        names = [n for n in names if n == f"bench_{args.only}"]
        if not names:
            print(f"No benchmark named {args.only!r}. Have: {[n[6:] for n in available()]}")
            return 2
    from django.core.management import call_command

    # Pages served through gunicorn in the benchmarks need the hashed static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    results: dict[str, float] = {}
    for name in names:
        started = time.perf_counter()
        metrics = importlib.import_module(f"bench.{name}").run()
        print(f"\n{name[6:]} ({time.perf_counter() - started:.1f}s)")
        width = max(len(k) for k in metrics)
        for key, value in metrics.items():
            print(f"  {key:<{width}}  {value:>12.3f}")
        results.update(metrics)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous.update(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
    print(f"\nWrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

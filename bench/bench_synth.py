"""Benchmark of the sample-data generator: wall time, peak RSS, rows and bytes
per file, at the default size, at a large size, and at a tenth of the large
size to show that memory stays flat as the population grows.

    .venv/bin/python bench/bench_synth.py                 # 1,000,000 persons
    .venv/bin/python bench/bench_synth.py --persons 200000

Each generation runs in its own process, so the peak RSS is the generator's
own. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(out: str, persons: int, seed: int, dirty: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from synth import generate

    started = time.perf_counter()
    summary = generate(out, persons=persons, seed=seed, dirty=dirty)
    seconds = time.perf_counter() - started
    files = {name: {"rows": r.rows, "rejected": len(r.rejects), "bytes": r.bytes} for name, r in summary.files.items()}
    files["ground_truth.json"] = {"rows": 0, "rejected": 0, "bytes": (Path(out) / "ground_truth.json").stat().st_size}
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "files": files}))


def run(persons: int, seed: int, dirty: bool, keep: Path | None) -> dict:
    out = keep / f"persons-{persons}" if keep else Path(tempfile.mkdtemp(prefix=f"synth-{persons}-"))
    try:
        wall = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(out), str(persons), str(seed), "1" if dirty else "0"],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["wall_seconds"] = time.perf_counter() - wall
        result["persons"] = persons
        return result
    finally:
        if keep is None:
            shutil.rmtree(out, ignore_errors=True)


def show(result: dict) -> None:
    total_rows = sum(f["rows"] for f in result["files"].values())
    total_bytes = sum(f["bytes"] for f in result["files"].values())
    print(
        f"\n== {result['persons']:,} persons: {result['seconds']:.1f} s generating "
        f"({result['wall_seconds']:.1f} s with start-up), peak RSS {result['peak_rss_mb']:.0f} MB"
    )
    print(f"{'file':<30} {'rows':>12} {'rejected':>9} {'MB':>10}")
    for name, f in result["files"].items():
        print(f"{name:<30} {f['rows']:>12,} {f['rejected']:>9,} {f['bytes'] / 1e6:>10.1f}")
    print(f"{'total':<30} {total_rows:>12,} {'':>9} {total_bytes / 1e6:>10.1f}")
    print(f"throughput: {total_rows / result['seconds']:,.0f} rows/s, {total_bytes / 1e6 / result['seconds']:.1f} MB/s")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000, help="the large size (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--clean", action="store_true", help="without --dirty (the demo sample is dirty)")
    parser.add_argument("--keep", type=Path, help="keep the generated files under this folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    dirty = not args.clean
    results = [run(size, args.seed, dirty, args.keep) for size in (3000, args.persons // 10, args.persons)]
    for result in results:
        show(result)
    small, big = results[1], results[2]
    print(
        f"\nmemory: {small['peak_rss_mb']:.0f} MB at {small['persons']:,} persons, {big['peak_rss_mb']:.0f} MB at "
        f"{big['persons']:,} persons: ratio {big['peak_rss_mb'] / small['peak_rss_mb']:.2f} for 10x the data"
    )
    print(f"time: ratio {big['seconds'] / small['seconds']:.2f} for 10x the data")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

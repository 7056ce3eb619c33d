#!/usr/bin/env python3
"""`litmon estimate` against polars' CSV reader on the same synthetic microdata (issue 13).

Generates SYNTHETIC national-style microdata with examples/synth_survey.rs (seed 1) into a
temporary directory, then alternates, ROUNDS times each:
  * polars: `pl.read_csv(file)` in a fresh Python process (the read alone is timed inside it);
  * litmon: the whole `litmon estimate` process (total, province, prefecture and county
    tables with Taylor standard errors), wall time from start to exit.
Prints each median, the ratio litmon / polars and litmon's peak resident memory (from wait4).

    pip install polars
    cargo build --release --example synth_survey && cargo build --release
    python3 scripts/estimate_vs_polars.py --rows 10000000 --rounds 5
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLARS = "import polars as pl, sys, time\nt = time.perf_counter()\npl.read_csv(sys.argv[1])\nprint(time.perf_counter() - t)\n"


def run(cmd, capture=True):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stdout)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    out = p.stdout.read() if capture else b""
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"{cmd[0]} failed with status {status}")
    return wall, usage.ru_maxrss / 1024, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    release = os.path.join(ROOT, "target", "release")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"synthetic_{args.rows}.csv")
        subprocess.run(
            [os.path.join(release, "examples", "synth_survey"), "--rows", str(args.rows), "-o", path],
            check=True,
        )
        litmon = [
            os.path.join(release, "litmon"), "estimate", "--microdata", path,
            "--strata", "prefecture", "--psu", "psu", "--weight", "weight", "--fpc", "fpc",
            "--by", "province", "--by", "prefecture", "--by", "county",
        ]
        polars, ours, rss = [], [], []
        for _ in range(args.rounds):
            _, _, out = run([sys.executable, "-c", POLARS, path])
            polars.append(float(out))
            wall, peak, _ = run(litmon)
            ours.append(wall)
            rss.append(peak)
        size = os.path.getsize(path) / 1e6
    p, m = statistics.median(polars), statistics.median(ours)
    print(f"file: {args.rows} rows, {size:.0f} MB; {os.cpu_count()} cores")
    print(f"polars read_csv  median {p:.3f} s  {sorted(round(x, 3) for x in polars)}")
    print(f"litmon estimate  median {m:.3f} s  {sorted(round(x, 3) for x in ours)}")
    print(f"ratio litmon / polars = {m / p:.2f}  (goal <= 0.6)")
    print(f"litmon peak memory {max(rss):.0f} MB (goal < 200 MB)")


if __name__ == "__main__":
    main()

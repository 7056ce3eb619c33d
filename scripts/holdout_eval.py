"""Hold-out evaluation of litmon's projections for old values: the situation of a final
evaluation, where a province or city last surveyed years ago is projected while its parent
(and its siblings) have newer figures.

For every series below the top of the registry and every year c among its values but the
last, drops that series' values after c (every other series keeps all of its values), runs
`litmon --data DIR project --jurisdiction J --to 2035 --format csv` and scores the dropped
values against the projection's median and its 80 %/95 % intervals, beside "naive drift":
the series' last two kept values (percentage points per year) extended, or for a series with
one kept value its nearest ancestor's last two values' pace from that value.

    python3 scripts/holdout_eval.py --data data [--detail] [--model NAME]

Standard library only; needs a built binary (default target/release/litmon). Forecasts the
projection does not give (a value older than the insufficient-data rule allows) are not
scored.
"""
import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile

from naive_drift import naive_drift


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--model")
    ap.add_argument("--detail", action="store_true")
    ap.add_argument("--bin", default="target/release/litmon")
    a = ap.parse_args()
    rows = read(f"{a.data}/observations.csv")
    parent = {r["id"]: r["parent"] for r in read(f"{a.data}/jurisdictions.csv")}
    series = {}
    for r in rows:
        if r["indicator"] == "literacy_rate":
            series.setdefault(r["jurisdiction"], {})[int(r["year"])] = float(r["value"])
    scored = []
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "data")
        shutil.copytree(a.data, work)
        for j, s in sorted(series.items()):
            if not parent.get(j):
                continue
            years = sorted(s)
            for c in years[:-1]:
                with open(f"{work}/observations.csv", "w", newline="", encoding="utf-8") as f:
                    w = csv.DictWriter(f, list(rows[0].keys()))
                    w.writeheader()
                    w.writerows(r for r in rows if not (
                        r["jurisdiction"] == j and r["indicator"] == "literacy_rate"
                        and int(r["year"]) > c))
                cmd = [a.bin, "--data", work, "project", "--jurisdiction", j, "--to", "2035",
                       "--format", "csv"]
                if a.model:
                    cmd += ["--model", a.model]
                out = subprocess.run(cmd, capture_output=True, text=True)
                if out.returncode:
                    sys.exit(out.stderr)
                fc = {int(r["year"]): r for r in csv.DictReader(io.StringIO(out.stdout))
                      if r["jurisdiction"] == j}
                for y in years:
                    if y <= c or y not in fc:
                        continue
                    f = fc[y]
                    scored.append((j, c, y, s[y], float(f["median"]), float(f["lo80"]),
                                   float(f["hi80"]), float(f["lo95"]), float(f["hi95"]),
                                   naive_drift(series, parent, j, y, own_until=c)))
    if not scored:
        sys.exit("no forecasts to score")
    if a.detail:
        print("jurisdiction,kept_to,year,actual,median,lo80,hi80,naive_drift")
        for r in scored:
            drift = "" if r[9] is None else f"{r[9]:.2f}"
            print(f"{r[0]},{r[1]},{r[2]},{r[3]:.2f},{r[4]:.2f},{r[5]:.2f},{r[6]:.2f},{drift}")
    both = [r for r in scored if r[9] is not None]
    mae = sum(abs(r[4] - r[3]) for r in both) / len(both)
    naive = sum(abs(r[9] - r[3]) for r in both) / len(both)
    n = len(scored)
    print(f"forecasts {n} (naive drift defined for {len(both)})")
    print(f"mae_pp {mae:.3f}  naive_drift_mae_pp {naive:.3f}  ratio {mae / naive:.2f}")
    print(f"coverage80 {sum(r[5] <= r[3] <= r[6] for r in scored) / n:.2f}  "
          f"coverage95 {sum(r[7] <= r[3] <= r[8] for r in scored) / n:.2f}  "
          f"bias_pp {sum(r[3] - r[4] for r in scored) / n:+.3f}")


if __name__ == "__main__":
    main()

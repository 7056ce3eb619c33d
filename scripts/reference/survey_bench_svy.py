"""The Python `svy` side of litmon's speed comparison (not a test fixture).

    python3 scripts/reference/survey_bench_svy.py /tmp/s300k.csv /tmp/svy_out.csv

Same job as survey_bench.R: score >= 70, stratified cluster design with fpc, mean of the
0/1 outcome for the total and by province, prefecture and county, with Taylor SEs.
"""
import sys
import time

import polars as pl
import svy

t0 = time.perf_counter()
df = pl.read_csv(sys.argv[1], schema_overrides={c: pl.Utf8 for c in
                 ["province", "prefecture", "county", "psu"]})
df = df.with_columns(
    ((pl.col("knowledge") + pl.col("method") + pl.col("spirit") + pl.col("application")) >= 70)
    .cast(pl.Float64).alias("literate"))
sample = svy.Sample(df, svy.Design(stratum="prefecture", psu="psu", wgt="weight", pop_size="fpc"))
rows = []
tot = sample.estimation.mean("literate")
rows.append(("total", tot))
for v in ["province", "prefecture", "county"]:
    t1 = time.perf_counter()
    est = sample.estimation.mean("literate", by=v)
    rows.append((v, est))
    print(f"{v}: {time.perf_counter() - t1:.1f} s", flush=True)
print(f"svy total: {time.perf_counter() - t0:.1f} s")
with open(sys.argv[2], "w") as f:
    for name, est in rows:
        f.write(f"# {name}\n{est}\n")

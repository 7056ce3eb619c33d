#!/usr/bin/env python3
"""Builds and checks the embedded default dataset against the shared published figures.

    python3 scripts/embedded_data.py registry SHARED_DATA_DIR   # rewrite data/jurisdictions.csv
    python3 scripts/embedded_data.py check SHARED_DATA_DIR      # every embedded value is a shared row

`registry` keeps every row of the current data/jurisdictions.csv (ids, display names, English
names, levels, parents) and adds every unit of SHARED_DATA_DIR/divisions.csv that is missing,
with a display name by the same convention: a province or prefecture-level unit by its short
name (包头市 → 包头, 锡林郭勒盟 → 锡林郭勒, 大理白族自治州 → 大理, 阿里地区 → 阿里) unless that
short name is already taken, a county-level unit by its full name (which other counties may
bear too: 朝阳区 in 北京 and in 长春). Every row of divisions.csv
gets its full official name (`full_name_zh`) and its `statistical_zone` mark. Order: the nation,
the provinces, then every other row by id (the order of the existing file is kept as a
subsequence).

`check` reads data/observations.csv and exits 1 unless every row equals a survey row of the
shared files (national.csv share_literate/total, provinces.csv and cities.csv rows whose note
does not start with "target" or "plan", extra.csv rows of kind survey): same place (the shared short name
mapped onto the registry), year, value, cite_zh and source URL (after the README's prefixes
"DERIVED: …; ", "(city survey) ", "(provincial survey) "). The seed facts listed in
data/README.md are the only rows allowed without a shared row. It also lists shared survey
rows that are not embedded, so that a missing figure is seen.
"""
import csv
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")

# Ethnic names in the names of autonomous prefectures: the short name is the part before the first.
ETHNIC = ["朝鲜", "土家", "藏", "羌", "彝", "布依", "苗", "侗", "哈尼", "壮", "傣", "景颇", "白",
          "傈僳", "回", "蒙古", "柯尔克孜", "哈萨克"]

# Seed facts (data/README.md, "Seed facts"): from the seed plan documents, not from the shared files.
SEED_FACTS = {("150300", "2020"), ("140922", "2020"), ("140000", "2020")}


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def short_name(full, level):
    if level == "county":
        return full
    if full.endswith("自治州"):
        stem = full[: -len("自治州")]
        cut = min((stem.find(e) for e in ETHNIC if stem.find(e) > 0), default=len(stem))
        return stem[:cut]
    for suffix in ("地区", "盟", "市"):
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


def registry(shared):
    old = read(os.path.join(DATA, "jurisdictions.csv"))
    divisions = read(os.path.join(shared, "divisions.csv"))
    by_code = {d["code"]: d for d in divisions}
    rows = {}
    for r in old:
        d = by_code.get(r["id"])
        rows[r["id"]] = {
            "id": r["id"],
            "name_zh": r["name_zh"],
            "name_en": r["name_en"],
            "level": r["level"],
            "parent": r["parent"],
            "full_name_zh": d["name_zh"] if d else r.get("full_name_zh", ""),
            "statistical_zone": "yes" if d and d["statistical_zone"] == "yes" else "",
        }
        if d and (d["level"] != r["level"]):
            sys.exit(f"{r['id']}: level {r['level']} here, {d['level']} in divisions.csv")
    taken = {r["name_zh"] for r in rows.values()}
    # Provinces first, then prefectures, so that a province keeps a short name a prefecture shares.
    rank = {"national": 0, "province": 1, "prefecture": 2, "county": 3}
    for d in sorted(divisions, key=lambda d: (rank[d["level"]], d["code"])):
        if d["code"] in rows:
            continue
        name = short_name(d["name_zh"], d["level"])
        if name in taken and d["level"] != "county":
            name = d["name_zh"]
            if name in taken:
                sys.exit(f"{d['code']}: display name {name} is taken")
        taken.add(name)
        rows[d["code"]] = {
            "id": d["code"],
            "name_zh": name,
            "name_en": "",
            "level": d["level"],
            "parent": d["parent"],
            "full_name_zh": d["name_zh"],
            "statistical_zone": "yes" if d["statistical_zone"] == "yes" else "",
        }
    order = sorted(rows.values(), key=lambda r: (rank[r["level"]] if r["level"] in ("national", "province") else 2, r["id"]))
    cols = ["id", "name_zh", "name_en", "level", "parent", "full_name_zh", "statistical_zone"]
    with open(os.path.join(DATA, "jurisdictions.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in order:
            w.writerow(r)
    print(f"{len(order)} rows")


def names(rows):
    """Display names → ids, then full and short names → ids for names no row displays (a
    name borne by two rows maps to both), as litmon resolves them."""
    out = {}
    for r in rows:
        out.setdefault(r["name_zh"], set()).add(r["id"])
    other = {}
    for r in rows:
        full = r.get("full_name_zh") or r["name_zh"]
        for n in {full, short_name(full, "x")}:
            if n not in out:
                other.setdefault(n, set()).add(r["id"])
    return {**other, **out}


def is_target(note):
    """A planned value (shared README: the note marks a target): notes that start with
    "target" or "plan"; a note that only mentions a target in passing ("exceeded 十四五
    mid-term target") is a survey value's."""
    return note.startswith(("target", "plan"))


def shared_survey_rows(shared, reg):
    def place(name, parent=None):
        ids = reg.get(name, set())
        if len(ids) != 1 and parent:
            ids = {i for i in ids if i[:2] == next(iter(reg.get(parent, {"??"})))[:2]}
        if len(ids) != 1:
            sys.exit(f"shared name {name} matches {sorted(ids) or 'no registry row'}")
        return next(iter(ids))

    out = []
    for r in read(os.path.join(shared, "national.csv")):
        if r["indicator"] == "share_literate" and r["group"] == "total":
            out.append(("100000", r["year"], r["value_pct"], r["source_url"], r["cite_zh"], "national.csv"))
    for r in read(os.path.join(shared, "provinces.csv")):
        if not is_target(r["note"]) and r["value_pct"]:
            out.append((place(r["province_zh"]), r["year"], r["value_pct"], r["source_url"], r["cite_zh"], "provinces.csv"))
    for r in read(os.path.join(shared, "cities.csv")):
        if not is_target(r["note"]) and r["value_pct"]:
            out.append((place(r["city_zh"], r["parent_province_zh"]), r["year"], r["value_pct"], r["source_url"], r["cite_zh"], "cities.csv"))
    for r in read(os.path.join(shared, "extra.csv")):
        if r["kind"] == "survey":
            out.append((place(r["region_zh"]), r["year"], r["value_pct"], r["source_url"], r["cite_zh"], "extra.csv"))
    return out


def check(shared):
    reg = names(read(os.path.join(DATA, "jurisdictions.csv")))
    rows = shared_survey_rows(shared, reg)
    bad = 0
    embedded = read(os.path.join(DATA, "observations.csv"))
    for o in embedded:
        key = (o["jurisdiction"], o["year"])
        url = re.sub(r"^(DERIVED: [^;]*; |\(city survey\) |\(provincial survey\) )", "", o["source"])
        match = [r for r in rows if (r[0], r[1]) == key and float(r[2]) == float(o["value"])
                 and r[3] == url and r[4] == o["cite"]]
        if not match and key not in SEED_FACTS:
            bad += 1
            print(f"not a shared survey row: {','.join(o.values())}")
    have = {(o["jurisdiction"], o["year"]) for o in embedded}
    for r in rows:
        if (r[0], r[1]) not in have:
            print(f"shared survey row not embedded: {r[5]} {r[0]} {r[1]} {r[2]}")
    print(f"{len(embedded)} embedded rows checked, {bad} without a shared row")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("registry", "check"):
        sys.exit(__doc__)
    {"registry": registry, "check": check}[sys.argv[1]](sys.argv[2])

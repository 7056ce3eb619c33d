#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures (run from the crate root).
# The first byte of a csv_loader input picks the encoding option (0 auto, 1 utf-8, 2 gbk);
# of an xlsx_loader input, the mode (even: raw bytes; odd: sheet XML 0xFF shared strings).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/csv_loader fuzz/corpus/xlsx_loader fuzz/corpus/toml_loader fuzz/corpus/microdata_loader
i=0
for f in tests/fixtures/worked/*.csv tests/fixtures/bad/*.csv tests/fixtures/obs/*.csv \
         tests/fixtures/io/*.csv data/jurisdictions.csv; do
  i=$((i + 1)); { printf '\000'; head -c 3000 "$f"; } > "fuzz/corpus/csv_loader/seed$i"
done
i=0
for f in tests/fixtures/io/*.xlsx tests/fixtures/io/xlsx_data/*.xlsx tests/fixtures/bad/*.xlsx; do
  i=$((i + 1)); { printf '\000'; cat "$f"; } > "fuzz/corpus/xlsx_loader/seed$i"
done
{ printf '\001'
  printf '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2"><v>150300</v></c><c r="B2"><v>2020</v></c><c r="C2"><v>9</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>乌海</t></is></c><c r="B3"><v>2022</v></c><c r="C3"><v>9.8</v></c></row></sheetData></worksheet>'
  printf '\377'
  printf '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>地区</t></si><si><t>年份</t></si><si><t>比例</t></si></sst>'
} > fuzz/corpus/xlsx_loader/structured
i=0
for f in seeds/*.toml data/plans/*.toml tests/fixtures/worked/plans/*.toml tests/fixtures/bad/*.toml; do
  i=$((i + 1)); cp "$f" "fuzz/corpus/toml_loader/seed$i"
done
i=0
for f in tests/fixtures/survey/*.csv; do
  i=$((i + 1)); head -c 20000 "$f" > "fuzz/corpus/microdata_loader/seed$i"
done

#!/usr/bin/env bash
# Behaviour snapshot of the litmon CLI: the safety net of behaviour-preserving refactors.
#
#   scripts/behaviour_snapshot.sh OUTDIR              record every case into OUTDIR (new or empty)
#   scripts/behaviour_snapshot.sh --compare BEFORE AFTER
#                                                     diff -r two snapshots; lists the differing
#                                                     files, exit 1 if any differ, 0 if identical
#
# The binary is ${LITMON:-target/release/litmon} (a relative LITMON is taken relative to the
# caller's directory, so the script of one checkout can run another checkout's build).
# Typical use:
#   cargo build --release && scripts/behaviour_snapshot.sh /tmp/snap_before
#   … refactor …
#   cargo build --release && scripts/behaviour_snapshot.sh /tmp/snap_after
#   scripts/behaviour_snapshot.sh --compare /tmp/snap_before /tmp/snap_after
#
# Each case is one run of the binary, recorded under OUTDIR/<case>/:
#   cmd      the argument list (one per line; @O@ stands for OUTDIR/<case>/out)
#   stdout   standard output     stderr   standard error     status   exit code
#   out*     whatever the command wrote with -o (a file, or a directory for report, data export,
#            several-jurisdiction charts)
# A failing case does not stop the script: expected failures (bad input, usage errors) are cases
# too, recorded with their exit code and message.
#
# Determinism. Every case runs from the repository root (so fixture paths are the relative
# tests/fixtures/… in every message, whichever checkout runs), with stdin from /dev/null and the
# environment reduced to PATH, HOME, COLUMNS=120, NO_COLOR=1, LANG=C.UTF-8, LC_ALL=C.UTF-8 and
# TZ=UTC (env -i; so no RUST_LOG/RUST_BACKTRACE etc. leak in), under a 120 s timeout (status 124
# means it hung).
# Checked by running the script twice into two directories and comparing: litmon itself has no
# clock or random input (XLSX files carry a fixed creation date, the report carries no generation
# date), so no --as-of or date option is needed to pin a timestamp. The one thing that differs
# between two snapshots is the location of the snapshot itself and of the checkout, which -o
# paths and some messages echo. Normalisation (the only one):
#   sed step on stdout, stderr and on text files written under out* (csv, md, json, html, svg,
#   txt, toml): the absolute OUTDIR/<case>/ prefix is replaced by "@CASE@/", any other
#   occurrence of the absolute OUTDIR by "@OUTDIR@", the absolute repository root by "@ROOT@".
# Binary outputs (PNG, XLSX) are kept byte for byte.
set -euo pipefail

usage() {
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

if [[ $# -ge 1 && $1 == --compare ]]; then
    [[ $# -eq 3 ]] || usage
    before=$2 after=$3
    [[ -d $before ]] || { echo "no such snapshot: $before" >&2; exit 2; }
    [[ -d $after ]] || { echo "no such snapshot: $after" >&2; exit 2; }
    if diffs=$(diff -rq "$before" "$after"); then
        n=$(find "$before" -mindepth 1 -maxdepth 1 -type d | wc -l)
        echo "identical: $n cases"
        exit 0
    fi
    echo "$diffs"
    echo "$(printf '%s\n' "$diffs" | wc -l) differences (diff -r $before $after for the details)"
    exit 1
fi

[[ $# -eq 1 && $1 != -* ]] || usage

caller=$(pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd -P)
if [[ -n $(ls -A "$OUT") ]]; then
    echo "$OUT is not empty: give a new or empty directory" >&2
    exit 2
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd -P)
LITMON=${LITMON:-$ROOT/target/release/litmon}
[[ $LITMON == /* ]] || LITMON=$caller/$LITMON
[[ -x $LITMON ]] || { echo "no executable litmon at $LITMON (cargo build --release)" >&2; exit 2; }

# Escape a string for a sed regular expression / replacement.
sed_re() { printf '%s' "$1" | sed 's/[][\/.^$*]/\\&/g'; }

ncases=0
nfail=0
declare -A seen=()

# case NAME ARG… — run litmon ARG… and record it under OUTDIR/NAME. In ARGs, @O@ is replaced by
# OUTDIR/NAME/out (e.g. -o @O@.csv, -o @O@/) and @OUTDIR@ by OUTDIR (to read an earlier case's
# output).
case_() {
    local name=$1
    shift
    if [[ -n ${seen[$name]:-} ]]; then
        echo "duplicate case name: $name" >&2
        exit 2
    fi
    seen[$name]=1
    local dir=$OUT/$name
    mkdir -p "$dir"
    local args=() a
    for a in "$@"; do
        a=${a//@O@/$dir/out}
        a=${a//@OUTDIR@/$OUT}
        args+=("$a")
    done
    printf '%s\n' "$@" >"$dir/cmd"
    local status=0
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" COLUMNS=120 NO_COLOR=1 LANG=C.UTF-8 \
        LC_ALL=C.UTF-8 TZ=UTC timeout 120 "$LITMON" "${args[@]}" \
        </dev/null >"$dir/stdout" 2>"$dir/stderr" || status=$?
    echo "$status" >"$dir/status"
    ncases=$((ncases + 1))
    [[ $status -eq 0 ]] || nfail=$((nfail + 1))
    # Normalisation (see the header): absolute snapshot and checkout paths.
    local d o r f
    d=$(sed_re "$dir/") o=$(sed_re "$OUT") r=$(sed_re "$ROOT")
    local files=("$dir/stdout" "$dir/stderr")
    while IFS= read -r -d '' f; do files+=("$f"); done < <(
        find "$dir" -path "$dir/out*" -type f \
            \( -name '*.csv' -o -name '*.md' -o -name '*.json' -o -name '*.html' \
            -o -name '*.svg' -o -name '*.txt' -o -name '*.toml' \) -print0
    )
    sed -i -e "s/$d/@CASE@\\//g" -e "s/$o/@OUTDIR@/g" -e "s/$r/@ROOT@/g" "${files[@]}"
}

F=tests/fixtures
SV=$F/survey
MD=$F/microdata
SAE=(--data $F/sae/data --observations $F/sae/direct_2022.csv)

start=$(date +%s)

# ---------------------------------------------------------------- version, help
case_ version --version
case_ help --help
for c in assess project targets backtest indicators chart report estimate sae data; do
    case_ "help_$c" "$c" --help
done
case_ help_data_export data export --help

# ---------------------------------------------------------------- table commands × format × lang
# targets needs --year; every other table command runs bare.
declare -A TC=(
    [assess]="assess"
    [project]="project"
    [targets]="targets --year 2030"
    [backtest]="backtest"
    [indicators]="indicators"
)
for c in assess project targets backtest indicators; do
    read -r -a base <<<"${TC[$c]}"
    for lang in zh en; do
        case_ "${c}_default_$lang" "${base[@]}" --lang "$lang"
        for fmt in table csv json md; do
            case_ "${c}_${fmt}_$lang" "${base[@]}" --lang "$lang" --format "$fmt"
        done
        case_ "${c}_xlsx_$lang" "${base[@]}" --lang "$lang" -o @O@.xlsx
    done
    case_ "${c}_o_csv" "${base[@]}" --lang en -o @O@.csv
    case_ "${c}_o_md" "${base[@]}" -o @O@.md
    case_ "${c}_o_json_format_csv" "${base[@]}" --format csv -o @O@.json
    # --as-of: midterm, final and after the plans.
    for y in 2022 2024 2025 2026; do
        case_ "${c}_asof_$y" "${base[@]}" --as-of "$y" --lang en --format csv
    done
    # filters
    case_ "${c}_jur_code" "${base[@]}" --jurisdiction 150300 --format csv
    case_ "${c}_jur_names" "${base[@]}" --jurisdiction 乌海 --jurisdiction 宁夏 --jurisdiction 100000 --format csv --lang en
    for lvl in national province prefecture county; do
        case_ "${c}_level_$lvl" "${base[@]}" --level "$lvl" --format csv
    done
done

# --model: each model on the commands that use a trend model.
for m in local_angular logit_wls linear_pp cagr rw_drift_logit drift_pp; do
    case_ "assess_model_$m" assess --model "$m" --format csv --lang en
    case_ "project_model_$m" project --model "$m" --format csv --to 2030
    case_ "targets_model_$m" targets --year 2030 --model "$m" --format csv
    case_ "backtest_model_$m" backtest --model "$m" --format csv
    case_ "assess_model_${m}_asof_2023" assess --model "$m" --as-of 2023 --format csv
done

# command-specific options
case_ project_to_2030 project --to 2030 --format csv
case_ project_to_2035_table_en project --to 2035 --lang en
case_ project_to_2025_asof_2022 project --to 2025 --as-of 2022 --format csv
case_ targets_2035 targets --year 2035 --format csv --lang en
case_ targets_probabilities targets --year 2030 --probability 0.9 --probability 0.5 --probability 0.1 --format csv
case_ targets_2030_asof_2024_table targets --year 2030 --as-of 2024
case_ backtest_by_level backtest --by-level
case_ backtest_by_level_csv backtest --by-level --format csv --lang en
case_ backtest_all_origins backtest --all-origins
case_ backtest_all_origins_csv backtest --all-origins --format csv
case_ backtest_all_origins_by_level backtest --all-origins --by-level --format json
case_ backtest_detail backtest --detail --format csv
case_ backtest_detail_model backtest --detail --model logit_wls --format csv --lang en
case_ backtest_since_2015 backtest --since 2015 --format csv
case_ backtest_half_life_0 backtest --half-life 0 --model logit_wls --format csv
case_ backtest_half_life_4 backtest --half-life 4 --model logit_wls --format csv
case_ backtest_province_by_level backtest --level province --by-level --format csv
case_ assess_verbose assess --verbose --format csv
case_ indicators_template_xlsx indicators --template -o @O@.xlsx
case_ indicators_template_csv indicators --template -o @O@.csv
case_ indicators_template_csv_en indicators --template --lang en -o @O@.csv
case_ indicators_template_jur indicators --template --jurisdiction 鄂尔多斯 -o @O@.csv
case_ indicators_ordos indicators --observations $F/progress/ordos.csv --format csv
case_ indicators_ordos_table_en indicators --observations $F/progress/ordos.csv --jurisdiction 鄂尔多斯 --lang en
case_ indicators_ordos_asof_2023 indicators --observations $F/progress/ordos.csv --as-of 2023 --format json
case_ indicators_ordos_xlsx indicators --observations $F/progress/ordos.csv -o @O@.xlsx
case_ assess_ordos_progress assess --observations $F/progress/ordos.csv --format csv

# ---------------------------------------------------------------- data inputs
case_ assess_worked_en assess --data $F/worked --lang en --format csv
case_ assess_worked_table assess --data $F/worked
case_ project_worked project --data $F/worked --format csv
case_ indicators_worked indicators --data $F/worked --format csv
case_ targets_worked targets --data $F/worked --year 2030 --format csv
for f in observations_utf8.csv observations_gbk.csv observations_bom.csv observations_zh.xlsx observations_title_row.xlsx; do
    case_ "assess_worked_io_${f//./_}" assess --data $F/worked --observations "$F/io/$f" --format csv
done
case_ assess_worked_io_two_sheets_sheet assess --data $F/worked --observations $F/io/observations_two_sheets.xlsx --sheet 数据 --format csv
case_ err_worked_io_two_sheets_nosheet assess --data $F/worked --observations $F/io/observations_two_sheets.xlsx --format csv
case_ err_worked_io_missing_sheet assess --data $F/worked --sheet Data --observations $F/io/observations_two_sheets.xlsx
case_ assess_io_gbk_encoding assess --encoding gbk --observations $F/io/observations_gbk.csv --format csv
case_ assess_io_gbk_gb18030 assess --encoding gb18030 --observations $F/io/observations_gbk.csv --format csv
case_ assess_io_utf8 assess --observations $F/io/observations_utf8.csv --format csv
case_ assess_io_xlsx_data assess --data $F/io/xlsx_data --format csv
case_ assess_io_xlsx_data_en assess --data $F/io/xlsx_data --lang en
case_ assess_excel_csv assess --observations $F/excel/wuhai_observations.csv --format csv
case_ assess_excel_xlsx assess --observations $F/excel/wuhai_observations.xlsx --format csv
case_ assess_obs_wuhai_2022 assess --observations $F/obs/wuhai_2022.csv --format csv --lang en
case_ assess_obs_seed_baselines assess --observations $F/obs/seed_baselines.csv --format csv
case_ assess_obs_two_files assess --observations $F/obs/seed_baselines.csv --observations $F/obs/wuhai_2022.csv --format csv
case_ assess_plans_worked assess --plans $F/worked/plans/150300.toml --format csv
case_ assess_plans_dir assess --plans $F/worked/plans --format csv --lang en
case_ err_jurisdictions_duplicate assess --jurisdictions $F/worked/jurisdictions.csv --format csv
case_ assess_sae_data assess --data $F/sae/data --format csv
# --jurisdictions, --observations and --plans together: a city added on top of the embedded data
# (the inputs of tests/usability.rs, written into the case directory).
J=$OUT/extra_city
mkdir -p "$J"
printf 'id,name_zh,name_en,level,parent\n150200,包头,Baotou,prefecture,内蒙古\n' >"$J/j.csv"
printf 'jurisdiction,indicator,year,value\n包头,literacy_rate,2020,10.5\n包头市,literacy_rate,2022,12.1\n' >"$J/o.csv"
printf '%s\n' '[plan]' 'jurisdiction = "150200"' 'title_zh = "包头"' 'period = [2021, 2025]' '' \
    '[[indicator]]' 'id = "literacy_rate"' 'name_zh = "公民具备科学素质的比例"' 'unit = "pct"' \
    'kind = "level"' 'direction = "increase"' 'target = { year = 2025, value = 15.0 }' >"$J/p.toml"
X=(--jurisdictions @OUTDIR@/extra_city/j.csv --observations @OUTDIR@/extra_city/o.csv --plans @OUTDIR@/extra_city/p.toml)
case_ extra_city assess "${X[@]}" --jurisdiction 包头 --format csv
case_ extra_city_all_en assess "${X[@]}" --format csv --lang en
case_ extra_city_project project "${X[@]}" --jurisdiction 150200 --to 2030 --format csv
case_ extra_city_export data export "${X[@]}" -o @O@/

# data export, then read back
case_ export_default data export -o @O@/
case_ export_worked --data $F/worked data export -o @O@/
case_ export_obs_plans --observations $F/obs/wuhai_2022.csv --plans $F/worked/plans/150300.toml data export -o @O@/
case_ export_progress --observations $F/progress/ordos.csv data export -o @O@/
case_ export_xlsx_data --data $F/io/xlsx_data data export -o @O@/
case_ export_sae_data --data $F/sae/data data export -o @O@/
case_ reread_export_default assess --data @OUTDIR@/export_default/out --format csv
case_ reread_export_obs_plans assess --data @OUTDIR@/export_obs_plans/out --format csv
case_ reread_export_progress indicators --data @OUTDIR@/export_progress/out --format csv

# ---------------------------------------------------------------- charts
case_ chart_trajectory_png chart --kind trajectory --jurisdiction 乌海 -o @O@.png
case_ chart_trajectory_svg chart --kind trajectory --jurisdiction 乌海 -o @O@.svg
case_ chart_trajectory_svg_en_asof_2023 chart --kind trajectory --jurisdiction 乌海 --as-of 2023 --lang en -o @O@.svg
case_ chart_trajectory_small_png chart --kind trajectory --jurisdiction 100000 --width 800 --height 500 -o @O@.png
case_ chart_trajectory_format_svg chart --kind trajectory --jurisdiction 100000 --format svg -o @O@.svg
case_ chart_trajectory_several_png chart --kind trajectory --jurisdiction 乌海 --jurisdiction 五台县 --jurisdiction 100000 -o @O@/
case_ chart_trajectory_several_svg chart --kind trajectory --jurisdiction 乌海 --jurisdiction 宁夏 --format svg -o @O@/
for m in local_angular logit_wls linear_pp cagr rw_drift_logit drift_pp; do
    case_ "chart_trajectory_model_$m" chart --kind trajectory --jurisdiction 宁夏 --model "$m" -o @O@.svg
done
case_ chart_dashboard_png chart --kind dashboard -o @O@.png
case_ chart_dashboard_svg chart --kind dashboard -o @O@.svg
case_ chart_dashboard_province_png chart --kind dashboard --level province -o @O@.png
case_ chart_dashboard_parent_en_svg chart --kind dashboard --parent 150000 --lang en -o @O@.svg
case_ chart_dashboard_asof_2025_svg chart --kind dashboard --as-of 2025 -o @O@.svg
case_ chart_indicators_ordos_png chart --kind indicators --jurisdiction 鄂尔多斯 --observations $F/progress/ordos.csv --as-of 2023 -o @O@.png
case_ chart_indicators_ordos_svg_en chart --kind indicators --jurisdiction 鄂尔多斯 --observations $F/progress/ordos.csv --lang en -o @O@.svg
case_ chart_indicators_wuhai_svg chart --kind indicators --jurisdiction 乌海 -o @O@.svg
case_ chart_targets_png chart --kind targets --year 2030 --jurisdiction 100000 -o @O@.png
case_ chart_targets_svg chart --kind targets --year 2030 --jurisdiction 100000 -o @O@.svg
case_ chart_targets_prob_svg_en chart --kind targets --year 2035 --probability 0.9 --probability 0.5 --jurisdiction 100000 --lang en -o @O@.svg
case_ err_chart_targets_no_value chart --kind targets --year 2035 --jurisdiction 宁夏 -o @O@.svg
case_ chart_targets_several_svg chart --kind targets --year 2030 --jurisdiction 100000 --jurisdiction 乌海 -o @O@/ --format svg
case_ chart_trajectory_worked_svg chart --kind trajectory --data $F/worked --jurisdiction 150300 -o @O@.svg

# ---------------------------------------------------------------- report
case_ report_default report -o @O@/
case_ report_asof_2025 report --as-of 2025 -o @O@/
case_ report_asof_2023 report --as-of 2023 -o @O@/
case_ report_en report --lang en -o @O@/
case_ report_zh_level_province report --lang zh --level province -o @O@/
case_ report_jur_wuhai_en report --jurisdiction 乌海 --lang en -o @O@/
case_ report_model_logit_wls report --model logit_wls --jurisdiction 100000 -o @O@/
case_ report_worked report --data $F/worked --lang en -o @O@/
case_ report_ordos_progress report --observations $F/progress/ordos.csv --jurisdiction 鄂尔多斯 -o @O@/
# an existing directory holding something other than a report is refused
mkdir -p "$OUT/err_report_foreign_dir/out" && echo keep >"$OUT/err_report_foreign_dir/out/keep.txt"
case_ err_report_foreign_dir report -o @O@/
case_ err_report_html_file report -o @O@.html
case_ err_report_no_output report

# ---------------------------------------------------------------- estimate (survey/)
TAYLOR=(estimate --microdata $SV/microdata.csv --strata stratum --psu psu --weight weight --fpc fpc
    --score knowledge+method+spirit+application --lonely-psu adjust)
BY3=(--by province --by county --by county,urban)
case_ est_taylor_table "${TAYLOR[@]}" "${BY3[@]}"
case_ est_taylor_table_en "${TAYLOR[@]}" "${BY3[@]}" --lang en
for fmt in csv json md; do
    case_ "est_taylor_$fmt" "${TAYLOR[@]}" "${BY3[@]}" --format "$fmt"
done
case_ est_taylor_xlsx "${TAYLOR[@]}" "${BY3[@]}" -o @O@.xlsx
case_ est_taylor_verbose "${TAYLOR[@]}" "${BY3[@]}" --verbose --format csv
case_ est_taylor_total_only "${TAYLOR[@]}" --format csv
case_ est_contract "${TAYLOR[@]}" --by province --by county,urban --format csv
for ci in logit xlogit beta wilson clopper-pearson asin; do
    case_ "est_ci_$ci" "${TAYLOR[@]}" "${BY3[@]}" --ci "$ci" --format csv
done
case_ est_confidence_90 "${TAYLOR[@]}" "${BY3[@]}" --confidence 0.9 --format csv
for lp in fail adjust remove certainty; do
    n=est_lonely_$lp
    [[ $lp != fail ]] || n=err_est_lonely_fail
    case_ "$n" estimate --microdata $SV/microdata.csv --strata stratum --psu psu --weight weight \
        --score knowledge+method+spirit+application --lonely-psu "$lp" "${BY3[@]}" --format csv
done
case_ est_no_fpc estimate --microdata $SV/microdata.csv --strata stratum --psu psu --weight weight --lonely-psu adjust --by county --format csv
case_ err_est_no_fpc_lonely_default estimate --microdata $SV/microdata.csv --strata stratum --psu psu --weight weight --by county --format csv
case_ est_weight_only estimate --microdata $SV/microdata.csv --weight weight --indicator-column literate --by province --format csv
case_ est_threshold_60 "${TAYLOR[@]}" --threshold 60 --by province --format csv
case_ est_levels "${TAYLOR[@]}" --levels 55,85 --by province --format csv
case_ est_miller estimate --microdata $SV/microdata.csv --strata stratum --psu psu --weight weight --fpc fpc --lonely-psu adjust \
    --miller knowledge:26,method:12 --by province --format csv
case_ err_est_miller_and_score "${TAYLOR[@]}" --miller knowledge:26,method:12
case_ est_indicator_column estimate --microdata $SV/microdata.csv --strata stratum --psu psu --weight weight --fpc fpc \
    --indicator-column literate --lonely-psu adjust --by county --format csv
case_ est_score_literate_threshold_1 estimate --microdata $SV/microdata.csv --strata stratum --psu psu --weight weight \
    --score literate --threshold 1 --lonely-psu adjust --by county --format csv
mkdir -p "$OUT/est_design_toml"
printf '%s\n' '[design]' 'strata = "stratum"' 'psu = "psu"' 'weight = "weight"' 'fpc = "fpc"' \
    'lonely_psu = "adjust"' '[scoring]' 'indicator = "literate"' '[domains]' 'by = ["county"]' \
    >"$OUT/est_design_toml/design.toml"
case_ est_design_toml estimate --microdata $SV/microdata.csv --design @OUTDIR@/est_design_toml/design.toml --format csv
case_ est_poststrata "${TAYLOR[@]}" "${BY3[@]}" --poststrata province,urban --population $SV/population.csv --format csv
case_ est_rake estimate --microdata $SV/rake_microdata.csv --strata stratum --psu psu --weight weight --fpc fpc \
    --lonely-psu adjust --by province --by county --rake province --rake urban \
    --rake-population $SV/rake_province.csv --rake-population $SV/rake_urban.csv --format csv
case_ est_rake_json estimate --microdata $SV/rake_microdata.csv --strata stratum --psu psu --weight weight --fpc fpc \
    --lonely-psu adjust --by province --rake province --rake urban \
    --rake-population $SV/rake_province.csv --rake-population $SV/rake_urban.csv --format json
case_ est_to_observations "${TAYLOR[@]}" --by prov_code --to-observations 2024 -o @O@.csv
case_ est_to_observations_stdout "${TAYLOR[@]}" --by prov_code --to-observations 2024
case_ reread_est_observations assess --observations @OUTDIR@/est_to_observations/out.csv --format csv --lang en
for t in jk1 brr bootstrap; do
    case_ "est_rep_$t" estimate --microdata "$SV/rep_$t.csv" --weight weight --indicator-column literate \
        --by county --repweights repw --reptype "$t" --format csv
    case_ "est_rep_${t}_mse" estimate --microdata "$SV/rep_$t.csv" --weight weight --indicator-column literate \
        --by county --repweights repw --reptype "$t" --mse --format csv
done
case_ est_rep_fay estimate --microdata $SV/rep_fay.csv --weight weight --indicator-column literate \
    --by county --repweights repw --reptype fay --rho 0.5 --format csv
case_ est_rep_fay_mse estimate --microdata $SV/rep_fay.csv --weight weight --indicator-column literate \
    --by county --repweights repw --reptype fay --rho 0.5 --mse --format csv
case_ est_rep_jkn estimate --microdata $SV/rep_jkn.csv --weight weight --indicator-column literate \
    --by county --repweights repw --reptype jkn --rscales $SV/rep_jkn_rscales.csv --format csv
case_ est_rep_jkn_mse estimate --microdata $SV/rep_jkn.csv --weight weight --indicator-column literate \
    --repweights repw --reptype jkn --rscales $SV/rep_jkn_rscales.csv --mse --format csv
case_ est_rep_jkn_rscales_xlsx estimate --microdata $SV/rep_jkn.csv --weight weight --indicator-column literate \
    --by county --repweights repw --reptype jkn --rscales $MD/rscales.xlsx --format csv
case_ est_rep_jkn_table_en estimate --microdata $SV/rep_jkn.csv --weight weight --indicator-column literate \
    --by county --repweights repw --reptype jkn --rscales $SV/rep_jkn_rscales.csv --lang en
case_ err_est_rep_fay_no_rho estimate --microdata $SV/rep_fay.csv --weight weight --indicator-column literate \
    --repweights repw --reptype fay
case_ err_est_rep_jkn_no_rscales estimate --microdata $SV/rep_jkn.csv --weight weight --indicator-column literate \
    --repweights repw --reptype jkn
case_ err_est_rep_bad_prefix estimate --microdata $SV/rep_brr.csv --weight weight --indicator-column literate \
    --repweights nosuch --reptype brr
case_ err_est_rep_bad_reptype estimate --microdata $SV/rep_brr.csv --weight weight --indicator-column literate \
    --repweights repw --reptype nosuch
case_ err_est_bad_ci "${TAYLOR[@]}" --ci nosuch
case_ err_est_bad_column "${TAYLOR[@]}" --by nosuch
case_ err_est_no_microdata estimate --weight weight
case_ err_est_missing_microdata estimate --microdata $SV/no_such_file.csv --weight weight --indicator-column literate

# ---------------------------------------------------------------- estimate (microdata/: Chinese headers, GBK, XLSX)
MDES=(--strata stratum --psu psu --weight weight --fpc fpc --lonely-psu adjust)
MBY=(--by 省份 --by 地区 --by county,urban)
case_ md_csv estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" "${MBY[@]}"
case_ md_csv_table_zh estimate --microdata $MD/microdata.csv "${MDES[@]}" "${MBY[@]}"
case_ md_gbk_detected estimate --format csv --microdata $MD/microdata_gbk.csv "${MDES[@]}" "${MBY[@]}"
case_ md_gbk_encoding estimate --format csv --microdata $MD/microdata_gbk.csv "${MDES[@]}" "${MBY[@]}" --encoding gbk
case_ md_gbk_gb18030 estimate --format csv --microdata $MD/microdata_gbk.csv "${MDES[@]}" "${MBY[@]}" --encoding gb18030
case_ err_md_gbk_as_utf8 estimate --format csv --microdata $MD/microdata_gbk.csv "${MDES[@]}" "${MBY[@]}" --encoding utf-8
case_ md_xlsx_first_sheet estimate --format csv --microdata $MD/microdata.xlsx "${MDES[@]}" "${MBY[@]}"
case_ md_xlsx_sheet estimate --format csv --microdata $MD/microdata.xlsx "${MDES[@]}" "${MBY[@]}" --sheet 调查数据
case_ err_md_xlsx_missing_sheet estimate --format csv --microdata $MD/microdata.xlsx "${MDES[@]}" "${MBY[@]}" --sheet 数据
case_ err_md_xlsx_broken estimate --format csv --microdata $MD/microdata_broken.xlsx "${MDES[@]}" "${MBY[@]}"
for f in microdata.csv microdata_gbk.csv microdata.xlsx; do
    case_ "md_to_observations_${f//./_}" estimate --microdata "$MD/$f" "${MDES[@]}" --by 地区 --to-observations 2022 -o @O@.csv
done
for pair in microdata.csv:population.csv microdata.csv:population_gbk.csv microdata.csv:population.xlsx \
    microdata_gbk.csv:population_gbk.csv microdata.xlsx:population.xlsx; do
    m=${pair%%:*} p=${pair#*:}
    case_ "md_post_${m//./_}_${p//./_}" estimate --format csv --microdata "$MD/$m" "${MDES[@]}" "${MBY[@]}" \
        --poststrata 省份,urban --population "$MD/$p"
done
case_ md_jur_codes estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" "${MBY[@]}" --jurisdiction 140000 --jurisdiction 150000
case_ md_jur_names estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" "${MBY[@]}" --jurisdiction 内蒙古 --jurisdiction 宁夏
case_ md_level_province estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" "${MBY[@]}" --level province
case_ md_crossed_jur estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" --by 地区,urban --jurisdiction 山西
case_ md_jur_qinghai estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" --by 地区 --jurisdiction 青海
case_ err_md_jur_unknown estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" --by 地区 --jurisdiction 火星
case_ err_md_jur_without_by estimate --format csv --microdata $MD/microdata.csv "${MDES[@]}" --jurisdiction 山西
case_ md_jur_table_en estimate --microdata $MD/microdata.csv "${MDES[@]}" --by 地区 --jurisdiction 山西 --lang en

# ---------------------------------------------------------------- sae
case_ sae_table "${SAE[@]}" sae --year 2022
case_ sae_table_en "${SAE[@]}" sae --year 2022 --lang en
for fmt in csv json md; do
    case_ "sae_$fmt" "${SAE[@]}" sae --year 2022 --format "$fmt"
done
case_ sae_xlsx "${SAE[@]}" sae --year 2022 --covariates $F/sae/covariates.csv -o @O@.xlsx
case_ sae_cov_csv "${SAE[@]}" sae --year 2022 --covariates $F/sae/covariates.csv --format csv
for m in reml ml fh adjusted; do
    case_ "sae_method_$m" "${SAE[@]}" sae --year 2022 --covariates $F/sae/covariates.csv --method "$m" --format json
done
case_ sae_benchmark "${SAE[@]}" sae --year 2022 --covariates $F/sae/covariates.csv --benchmark --format csv
case_ sae_to_observations "${SAE[@]}" sae --year 2022 --covariates $F/sae/covariates.csv --benchmark --to-observations -o @O@.csv
case_ reread_sae_observations --data $F/sae/data --observations @OUTDIR@/sae_to_observations/out.csv assess --format csv
for f in covariates.csv covariates_gbk.csv covariates.xlsx; do
    case_ "sae_cov_microdata_${f//./_}" "${SAE[@]}" sae --year 2022 --covariates "$MD/$f" --format csv
done
case_ sae_jur "${SAE[@]}" sae --year 2022 --jurisdiction 140921 --jurisdiction 140922 --format csv
case_ sae_level_county "${SAE[@]}" sae --year 2022 --level county --format csv
case_ err_sae_year_2019 --data $F/sae/data sae --year 2019
case_ err_sae_no_year "${SAE[@]}" sae
case_ err_sae_bad_method "${SAE[@]}" sae --year 2022 --method nosuch

# ---------------------------------------------------------------- bad input: every tests/fixtures/bad/ entry
# CSV/XLSX → --observations (fraction_beside_percent.csv on the worked data, as tests/validation.rs),
# TOML → --plans, a directory → --data; with -o to show that nothing is written.
for p in $F/bad/*; do
    b=$(basename "$p")
    n=bad_${b//./_}
    if [[ -d $p ]]; then
        case_ "$n" assess --format csv --data "$p" -o @O@.csv
    elif [[ $b == *.toml ]]; then
        case_ "$n" assess --format csv --plans "$p" -o @O@.csv
    elif [[ $b == fraction_beside_percent.csv ]]; then
        case_ "$n" assess --format csv --data $F/worked --observations "$p" -o @O@.csv
    else
        case_ "$n" assess --format csv --observations "$p" -o @O@.csv
    fi
done
case_ bad_io_gbk_forced_utf8 assess --format csv --observations $F/io/observations_gbk.csv --encoding utf-8 -o @O@.csv
case_ bad_xlsx_shared_string_as_microdata estimate --microdata $F/bad/xlsx_shared_string_count.xlsx --weight weight --indicator-column literate
case_ bad_plan_in_indicators indicators --plans $F/bad/plan_target_out_of_range.toml
case_ bad_obs_in_report report --observations $F/bad/percent_out_of_range.csv -o @O@/
case_ bad_obs_in_chart chart --kind dashboard --observations $F/bad/value_nan.csv -o @O@.png

# ---------------------------------------------------------------- usage errors
case_ err_missing_observations assess --observations no/such/file.csv
case_ err_missing_data_dir assess --data no/such/dir
case_ err_missing_plans assess --plans no/such/plan.toml
case_ err_format_xml assess --format xml
case_ err_lang_fr assess --lang fr
case_ err_model_bogus assess --model bogus
case_ err_level_bogus assess --level bogus
case_ err_as_of_text assess --as-of abc
case_ err_indicator_nonexistent assess --indicator nonexistent
case_ err_unknown_jurisdiction assess --jurisdiction 火星
case_ err_encoding_latin1 assess --encoding latin1
case_ err_unknown_flag assess --nosuch
case_ err_unknown_subcommand frobnicate
case_ err_no_subcommand
case_ err_targets_no_year targets
case_ err_targets_bad_probability targets --year 2030 --probability 1.5
case_ err_project_to_text project --to soon
case_ err_backtest_since_text backtest --since never
case_ err_xlsx_to_stdout assess --format xlsx
case_ err_png_for_table assess --format png
case_ err_chart_no_kind chart -o @O@.png
case_ err_chart_bad_kind chart --kind pie -o @O@.png
case_ err_chart_trajectory_no_jur chart --kind trajectory -o @O@.png
case_ err_chart_targets_no_year chart --kind targets --jurisdiction 100000 -o @O@.png
case_ err_chart_unknown_extension chart --kind dashboard -o @O@.pdf
case_ err_chart_no_output chart --kind dashboard
case_ err_template_no_output indicators --template
case_ err_data_no_subcommand data
case_ err_data_export_no_output data export

elapsed=$(($(date +%s) - start))
echo "$ncases cases ($nfail with a non-zero status) in ${elapsed}s → $OUT ($(du -sh "$OUT" | cut -f1))"

//! Command-line definitions (clap): the flags of every command as parsed, before any check
//! ([`crate::cli::config::Config::from_cli`] checks them).

use std::ffi::OsStr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::{PossibleValue, PossibleValuesParser, RangedI64ValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::cli::format::FormatFlag;
use crate::data::TextEncoding;
use crate::model::{Lang, Level};
use crate::sae::fay_herriot::VarianceMethod;
use crate::survey::ci::CiMethod;
use crate::survey::replicate::RepType;
use crate::survey::taylor::LonelyPsu;
use crate::trend::ModelKind;

/// The years a year flag accepts (`--as-of`, `--year`, `--to`, `--since`, `--to-observations`).
pub const YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;

/// The parser of every year flag: an integer in [`YEARS`]; anything else is clap's usage
/// error (exit 2), e.g. `invalid value '1800' for '--year <YEAR>': 1800 is not in 1900..=2100`.
pub fn year() -> RangedI64ValueParser<i32> {
    RangedI64ValueParser::<i32>::new().range(YEARS)
}

/// The parser of a flag whose value names a variant of an enumeration of the library
/// ([`Level`], [`ModelKind`], [`CiMethod`], …): the value is parsed with the type's
/// [`FromStr`] (so its other accepted names, such as `省` for province, still parse), `--help`
/// lists the canonical `names`, and a value that parses to nothing is clap's usage error
/// (exit 2) with the possible values and, for a near miss, `tip: a similar value exists`.
#[derive(Clone)]
pub struct NamedParser<T> {
    names: &'static [&'static str],
    parse: fn(&str) -> Option<T>,
}

/// A [`NamedParser`] for `T` and its canonical names (the type's `NAMES`).
pub fn named<T: FromStr>(names: &'static [&'static str]) -> NamedParser<T> {
    NamedParser {
        names,
        parse: |s| s.parse().ok(),
    }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for NamedParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        if let Some(v) = value.to_str().and_then(self.parse) {
            return Ok(v);
        }
        // Not a name of T: clap's own error, which lists the names and suggests the closest.
        PossibleValuesParser::new(self.names.iter().copied()).parse_ref(cmd, arg, value)?;
        // A listed name that T does not parse (the unit tests rule this out).
        Err(clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(|n| PossibleValue::new(*n))))
    }
}

/// Every name `--format` accepts: the table formats, then the chart formats (png, svg).
pub const FORMAT_NAMES: &[&str] = &["table", "csv", "json", "xlsx", "md", "png", "svg"];

/// The parser of the global `--format`: a table format ([`crate::output::Format`]) or a chart format
/// ([`crate::cli::format::ChartFormat`]), in any case, parsed once into a [`FormatFlag`]; which of them a command
/// takes is the command's to check (table commands refuse png, `chart` refuses csv).
pub fn format_name() -> NamedParser<FormatFlag> {
    NamedParser {
        names: FORMAT_NAMES,
        parse: FormatFlag::parse,
    }
}

/// litmon — monitor the citizen scientific-literacy action plans (2021–2025, 2035, 2026–2030).
#[derive(Debug, Parser)]
#[command(name = "litmon", version, about, long_about = None)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command (listed under their own heading in each command's help).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Data directory (jurisdictions.csv, observations.csv, plans/); replaces the embedded default.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Extra registry rows (jurisdictions.csv layout: id,name_zh,name_en,level,parent; the
    /// parent by code or name), added to the active dataset (repeatable).
    #[arg(long, global = true, value_name = "F")]
    pub jurisdictions: Vec<PathBuf>,
    /// Extra observations CSV, added to the active dataset (repeatable); a row for the same
    /// jurisdiction, indicator and year as an embedded one replaces it, with a note.
    #[arg(long, global = true, value_name = "F")]
    pub observations: Vec<PathBuf>,
    /// Extra plan file (TOML, or a plan sheet .xlsx/.csv from `plans --template`) or a
    /// directory of them, added to the active dataset (repeatable); its indicators replace
    /// those of the same plan period, one by one, with a note.
    #[arg(long, global = true, value_name = "F|DIR")]
    pub plans: Vec<PathBuf>,
    /// Ignore observations after this year (midterm view).
    #[arg(long = "as-of", global = true, value_name = "YEAR", value_parser = year())]
    pub as_of: Option<i32>,
    /// Indicator id.
    #[arg(
        long,
        global = true,
        default_value = "literacy_rate",
        value_name = "ID"
    )]
    pub indicator: String,
    /// Language of labels and reasons.
    #[arg(long, global = true, default_value = "zh", value_name = "zh|en", value_parser = named::<Lang>(Lang::NAMES))]
    pub lang: Lang,
    /// Output format: table, csv, json, xlsx or md for table commands, png or svg for
    /// charts (default: from the extension of -o FILE, else the terminal table).
    #[arg(long, global = true, value_name = "FORMAT", value_parser = format_name())]
    pub format: Option<FormatFlag>,
    /// Print every warning (by default a kind of warning seen more than five times is
    /// printed once, with its count and the first five examples).
    #[arg(long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print errors only: no warnings, notes or hints on standard error.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Text encoding of CSV and TOML inputs: utf-8, gbk or gb18030 (default: detected).
    #[arg(long, global = true, value_name = "utf-8|gbk|gb18030", value_parser = named::<TextEncoding>(TextEncoding::NAMES))]
    pub encoding: Option<TextEncoding>,
    /// Sheet of XLSX inputs (default: the first sheet).
    #[arg(long, global = true, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Output file (default: standard output).
    #[arg(short = 'o', long = "output", global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Trend model of assess, project, charts and the report (default local_angular); in
    /// backtest, the one model to score (default: all).
    #[arg(long, global = true, value_name = "NAME", value_parser = named::<ModelKind>(ModelKind::NAMES))]
    pub model: Option<ModelKind>,
}

/// The commands of `litmon` (one variant per subcommand).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Charts for briefings: trajectory fan chart, status dashboard, final evaluation of measured
    /// targets, sub-indicator progress (PNG or SVG).
    Chart(ChartArgs),
    /// The evaluation report: report.html, report.md, charts/ and tables/ in the -o directory.
    #[command(after_help = REPORT_AFTER_HELP)]
    Report(ReportArgs),
    /// Progress of every quantitative target of every plan (done, share done, pace needed).
    #[command(after_help = INDICATORS_AFTER_HELP)]
    Indicators(IndicatorsArgs),
    /// The plans of the active dataset as a sheet; --template writes a fill-in plan sheet.
    #[command(after_help = PLANS_AFTER_HELP)]
    Plans(PlansArgs),
    /// Status of every jurisdiction with a target: pace, official category, projection, P(reach).
    Assess(FilterArgs),
    /// Yearly projections with 80 % and 95 % intervals for every jurisdiction with data.
    Project {
        /// Last year to project (default: the next milestone year after the latest value).
        #[arg(long, value_name = "YEAR", value_parser = year())]
        to: Option<i32>,
        /// `--jurisdiction` and `--level`: the rows to keep.
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Candidate targets for the next plans: the value each jurisdiction reaches by YEAR
    /// with each probability, and the yearly pace it implies.
    Targets {
        /// Target year (e.g. 2030).
        #[arg(long, value_name = "YEAR", value_parser = year())]
        year: i32,
        /// Probability of reaching the target (repeatable; default 0.8, 0.5 and 0.2).
        #[arg(long, value_name = "P", allow_negative_numbers = true)]
        probability: Vec<f64>,
        /// `--jurisdiction` and `--level`: the rows to keep.
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Rolling-origin backtest of the default model against the former default and the benchmarks.
    Backtest {
        /// Recency half-life of logit_wls in years (0 = equal weights).
        #[arg(
            long = "half-life",
            value_name = "YEARS",
            allow_negative_numbers = true
        )]
        half_life: Option<f64>,
        /// Only origins in or after this year (default 2010: the comparable survey era).
        #[arg(long, value_name = "YEAR", default_value_t = 2010, value_parser = year())]
        since: i32,
        /// Score origins of every year (the 1996–2007 national series included).
        #[arg(long = "all-origins", conflicts_with = "since")]
        all_origins: bool,
        /// Print every scored forecast instead of the summary.
        #[arg(long, conflicts_with = "by_level")]
        detail: bool,
        /// One summary row per model and level (national, province, prefecture and below).
        #[arg(long = "by-level", conflicts_with = "by_horizon")]
        by_level: bool,
        /// One summary row per model and horizon band (1-2, 3-5, 6+ years ahead).
        #[arg(long = "by-horizon", conflicts_with = "detail")]
        by_horizon: bool,
        /// Print the fitted model instead of the scores: name, equations, fitted
        /// hyperparameters and the shrinkage per level.
        #[arg(long, conflicts_with_all = ["detail", "by_level", "by_horizon"])]
        describe: bool,
        /// Score only the forecasts of these jurisdictions (--jurisdiction) or level (--level).
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Literacy rates with design-based standard errors from respondent microdata (as R survey).
    Estimate(Box<EstimateArgs>),
    /// Fay–Herriot small-area estimates (EBLUP, MSE) for the areas with a direct estimate.
    Sae(SaeArgs),
    /// A local web application: add the office's files in a browser, see the evaluation and
    /// charts, download the report (for authors who never open a terminal).
    Serve(ServeArgs),
    /// The active dataset as files: `litmon data export -o DIR` writes it as a --data folder.
    Data {
        /// What to do with the dataset.
        #[command(subcommand)]
        action: DataAction,
    },
}

/// What `litmon data` does.
#[derive(Debug, Subcommand, Clone, PartialEq)]
pub enum DataAction {
    /// Write the active dataset (the embedded one or --data, with --jurisdictions,
    /// --observations and --plans applied) as a --data folder: jurisdictions.csv,
    /// observations.csv and plans/*.toml (or plans/方案.xlsx with --plans-as xlsx) in the
    /// -o directory (new or empty).
    Export {
        /// How to write the plans: toml (one file per plan, the default) or xlsx (one
        /// plan sheet, plans/方案.xlsx, as `plans --template` lays it out).
        #[arg(long = "plans-as", value_name = "toml|xlsx", default_value = "toml", value_parser = ["toml", "xlsx"])]
        plans_as: String,
    },
}

/// Flags of `litmon plans`.
#[derive(Debug, Args, Clone, Default, PartialEq)]
pub struct PlansArgs {
    /// Write a fill-in plan sheet instead (-o 方案.xlsx or .csv): one row per target, a
    /// second sheet explaining each column; it reads back with --plans 方案.xlsx. With
    /// --jurisdiction or --level it holds those jurisdictions' plans, else one example row.
    #[arg(long)]
    pub template: bool,
    /// `--jurisdiction` and `--level`: the plans to keep.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// How plans are written as a sheet (after `litmon plans --help`).
pub const PLANS_AFTER_HELP: &str = "\
A plan is given with --plans FILE: a TOML file (the layout is in seeds/SCHEMA.md), a plan
sheet (.xlsx or .csv) or a directory of them. `litmon plans --template -o 方案.xlsx` writes
an empty sheet with one example row: one row per target with the columns 地区, 方案名称,
发文机关, 文号, 起始年, 结束年, 指标代码, 指标名称, 类型, 单位, 方向, 基期年, 基期值, 目标年,
目标值, 限定词, 牵头部门, 备注 (English headers are accepted too); rows with the same 地区 and
方案名称 are one plan, and a further row of an indicator with another 目标年 is a milestone.
The second sheet (说明) explains each column and its words.";

/// `--jurisdiction` and `--level`: the rows of a table command to keep.
#[derive(Debug, Args, Clone, Default, PartialEq)]
pub struct FilterArgs {
    /// Only these jurisdictions (code or name, e.g. 150300 or 乌海市; repeatable).
    #[arg(long, value_name = "ID_OR_NAME")]
    pub jurisdiction: Vec<String>,
    /// Only jurisdictions of this level.
    #[arg(long, value_name = "LEVEL", value_parser = named::<Level>(Level::NAMES))]
    pub level: Option<Level>,
}

/// What `litmon report --help` adds after the options.
pub const REPORT_AFTER_HELP: &str = "\
-o DIR is a directory, not a file: the report writes report.html, report.md, charts/ and
tables/ into it (e.g. -o report/); an existing directory is replaced only when it is empty
or holds a previous report.

Midterm or final: --as-of YEAR evaluates with the data up to YEAR. With --as-of at or after
the target year (the last year of the plans' periods, e.g. --as-of 2025 for the 2021–2025
plans) the report is the final evaluation (终期评估): each target whose year has been
measured is judged on the measured value (achieved or not achieved). Up to the middle
year (2023) it is a midterm evaluation (中期评估), in between a progress evaluation.";

/// Flags of `litmon indicators`.
#[derive(Debug, Args, Clone, Default, PartialEq)]
pub struct IndicatorsArgs {
    /// Write a fill-in progress sheet instead (-o progress.xlsx or .csv): one row per
    /// sub-indicator, one column per plan year; it reads back with --observations.
    #[arg(long)]
    pub template: bool,
    /// `--jurisdiction` and `--level`: the rows to keep.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// How progress on sub-indicators is supplied (after `litmon indicators --help`).
pub const INDICATORS_AFTER_HELP: &str = "\
Progress is supplied as observations: rows jurisdiction,indicator,year,value of an
observations file given with --observations F (CSV or XLSX), where indicator is the
sub-indicator's id shown in the `indicator` column of --format csv (its Chinese name
within the plan is accepted too), and value is the year's count (cumulative and annual
targets) or level. `litmon indicators --template -o progress.xlsx` writes a fill-in
sheet with one row per sub-indicator and one column per plan year.";

/// Flags of `litmon sae` (the direct estimates come from `--observations`/`--data`).
#[derive(Debug, Args, Clone, Default)]
pub struct SaeArgs {
    /// Survey year of the direct estimates.
    #[arg(long, value_name = "YEAR", value_parser = year())]
    pub year: i32,
    /// Covariates CSV: jurisdiction,NAME1,… (optional population column for benchmarking).
    #[arg(long, value_name = "F")]
    pub covariates: Option<PathBuf>,
    /// Estimator of the area-effect variance: reml, ml, fh (moment) or adjusted (Li–Lahiri).
    #[arg(long, value_name = "reml|ml|fh|adjusted", value_parser = named::<VarianceMethod>(VarianceMethod::NAMES))]
    pub method: Option<VarianceMethod>,
    /// Ratio-benchmark the estimates to the parent's direct estimate.
    #[arg(long)]
    pub benchmark: bool,
    /// Write observations.csv rows (value = estimate, se = root MSE) that assess reads.
    #[arg(long = "to-observations")]
    pub to_observations: bool,
    /// `--jurisdiction` and `--level`: the areas to keep.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Flags of `litmon estimate` (DESIGN.md contract).
#[derive(Debug, Args, Clone, Default)]
pub struct EstimateArgs {
    /// Respondent-level microdata (one row per respondent, with a header row): CSV in UTF-8
    /// or GBK (detected, or --encoding), or an XLSX sheet (--sheet).
    #[arg(long, value_name = "F")]
    pub microdata: PathBuf,
    /// Design TOML ([design] strata/psu/weight/fpc/lonely_psu, [scoring], [domains] by).
    // The doc comment is `--help` text (clap shows it verbatim), so the TOML table names stay
    // bare rather than escaped; rustdoc would read them as links.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(long, value_name = "design.toml")]
    pub design: Option<PathBuf>,
    /// Stratum column (PSU ids are nested in strata).
    #[arg(long, value_name = "COL")]
    pub strata: Option<String>,
    /// Primary sampling unit column.
    #[arg(long, value_name = "COL")]
    pub psu: Option<String>,
    /// Sampling weight column.
    #[arg(long, value_name = "COL")]
    pub weight: Option<String>,
    /// Finite population correction column: PSUs in the stratum's population, or a fraction ≤ 1.
    #[arg(long, value_name = "COL")]
    pub fpc: Option<String>,
    /// Score columns summed and compared with --threshold (a single 0/1 column with
    /// --threshold 1 is a precomputed indicator).
    #[arg(long, value_name = "COL+COL+…")]
    pub score: Option<String>,
    /// Literate when the score total is at least this (default 70).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true)]
    pub threshold: Option<f64>,
    /// Graded levels, each estimated as its own proportion (e.g. 55,85).
    #[arg(long, value_name = "S,S,…", value_delimiter = ',')]
    pub levels: Vec<f64>,
    /// Miller rule: literate when every COL ≥ its threshold (e.g. knowledge:26,method:12).
    #[arg(long, value_name = "COL:T,…")]
    pub miller: Option<String>,
    /// Precomputed 0/1 literacy column.
    #[arg(long, value_name = "COL")]
    pub indicator_column: Option<String>,
    /// Domain column (repeatable; `county,urban` crosses two columns).
    #[arg(long, value_name = "COL")]
    pub by: Vec<String>,
    /// Interval method.
    #[arg(long, value_name = "METHOD", value_parser = named::<CiMethod>(CiMethod::NAMES))]
    pub ci: Option<CiMethod>,
    /// Confidence level of the intervals.
    #[arg(
        long,
        value_name = "LEVEL",
        default_value_t = 0.95,
        allow_negative_numbers = true
    )]
    pub confidence: f64,
    /// Strata with one PSU (as R survey.lonely.psu).
    #[arg(long = "lonely-psu", value_name = "POLICY", value_parser = named::<LonelyPsu>(LonelyPsu::NAMES))]
    pub lonely_psu: Option<LonelyPsu>,
    /// Write observations.csv rows for this survey year instead of the estimate table.
    #[arg(long = "to-observations", value_name = "YEAR", value_parser = year())]
    pub to_observations: Option<i32>,
    /// Post-stratify on these crossed columns (e.g. sex,age_band,urban), as R postStratify.
    #[arg(long, value_name = "COL,COL,…", requires = "population")]
    pub poststrata: Option<String>,
    /// Population counts for --poststrata: those columns plus one count column (e.g. Freq);
    /// CSV (UTF-8 or GBK) or XLSX.
    #[arg(long, value_name = "F", requires = "poststrata")]
    pub population: Option<PathBuf>,
    /// Rake (R rake) on this margin: a column or crossed columns; repeat once per margin.
    #[arg(long, value_name = "COL,COL,…", requires = "rake_population")]
    pub rake: Vec<String>,
    /// Population counts of each --rake margin, in the same order: its columns plus one
    /// count column (e.g. Freq).
    #[arg(long = "rake-population", value_name = "F", requires = "rake")]
    pub rake_population: Vec<PathBuf>,
    /// Replicate weights: every column whose name starts with PREFIX (e.g. repw), as R
    /// svrepdesign; --strata/--psu/--fpc are then ignored, --weight is the full-sample weight.
    #[arg(long, value_name = "PREFIX", requires = "reptype")]
    pub repweights: Option<String>,
    /// Replicate type (as R svrepdesign type).
    #[arg(long, value_name = "TYPE", requires = "repweights", value_parser = named::<RepType>(RepType::NAMES))]
    pub reptype: Option<RepType>,
    /// Fay's coefficient ρ (with --reptype fay).
    #[arg(
        long,
        value_name = "R",
        requires = "repweights",
        allow_negative_numbers = true
    )]
    pub rho: Option<f64>,
    /// Per-replicate rscales, one number per line in replicate order (required for jkn); a
    /// text file, or an XLSX sheet with the numbers down its first column.
    #[arg(long, value_name = "F", requires = "repweights")]
    pub rscales: Option<PathBuf>,
    /// Replicate variance around the full-sample estimate (svrepdesign mse = TRUE).
    #[arg(long, requires = "repweights")]
    pub mse: bool,
    /// Only the --by domains whose value is this jurisdiction: a domain value matches when
    /// it is the jurisdiction's code or one of its names as the registry has them (乌海市,
    /// 乌海 and Wuhai all match 150300); a crossed domain (--by 地区,urban) matches when one
    /// of its values does. Repeatable; needs --by. The total row is left out, since it is
    /// the whole file, not a jurisdiction asked for. Estimates are unchanged: every domain
    /// is still estimated on the full design, then rows are filtered.
    #[arg(long, value_name = "ID_OR_NAME")]
    pub jurisdiction: Vec<String>,
    /// Only the --by domains whose value is a jurisdiction of this level: national,
    /// province, prefecture or county, values matched as for --jurisdiction; needs --by.
    #[arg(long, value_name = "LEVEL", value_parser = named::<Level>(Level::NAMES))]
    pub level: Option<Level>,
}

/// Flags of `litmon chart`.
#[derive(Debug, Args, Clone)]
pub struct ChartArgs {
    /// trajectory (one jurisdiction), dashboard (many), indicators (one plan's sub-indicators),
    /// targets (trajectory fan to --year with the candidate targets marked), evaluation
    /// (measured target-year values with 80 %/95 % intervals against the targets, one row per
    /// place).
    #[arg(
        long,
        value_name = "trajectory|dashboard|indicators|targets|evaluation",
        value_parser = named::<ChartKind>(ChartKind::NAMES)
    )]
    pub kind: ChartKind,
    /// Target year of `--kind targets` (e.g. 2030).
    #[arg(long, value_name = "YEAR", value_parser = year())]
    pub year: Option<i32>,
    /// Probabilities of the candidate targets of `--kind targets` (default 0.8, 0.5, 0.2).
    #[arg(long, value_name = "P", allow_negative_numbers = true)]
    pub probability: Vec<f64>,
    /// Jurisdiction code or name (repeatable; several give one file each in the -o directory).
    #[arg(long, value_name = "ID_OR_NAME")]
    pub jurisdiction: Vec<String>,
    /// Dashboard filter: jurisdictions of this level.
    #[arg(long, value_name = "LEVEL", value_parser = named::<Level>(Level::NAMES))]
    pub level: Option<Level>,
    /// Dashboard filter: children of this jurisdiction.
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
    /// Width in pixels (default 1600).
    #[arg(long, value_name = "PX", default_value_t = 1600)]
    pub width: u32,
    /// Height in pixels (default 1000).
    #[arg(long, value_name = "PX", default_value_t = 1000)]
    pub height: u32,
}

/// Flags of `litmon report`.
#[derive(Debug, Args, Clone, Default)]
pub struct ReportArgs {
    /// Only these jurisdictions (code or name; repeatable).
    #[arg(long, value_name = "ID_OR_NAME")]
    pub jurisdiction: Vec<String>,
    /// Only jurisdictions of this level.
    #[arg(long, value_name = "LEVEL", value_parser = named::<Level>(Level::NAMES))]
    pub level: Option<Level>,
    /// Embed the bundled CJK font in report.html (about 6 MB) for machines without Chinese fonts.
    #[arg(long = "embed-font")]
    pub embed_font: bool,
}

impl Cli {
    /// Every file the command line reads (protected from being overwritten by an output).
    pub fn input_files(&self) -> Vec<PathBuf> {
        let g = &self.global;
        let mut paths: Vec<PathBuf> = Vec::new();
        if let Some(dir) = &g.data {
            for stem in ["jurisdictions", "observations"] {
                for ext in ["csv", "xlsx"] {
                    paths.push(dir.join(format!("{stem}.{ext}")));
                }
            }
            paths.extend(crate::output::safety::plan_files(&dir.join("plans")));
        }
        paths.extend(g.observations.iter().cloned());
        paths.extend(g.jurisdictions.iter().cloned());
        for p in &g.plans {
            paths.extend(crate::output::safety::plan_files(p));
        }
        match &self.command {
            Command::Estimate(a) => {
                paths.push(a.microdata.clone());
                paths.extend(a.design.iter().cloned());
                paths.extend(a.population.iter().cloned());
                paths.extend(a.rake_population.iter().cloned());
                paths.extend(a.rscales.iter().cloned());
            }
            Command::Sae(a) => paths.extend(a.covariates.iter().cloned()),
            _ => {}
        }
        paths
    }
}

/// Which chart (`--kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Fan chart of one jurisdiction's series, projection and target.
    Trajectory,
    /// Status dashboard of many jurisdictions.
    Dashboard,
    /// Progress of one plan's sub-indicators.
    Indicators,
    /// Trajectory fan to a year with the candidate targets of `litmon targets` marked.
    Targets,
    /// Final evaluation: measured target-year values with 80 %/95 % intervals against the
    /// targets, one row per measured milestone (per place).
    Evaluation,
}

impl std::str::FromStr for ChartKind {
    type Err = crate::error::UnknownName;

    /// The chart a `--kind` name asks for (exactly).
    fn from_str(s: &str) -> std::result::Result<ChartKind, Self::Err> {
        match s {
            "trajectory" => Ok(ChartKind::Trajectory),
            "dashboard" => Ok(ChartKind::Dashboard),
            "indicators" => Ok(ChartKind::Indicators),
            "targets" => Ok(ChartKind::Targets),
            "evaluation" => Ok(ChartKind::Evaluation),
            _ => Err(crate::error::UnknownName::new(s, ChartKind::NAMES)),
        }
    }
}

impl ChartKind {
    /// The names of `--kind`.
    pub const NAMES: &'static [&'static str] = &[
        "trajectory",
        "dashboard",
        "indicators",
        "targets",
        "evaluation",
    ];

    /// The `--kind` name (`trajectory`, `dashboard`, `indicators`, `targets`, `evaluation`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Trajectory => "trajectory",
            ChartKind::Dashboard => "dashboard",
            ChartKind::Indicators => "indicators",
            ChartKind::Targets => "targets",
            ChartKind::Evaluation => "evaluation",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::format::ChartFormat;
    use crate::output::Format;

    /// Every listed name parses, so [`NamedParser`] never refuses a name it shows.
    fn all_parse<T: FromStr>(names: &[&str]) {
        for n in names {
            assert!(n.parse::<T>().is_ok(), "{n} does not parse");
        }
    }

    #[test]
    fn every_listed_name_parses() {
        all_parse::<Lang>(Lang::NAMES);
        all_parse::<Level>(Level::NAMES);
        all_parse::<ModelKind>(ModelKind::NAMES);
        all_parse::<Format>(Format::NAMES);
        for n in ChartFormat::NAMES {
            assert!(ChartFormat::parse(n).is_some(), "{n}");
        }
        all_parse::<TextEncoding>(TextEncoding::NAMES);
        all_parse::<VarianceMethod>(VarianceMethod::NAMES);
        all_parse::<CiMethod>(CiMethod::NAMES);
        all_parse::<LonelyPsu>(LonelyPsu::NAMES);
        all_parse::<RepType>(RepType::NAMES);
        all_parse::<ChartKind>(ChartKind::NAMES);
        let both: Vec<&str> = [Format::NAMES, ChartFormat::NAMES].concat();
        assert_eq!(FORMAT_NAMES, both.as_slice());
        let models: Vec<&str> = ModelKind::ALL.iter().map(|m| m.name()).collect();
        assert_eq!(ModelKind::NAMES, models.as_slice());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn typed_values_parse() {
        let cli = Cli::try_parse_from([
            "litmon", "assess", "--lang", "en", "--level", "省", "--model", "cagr", "--as-of",
            "2023",
        ])
        .expect("parses");
        assert_eq!(cli.global.lang, Lang::En);
        assert_eq!(cli.global.model, Some(ModelKind::Cagr));
        assert_eq!(cli.global.as_of, Some(2023));
        let Command::Assess(f) = cli.command else {
            panic!("assess")
        };
        assert_eq!(f.level, Some(Level::Province));
        let e = Cli::try_parse_from(["litmon", "targets", "--year", "1899"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("1899 is not in 1900..=2100"), "{e}");
    }
}

/// Options of `litmon serve`.
#[derive(Debug, Args, Clone, PartialEq)]
pub struct ServeArgs {
    /// Port to listen on (0: a free port chosen by the system).
    #[arg(long, default_value_t = 8023)]
    pub port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Address to listen on (default 127.0.0.1: this machine only); any other address lets
    /// other machines reach the page and is warned about.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
}

//! `litmon serve`: the evaluation in a browser, for report authors who never open a terminal.
//!
//! A local web application: the page ([`page`]) takes the office's files (observations, plans,
//! registry rows — XLSX, CSV or TOML, as the command line reads them), shows the evaluation
//! table, the charts and candidate 2030 targets, and offers the report (a zip of what
//! `litmon report` writes), each chart and the tables as downloads. Every number comes from
//! the functions the command line calls: the downloads are made by building the very
//! [`crate::cli::app::Config`] the command line would build from its flags.
//!
//! Safety: the server listens on 127.0.0.1 unless `--bind` says otherwise (with a warning);
//! every request must carry the random token of the printed address (a cookie after the first
//! visit) and a `Host` header naming the server (DNS rebinding), else 403; uploads are capped
//! in size ([`MAX_UPLOAD_BYTES`], refused from the declared length before the body is read)
//! and count ([`MAX_FILES`]), kept in memory only, and their names are only ever labels.

pub mod http;
pub mod page;

use std::net::{IpAddr, TcpListener};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use crate::cli::app::Config;
use crate::cli::args::{Cli, ServeArgs};
use crate::data::{canonical_header, Content, HeaderKind, Input, ReadOptions, Sources};
use crate::error::{Error, Result};
use crate::model::{Dataset, Lang, Level, Text};
use crate::trend::ModelKind;
use http::{percent_encode, Request, Response};

/// Largest file the page accepts (20 MB: a county's workbook is a few hundred KB).
pub const MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// Most files held at once.
pub const MAX_FILES: usize = 30;

/// Most connections served at once (each has its own thread).
pub const MAX_CONNECTIONS: usize = 32;

/// The year the candidate targets are for (the next plans' end).
pub const TARGET_YEAR: i32 = 2030;

/// What an uploaded file holds, as the command line's flags name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `--observations`: survey values.
    Observations,
    /// `--plans`: a plan (TOML or plan sheet).
    Plan,
    /// `--jurisdictions`: registry rows.
    Jurisdictions,
}

impl Role {
    /// Every role, in the page's order.
    pub const ALL: [Role; 3] = [Role::Observations, Role::Plan, Role::Jurisdictions];

    /// Machine name (`observations`, `plan`, `jurisdictions`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Observations => "observations",
            Role::Plan => "plan",
            Role::Jurisdictions => "jurisdictions",
        }
    }

    /// The role's name on the page.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Observations, Lang::Zh) => "调查数据",
            (Role::Plan, Lang::Zh) => "规划目标",
            (Role::Jurisdictions, Lang::Zh) => "行政区划",
            (Role::Observations, Lang::En) => "survey values",
            (Role::Plan, Lang::En) => "plan",
            (Role::Jurisdictions, Lang::En) => "registry rows",
        }
    }

    fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One uploaded file, in memory.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name shown and used in messages: the client's file name without any directory.
    pub name: String,
    /// What it holds.
    pub role: Role,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A file the page refused, with the reason (the library's message, file:row:column).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file's display name.
    pub file: String,
    /// What is wrong, in both languages (the page shows its own).
    pub message: Text,
}

/// The files held and the dataset they make with the embedded data.
#[derive(Debug, Clone)]
pub struct State {
    /// Files loaded, in upload order.
    pub uploads: Vec<Upload>,
    /// Files refused since (cleared for a file when it loads).
    pub problems: Vec<Problem>,
    /// The embedded data plus `uploads`, validated as one whole.
    pub dataset: Dataset,
}

impl State {
    /// The embedded data and `uploads`; an error names the file and place of the problem.
    pub fn with_uploads(uploads: Vec<Upload>) -> Result<State> {
        let dataset = build(&uploads)?;
        Ok(State {
            uploads,
            problems: Vec::new(),
            dataset,
        })
    }

    /// Adds (or replaces, by name) one file: the whole new set is validated first, and a
    /// file with errors leaves everything as it was and is listed with its problems.
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) -> std::result::Result<(), Text> {
        let name = display_name(name);
        let result = self.try_add(&name, bytes);
        self.problems.retain(|p| p.file != name);
        if let Err(message) = &result {
            self.problems.push(Problem {
                file: name,
                message: message.clone(),
            });
        }
        result
    }

    fn try_add(&mut self, name: &str, bytes: Vec<u8>) -> std::result::Result<(), Text> {
        let ext = extension(name);
        if !matches!(ext.as_deref(), Some("xlsx" | "csv" | "toml")) {
            return Err(text!(
                "{name}：应为 .xlsx、.csv 或 .toml 文件（观测值、规划或行政区划）",
                "{name}: expected an .xlsx, .csv or .toml file (observations, a plan or registry rows)"
            ));
        }
        let replacing = self.uploads.iter().any(|u| u.name == name);
        if !replacing && self.uploads.len() >= MAX_FILES {
            return Err(text!(
                "{name}：最多同时保存 {MAX_FILES} 个文件；请先移除一个",
                "{name}: at most {MAX_FILES} files are held at once; remove one first"
            ));
        }
        let input =
            Input::from_bytes(name, &bytes, &ReadOptions::default()).map_err(|e| both(&e))?;
        let role = guess_role(name, &input);
        let mut next = self.uploads.clone();
        next.retain(|u| u.name != name);
        next.push(Upload {
            name: name.to_string(),
            role,
            bytes,
        });
        self.replace(next)
    }

    /// Removes the file named `name` (and its problems).
    pub fn remove(&mut self, name: &str) -> std::result::Result<(), Text> {
        self.problems.retain(|p| p.file != name);
        let mut next = self.uploads.clone();
        next.retain(|u| u.name != name);
        self.replace(next)
    }

    /// Reads the file named `name` as `role` instead.
    pub fn set_role(&mut self, name: &str, role: Role) -> std::result::Result<(), Text> {
        let mut next = self.uploads.clone();
        for u in next.iter_mut().filter(|u| u.name == name) {
            u.role = role;
        }
        let result = self.replace(next);
        self.problems.retain(|p| p.file != name);
        if let Err(message) = &result {
            self.problems.push(Problem {
                file: name.to_string(),
                message: message.clone(),
            });
        }
        result
    }

    fn replace(&mut self, next: Vec<Upload>) -> std::result::Result<(), Text> {
        let dataset = build(&next).map_err(|e| both(&e))?;
        self.uploads = next;
        self.dataset = dataset;
        Ok(())
    }

    /// The dataset as of `view.as_of` (observations after it left out, as `--as-of` does).
    pub fn dataset_for(&self, view: &View) -> Dataset {
        let mut ds = self.dataset.clone();
        if let Some(y) = view.as_of {
            ds.restrict_to(y);
        }
        ds
    }
}

/// The embedded data plus the uploads, each read as the command line reads the file given
/// to the flag of its role ([`crate::data::load_sources`]).
fn build(uploads: &[Upload]) -> Result<Dataset> {
    let mut extra = Sources::default();
    for u in uploads {
        let mut input = Input::from_bytes(&u.name, &u.bytes, &ReadOptions::default())?;
        input.overrides = true;
        match u.role {
            Role::Observations => extra.observations.push(input),
            Role::Plan => extra.plans.push(input),
            Role::Jurisdictions => extra.jurisdictions.push(input),
        }
    }
    crate::data::load_sources(crate::data::embedded::sources(), extra)
}

/// The client's file name as a label: the last path component, without control characters,
/// at most 100 characters. It never names a file on this machine.
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.trim().is_empty() {
        "file".into()
    } else {
        clean
    }
}

fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Headers that only a plan sheet has (its target columns, [`crate::data::plan_sheet`]).
const PLAN_HEADERS: &[&str] = &["目标值", "目标年", "target", "target_year", "target_value"];

/// What a file holds, from its name and headers: `.toml` is a plan; a table with target
/// columns a plan sheet; one with a level or parent column registry rows; else observations.
/// The page lets the user correct it.
pub fn guess_role(name: &str, input: &Input) -> Role {
    if extension(name).as_deref() == Some("toml") {
        return Role::Plan;
    }
    let headers: Vec<String> = match &input.content {
        Content::Table(t) => t.headers.clone(),
        Content::Text(text) => text
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.split([',', '\t']).map(|h| h.trim().to_string()).collect())
            .unwrap_or_default(),
    };
    let canon: Vec<String> = headers
        .iter()
        .map(|h| canonical_header(h, HeaderKind::Jurisdictions))
        .collect();
    if canon.iter().any(|h| PLAN_HEADERS.contains(&h.as_str())) {
        Role::Plan
    } else if canon.iter().any(|h| h == "level" || h == "parent") {
        Role::Jurisdictions
    } else {
        Role::Observations
    }
}

/// What the page shows: the query parameters of every page and download address.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// Language (`lang`).
    pub lang: Lang,
    /// One place, as its id (`place`).
    pub place: Option<String>,
    /// One level (`level`).
    pub level: Option<Level>,
    /// As-of year (`as_of`).
    pub as_of: Option<i32>,
    /// Trend model (`model`).
    pub model: ModelKind,
    /// Probability of the candidate targets (`p`, 0.05–0.95).
    pub probability: f64,
}

impl View {
    /// The default view in `lang`.
    pub fn new(lang: Lang) -> View {
        View {
            lang,
            place: None,
            level: None,
            as_of: None,
            model: crate::trend::TrendConfig::default().model,
            probability: 0.8,
        }
    }

    /// The view of a request's parameters; a value that does not parse, or a place the
    /// dataset does not know, is left at its default.
    pub fn from_params(params: &[(String, String)], default_lang: Lang, ds: &Dataset) -> View {
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let mut v = View::new(
            get("lang")
                .and_then(|l| l.parse().ok())
                .unwrap_or(default_lang),
        );
        v.place = get("place")
            .and_then(|p| ds.resolve(p))
            .map(|j| j.id.clone());
        v.level = get("level").and_then(|l| l.parse().ok());
        v.as_of = get("as_of")
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| crate::cli::args::YEARS.contains(&i64::from(*y)));
        if let Some(m) = get("model").and_then(|m| m.parse().ok()) {
            v.model = m;
        }
        if let Some(p) = get("p")
            .and_then(|p| p.parse::<f64>().ok())
            .filter(|p| (0.05..=0.95).contains(p))
        {
            v.probability = p;
        }
        v
    }

    /// The query string of this view (with `lang` replaced by `lang`).
    pub fn query(&self, lang: Lang) -> String {
        let mut q = vec![format!("lang={}", lang.as_str())];
        if let Some(p) = &self.place {
            q.push(format!("place={}", percent_encode(p)));
        }
        if let Some(l) = self.level {
            q.push(format!("level={}", l.as_str()));
        }
        if let Some(y) = self.as_of {
            q.push(format!("as_of={y}"));
        }
        q.push(format!("model={}", self.model.name()));
        q.push(format!("p={}", self.probability));
        q.join("&")
    }

    /// The configuration the command line builds from `command` and this view's flags
    /// (`--lang`, `--model`, `--as-of`; `--jurisdiction` and `--level` when `filtered`).
    pub fn config(&self, command: &[&str], filtered: bool) -> Result<Config> {
        let mut args: Vec<String> = std::iter::once("litmon")
            .chain(command.iter().copied())
            .map(String::from)
            .collect();
        if filtered {
            if let Some(p) = &self.place {
                args.extend(["--jurisdiction".into(), p.clone()]);
            }
            if let Some(l) = self.level {
                args.extend(["--level".into(), l.as_str().into()]);
            }
        }
        args.extend([
            "--lang".into(),
            self.lang.as_str().into(),
            "--model".into(),
            self.model.name().into(),
        ]);
        if let Some(y) = self.as_of {
            args.extend(["--as-of".into(), y.to_string()]);
        }
        let cli = <Cli as clap::Parser>::try_parse_from(&args).map_err(|e| {
            let e = e.to_string();
            Error::usage(text!(
                "页面设置无法使用：{e}",
                "the page's settings cannot be used: {e}"
            ))
        })?;
        Config::from_cli(&cli)
    }
}

/// The report of `view` as a zip archive: every file `litmon report` writes, under
/// `report/`, byte for byte.
pub fn report_zip(state: &State, view: &View) -> Result<Vec<u8>> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let ds = state.dataset_for(view);
    let cfg = view.config(&["assess"], false)?;
    let opts = crate::report::ReportOptions {
        as_of: view.as_of,
        lang: view.lang,
        jurisdictions: view.place.iter().cloned().collect(),
        level: view.level,
        trend: cfg.trend,
        embed_font: false,
    };
    let report = crate::report::build(&ds, &opts)?;
    let files = crate::report::render_files(&report)?;
    let zip_err =
        |e: zip::result::ZipError| Error::drawing(text!("报告压缩包：{e}", "report zip: {e}"));
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, bytes) in &files {
        let name = format!("report/{}", path.to_string_lossy().replace('\\', "/"));
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        z.start_file(name, opts).map_err(zip_err)?;
        z.write_all(bytes)
            .map_err(|e| Error::drawing(text!("报告压缩包：{e}", "report zip: {e}")))?;
    }
    Ok(z.finish().map_err(zip_err)?.into_inner())
}

/// The kinds of chart the page offers.
pub const CHART_KINDS: [&str; 4] = ["dashboard", "evaluation", "trajectory", "targets"];

/// One chart of `view` as `litmon chart --kind KIND` draws it (the place of the view for
/// trajectory and targets), with its file name.
pub fn chart(state: &State, view: &View, kind: &str) -> Result<(String, crate::chart::Svg)> {
    let ds = state.dataset_for(view);
    chart_of(&ds, view, kind)
}

/// As [`chart`], on a dataset already restricted to the view's year.
pub fn chart_of(ds: &Dataset, view: &View, kind: &str) -> Result<(String, crate::chart::Svg)> {
    let p = view.probability.to_string();
    let year = TARGET_YEAR.to_string();
    let mut cmd = vec!["chart", "--kind", kind, "-o", "chart.png"];
    if kind == "targets" {
        cmd.extend(["--year", &year, "--probability", &p]);
    }
    let cfg = view.config(&cmd, kind != "evaluation" || view.place.is_some())?;
    let crate::cli::app::Task::Chart(task) = &cfg.task else {
        return Err(Error::usage(text!("不是图表", "not a chart")));
    };
    crate::cli::chart::render(&cfg, task, ds)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::usage(text!("{kind}：没有可画的内容", "{kind}: nothing to draw")))
}

/// A table of `view` as `litmon assess|targets -o FILE.xlsx` writes it.
pub fn table_xlsx(state: &State, view: &View, name: &str) -> Result<Vec<u8>> {
    let ds = state.dataset_for(view);
    let p = view.probability.to_string();
    let year = TARGET_YEAR.to_string();
    let out = format!("{name}.xlsx");
    let cmd: Vec<&str> = match name {
        "assess" => vec!["assess", "-o", &out],
        "targets" => vec!["targets", "--year", &year, "--probability", &p, "-o", &out],
        _ => {
            return Err(Error::usage(text!(
                "没有名为 {name} 的表",
                "no table named {name}"
            )))
        }
    };
    let cfg = view.config(&cmd, true)?;
    crate::cli::app::render(&cfg, &ds)
}

/// What the server shares between connections.
struct Shared {
    token: String,
    hosts: Vec<String>,
    cookie: String,
    default_lang: Lang,
    state: Mutex<State>,
}

/// A random 128-bit token in hex.
fn new_token() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| Error::drawing(text!("无法取得随机数：{e}", "no random numbers: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// Equal strings, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Runs `litmon serve` until the process is stopped.
pub fn run(args: &ServeArgs, cfg: &Config) -> Result<()> {
    if cfg.load.data_dir.is_some()
        || cfg.output.is_some()
        || cfg.as_of.is_some()
        || cfg.trend.model != crate::trend::TrendConfig::default().model
    {
        return Err(Error::usage(text!(
            "serve：此处不接受 --data、-o、--as-of 和 --model；评估时点和模型在页面中选择，下载代替 -o，内置数据总会载入（用 --observations、--plans、--jurisdictions 或在页面中添加文件）",
            "serve: --data, -o, --as-of and --model are not taken here; the page has the as-of year and the model, its downloads replace -o, and the built-in data is always loaded (add files with --observations, --plans, --jurisdictions or in the page)"
        )));
    }
    // Files given with the flags are the first uploads, under their file names.
    let mut first = Vec::new();
    for (role, paths) in [
        (Role::Jurisdictions, &cfg.load.jurisdictions),
        (Role::Observations, &cfg.load.observations),
        (Role::Plan, &cfg.load.plans),
    ] {
        for path in paths {
            let bytes = read_file(path)?;
            let name = display_name(&path.to_string_lossy());
            first.push(Upload { name, role, bytes });
        }
    }
    let listener = TcpListener::bind((args.bind, args.port)).map_err(|source| Error::Io {
        path: format!("{}:{}", args.bind, args.port),
        source,
    })?;
    let port = listener
        .local_addr()
        .map_err(|source| Error::Io {
            path: "listening socket".into(),
            source,
        })?
        .port();
    let token = new_token()?;
    let host = match args.bind {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let mut hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    hosts.push(format!("{host}:{port}"));
    if !args.bind.is_loopback() {
        let bind = args.bind;
        crate::cli::say(
            Text::warning(text!(
                "--bind {bind}：网络上的其他机器也能打开此页面（任何拿到地址和令牌的人都能读取和添加数据）；除非确有此意，请用默认的 127.0.0.1",
                "--bind {bind}: the page can be reached from other machines on the network (anyone with the address and its token can read and add data); use the default 127.0.0.1 unless that is what you want"
            ))
            .get(cfg.lang),
        );
    }
    let shown = if args.bind.is_loopback() || args.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        host
    };
    let url = format!("http://{shown}:{port}/?token={token}");
    let state = State::with_uploads(first)?;
    let shared = Arc::new(Shared {
        token,
        hosts,
        cookie: format!("litmon_{port}"),
        default_lang: cfg.lang,
        state: Mutex::new(state),
    });
    {
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{url}");
        let _ = out.flush();
    }
    crate::cli::say(&match cfg.lang {
        Lang::Zh => "在浏览器中打开上面的地址；按 Ctrl-C 停止".to_string(),
        Lang::En => "open the address above in a browser; Ctrl-C stops".to_string(),
    });
    if args.open {
        open_browser(&url, cfg.lang);
    }
    let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        // A browser opens a handful of connections; more at once are refused at the door.
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            drop(stream);
            continue;
        }
        let shared = Arc::clone(&shared);
        let open = Arc::clone(&open);
        std::thread::spawn(move || {
            match Request::read(stream) {
                Ok(req) => handle(&shared, req),
                Err(Some((stream, resp))) => http::send(stream, resp),
                Err(None) => {}
            }
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

/// A file given with a flag, refused above the upload cap after reading at most the cap.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |source: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source,
    };
    if path.is_dir() {
        let p = path.display();
        return Err(Error::usage(text!(
            "serve：{p} 是文件夹；请逐个给出其中的文件，或在页面中添加",
            "serve: {p} is a directory; give its files one by one, or add them in the page"
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_UPLOAD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_UPLOAD_BYTES {
        let (p, mb) = (path.display(), MAX_UPLOAD_BYTES / 1024 / 1024);
        return Err(Error::usage(text!(
            "serve：{p} 超过单个文件 {mb} MB 的上限",
            "serve: {p} is larger than the {mb} MB a file may have"
        )));
    }
    Ok(bytes)
}

fn open_browser(url: &str, lang: Lang) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        crate::cli::say(
            Text::warning(text!(
                "无法打开浏览器：请手动打开上面的地址",
                "could not open a browser: open the address above by hand"
            ))
            .get(lang),
        );
    }
}

fn forbidden(why: &str) -> Response {
    Response::text(403, format!("403 forbidden: {why}"))
}

fn handle(shared: &Shared, mut req: Request) {
    // DNS rebinding: a page of another site resolved to 127.0.0.1 sends its own Host.
    let host_ok = req
        .header("host")
        .is_some_and(|h| shared.hosts.iter().any(|a| a.eq_ignore_ascii_case(h)));
    if !host_ok {
        return req.respond(forbidden("unexpected Host header"));
    }
    let by_param = req.param("token").is_some_and(|t| same(t, &shared.token));
    let by_cookie = req
        .cookie(&shared.cookie)
        .is_some_and(|t| same(t, &shared.token));
    if !by_param && !by_cookie {
        return req.respond(forbidden(
            "missing or wrong token; open the address litmon serve printed",
        ));
    }
    if req.method == "POST" {
        let origin_ok = req.header("origin").is_none_or(|o| {
            shared
                .hosts
                .iter()
                .any(|h| o.eq_ignore_ascii_case(&format!("http://{h}")))
        });
        if !origin_ok {
            return req.respond(forbidden("request from another site"));
        }
    }
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict",
        shared.cookie, shared.token
    );
    let resp = route(shared, &mut req);
    let resp = if by_param {
        resp.with("Set-Cookie", cookie)
    } else {
        resp
    };
    req.respond(resp);
}

fn route(shared: &Shared, req: &mut Request) -> Response {
    let path = req.path.clone();
    match (req.method.as_str(), path.as_str()) {
        ("GET", "/") if req.param("token").is_some() => {
            // Drop the token from the address bar (the cookie carries it from now on).
            let rest: Vec<String> = req
                .query
                .iter()
                .filter(|(k, _)| k != "token")
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                .collect();
            Response::redirect(format!("/?{}", rest.join("&")))
        }
        ("GET", "/") => {
            let state = lock(&shared.state);
            let view = View::from_params(&req.query, shared.default_lang, &state.dataset);
            match page::render(&state, &view) {
                Ok(html) => Response::new(200, "text/html; charset=utf-8", html).with(
                    "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'",
                ),
                Err(e) => Response::text(500, e.to_string()),
            }
        }
        ("GET", "/font.ttf") => Response::new(200, "font/ttf", crate::chart::FONT_BYTES.to_vec()),
        ("POST", "/upload") => {
            let name = req.param("name").unwrap_or("file").to_string();
            let lang = req
                .param("lang")
                .and_then(|l| l.parse().ok())
                .unwrap_or(shared.default_lang);
            let body = req.body(MAX_UPLOAD_BYTES);
            let mut state = lock(&shared.state);
            let bytes = match body {
                Ok(b) => b,
                Err(e) => {
                    let (status, message) = match e {
                        http::BodyError::TooLarge => {
                            (413, too_large(&display_name(&name), req.content_length()))
                        }
                        http::BodyError::NoLength => (
                            411,
                            text!(
                                "上传文件时须给出 Content-Length",
                                "send the file with its Content-Length"
                            ),
                        ),
                        http::BodyError::Io(e) => {
                            (400, text!("上传中断：{e}", "the upload broke off: {e}"))
                        }
                    };
                    state.problems.retain(|p| p.file != display_name(&name));
                    state.problems.push(Problem {
                        file: display_name(&name),
                        message: message.clone(),
                    });
                    return Response::text(status, message.get(lang));
                }
            };
            match state.add(&name, bytes) {
                Ok(()) => Response::text(200, "ok"),
                Err(m) => Response::text(422, m.get(lang)),
            }
        }
        ("POST", "/remove") => {
            let name = req.param("name").unwrap_or_default().to_string();
            match lock(&shared.state).remove(&name) {
                Ok(()) => Response::text(200, "ok"),
                Err(m) => Response::text(422, m.get(shared.default_lang)),
            }
        }
        ("POST", "/role") => {
            let name = req.param("name").unwrap_or_default().to_string();
            let Some(role) = req.param("role").and_then(Role::parse) else {
                return Response::text(400, "role: expected observations, plan or jurisdictions");
            };
            match lock(&shared.state).set_role(&name, role) {
                Ok(()) => Response::text(200, "ok"),
                Err(m) => Response::text(422, m.get(shared.default_lang)),
            }
        }
        ("GET", "/report.zip") => {
            let state = lock(&shared.state);
            let view = View::from_params(&req.query, shared.default_lang, &state.dataset);
            match report_zip(&state, &view) {
                Ok(z) => Response::new(200, "application/zip", z)
                    .with("Content-Disposition", "attachment; filename=\"report.zip\""),
                Err(e) => Response::text(422, e.to_string()),
            }
        }
        ("GET", p) if p.starts_with("/chart/") => {
            let file = &p["/chart/".len()..];
            let Some((kind, ext)) = file.rsplit_once('.') else {
                return Response::text(404, "not found");
            };
            if !CHART_KINDS.contains(&kind) || !matches!(ext, "png" | "svg") {
                return Response::text(404, "not found");
            }
            let state = lock(&shared.state);
            let view = View::from_params(&req.query, shared.default_lang, &state.dataset);
            let format = if ext == "png" {
                crate::cli::chart::ChartFormat::Png
            } else {
                crate::cli::chart::ChartFormat::Svg
            };
            let result = chart(&state, &view, kind)
                .and_then(|(stem, svg)| Ok((stem, crate::cli::chart::encode(&svg, format)?)));
            match result {
                Ok((stem, bytes)) => Response::new(
                    200,
                    if ext == "png" {
                        "image/png"
                    } else {
                        "image/svg+xml"
                    },
                    bytes,
                )
                .with(
                    "Content-Disposition",
                    format!(
                        "attachment; filename=\"{kind}.{ext}\"; filename*=UTF-8''{}.{ext}",
                        percent_encode(&stem)
                    ),
                ),
                Err(e) => Response::text(422, e.to_string()),
            }
        }
        ("GET", p) if p.starts_with("/table/") && p.ends_with(".xlsx") => {
            let name = &p["/table/".len()..p.len() - ".xlsx".len()];
            let state = lock(&shared.state);
            let view = View::from_params(&req.query, shared.default_lang, &state.dataset);
            match table_xlsx(&state, &view, name) {
                Ok(b) => Response::new(
                    200,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    b,
                )
                .with(
                    "Content-Disposition",
                    format!("attachment; filename=\"{name}.xlsx\""),
                ),
                Err(e) => Response::text(422, e.to_string()),
            }
        }
        ("GET" | "POST", _) => Response::text(404, "not found"),
        _ => Response::text(405, "method not allowed"),
    }
}

fn too_large(name: &str, declared: Option<u64>) -> Text {
    let mb = |b: u64| b as f64 / 1024.0 / 1024.0;
    let size = declared.map(mb).unwrap_or_default();
    let max = mb(MAX_UPLOAD_BYTES);
    text!(
        "{name}：文件过大（{size:.0} MB），超过 {max:.0} MB 的上限，未上传",
        "{name}: the file is too large ({size:.0} MB; at most {max:.0} MB), not uploaded"
    )
}

/// A library error as the page shows it, in both languages (the CLI's wording).
fn both(e: &Error) -> Text {
    Text::new(e.render(Lang::Zh), e.render(Lang::En))
}

/// The state, also after a panic in another connection's thread (its change was not made).
fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_name_is_only_a_label() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\a\\包头.xlsx"), "包头.xlsx");
        assert_eq!(display_name("a\nb.csv"), "ab.csv");
        assert_eq!(display_name("dir/"), "file");
        assert_eq!(display_name(&"x".repeat(300)).chars().count(), 100);
    }

    #[test]
    fn roles_are_guessed_from_the_headers() {
        let opts = ReadOptions::default();
        let guess = |name: &str, text: &str| {
            let input = Input::from_bytes(name, text.as_bytes(), &opts).expect("text");
            guess_role(name, &input)
        };
        assert_eq!(
            guess("a.csv", "地区,年份,比例\n包头,2020,10.5\n"),
            Role::Observations
        );
        assert_eq!(guess("a.csv", "代码,名称,级别,上级\n"), Role::Jurisdictions);
        assert_eq!(guess("a.csv", "地区,方案,指标,目标年,目标值\n"), Role::Plan);
        assert_eq!(guess("a.toml", "[plan]\n"), Role::Plan);
    }

    #[test]
    fn the_view_keeps_only_values_that_parse() {
        let ds = crate::data::load(&crate::data::LoadOptions::default()).expect("embedded");
        let params = |q: &str| http::parse_query(q);
        let v = View::from_params(
            &params("lang=en&place=包头&p=0.5&as_of=2023&model=cagr"),
            Lang::Zh,
            &ds,
        );
        assert_eq!(v.lang, Lang::En);
        assert_eq!(v.place.as_deref(), Some("150200"));
        assert_eq!(v.probability, 0.5);
        assert_eq!(v.as_of, Some(2023));
        assert_eq!(v.model, ModelKind::Cagr);
        let v = View::from_params(
            &params("place=nowhere&p=1.5&as_of=1800&level=x"),
            Lang::Zh,
            &ds,
        );
        assert_eq!(v, View::new(Lang::Zh));
        // The query string reads back as the same view.
        let w = View::from_params(
            &params(
                &View {
                    place: Some("150200".into()),
                    ..View::new(Lang::En)
                }
                .query(Lang::En),
            ),
            Lang::Zh,
            &ds,
        );
        assert_eq!(w.place.as_deref(), Some("150200"));
        assert_eq!(w.lang, Lang::En);
    }

    #[test]
    fn token_comparison() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        let t = new_token().expect("random");
        assert_eq!(t.len(), 32);
        assert_ne!(t, new_token().expect("random"));
    }
}

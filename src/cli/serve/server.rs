//! The server of `litmon serve`: it listens (127.0.0.1 unless `--bind`), prints the address
//! with its random token, and lets only requests that carry the token and name the server
//! in their `Host` reach the routes ([`super::routes`]).

use std::net::{IpAddr, TcpListener};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use super::http::{self, Request, Response};
use super::limits::{MAX_CONNECTIONS, MAX_UPLOAD_BYTES};
use super::routes::{route, Shared};
use super::state::{display_name, Role, State, Upload};
use crate::cli::args::ServeArgs;
use crate::cli::context::Context;
use crate::error::{Error, Result};
use crate::model::Lang;

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
pub fn run(args: &ServeArgs, ctx: &Context) -> Result<()> {
    let first = first_uploads(ctx)?;
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
        let kind = crate::error::DiagnosticKind::OpenToNetwork;
        crate::cli::say(
            &crate::error::Diagnostic::warning(kind, text!(
                "--bind {bind}：网络上的其他机器也能打开此页面（任何拿到地址和令牌的人都能读取和添加数据）；除非确有此意，请用默认的 127.0.0.1",
                "--bind {bind}: the page can be reached from other machines on the network (anyone with the address and its token can read and add data); use the default 127.0.0.1 unless that is what you want"
            ))
            .render(ctx.lang),
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
        default_lang: ctx.lang,
        state: Mutex::new(state),
    });
    {
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{url}");
        let _ = out.flush();
    }
    crate::cli::say(&match ctx.lang {
        Lang::Zh => "在浏览器中打开上面的地址；按 Ctrl-C 停止".to_string(),
        Lang::En => "open the address above in a browser; Ctrl-C stops".to_string(),
    });
    if args.open {
        open_browser(&url, ctx.lang);
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

/// The files given with `--observations`, `--plans` and `--jurisdictions`: the first
/// uploads, under their file names. The other dataset flags, `-o` and `--model` are refused
/// (the page has them).
fn first_uploads(ctx: &Context) -> Result<Vec<Upload>> {
    if ctx.load.data_dir.is_some()
        || ctx.output.path.is_some()
        || ctx.as_of.is_some()
        || ctx.trend.model != crate::trend::TrendConfig::default().model
    {
        return Err(Error::usage(text!(
            "serve：此处不接受 --data、-o、--as-of 和 --model；评估时点和模型在页面中选择，下载代替 -o，内置数据总会载入（用 --observations、--plans、--jurisdictions 或在页面中添加文件）",
            "serve: --data, -o, --as-of and --model are not taken here; the page has the as-of year and the model, its downloads replace -o, and the built-in data is always loaded (add files with --observations, --plans, --jurisdictions or in the page)"
        )));
    }
    let mut first = Vec::new();
    for (role, paths) in [
        (Role::Jurisdictions, &ctx.load.jurisdictions),
        (Role::Observations, &ctx.load.observations),
        (Role::Plan, &ctx.load.plans),
    ] {
        for path in paths {
            let bytes = read_file(path)?;
            let name = display_name(&path.to_string_lossy());
            first.push(Upload { name, role, bytes });
        }
    }
    Ok(first)
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
        let kind = crate::error::DiagnosticKind::NoBrowser;
        crate::cli::say(
            &crate::error::Diagnostic::warning(
                kind,
                text!(
                    "无法打开浏览器：请手动打开上面的地址",
                    "could not open a browser: open the address above by hand"
                ),
            )
            .render(lang),
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

#[cfg(test)]
mod tests {
    use super::*;

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

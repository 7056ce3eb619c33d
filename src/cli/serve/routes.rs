//! The routes of `litmon serve`: the page, the font, uploads, removal, roles and the
//! downloads, each answered from the shared [`State`].

use std::sync::Mutex;

use super::downloads::{chart, report_zip, table_xlsx, CHART_KINDS};
use super::http::{self, percent_encode, Request, Response};
use super::limits::MAX_UPLOAD_BYTES;
use super::page;
use super::state::{display_name, Problem, Role, State};
use super::view::View;
use crate::model::{Lang, Text};

/// What the server shares between connections.
pub struct Shared {
    /// The random token of the printed address.
    pub token: String,
    /// The `Host` values that name this server.
    pub hosts: Vec<String>,
    /// The name of the cookie that carries the token.
    pub cookie: String,
    /// The language of `--lang`, for requests that name none.
    pub default_lang: Lang,
    /// The files held and their dataset.
    pub state: Mutex<State>,
}

/// The answer to one request that passed the checks of [`super::server`].
pub fn route(shared: &Shared, req: &mut Request) -> Response {
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
        ("POST", "/upload") => upload(shared, req),
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
            chart_download(shared, req, &p["/chart/".len()..])
        }
        ("GET", p) if p.starts_with("/table/") && p.ends_with(".xlsx") => {
            table_download(shared, req, &p["/table/".len()..p.len() - ".xlsx".len()])
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

/// `POST /upload`: one file, refused above [`MAX_UPLOAD_BYTES`] (from its declared length)
/// or when it does not load with the others.
fn upload(shared: &Shared, req: &mut Request) -> Response {
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

/// `GET /chart/KIND.EXT`: one chart of the view as PNG or SVG.
fn chart_download(shared: &Shared, req: &Request, file: &str) -> Response {
    let Some((kind, ext)) = file.rsplit_once('.') else {
        return Response::text(404, "not found");
    };
    if !CHART_KINDS.contains(&kind) || !matches!(ext, "png" | "svg") {
        return Response::text(404, "not found");
    }
    let state = lock(&shared.state);
    let view = View::from_params(&req.query, shared.default_lang, &state.dataset);
    let format = if ext == "png" {
        crate::cli::format::ChartFormat::Png
    } else {
        crate::cli::format::ChartFormat::Svg
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

/// `GET /table/NAME.xlsx`: the assess or targets table of the view as a workbook.
fn table_download(shared: &Shared, req: &Request, name: &str) -> Response {
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

/// The state, also after a panic in another connection's thread (its change was not made).
fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

//! A minimal HTTP/1.1 server on `std::net` for `litmon serve`: one request per connection
//! (`Connection: close`), the head capped at [`MAX_HEAD`] bytes, a body read only when the
//! handler asks for it and only up to a limit it sets. No dependency: an HTTP crate that
//! drains an unread body on drop (as tiny_http 0.12 does, into one buffer of the declared
//! length) would let a refused 100 MB upload cost 100 MB and block until it arrived.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Most bytes of a request line and headers.
pub const MAX_HEAD: usize = 16 * 1024;

/// How long a client may take to send its request (and each part of a body).
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A parsed request head, with the connection to read the body from.
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, percent-decoded (without the query).
    pub path: String,
    /// The query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Bytes of the body already read with the head.
    pending: Vec<u8>,
    stream: TcpStream,
}

/// Why a request body was not read.
#[derive(Debug)]
pub enum BodyError {
    /// Declared (or sent) longer than the limit.
    TooLarge,
    /// No `Content-Length` (chunked bodies are not accepted).
    NoLength,
    /// The connection failed or timed out before the declared length arrived.
    Io(std::io::Error),
}

/// A response.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Further headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body of `content_type`.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A plain-text response.
    pub fn text(status: u16, body: impl Into<String>) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            body.into().into_bytes(),
        )
    }

    /// `303 See Other` to `location`.
    pub fn redirect(location: String) -> Response {
        let mut r = Response::text(303, "");
        r.headers.push(("Location", location));
        r
    }

    /// The response with one more header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    }
}

impl Request {
    /// Reads a request head from `stream`; `Err` holds the response for a malformed one
    /// (`None`: the client went away).
    pub fn read(mut stream: TcpStream) -> Result<Request, Option<(TcpStream, Response)>> {
        let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
        let mut buf = Vec::with_capacity(1024);
        let mut chunk = [0u8; 4096];
        let end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            if buf.len() > MAX_HEAD {
                return Err(Some((
                    stream,
                    Response::text(431, "request head too large"),
                )));
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return Err(None),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let pending = buf[end + 4..].to_vec();
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let (Some(method), Some(target), Some(_version)) =
            (first.next(), first.next(), first.next())
        else {
            return Err(Some((
                stream,
                Response::text(400, "malformed request line"),
            )));
        };
        let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Ok(Request {
            method: method.to_string(),
            path: percent_decode(raw_path),
            query: parse_query(raw_query),
            headers,
            pending,
            stream,
        })
    }

    /// The first header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The declared `Content-Length` (`None` when absent or not a number).
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length")?.parse().ok()
    }

    /// Reads the body, refusing one declared longer than `limit` before reading any of it,
    /// and never reading more than the declared length.
    pub fn body(&mut self, limit: u64) -> Result<Vec<u8>, BodyError> {
        if self
            .header("transfer-encoding")
            .is_some_and(|t| !t.eq_ignore_ascii_case("identity"))
        {
            return Err(BodyError::NoLength);
        }
        let Some(len) = self.content_length() else {
            return if self.method == "POST" {
                Err(BodyError::NoLength)
            } else {
                Ok(Vec::new())
            };
        };
        if len > limit {
            return Err(BodyError::TooLarge);
        }
        let len = usize::try_from(len).map_err(|_| BodyError::TooLarge)?;
        let mut body = std::mem::take(&mut self.pending);
        body.truncate(len);
        if body.len() < len {
            let mut rest = (&self.stream).take((len - body.len()) as u64);
            rest.read_to_end(&mut body).map_err(BodyError::Io)?;
        }
        if body.len() < len {
            return Err(BodyError::Io(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the body ended before its declared length",
            )));
        }
        Ok(body)
    }

    /// Sends `r` and closes the connection (after draining briefly what the client still
    /// sends, so it reads the answer rather than a reset).
    pub fn respond(self, r: Response) {
        send(self.stream, r);
    }
}

/// Writes `r` on `stream` and closes it.
pub fn send(mut stream: TcpStream, r: Response) {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Referrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    for (k, v) in &r.headers {
        // Header values are the server's own; line breaks are removed all the same.
        head.push_str(&format!("{k}: {}\r\n", v.replace(['\r', '\n'], " ")));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&r.body);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
    // Read (and discard) for a moment, at most 64 KB: closing with unread bytes would reset
    // the connection and the client could lose the answer.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut sink = [0u8; 8192];
    let mut drained = 0;
    while drained < 64 * 1024 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `a=1&b=%E5%8C%85` as pairs (`+` is a space).
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

/// Decodes `%XX` escapes (invalid UTF-8 becomes U+FFFD).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes everything but unreserved characters as `%XX` (for links and query values).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_round_trip() {
        let s = "包头 a+b/c?&=%";
        assert_eq!(percent_decode(&percent_encode(s)), s);
        assert_eq!(percent_decode("%E5%8C%85%2"), "包%2");
        assert_eq!(
            parse_query("lang=en&place=%E5%8C%85&x"),
            vec![
                ("lang".into(), "en".into()),
                ("place".into(), "包".into()),
                ("x".into(), String::new())
            ]
        );
    }
}

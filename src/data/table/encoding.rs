//! Text encodings of CSV and other text inputs: UTF-8 (with or without a byte-order mark),
//! UTF-16 with a byte-order mark, GBK/GB18030; a decode never changes bytes silently, and
//! NUL bytes and mixed encodings are errors naming the line.

use crate::error::{Error, Location, ReadProblem, Result};

/// Text encoding of a CSV or TOML input (`--encoding`, applied to every text file read). A
/// UTF-8 byte-order mark always means UTF-8, whatever the option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// Valid UTF-8 is UTF-8 (a BOM is dropped); a UTF-16 BOM means UTF-16; anything else
    /// is decoded as GB18030 (a superset of GBK and GB2312).
    #[default]
    Auto,
    /// Strict UTF-8: invalid bytes are an error naming the line.
    Utf8,
    /// GBK, GB2312 and GB18030 (GB18030 decodes all three).
    Gb18030,
}

impl TextEncoding {
    /// The names of `--encoding` (`auto`, `utf8`, `gb2312` and `cp936` parse too).
    pub const NAMES: &'static [&'static str] = &["utf-8", "gbk", "gb18030"];
}

impl std::str::FromStr for TextEncoding {
    type Err = crate::error::UnknownName;

    /// Parses an `--encoding` value: `utf-8`, `gbk`, `gb18030` (also `utf8`, `gb2312`, `auto`).
    fn from_str(s: &str) -> std::result::Result<TextEncoding, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(TextEncoding::Auto),
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            "gbk" | "gb18030" | "gb2312" | "cp936" => Ok(TextEncoding::Gb18030),
            _ => Err(crate::error::UnknownName::new(s, TextEncoding::NAMES)),
        }
    }
}

/// 1-based line of byte offset `at`.
fn line_at(bytes: &[u8], at: usize) -> u64 {
    1 + line_breaks(&bytes[..at.min(bytes.len())])
}

/// Line breaks in `bytes`: LF, CRLF (counted once) and a lone CR.
pub(crate) fn line_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Decodes a text file: see [`TextEncoding`]. The result has no byte-order mark.
pub fn decode_text(label: &str, bytes: &[u8], encoding: TextEncoding) -> Result<String> {
    // A UTF-8 byte-order mark is explicit: it wins over --encoding.
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(label, rest);
    }
    if encoding == TextEncoding::Auto
        && (bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF"))
    {
        let (text, _, had_errors) = encoding_rs::UTF_16LE.decode(bytes);
        if had_errors {
            return Err(Error::input(
                Location::at(label, 1),
                text!("文件以 UTF-16 字节顺序标记开头，但内容不是有效的 UTF-16；请另存为“CSV UTF-8”", "the file starts with a UTF-16 byte-order mark but is not valid UTF-16; save it as \"CSV UTF-8\""),
            ));
        }
        return no_nul(label, text.into_owned());
    }
    match encoding {
        TextEncoding::Utf8 => utf8(label, bytes),
        TextEncoding::Auto => match std::str::from_utf8(bytes) {
            Ok(t) => no_nul_str(label, t).map(str::to_string),
            Err(e) => {
                if let Some(utf8_line) = utf8_line_before(bytes, e.valid_up_to()) {
                    return Err(Error::input(
                        Location::at(label, line_at(bytes, e.valid_up_to())),
                        text!(
"这一行不是 UTF-8，而第{utf8_line}行却是 UTF-8 中文：文件混用了编码（如把 GBK 的行粘贴进 UTF-8 文件）；整个文件应使用同一种编码——请将整个文件另存为 CSV UTF-8",
"this line is not UTF-8, though line {utf8_line} holds UTF-8 Chinese \
                             text: the file mixes encodings (e.g. GBK lines pasted into a UTF-8 \
                             file); expected one encoding throughout — save the whole file as \
                             CSV UTF-8"
                        ),
                    ));
                }
                gb18030(label, bytes, Some(e.valid_up_to()))
            }
        },
        TextEncoding::Gb18030 => gb18030(label, bytes, None),
    }
}

/// A line before offset `upto` (where UTF-8 decoding failed) holding at least three
/// multi-byte UTF-8 characters: the file was written as UTF-8, and decoding all of it as
/// GB18030 would turn that text into mojibake. (A GBK line is valid UTF-8 by accident only
/// for one or two characters.)
fn utf8_line_before(bytes: &[u8], upto: usize) -> Option<u64> {
    let text = std::str::from_utf8(&bytes[..upto]).ok()?;
    let mut start = 0;
    // Complete lines only: the failing line's own start does not count.
    for (k, end) in memchr::memchr_iter(b'\n', text.as_bytes()).enumerate() {
        if text[start..end]
            .chars()
            .filter(|c| c.len_utf8() >= 3)
            .count()
            >= 3
        {
            return Some(k as u64 + 1);
        }
        start = end + 1;
    }
    None
}

/// Strict UTF-8 (`--encoding utf-8`, or after a UTF-8 byte-order mark).
fn utf8(label: &str, bytes: &[u8]) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(t) => no_nul_str(label, t).map(str::to_string),
        Err(e) => Err(Error::Read {
            location: Location::at(label, line_at(bytes, e.valid_up_to())),
            problem: ReadProblem::NotUtf8 {
                byte: bytes.get(e.valid_up_to()).copied().unwrap_or(0),
            },
        }),
    }
}

/// GB18030 (and so GBK, GB2312). `utf8_error` is where UTF-8 decoding failed in auto mode.
fn gb18030(label: &str, bytes: &[u8], utf8_error: Option<usize>) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\x84\x31\x95\x33").unwrap_or(bytes); // GB18030 BOM
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => no_nul(label, text.into_owned()),
        None => {
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            let line = text
                .find('\u{FFFD}')
                .map(|i| 1 + text[..i].matches('\n').count() as u64)
                .or_else(|| utf8_error.map(|at| line_at(bytes, at)))
                .unwrap_or(1);
            let problem = if utf8_error.is_some() {
                ReadProblem::NeitherUtf8NorGbk
            } else {
                ReadProblem::NotGbk
            };
            Err(Error::Read {
                location: Location::at(label, line),
                problem,
            })
        }
    }
}

/// Refuses text holding NUL characters (binary files, or UTF-16 without a byte-order mark).
fn no_nul(label: &str, text: String) -> Result<String> {
    no_nul_str(label, &text)?;
    Ok(text)
}

/// [`no_nul`] before the text is copied (a file of NULs costs no second buffer).
fn no_nul_str<'a>(label: &str, text: &'a str) -> Result<&'a str> {
    match text.find('\0') {
        Some(i) => Err(nul_error(label, 1 + line_breaks(&text.as_bytes()[..i]))),
        None => Ok(text),
    }
}

pub(super) fn nul_error(label: &str, line: u64) -> Error {
    Error::input(
        Location::at(label, line),
        text!("应为文本，却遇到 NUL 字符（是二进制文件，或没有字节顺序标记的 UTF-16？）；请另存为“CSV UTF-8”", "expected text, found a NUL character (a binary file, or UTF-16 without a byte-order mark?); save it as \"CSV UTF-8\""),
    )
}

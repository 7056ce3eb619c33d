//! Reading one table from what users actually have: CSV in UTF-8 (with or without a
//! byte-order mark), UTF-16 with a byte-order mark, GBK/GB18030 (what Excel and WPS write
//! on Chinese Windows), or an XLSX workbook (first sheet, or a named one).
//!
//! [`read_table`] is the generic entry point for any tabular input (jurisdictions,
//! observations and progress files here; microdata and population margins elsewhere): it
//! returns a [`RawTable`] of text cells with the header as written, each row's line (CSV)
//! or row number (XLSX), and typed accessors whose errors name the file, line and column.
//!
//! ```
//! use litmon::data::{RawTable, TextEncoding, decode_text};
//! // "地区,年份\n乌海,2022\n" in GBK:
//! let gbk = b"\xb5\xd8\xc7\xf8,\xc4\xea\xb7\xdd\n\xce\xda\xba\xa3,2022\n";
//! let text = decode_text("o.csv", gbk, TextEncoding::Auto).unwrap();
//! let t = RawTable::from_csv("o.csv", &text).unwrap();
//! assert_eq!(t.headers, ["地区", "年份"]);
//! assert_eq!(t.year(&t.rows[0], 1).unwrap(), 2022);
//! ```

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

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

/// How to read a table file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Encoding of text files (spreadsheets carry their own).
    pub encoding: TextEncoding,
    /// Sheet of a workbook to read (`--sheet NAME`); the first sheet when `None`.
    pub sheet: Option<String>,
}

/// One data row: its line (CSV) or row number (XLSX) and its cells as text.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// 1-based line (CSV) or row number (XLSX) in the file.
    pub line: u64,
    /// Cell texts, untrimmed, in column order.
    pub cells: Vec<String>,
}

impl RawRow {
    /// The trimmed text of a cell (empty when the row is short).
    pub fn text(&self, col: usize) -> &str {
        self.cells.get(col).map(|s| s.trim()).unwrap_or("")
    }
}

/// A table as read: the header as written and text cells, with positions for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// File name (and sheet) used in messages.
    pub label: String,
    /// Header cells, trimmed, BOM removed, as written (no aliasing).
    pub headers: Vec<String>,
    /// Line (CSV) or row number (XLSX) of the header.
    pub header_line: u64,
    /// Rows that are not entirely empty.
    pub rows: Vec<RawRow>,
    /// Column number (0-based) of the first column in the file (XLSX tables may start
    /// right of column A); messages count columns from 1 in the file.
    pub first_column: u32,
    /// (line, column index) of the spreadsheet cells formatted as dates: read as text
    /// they are Excel serial numbers, so [`RawTable::number`] refuses them (a year typed
    /// into a date-formatted cell still reads as its year).
    pub date_cells: Vec<(u64, usize)>,
    /// What was set aside while reading (trailing note rows), as `warning: …` lines.
    pub warnings: Vec<crate::model::Text>,
}

/// Bytes that open a ZIP archive (XLSX, XLSM, ODS) or an OLE2 compound file (legacy XLS).
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// Reads a table from a CSV or XLSX file (detected from its first bytes).
pub fn read_table(path: &Path, opts: &ReadOptions) -> Result<RawTable> {
    let label = path.display().to_string();
    let bytes = read_bytes(path)?;
    table_from_bytes(&label, &bytes, opts)
}

/// Like [`read_table`] on bytes already in memory.
pub fn table_from_bytes(label: &str, bytes: &[u8], opts: &ReadOptions) -> Result<RawTable> {
    if is_spreadsheet(bytes) {
        RawTable::from_spreadsheet(label, bytes, opts.sheet.as_deref())
    } else {
        let text = decode_text(label, bytes, opts.encoding)?;
        RawTable::from_csv(label, &text)
    }
}

/// Largest table, plan or small input file read into memory (microdata is streamed).
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Reads a whole input file of at most [`MAX_INPUT_BYTES`]; a larger file (or an endless
/// one such as `/dev/zero`) is refused with a clear message after reading no more than
/// the cap.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    read_capped(path, MAX_INPUT_BYTES)
}

pub(crate) fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let label = path.display().to_string();
    let io = |source: std::io::Error| Error::Io {
        path: label.clone(),
        source,
    };
    let too_big = || {
        Error::input(
            Location::file(&label),
            text!(
"文件超过 {} MB，超出 litmon 读取表格或方案的上限：应为地区名录、观测值或方案文件（请拆分文件，或只保留需要的行）",
"the file is larger than {} MB, the most litmon reads for a table or plan: expected a registry, observations or plan file (split it, or keep only the rows needed)",
                cap >> 20
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(Error::input(
            Location::file(&label),
            text!("这是一个目录：应为文件", "is a directory: expected a file"),
        ));
    }
    if meta.is_file() && meta.len() > cap {
        return Err(too_big());
    }
    let hint = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(hint.min(cap) as usize + 1);
    let mut file = file.take(cap + 1);
    // A NUL near the start of what is not a workbook or UTF-16 text is refused before the
    // rest is read (a file of NULs, /dev/zero), as decoding would refuse it anyway.
    (&mut file)
        .take(1 << 16)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let binary =
        is_spreadsheet(&bytes) || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if let Some(i) = bytes.iter().position(|&b| b == 0).filter(|_| !binary) {
        return Err(nul_error(&label, 1 + line_breaks(&bytes[..i])));
    }
    file.read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(bytes)
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

/// Undoes litmon's CSV formula guard: `'=…`, `'+…`, `'-…`, `'@…` read back without the
/// quote (see [`crate::output::guard_formula`]).
fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::output::looks_like_formula(rest) || rest.starts_with('\'') => {
            rest.to_string()
        }
        _ => cell.to_string(),
    }
}

/// Longest line of a table read into memory. Parsing costs about 20 bytes per byte of a
/// line of empty fields, so a line of 16 MiB stays far below the 2 GB goal; no registry,
/// observation or covariate row comes near it.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// The (1-based) line of the first line longer than [`MAX_LINE_BYTES`], if any.
fn overlong_line(bytes: &[u8]) -> Option<u64> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (line, end) in (1..).zip(ends) {
        if end - start > MAX_LINE_BYTES {
            return Some(line);
        }
        start = end + 1;
    }
    None
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

fn nul_error(label: &str, line: u64) -> Error {
    Error::input(
        Location::at(label, line),
        text!("应为文本，却遇到 NUL 字符（是二进制文件，或没有字节顺序标记的 UTF-16？）；请另存为“CSV UTF-8”", "expected text, found a NUL character (a binary file, or UTF-16 without a byte-order mark?); save it as \"CSV UTF-8\""),
    )
}

impl RawTable {
    /// Parses CSV text (comma-separated, double quotes; rows may be short or long).
    ///
    /// Strict where silence would lose data: a quote that is never closed (it would swallow
    /// the rows below) and a row with more non-empty fields than the header are errors
    /// with their line. Lines end in LF, CRLF or a lone CR (old Mac files). A cell written
    /// with litmon's formula guard (`'=…`, see [`crate::output`]) reads back as written
    /// before the guard. As Excel writes a sheet: a title row above the header (one
    /// non-empty cell, the others empty) is skipped (`title_rows`), and note rows at the
    /// end (`注：…`, `数据来源：…`) are set aside with a warning (`strip_trailing_notes`).
    pub fn from_csv(label: &str, text: &str) -> Result<RawTable> {
        let text = text.trim_start_matches('\u{feff}');
        if let Some(line) = overlong_line(text.as_bytes()) {
            return Err(Error::input(
                Location::at(label, line),
                text!(
                    "有一行超过 {} MiB：每行应是表格的一行（这是 CSV 文件吗？）",
                    "a line longer than {} MiB: expected one table row per line (is this a CSV \
                     file?)",
                    MAX_LINE_BYTES >> 20
                ),
            ));
        }
        if let Some(line) =
            crate::survey::reader::unclosed_quote(text.as_bytes(), true).map(|l| l + 1)
        {
            return Err(Error::input(
                Location::at(label, line),
                text!("本行开始的带引号字段一直没有闭合：应有结束的 \"（带引号字段中的引号写作 \"\"）", "a quoted field opened on this line is never closed: expected a closing \" (a quote inside a quoted field is written \"\")"),
            ));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let bytes = text.as_bytes();
        // The csv crate counts a record's line from the end of the previous record, blank
        // lines included; count the line of its first byte instead.
        let (mut counted_to, mut newlines) = (0usize, 0u64);
        let mut line_of = |offset: usize| -> u64 {
            let mut start = offset.min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                start += 1;
            }
            if start >= counted_to {
                newlines += line_breaks(&bytes[counted_to..start]);
                counted_to = start;
            }
            newlines + 1
        };
        let mut records: Vec<(u64, Vec<String>)> = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(label, e))?;
            let line = rec
                .position()
                .map(|p| line_of(p.byte() as usize))
                .unwrap_or(0);
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            records.push((line, rec.iter().map(unguard).collect()));
        }
        let skip = title_rows(&records, |(_, cells)| filled_cells(cells));
        let mut records = records.into_iter().skip(skip);
        let Some((header_line, header)) = records.next() else {
            return Err(empty_file(label));
        };
        let headers: Vec<String> = header.iter().map(|h| clean_header(h)).collect();
        let mut rows: Vec<RawRow> = records
            .map(|(line, cells)| RawRow { line, cells })
            .collect();
        let warnings = strip_trailing_notes(label, "line", &mut rows)
            .into_iter()
            .collect();
        for row in &rows {
            let used = row
                .cells
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1);
            if used > headers.len() {
                return Err(Error::input(
                    Location::at(label, row.line).with_column(format!("{}", headers.len() + 1)),
                    text!(
"该行有 {used} 个字段，而表头只有 {} 个：应至多 {} 个（值中含逗号时需加引号，如 \"1,234\"）",
"the row has {used} fields but the header has {}: expected at most {} (a comma inside a value needs quotes, e.g. \"1,234\")",
                        headers.len(),
                        headers.len()
                    ),
                ));
            }
        }
        Ok(RawTable {
            label: label.to_string(),
            headers,
            header_line,
            rows,
            first_column: 0,
            date_cells: Vec::new(),
            warnings,
        })
    }

    /// Reads one sheet of an XLSX workbook: the first sheet, or `sheet` by name. The header
    /// is the first non-empty row (one-cell title rows above it are skipped, see
    /// `title_rows`); numbers are written in their shortest exact form (a year stored as
    /// 2022.0 reads as `2022`), and a percent-formatted number as the percentage Excel
    /// shows (0.098 formatted `0.0%` reads as `9.8`, see `percent_text`). Trailing note
    /// rows are set aside with a warning (`strip_trailing_notes`).
    pub fn from_spreadsheet(label: &str, bytes: &[u8], sheet: Option<&str>) -> Result<RawTable> {
        use calamine::Reader;
        if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
            return Err(Error::input(
                Location::file(label),
                text!("应为 CSV 或 .xlsx，却是旧式 .xls 工作簿（或加密的 .xlsx）；请另存为 .xlsx（Excel 2007 及以后）或 CSV UTF-8", "expected CSV or .xlsx, found a legacy .xls workbook (or an encrypted .xlsx); save it as .xlsx (Excel 2007+) or CSV UTF-8"),
            ));
        }
        let damaged = |e: calamine::XlsxError| {
            Error::input(
                Location::file(label),
                text!(
"应为 .xlsx 工作簿，但无法读取（{e}）；请在 Excel/WPS 中打开后重新保存，或另存为 CSV UTF-8",
"expected an .xlsx workbook, but it cannot be read ({e}); open and save it again in Excel/WPS, or save it as CSV UTF-8"),
            )
        };
        check_shared_strings(label, bytes)?;
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(Cursor::new(bytes)).map_err(damaged)?;
        let names = book.sheet_names();
        let name = match sheet {
            None => default_sheet(bytes, book.sheets_metadata()).ok_or_else(|| {
                Error::input(
                    Location::file(label),
                    text!(
                        "工作簿中没有可见的工作表",
                        "the workbook has no visible sheet"
                    ),
                )
            })?,
            Some(want) => names
                .iter()
                .find(|n| n.as_str() == want)
                .or_else(|| {
                    names
                        .iter()
                        .find(|n| n.trim().eq_ignore_ascii_case(want.trim()))
                })
                .cloned()
                .ok_or_else(|| Error::Read {
                    location: Location::file(label),
                    problem: ReadProblem::NoSuchSheet {
                        want: want.to_string(),
                        sheets: names.clone(),
                    },
                })?,
        };
        if let Some(row) = duplicate_row(bytes, &name) {
            return Err(Error::input(
                Location::at(label, row),
                text!(
"工作表“{name}”：第{row}行在工作簿中存了两次（文件已损坏或由程序生成，Excel 不会这样写）：每行应只存一次——请在 Excel/WPS 中打开后重新保存，或另存为 CSV UTF-8",
"sheet {name:?}: row {row} is stored twice in the workbook (a damaged or \
                     generated file; Excel never writes this): expected each row once — open \
                     and save it in Excel/WPS, or save it as CSV UTF-8"
                ),
            ));
        }
        let uncalculated = formulas_without_values(bytes, &name);
        if !uncalculated.is_empty() {
            return Err(Error::input(Location::file(label), {
                let (cells_zh, cells) = (uncalculated.join("、"), uncalculated.join(", "));
                let (s, holds) = if uncalculated.len() > 1 {
                    ("s", "")
                } else {
                    ("", "s")
                };
                text!(
                        "工作表“{name}”：单元格 {cells_zh} 含有公式但没有保存计算结果（该工作簿由不计算公式的程序写出）：应为数值——请在 Excel/WPS 中打开后保存，或粘贴为数值",
                        "sheet {name:?}: cell{s} {cells} hold{holds} a formula without a saved value (the workbook was written by a program that does not calculate): expected values — open and save it in Excel/WPS, or paste the values"
                    )
            }));
        }
        let sheet_label = if names.len() > 1 || sheet.is_some() {
            format!("{label} (sheet {name})")
        } else {
            label.to_string()
        };
        let mut cells: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
        let mut dates: Vec<(u32, u32)> = Vec::new();
        let percent = percent_cells(bytes, &name);
        {
            let mut reader = book.worksheet_cells_reader(&name).map_err(damaged)?;
            while let Some(cell) = reader.next_cell().map_err(damaged)? {
                let (r, c) = cell.get_position();
                let text = if percent.contains(&(r, c)) {
                    percent_cell_text(cell.get_value())
                } else {
                    cell_text(cell.get_value())
                };
                if !text.trim().is_empty() {
                    if matches!(cell.get_value(), calamine::DataRef::DateTime(_)) {
                        dates.push((r, c));
                    }
                    cells.entry(r).or_default().insert(c, text);
                }
            }
        }
        let cells: Vec<(u32, BTreeMap<u32, String>)> = cells.into_iter().collect();
        let skip = title_rows(&cells, |(_, cols)| cols.len());
        let mut row_iter = cells.into_iter().skip(skip);
        let Some((header_row, header_cells)) = row_iter.next() else {
            return Err(empty_file(&sheet_label));
        };
        let first = header_cells.keys().next().copied().unwrap_or(0);
        let last = header_cells.keys().next_back().copied().unwrap_or(0);
        if last - first >= 16_384 {
            return Err(Error::input(
                Location::at(&sheet_label, u64::from(header_row) + 1),
                text!(
                    "表头行应至多有 16,384 列",
                    "expected at most 16,384 columns in the header row"
                ),
            ));
        }
        // Cells right of the header are ignored; a row is as long as its last cell.
        let spread = |cols: BTreeMap<u32, String>| -> Vec<String> {
            let used = cols.range(first..=last).next_back().map(|(&c, _)| c);
            let mut v = vec![String::new(); used.map_or(0, |c| (c - first + 1) as usize)];
            for (c, text) in cols.into_iter().filter(|(c, _)| (first..=last).contains(c)) {
                v[(c - first) as usize] = text;
            }
            v
        };
        let headers = spread(header_cells)
            .iter()
            .map(|h| clean_header(h))
            .collect();
        let mut rows: Vec<RawRow> = row_iter
            .map(|(r, cols)| RawRow {
                line: u64::from(r) + 1,
                cells: spread(cols),
            })
            .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        let warnings = strip_trailing_notes(&sheet_label, "row", &mut rows)
            .into_iter()
            .collect();
        let date_cells = dates
            .into_iter()
            .filter(|&(_, c)| c >= first)
            .map(|(r, c)| (u64::from(r) + 1, (c - first) as usize))
            .collect();
        Ok(RawTable {
            label: sheet_label,
            headers,
            header_line: u64::from(header_row) + 1,
            rows,
            first_column: first,
            date_cells,
            warnings,
        })
    }

    /// Index of the column whose header is exactly `name` (after trimming).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Where a cell is: file, line and `column N (header)`, N counted from 1 in the file.
    pub fn location(&self, row: &RawRow, col: usize) -> Location {
        let name = self.headers.get(col).map(String::as_str).unwrap_or("?");
        Location::at(&self.label, row.line)
            .with_column(format!("{} ({name})", self.column_number(col)))
    }

    /// 1-based column number in the file.
    pub fn column_number(&self, col: usize) -> u64 {
        u64::from(self.first_column) + col as u64 + 1
    }

    /// Where a header cell is.
    pub fn header_location(&self, col: usize) -> Location {
        let name = self.headers.get(col).map(String::as_str).unwrap_or("?");
        Location::at(&self.label, self.header_line)
            .with_column(format!("{} ({name})", self.column_number(col)))
    }

    /// An [`Error::Input`] at cell `col` of `row` (see [`RawTable::location`]).
    pub fn error(&self, row: &RawRow, col: usize, message: impl Into<crate::model::Text>) -> Error {
        Error::input(self.location(row, col), message)
    }

    /// A finite number; empty cells are `None`. Accepts a trailing `%` (or full-width
    /// `％`), full-width digits, and thousands separators (`12,345`).
    pub fn number(&self, row: &RawRow, col: usize) -> Result<Option<f64>> {
        let s = row.text(col);
        if s.is_empty() {
            return Ok(None);
        }
        if self.date_cells.contains(&(row.line, col)) {
            return Err(self.error(
                row,
                col,
                text!(
"应为数值，却是日期格式的单元格（存储的序列号为 {s}）；请在 Excel/WPS 中把单元格格式设为数值，再重新输入",
"expected a number, found a date-formatted cell (stored as the serial number {s}); format the cell as a number in Excel/WPS and type the value again"
                ),
            ));
        }
        match parse_number(s) {
            Some(v) if v.is_finite() => Ok(Some(v)),
            Some(_) => Err(self.error(
                row,
                col,
                text!(
"应为有限数值，实际为 {}；数值未知时请留空",
"expected a finite number, found {}; leave the cell empty when the value is unknown", crate::output::safety::echo(s)),
            )),
            None => Err(self.error(
                row,
                col,
                text!(
"应为数值，如 9.8 或 9.8%，实际为 {}",
"expected a number such as 9.8 or 9.8%, found {}", crate::output::safety::echo(s)),
            )),
        }
    }

    /// A calendar year between 1900 and 2100 (`2022`, `2022年`, `2022.0`).
    pub fn year(&self, row: &RawRow, col: usize) -> Result<i32> {
        let s = row.text(col);
        let t = normalize_width(s);
        let t = t.trim().strip_suffix('年').unwrap_or(t.trim()).trim();
        let y = t
            .parse::<i32>()
            .ok()
            .or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.fract() == 0.0 && v.abs() < 1e6)
                    .map(|v| v as i32)
            })
            .filter(|y| (1900..=2100).contains(y));
        y.ok_or_else(|| {
            let found = if s.is_empty() {
                "an empty cell".to_string()
            } else {
                crate::output::safety::echo(s)
            };
            self.error(
                row,
                col,
                text!(
                    "应为年份，如 2022，实际为 {found}",
                    "expected a year such as 2022, found {found}"
                ),
            )
        })
    }
}

/// Title rows read above a header at most (a title and a subtitle such as `单位：%`).
const MAX_TITLE_ROWS: usize = 2;

/// How many of the first `rows` (non-empty rows, in order) are title rows above the
/// header, as Excel users write them: rows with a single non-empty cell (a title such as
/// `乌海市全民科学素质监测数据`, typed in A1 or merged across the columns, which keeps its
/// text in the first cell), followed by a row with two or more filled cells — the
/// header. One rule for CSV and XLSX; `filled` counts the non-empty cells of a row.
pub(crate) fn title_rows<T>(rows: &[T], filled: impl Fn(&T) -> usize) -> usize {
    let lone = rows
        .iter()
        .take(MAX_TITLE_ROWS + 1)
        .take_while(|r| filled(r) == 1)
        .count();
    match rows.get(lone) {
        Some(header) if lone > 0 && lone <= MAX_TITLE_ROWS && filled(header) >= 2 => lone,
        _ => 0,
    }
}

/// Non-empty cells of a row.
fn filled_cells(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

/// Words that open a note under a table (`注：…`, `数据来源：…`, `Note: …`).
const NOTE_OPENERS: [&str; 6] = ["注", "说明", "数据来源", "来源", "资料来源", "备注"];

/// True when the first non-empty cell of a row opens a note: it starts with `注` (`注：`,
/// `注:`, `注1`…), `说明`, `数据来源`, `来源`, `资料来源`, `备注`, or the English `Note`/`Source`
/// (any case, followed by `s`, a colon, a period, a space or nothing).
pub(crate) fn is_note_row(row: &RawRow) -> bool {
    let Some(first) = row.cells.iter().map(|c| c.trim()).find(|c| !c.is_empty()) else {
        return false;
    };
    let first = first.trim_start_matches(['*', '※', '(', '（']);
    if NOTE_OPENERS.iter().any(|w| first.starts_with(w)) {
        return true;
    }
    ["note", "source"].iter().any(|w| {
        first
            .get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w))
            && first[w.len()..]
                .chars()
                .next()
                .is_none_or(|c| matches!(c, 's' | 'S' | ':' | '：' | '.' | ' '))
    })
}

/// Sets aside the note rows at the end of a table: from the first row that opens a note
/// ([`is_note_row`]) such that every row after it is a note too or a single cell of text
/// (the note's next lines). A note-like row followed by data stays (and its cells are
/// checked like any other row). Returns one warning naming the file and the lines.
/// `unit` is how the file counts rows: `line` in a CSV, `row` in a sheet.
pub(crate) fn strip_trailing_notes(
    label: &str,
    unit: &str,
    rows: &mut Vec<RawRow>,
) -> Option<crate::model::Text> {
    let continues = |r: &RawRow| is_note_row(r) || filled_cells(&r.cells) <= 1;
    let tail = rows.iter().rev().take_while(|r| continues(r)).count();
    let start = rows.len() - tail;
    let first_note = start + rows[start..].iter().position(is_note_row)?;
    let lines: Vec<u64> = rows[first_note..].iter().map(|r| r.line).collect();
    rows.truncate(first_note);
    let ranges = line_ranges(&lines);
    let plural = if lines.len() == 1 { "" } else { "s" };
    Some(crate::model::Text::warning(text!(
        "{label}：第 {ranges} 行：表格下方的注释行（注/数据来源/Note…）已忽略",
        "{label}: {unit}{plural} {ranges}: note rows under the table ignored (注/数据来源/Note…)"
    )))
}

/// `3, 5–7, 9` for lines 3, 5, 6, 7, 9 (sorted, distinct).
pub(crate) fn line_ranges(lines: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            lines[i].to_string()
        } else {
            format!("{}–{}", lines[i], lines[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// The sheet read without `--sheet`: the workbook's active sheet (the tab Excel opens)
/// when it is visible, else the first visible sheet — never a hidden one.
fn default_sheet(bytes: &[u8], sheets: &[calamine::Sheet]) -> Option<String> {
    let visible = |s: &calamine::Sheet| {
        s.visible == calamine::SheetVisible::Visible
            && matches!(s.typ, calamine::SheetType::WorkSheet)
    };
    let active = active_tab(bytes).unwrap_or(0);
    sheets
        .get(active)
        .filter(|s| visible(s))
        .or_else(|| sheets.iter().find(|s| visible(s)))
        .map(|s| s.name.clone())
}

/// `activeTab` of the first `workbookView` in `xl/workbook.xml` (0 when absent).
fn active_tab(bytes: &[u8]) -> Option<usize> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let file = zip.by_name("xl/workbook.xml").ok()?;
    let mut xml = Vec::new();
    file.take(MAX_XLSX_EXPANDED).read_to_end(&mut xml).ok()?;
    const KEY: &[u8] = b"activeTab=";
    let at = xml.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let rest = xml.get(at + 1..)?;
    let end = rest.iter().position(|b| !b.is_ascii_digit())?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// The value of attribute `key` in the text of one XML start tag.
fn xml_attribute<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].chars().next_back();
        let after = &rest[i + key.len()..];
        rest = after;
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(v) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let v = v.trim_start();
        let quote = v.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let v = &v[1..];
        return v.find(quote).map(|end| &v[..end]);
    }
    None
}

/// Every start tag `<name …>` (or `<name …/>`) of an XML text.
fn xml_tags<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{name}");
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let i = xml[at..].find(&open)? + at;
        let end = xml[i..].find('>')? + i;
        at = end + 1;
        let next = xml[i + open.len()..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '/' || c == '>') {
            return Some(&xml[i..=end]);
        }
    })
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The XML of worksheet `sheet` (its part found through `xl/workbook.xml` and its
/// relationships), or `None` when it cannot be found.
fn sheet_xml(bytes: &[u8], sheet: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let workbook = zip_part(&mut zip, "xl/workbook.xml")?;
    let rid = xml_tags(&workbook, "sheet")
        .find(|t| xml_attribute(t, "name").is_some_and(|n| xml_unescape(n) == sheet))
        .and_then(|t| xml_attribute(t, "r:id"))?
        .to_string();
    let rels = zip_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let target = xml_tags(&rels, "Relationship")
        .find(|t| xml_attribute(t, "Id") == Some(rid.as_str()))
        .and_then(|t| xml_attribute(t, "Target"))?;
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    zip_part(&mut zip, &path)
}

/// One part of a workbook as text (at most [`MAX_XLSX_EXPANDED`] bytes).
fn zip_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    use std::io::Read;
    let file = zip.by_name(name).ok()?;
    let mut xml = Vec::new();
    file.take(MAX_XLSX_EXPANDED).read_to_end(&mut xml).ok()?;
    String::from_utf8(xml).ok()
}

/// True for an Excel number format that shows a number as a percentage: the built-in
/// formats 9 (`0%`) and 10 (`0.00%`), or a format code with a `%` outside quotes,
/// brackets and escapes (`0.0%`, `0.00%;[Red]-0.00%`; not `0.0"%"` nor `0.0\%`, which show
/// a percent sign without scaling).
pub(crate) fn is_percent_format(id: u32, code: Option<&str>) -> bool {
    if matches!(id, 9 | 10) {
        return true;
    }
    let Some(code) = code else { return false };
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            '%' if !bracket => return true,
            _ => {}
        }
    }
    false
}

/// Cells (0-based row, column) of worksheet `sheet` whose style has a percent number
/// format ([`is_percent_format`]): the `s` attribute of each `<c>` indexes `<cellXfs>` of
/// `xl/styles.xml`, whose `numFmtId` is built in or defined in `<numFmts>`. calamine
/// exposes only date formats, so the parts are read here; a part that cannot be read
/// gives no percent cells.
fn percent_cells(bytes: &[u8], sheet: &str) -> std::collections::HashSet<(u32, u32)> {
    let mut out = std::collections::HashSet::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let Some(styles) = zip_part(&mut zip, "xl/styles.xml") else {
        return out;
    };
    let codes: BTreeMap<u32, String> = xml_tags(&styles, "numFmt")
        .filter_map(|t| {
            let id = xml_attribute(t, "numFmtId")?.trim().parse().ok()?;
            Some((id, xml_unescape(xml_attribute(t, "formatCode")?)))
        })
        .collect();
    let Some(xfs) = styles
        .find("<cellXfs")
        .map(|i| &styles[i..])
        .map(|s| s.find("</cellXfs>").map_or(s, |e| &s[..e]))
    else {
        return out;
    };
    let percent_styles: Vec<bool> = xml_tags(xfs, "xf")
        .map(|t| {
            xml_attribute(t, "numFmtId")
                .and_then(|v| v.trim().parse::<u32>().ok())
                .is_some_and(|id| is_percent_format(id, codes.get(&id).map(String::as_str)))
        })
        .collect();
    if !percent_styles.contains(&true) {
        return out;
    }
    drop(zip);
    let Some(xml) = sheet_xml(bytes, sheet) else {
        return out;
    };
    for tag in xml_tags(&xml, "c") {
        let percent = xml_attribute(tag, "s")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .is_some_and(|s| percent_styles.get(s).copied().unwrap_or(false));
        if let Some(pos) = percent.then(|| xml_attribute(tag, "r")).flatten() {
            if let Some(rc) = cell_reference(pos) {
                out.insert(rc);
            }
        }
    }
    out
}

/// `B3` → (2, 1): 0-based row and column of an A1-style cell reference.
fn cell_reference(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].bytes().try_fold(0u32, |acc, b| {
        Some(acc * 26 + u32::from(b.to_ascii_uppercase().checked_sub(b'A')?) + 1)
    })?;
    let row: u32 = r[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The text of a percent-formatted number cell: its value × 100, as Excel shows it.
fn percent_cell_text(v: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef as D;
    match v {
        D::Int(i) => i
            .checked_mul(100)
            .map_or_else(|| percent_text(*i as f64), |p| p.to_string()),
        D::Float(f) => percent_text(*f),
        other => cell_text(other),
    }
}

/// A stored fraction written as a percentage, without float noise: the decimal point of
/// the shortest representation that round-trips the stored double (Rust's `{}`, which
/// never uses an exponent) moves two places right, so 0.07 gives `7`, not the
/// `7.000000000000001` of `0.07 * 100.0` (0.29 gives `29`, not `28.999999999999996`), and
/// 0.12345 gives `12.345`. Rounding to 12 significant digits would also hide the noise but
/// could change a value typed with more digits; moving the point is exact. The text is then
/// the exact decimal a user sees in Excel with enough decimals, and parses to the double
/// nearest that decimal.
pub(crate) fn percent_text(f: f64) -> String {
    if !f.is_finite() {
        return float_text(f);
    }
    let shortest = format!("{f}");
    let (sign, digits) = match shortest.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", shortest.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let rest = rest.trim_end_matches('0');
    let sign = if int == "0" && rest.is_empty() {
        ""
    } else {
        sign
    };
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

/// Cells (at most five, `B2`…) of sheet `sheet` that hold a formula but no cached value:
/// calamine reads them as empty. Found by scanning the sheet's XML (its part through
/// `xl/workbook.xml` and its relationships), without evaluating anything.
fn formulas_without_values(bytes: &[u8], sheet: &str) -> Vec<String> {
    let Some(xml) = sheet_xml(bytes, sheet) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = xml[at..].find("<c").map(|i| i + at) {
        at = i + 2;
        if !xml[at..].starts_with(|c: char| c.is_whitespace() || c == '>') {
            continue;
        }
        let Some(tag_end) = xml[i..].find('>').map(|e| e + i) else {
            break;
        };
        let tag = &xml[i..=tag_end];
        if tag.ends_with("/>") {
            continue;
        }
        let Some(close) = xml[tag_end..].find("</c>").map(|e| e + tag_end) else {
            break;
        };
        let body = &xml[tag_end + 1..close];
        let has = |name: &str| xml_tags(body, name).next().is_some();
        if has("f") && !has("v") && !has("is") {
            out.push(xml_attribute(tag, "r").unwrap_or("?").to_string());
            if out.len() == 5 {
                break;
            }
        }
        at = close;
    }
    out
}

/// The first row number (`<row r="2">`) that sheet `sheet` stores twice: calamine keeps
/// the last silently.
fn duplicate_row(bytes: &[u8], sheet: &str) -> Option<u64> {
    let xml = sheet_xml(bytes, sheet)?;
    let mut seen = std::collections::HashSet::new();
    let dup = xml_tags(&xml, "row")
        .filter_map(|t| xml_attribute(t, "r")?.parse::<u64>().ok())
        .find(|&r| !seen.insert(r));
    dup
}

/// Most a workbook may expand to (all its parts, uncompressed).
const MAX_XLSX_EXPANDED: u64 = 64 << 20;

/// Largest shared-strings part inspected by [`check_shared_strings`].
const MAX_SHARED_STRINGS: u64 = 256 << 20;

/// calamine reserves memory for the `uniqueCount` that `xl/sharedStrings.xml` declares
/// before it reads a single string, so a damaged count (`uniqueCount="888888888888883"`,
/// found by fuzzing) aborts the process. A count larger than the part's size in bytes
/// cannot be true (each string takes at least `<si/>`): refuse the workbook instead.
///
/// It also bounds what the workbook expands to: the parts are decompressed (into
/// nothing) before calamine reads them, and a workbook whose parts exceed
/// [`MAX_XLSX_EXPANDED`] in all — a ZIP bomb, or a sheet far beyond any registry or
/// observations table — is refused, whatever sizes its directory declares.
fn check_shared_strings(label: &str, bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a readable ZIP: calamine reports it
    };
    let mut expanded: u64 = 0;
    let too_big = || {
        Error::input(
            Location::file(label),
            text!(
"工作簿解压后超过 {} MB：应为地区名录、观测值或方案表（文件是否损坏或异常？请将该表另存为 CSV UTF-8）",
"the workbook expands to more than {} MB: expected a registry, observations or plan table (is it a damaged or hostile file? save the sheet as CSV UTF-8)",
                MAX_XLSX_EXPANDED >> 20
            ),
        )
    };
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        if expanded.saturating_add(file.size()) > MAX_XLSX_EXPANDED {
            return Err(too_big());
        }
        let left = MAX_XLSX_EXPANDED - expanded;
        // A read error midway is calamine's to report; count what was read.
        let n = std::io::copy(&mut file.take(left + 1), &mut std::io::sink()).unwrap_or(0);
        expanded += n;
        if expanded > MAX_XLSX_EXPANDED {
            return Err(too_big());
        }
    }
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        let name = file.name().replace('\\', "/").to_ascii_lowercase();
        if !name.ends_with("sharedstrings.xml") {
            continue;
        }
        let mut part = Vec::new();
        // A read error midway still leaves the start, where the count is.
        let _ = file.take(MAX_SHARED_STRINGS).read_to_end(&mut part);
        if let Some(n) = declared_counts(&part).max() {
            if n > part.len() as u64 {
                return Err(Error::input(
                    Location::file(label),
                    text!(
"应为 .xlsx 工作簿，但文件已损坏：其共享字符串表在 {} 字节中声明了 {n} 个字符串；请在 Excel/WPS 中打开后重新保存，或另存为 CSV UTF-8",
"expected an .xlsx workbook, but it is damaged: its shared-string table declares {n} strings in {} bytes; open and save it again in Excel/WPS, or save it as CSV UTF-8",
                        part.len()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Every `uniqueCount="N"` attribute value in an XML part.
fn declared_counts(xml: &[u8]) -> impl Iterator<Item = u64> + '_ {
    const KEY: &[u8] = b"uniqueCount";
    xml.windows(KEY.len())
        .enumerate()
        .filter(|(_, w)| *w == KEY)
        .filter_map(move |(i, _)| {
            let rest = &xml[i + KEY.len()..];
            let rest = rest
                .trim_ascii_start()
                .strip_prefix(b"=")?
                .trim_ascii_start();
            let (&quote, rest) = rest.split_first()?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let end = rest.iter().position(|&b| b == quote)?;
            let value = std::str::from_utf8(&rest[..end]).ok()?;
            value.trim().trim_start_matches('+').parse::<u64>().ok()
        })
}

fn clean_header(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').trim().to_string()
}

fn empty_file(label: &str) -> Error {
    Error::input(
        Location::at(label, 1),
        text!(
            "文件为空：应先有一行列名表头，再有数据行",
            "the file is empty: expected a header row naming the columns, then data rows"
        ),
    )
}

fn csv_error(label: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => text!("应为 UTF-8 文本", "expected UTF-8 text"),
        _ => text!(
            "CSV 格式有误（{e}）；请检查这一行的引号",
            "malformed CSV ({e}); check the quotes on this line"
        ),
    };
    Error::input(
        Location {
            file: label.to_string(),
            line,
            column: None,
        },
        message,
    )
}

/// Full-width ASCII (U+FF01–U+FF5E, typed with a Chinese input method) to ASCII.
fn normalize_width(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            })
            .collect(),
    )
}

/// Parses `9.8`, `9.8%`, `９.８％`, `12,345`, `-1e3`; `None` when it is not a number.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = normalize_width(s);
    let t = t.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = t.parse::<f64>() {
        // "nan", "inf" parse in Rust: report them as non-finite numbers.
        return Some(v);
    }
    // Thousands separators: 1,234 or 1,234,567.89
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = digits.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && frac.bytes().all(|b| b.is_ascii_digit());
    if grouped {
        let plain = format!("{}.{frac}", int.replace(',', ""));
        return plain.trim_end_matches('.').parse().ok();
    }
    None
}

/// Text of a spreadsheet cell: numbers in their shortest exact form, integers without a
/// decimal point, errors as Excel shows them (`#DIV/0!`).
fn cell_text(v: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef as D;
    match v {
        D::Int(i) => i.to_string(),
        D::Float(f) => float_text(*f),
        D::String(s) => s.clone(),
        D::SharedString(s) => s.to_string(),
        D::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        // A year typed into a date-formatted cell keeps its number (2022 stays 2022).
        D::DateTime(d) => float_text(d.as_f64()),
        D::DateTimeIso(s) | D::DurationIso(s) => s.clone(),
        D::Error(e) => e.to_string(),
        D::Empty => String::new(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_the_forms_users_type() {
        assert_eq!(parse_number("9.8"), Some(9.8));
        assert_eq!(parse_number("9.8%"), Some(9.8));
        assert_eq!(parse_number(" ９.８％ "), Some(9.8));
        assert_eq!(parse_number("12,345"), Some(12345.0));
        assert_eq!(parse_number("1,234,567.5"), Some(1234567.5));
        assert_eq!(parse_number("1,23"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("%"), None);
        assert!(parse_number("NaN").is_some_and(f64::is_nan));
    }

    #[test]
    fn encodings_are_detected() {
        let gbk = b"\xb5\xd8\xc7\xf8\n";
        assert_eq!(decode_text("f", gbk, TextEncoding::Auto).unwrap(), "地区\n");
        assert_eq!(
            decode_text("f", "\u{feff}地区\n".as_bytes(), TextEncoding::Auto).unwrap(),
            "地区\n"
        );
        let err = decode_text("f.csv", b"a\nb\xb5\xd8\n", TextEncoding::Utf8).unwrap_err();
        assert!(err.to_string().starts_with("f.csv:2: "), "{err}");
        let err = decode_text("f.csv", b"a\n\xff\xff\n", TextEncoding::Auto).unwrap_err();
        assert!(err.to_string().starts_with("f.csv:2: "), "{err}");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("地区\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode_text("f", &utf16, TextEncoding::Auto).unwrap(),
            "地区\n"
        );
    }

    /// The percentage a user sees, by hand: the stored fraction's digits with the decimal
    /// point two places right — never the float noise of `x * 100.0`.
    #[test]
    fn percent_cells_scale_without_float_noise() {
        assert_ne!(0.07 * 100.0, 7.0, "the noise avoided: 7.000000000000001");
        assert_ne!(0.29 * 100.0, 29.0, "the noise avoided: 28.999999999999996");
        for (stored, shown) in [
            (0.098, "9.8"),
            (0.07, "7"),
            (0.29, "29"),
            (0.0057, "0.57"),
            (0.1, "10"),
            (0.1052, "10.52"),
            (0.12345, "12.345"),
            (1.0, "100"),
            (0.0, "0"),
            (-0.0, "0"),
            (-0.003, "-0.3"),
            (0.0061, "0.61"),
            (0.5, "50"),
            (12.5, "1250"),
            (1e-7, "0.00001"),
        ] {
            assert_eq!(percent_text(stored), shown, "{stored}");
            assert_eq!(parse_number(shown).unwrap().to_string(), shown);
        }
    }

    #[test]
    fn percent_number_formats() {
        assert!(is_percent_format(9, None));
        assert!(is_percent_format(10, None));
        assert!(!is_percent_format(2, None));
        assert!(is_percent_format(164, Some("0.0%")));
        assert!(is_percent_format(164, Some("#,##0.00%;[Red]-#,##0.00%")));
        assert!(!is_percent_format(164, Some("0.0\"%\"")));
        assert!(!is_percent_format(164, Some("0.0\\%")));
        assert!(!is_percent_format(164, Some("[$%-804]0.0")));
        assert!(!is_percent_format(164, Some("0.00")));
        assert_eq!(cell_reference("A1"), Some((0, 0)));
        assert_eq!(cell_reference("C3"), Some((2, 2)));
        assert_eq!(cell_reference("AA10"), Some((9, 26)));
        assert_eq!(cell_reference("A0"), None);
        assert_eq!(cell_reference("12"), None);
    }

    #[test]
    fn title_rows_above_the_header() {
        let count = |rows: &[usize]| title_rows(rows, |n| *n);
        assert_eq!(count(&[1, 6, 6]), 1, "a title");
        assert_eq!(count(&[1, 1, 6, 6]), 2, "a title and a unit line");
        assert_eq!(
            count(&[1, 1, 1, 6]),
            0,
            "three lone cells: a one-column table?"
        );
        assert_eq!(count(&[1, 1, 1]), 0, "a one-column table");
        assert_eq!(count(&[6, 6]), 0);
        assert_eq!(count(&[1]), 0);
        let t = RawTable::from_csv("t.csv", "标题,,\na,b,c\n1,2,3\n").unwrap();
        assert_eq!(t.headers, ["a", "b", "c"]);
        assert_eq!(t.header_line, 2);
    }

    #[test]
    fn note_rows_only_at_the_end() {
        let row = |line: u64, cells: &[&str]| RawRow {
            line,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        };
        for note in [
            "注：加权",
            "注:x",
            "注1",
            "说明",
            "数据来源：科协",
            "来源 x",
            "资料来源",
            "Note: x",
            "NOTES",
            "source",
        ] {
            assert!(is_note_row(&row(1, &["", note])), "{note}");
        }
        for data in ["150300", "乌海市", "Notebook", "Sourcing", ""] {
            assert!(!is_note_row(&row(1, &[data, "1"])), "{data}");
        }
        let mut rows = vec![
            row(2, &["a", "1"]),
            row(3, &["注：中间", ""]),
            row(4, &["b", "2"]),
            row(6, &["注：末尾", ""]),
            row(7, &["1. 第二行"]),
            row(8, &["Source: x"]),
        ];
        let w = strip_trailing_notes("f.csv", "line", &mut rows).unwrap();
        assert_eq!(
            w.en,
            "warning: f.csv: lines 6–8: note rows under the table ignored (注/数据来源/Note…)"
        );
        assert_eq!(
            w.zh,
            "警告：f.csv：第 6–8 行：表格下方的注释行（注/数据来源/Note…）已忽略"
        );
        assert_eq!(rows.len(), 3, "the note between data rows stays");
        assert_eq!(strip_trailing_notes("f.csv", "line", &mut rows), None);
        assert_eq!(line_ranges(&[3, 5, 6, 7, 9]), "3, 5–7, 9");
    }

    #[test]
    fn csv_rows_keep_their_lines() {
        let t = RawTable::from_csv("f", "\n a ,b\n\n1,2\n,\n3\n").unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.header_line, 2);
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4, 6]);
        assert_eq!(t.rows[1].text(1), "");
    }
}

//! Opening survey microdata the way every other table is opened ([`crate::data::read_table`]):
//! CSV in UTF-8 (with or without a byte-order mark), GBK/GB18030, UTF-16 with a byte-order
//! mark, or an XLSX workbook recognised by its first bytes; `--encoding` and `--sheet` are
//! honoured.
//!
//! The microdata is streamed to the survey estimator ([`crate::survey::accumulate`]), which
//! reads UTF-8 CSV bytes. [`open_microdata`] decides from the first 64 KiB:
//!
//! * UTF-8 (with or without a BOM): the file itself, untouched (no copy, no per-byte work);
//! * GBK/GB18030 (`--encoding gbk`; or a first chunk that is not UTF-8 and either is GBK
//!   throughout or has a header that is not UTF-8) and UTF-16 with a BOM: a streaming
//!   transcoder ([`encoding_rs::Decoder`]) between the file and the reader;
//! * XLSX: the sheet is read with the spreadsheet code of every other table and written to
//!   CSV in memory (a sheet holds at most 1,048,576 rows); error lines are sheet rows and
//!   error columns sheet columns ([`Locator::locate`]).
//!
//! The progress bar counts the file's bytes in every case.

use std::io::{self, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::data::{decode_text, is_spreadsheet, RawTable, ReadOptions, TextEncoding};
use crate::error::{Error, Location, ReadProblem, Result};

/// Bytes inspected to choose the encoding.
const SNIFF_BYTES: u64 = 64 << 10;

/// Largest XLSX microdata file read (into memory; CSV is streamed without a limit).
const MAX_XLSX_BYTES: u64 = crate::data::MAX_INPUT_BYTES;

/// How the bytes handed to the reader relate to the file, to put errors back in its terms.
#[derive(Debug, Clone, Default)]
enum Origin {
    /// The reader sees the file's own lines (UTF-8 as is, or transcoded line for line).
    #[default]
    Text,
    /// The reader sees a CSV written from a sheet.
    Sheet {
        /// (first CSV line of a record, its sheet row), in order; the header first.
        rows: Vec<(u64, u64)>,
        /// 0-based sheet column of the table's first column.
        first_column: u32,
    },
}

/// An opened microdata file: the UTF-8 CSV byte stream for the reader, the label to name it
/// by in errors, and what is needed to report errors in the file's own terms.
pub struct MicrodataInput {
    /// UTF-8 CSV bytes with a header row.
    pub reader: Box<dyn Read + Send>,
    /// The file name (with `(sheet NAME)` for a workbook of several sheets), as in every
    /// other table's errors.
    pub label: String,
    /// What the error is put back through; kept apart from `reader`, which the reader
    /// consumes.
    pub locator: Locator,
}

/// Puts reader errors back in the file's terms (see [`Locator::locate`]).
#[derive(Debug, Clone, Default)]
pub struct Locator {
    label: String,
    origin: Origin,
    /// A decoding error found by the transcoder (the reader only sees an I/O error).
    decode_error: Arc<Mutex<Option<Error>>>,
}

impl Locator {
    /// The error to report for `e`, returned by the reader: a decoding error of the
    /// transcoder replaces it; for a sheet, CSV lines become sheet rows (also where the
    /// message cites `line N`) and column numbers count from the sheet's column A.
    pub fn locate(&self, e: Error) -> Error {
        if let Some(decoding) = self.decode_error.lock().ok().and_then(|mut s| s.take()) {
            return decoding;
        }
        let Origin::Sheet { rows, first_column } = &self.origin else {
            return e;
        };
        match e {
            Error::Input {
                mut location,
                message,
            } if location.file == self.label => {
                location.line = location.line.and_then(|l| sheet_row(rows, l));
                if let Some(c) = &location.column {
                    location.column = Some(shift_column(c, *first_column));
                }
                Error::Input {
                    location,
                    message: crate::model::Text::new(
                        map_cited_lines(&message.zh, rows, "第", "行"),
                        map_cited_lines(&message.en, rows, "line ", ""),
                    ),
                }
            }
            e => e,
        }
    }
}

/// Sheet row of CSV line `line` (0, the reader's "unknown", is no line).
fn sheet_row(rows: &[(u64, u64)], line: u64) -> Option<u64> {
    if line == 0 {
        return None;
    }
    let i = rows.partition_point(|&(csv, _)| csv <= line);
    match i {
        0 => Some(line),
        _ => Some(rows[i - 1].1),
    }
}

/// `3 (weight)` → `5 (weight)` for a table that starts in column C.
fn shift_column(column: &str, first_column: u32) -> String {
    let digits = column.bytes().take_while(u8::is_ascii_digit).count();
    match column[..digits].parse::<u64>() {
        Ok(n) if digits > 0 => format!("{}{}", n + u64::from(first_column), &column[digits..]),
        _ => column.to_string(),
    }
}

/// Replaces every `line N` in a message by the sheet row of CSV line N.
fn map_cited_lines(message: &str, rows: &[(u64, u64)], key: &str, unit: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(key) {
        let after = &rest[i + key.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..i + key.len()]);
        match after[..digits]
            .parse::<u64>()
            .ok()
            .and_then(|l| sheet_row(rows, l))
        {
            Some(row) if digits > 0 && after[digits..].starts_with(unit) => {
                out.push_str(&row.to_string())
            }
            _ => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Opens the microdata file `path` (see the module documentation); `progress` wraps the
/// file's bytes (the progress bar).
pub fn open_microdata<F>(path: &Path, read: &ReadOptions, progress: F) -> Result<MicrodataInput>
where
    F: FnOnce(std::fs::File, u64) -> Box<dyn Read + Send>,
{
    let label = path.display().to_string();
    let io = |source: io::Error| Error::Io {
        path: label.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(Error::input(
            Location::file(&label),
            text!(
                "这是一个目录：应为微观数据文件",
                "is a directory: expected a microdata file"
            ),
        ));
    }
    let mut file = progress(file, meta.len());
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    (&mut file)
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.len() < SNIFF_BYTES as usize && head.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(
            Location::at(&label, 1),
            text!(
                "文件为空：应先有一行列名表头（如 stratum,psu,weight 和各得分列），再每位受访者一行",
                "the file is empty: expected a header row naming the microdata columns (e.g. stratum,psu,weight and the score columns), then one row per respondent"
            ),
        ));
    }
    if is_spreadsheet(&head) {
        return open_sheet(&label, head, file, read);
    }
    // NUL bytes are left to the reader, as before (a fuzzed file with a NUL inside a cell
    // still reads); a binary file fails the UTF-8 and GBK checks below.
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    let locator = Locator {
        label: label.clone(),
        ..Locator::default()
    };
    let rest = io::Cursor::new(head);
    let encoding = if rest.get_ref().starts_with(b"\xEF\xBB\xBF") {
        // A UTF-8 byte-order mark is explicit: it wins over --encoding, as for tables.
        None
    } else if utf16 && read.encoding == TextEncoding::Auto {
        Some((
            if rest.get_ref().starts_with(b"\xFF\xFE") {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            },
            Malformed::Text(
                "文件以 UTF-16 字节顺序标记开头，却不是有效的 UTF-16；请另存为“CSV UTF-8”",
                "the file starts with a UTF-16 byte-order mark but is not valid UTF-16; save it as \"CSV UTF-8\"",
            ),
        ))
    } else {
        match read.encoding {
            TextEncoding::Gb18030 => Some((encoding_rs::GB18030, ReadProblem::NotGbk.into())),
            TextEncoding::Utf8 => {
                if let Some(end) = first_invalid_utf8_line(rest.get_ref()) {
                    // The message of every table read with --encoding utf-8.
                    return Err(
                        decode_text(&label, &rest.get_ref()[..end], TextEncoding::Utf8)
                            .err()
                            .unwrap_or_else(|| {
                                Error::input(
                                    Location::file(&label),
                                    text!("应为 UTF-8 文本", "expected UTF-8 text"),
                                )
                            }),
                    );
                }
                None
            }
            TextEncoding::Auto => looks_like_gb18030(rest.get_ref())
                .then_some((encoding_rs::GB18030, ReadProblem::NeitherUtf8NorGbk.into())),
        }
    };
    let reader: Box<dyn Read + Send> = match encoding {
        None => Box::new(rest.chain(file)),
        Some((enc, problem)) => Box::new(Transcoder::new(
            rest.chain(file),
            enc,
            label.clone(),
            problem,
            Arc::clone(&locator.decode_error),
        )),
    };
    Ok(MicrodataInput {
        reader,
        label,
        locator,
    })
}

/// Whether a file that starts with `chunk` is read as GBK/GB18030 without `--encoding`:
/// the chunk is not UTF-8, and either it is GB18030 throughout or its header line is not
/// UTF-8. A file whose UTF-8 header is followed by bytes that are neither (a damaged or
/// fuzzed cell) is handed to the reader as it is, as before.
fn looks_like_gb18030(chunk: &[u8]) -> bool {
    if first_invalid_utf8_line(chunk).is_none() {
        return false;
    }
    let header_end = chunk
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(chunk.len());
    if first_invalid_utf8_line(&chunk[..header_end]).is_some() {
        return true;
    }
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = vec![0; decoder.max_utf8_buffer_length(chunk.len()).unwrap_or(0)];
    // Not the last buffer: a sequence cut by the chunk's end is no error.
    let (result, _, _) = decoder.decode_to_utf8_without_replacement(chunk, &mut out, false);
    !matches!(result, encoding_rs::DecoderResult::Malformed(..))
}

/// End of the line holding the first byte that is not UTF-8 (a character cut by the end of
/// the chunk is no error); `None` when the chunk is UTF-8.
fn first_invalid_utf8_line(chunk: &[u8]) -> Option<usize> {
    let bytes = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
    let offset = chunk.len() - bytes.len();
    match std::str::from_utf8(bytes) {
        Ok(_) => None,
        Err(e) if e.error_len().is_none() => None,
        Err(e) => {
            let at = offset + e.valid_up_to();
            Some(
                chunk[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(chunk.len(), |n| at + n),
            )
        }
    }
}

/// Reads a workbook's sheet (the whole file, at most [`MAX_XLSX_BYTES`]) and writes it as
/// CSV: the header, then every non-empty row padded to the header's width.
fn open_sheet(
    label: &str,
    mut bytes: Vec<u8>,
    file: Box<dyn Read + Send>,
    read: &ReadOptions,
) -> Result<MicrodataInput> {
    let io = |source: io::Error| Error::Io {
        path: label.to_string(),
        source,
    };
    file.take(MAX_XLSX_BYTES + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_XLSX_BYTES {
        return Err(Error::input(
            Location::file(label),
            text!(
"工作簿超过 {} MB，超出 litmon 从 .xlsx 微观数据读取的上限：请将该表另存为 CSV UTF-8（CSV 微观数据按流读取，大小不限）",
"the workbook is larger than {} MB, the most litmon reads from an .xlsx microdata file: save the sheet as CSV UTF-8 (CSV microdata is read as a stream, of any size)",
                MAX_XLSX_BYTES >> 20
            ),
        ));
    }
    let table = RawTable::from_spreadsheet(label, &bytes, read.sheet.as_deref())?;
    drop(bytes);
    let width = table.headers.len();
    let mut out = csv::WriterBuilder::new()
        .flexible(false)
        .from_writer(Vec::new());
    let written = |e: csv::Error| {
        let e = e.to_string();
        Error::input(
            Location::file(&table.label),
            text!("无法转成 CSV：{e}", "cannot convert to CSV: {e}"),
        )
    };
    let mut rows = Vec::with_capacity(table.rows.len() + 1);
    let mut csv_line = 1u64;
    let mut record = |cells: &mut dyn Iterator<Item = &str>,
                      sheet_row: u64,
                      out: &mut csv::Writer<Vec<u8>>|
     -> Result<()> {
        rows.push((csv_line, sheet_row));
        let mut newlines = 0;
        let mut fields = Vec::with_capacity(width);
        for c in cells {
            newlines += c.bytes().filter(|&b| b == b'\n').count() as u64;
            fields.push(c);
        }
        csv_line += 1 + newlines;
        out.write_record(&fields).map_err(written)
    };
    record(
        &mut table.headers.iter().map(String::as_str),
        table.header_line,
        &mut out,
    )?;
    for r in &table.rows {
        let mut cells = (0..width).map(|c| r.cells.get(c).map_or("", String::as_str));
        record(&mut cells, r.line, &mut out)?;
    }
    let csv = out.into_inner().map_err(|e| {
        let e = e.to_string();
        Error::input(
            Location::file(&table.label),
            text!("无法转成 CSV：{e}", "cannot convert to CSV: {e}"),
        )
    })?;
    Ok(MicrodataInput {
        reader: Box::new(io::Cursor::new(csv)),
        label: table.label.clone(),
        locator: Locator {
            label: table.label,
            origin: Origin::Sheet {
                rows,
                first_column: table.first_column,
            },
            decode_error: Arc::default(),
        },
    })
}

/// A streaming decoder from a legacy encoding (GB18030 and so GBK; UTF-16) to UTF-8. A
/// malformed sequence stops it: the error, with the line it is on, goes to `slot` and the
/// reader sees an I/O error of kind `InvalidData`.
struct Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_pos: usize,
    in_len: usize,
    output: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    /// The inner reader is exhausted.
    eof: bool,
    /// The decoder has been given its last buffer.
    finished: bool,
    /// Line breaks in the output handed out so far.
    lines: u64,
    label: String,
    problem: Malformed,
    slot: Arc<Mutex<Option<Error>>>,
}

/// What the transcoder reports when the bytes are not in its encoding.
#[derive(Debug, Clone)]
enum Malformed {
    /// A problem a reading option solves (the encoding).
    Read(ReadProblem),
    /// Any other, in words (Chinese, English).
    Text(&'static str, &'static str),
}

impl From<ReadProblem> for Malformed {
    fn from(p: ReadProblem) -> Self {
        Malformed::Read(p)
    }
}

/// Bytes read from the file at a time by the transcoder.
const TRANSCODE_CHUNK: usize = 256 << 10;

impl<R: Read> Transcoder<R> {
    fn new(
        inner: R,
        encoding: &'static encoding_rs::Encoding,
        label: String,
        problem: Malformed,
        slot: Arc<Mutex<Option<Error>>>,
    ) -> Self {
        let decoder = encoding.new_decoder_with_bom_removal();
        let out_cap = decoder
            .max_utf8_buffer_length(TRANSCODE_CHUNK)
            .unwrap_or(4 * TRANSCODE_CHUNK);
        Transcoder {
            inner,
            decoder,
            input: vec![0; TRANSCODE_CHUNK],
            in_pos: 0,
            in_len: 0,
            output: vec![0; out_cap],
            out_pos: 0,
            out_len: 0,
            eof: false,
            finished: false,
            lines: 0,
            label,
            problem,
            slot,
        }
    }

    /// Decodes until there is output, or the end.
    fn fill(&mut self) -> io::Result<()> {
        while self.out_pos == self.out_len && !self.finished {
            if self.in_pos == self.in_len && !self.eof {
                self.in_pos = 0;
                self.in_len = 0;
                loop {
                    match self.inner.read(&mut self.input) {
                        Ok(n) => {
                            self.in_len = n;
                            self.eof = n == 0;
                            break;
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                }
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.in_pos..self.in_len],
                &mut self.output,
                self.eof,
            );
            self.in_pos += read;
            self.out_pos = 0;
            self.out_len = written;
            match result {
                encoding_rs::DecoderResult::Malformed(..) => {
                    let line = self.lines
                        + 1
                        + self.output[..written]
                            .iter()
                            .filter(|&&b| b == b'\n')
                            .count() as u64;
                    let location = Location::at(&self.label, line);
                    let e = match &self.problem {
                        Malformed::Read(problem) => Error::Read {
                            location,
                            problem: problem.clone(),
                        },
                        Malformed::Text(zh, en) => {
                            Error::input(location, crate::model::Text::new(*zh, *en))
                        }
                    };
                    let text = e.to_string();
                    if let Ok(mut slot) = self.slot.lock() {
                        *slot = Some(e);
                    }
                    self.out_len = 0;
                    self.finished = true;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, text));
                }
                encoding_rs::DecoderResult::InputEmpty => {
                    if self.eof {
                        self.finished = true;
                    }
                }
                encoding_rs::DecoderResult::OutputFull => {}
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.fill()?;
        let n = (self.out_len - self.out_pos).min(buf.len());
        let chunk = &self.output[self.out_pos..self.out_pos + n];
        buf[..n].copy_from_slice(chunk);
        self.lines += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcode(bytes: &[u8], chunk: usize) -> io::Result<String> {
        let slot = Arc::default();
        let mut t = Transcoder::new(
            bytes,
            encoding_rs::GB18030,
            "f.csv".into(),
            Malformed::Text("坏", "bad"),
            Arc::clone(&slot),
        );
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = t.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        Ok(String::from_utf8(out).expect("utf-8"))
    }

    #[test]
    fn gbk_is_transcoded_in_any_chunk_size() {
        let gbk = b"\xb5\xd8\xc7\xf8,n\n\xce\xda\xba\xa3,2022\n";
        for chunk in [1, 2, 3, 7, 4096] {
            assert_eq!(transcode(gbk, chunk).unwrap(), "地区,n\n乌海,2022\n");
        }
    }

    #[test]
    fn a_malformed_sequence_names_its_line() {
        let slot = Arc::default();
        let mut t = Transcoder::new(
            &b"a\nb\n\xff\xff\n"[..],
            encoding_rs::GB18030,
            "f.csv".into(),
            Malformed::Text("坏字节", "bad bytes"),
            Arc::clone(&slot),
        );
        let mut out = Vec::new();
        assert!(t.read_to_end(&mut out).is_err());
        let e = slot.lock().unwrap().take().expect("error kept");
        assert_eq!(e.to_string(), "f.csv:3: bad bytes");
    }

    #[test]
    fn gbk_is_detected_from_the_first_chunk() {
        assert!(!looks_like_gb18030("地区,n\n乌海,1\n".as_bytes()));
        assert!(looks_like_gb18030(
            b"\xb5\xd8\xc7\xf8,n\n\xce\xda\xba\xa3,1\n"
        ));
        // GBK values under an ASCII header.
        assert!(looks_like_gb18030(b"id,n\n\xce\xda\xba\xa3,1\n"));
        // A GBK header with a damaged byte below: GBK, the transcoder names the line.
        assert!(looks_like_gb18030(b"\xb5\xd8\xc7\xf8,n\n\xff\xff,1\n"));
        // An ASCII header over bytes that are neither: left to the reader, as before.
        assert!(!looks_like_gb18030(b"id,n\n\xd7,1\n"));
        // A GBK character cut by the end of the chunk is no error.
        assert!(looks_like_gb18030(b"id,n\n\xce\xda\xba"));
    }

    #[test]
    fn sheet_rows_and_columns_replace_csv_lines() {
        // Header on sheet row 3; data rows 4, 6 (row 5 empty), and a two-line cell on row 6.
        let rows = [(1, 3), (2, 4), (3, 6), (5, 7)];
        assert_eq!(sheet_row(&rows, 1), Some(3));
        assert_eq!(sheet_row(&rows, 3), Some(6));
        assert_eq!(sheet_row(&rows, 4), Some(6));
        assert_eq!(sheet_row(&rows, 5), Some(7));
        assert_eq!(sheet_row(&rows, 0), None);
        assert_eq!(shift_column("3 (weight)", 2), "5 (weight)");
        assert_eq!(shift_column("weight", 2), "weight");
        assert_eq!(
            map_cited_lines("fpc: 40 on line 2, found 3", &rows, "line ", ""),
            "fpc: 40 on line 4, found 3"
        );
    }
}

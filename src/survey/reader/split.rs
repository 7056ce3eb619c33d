//! Cutting a CSV byte stream into blocks of whole records, and walking the records of a block.
//!
//! A block is cut at the last record end inside it, so blocks can be parsed independently
//! (and in parallel). Most microdata hold no quotes: a *plain* block (no `"`, no carriage
//! return other than before a line feed) is split at line feeds and commas directly; any other
//! block is cut and parsed by `csv-core`/`csv`, with the same RFC 4180 rules as before.

use std::io::Read;

use memchr::{memchr, memchr_iter, memrchr};

/// Target block size: large enough that merging the blocks' partial sums costs little, small
/// enough that a few blocks in flight stay far below the memory goal.
pub(super) const BLOCK_BYTES: usize = 4 << 20;

/// Whole records cut from the stream.
pub(super) struct Block {
    /// The records' bytes (terminators included).
    pub bytes: Vec<u8>,
    /// No quote and no lone carriage return: fields are split at commas, records at `\n`.
    pub plain: bool,
}

/// Reads blocks of whole records from a byte stream.
pub(super) struct Splitter<R> {
    inner: R,
    /// Bytes read but not yet handed out (the start of an unfinished record).
    carry: Vec<u8>,
    eof: bool,
    block: usize,
}

impl<R: Read> Splitter<R> {
    pub(super) fn new(inner: R, block: usize) -> Self {
        Splitter {
            inner,
            carry: Vec::new(),
            eof: false,
            block: block.max(1),
        }
    }

    /// Reads until `carry` holds at least `want` bytes or the stream ends.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        while !self.eof && self.carry.len() < want {
            let start = self.carry.len();
            self.carry.resize(want, 0);
            let n = loop {
                match self.inner.read(&mut self.carry[start..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.carry.truncate(start);
                        return Err(e);
                    }
                }
            };
            self.carry.truncate(start + n);
            if n == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// The header record (a UTF-8 byte order mark removed), with its terminator.
    pub(super) fn header(&mut self) -> std::io::Result<Vec<u8>> {
        let mut want = self.block.min(1 << 16);
        loop {
            self.fill(want)?;
            if self.carry.starts_with(b"\xEF\xBB\xBF") {
                self.carry.drain(..3);
            }
            let end = if is_plain(&self.carry) {
                memchr(b'\n', &self.carry).map(|i| i + 1)
            } else {
                record_ends(&self.carry, 1).first().copied()
            };
            match end {
                Some(e) => return Ok(self.carry.drain(..e).collect()),
                None if self.eof => return Ok(std::mem::take(&mut self.carry)),
                None => want = self.carry.len() * 2,
            }
        }
    }

    /// The next block of whole records, `None` at the end of the stream.
    pub(super) fn next_block(&mut self) -> std::io::Result<Option<Block>> {
        let mut want = self.block;
        loop {
            self.fill(want)?;
            if self.carry.is_empty() {
                return Ok(None);
            }
            let plain = is_plain(&self.carry);
            let cut = if self.eof {
                Some(self.carry.len())
            } else if plain {
                memrchr(b'\n', &self.carry).map(|i| i + 1)
            } else {
                record_ends(&self.carry, usize::MAX).last().copied()
            };
            match cut {
                Some(c) if c > 0 => {
                    let rest = self.carry.split_off(c);
                    let bytes = std::mem::replace(&mut self.carry, rest);
                    self.carry.reserve(self.block);
                    let plain = plain || is_plain(&bytes);
                    return Ok(Some(Block { bytes, plain }));
                }
                // One record longer than the block: read on.
                _ => want = self.carry.len() * 2,
            }
        }
    }
}

/// No quote, and every carriage return directly before a line feed (or at the very end, where
/// its line feed may follow in the next read).
fn is_plain(bytes: &[u8]) -> bool {
    memchr(b'"', bytes).is_none()
        && memchr_iter(b'\r', bytes).all(|i| i + 1 == bytes.len() || bytes[i + 1] == b'\n')
}

/// Offsets just past the first `limit` complete records of `bytes` (RFC 4180, as `csv`).
fn record_ends(bytes: &[u8], limit: usize) -> Vec<usize> {
    let mut rdr = csv_core::Reader::new();
    let mut out = vec![0u8; 1 << 14];
    let mut ends = vec![0usize; 1 << 10];
    let mut pos = 0;
    let mut found = Vec::new();
    while found.len() < limit {
        let (res, nin, _, _) = rdr.read_record(&bytes[pos..], &mut out, &mut ends);
        pos += nin;
        match res {
            csv_core::ReadRecordResult::Record => found.push(pos),
            csv_core::ReadRecordResult::OutputFull | csv_core::ReadRecordResult::OutputEndsFull => {
            }
            csv_core::ReadRecordResult::InputEmpty | csv_core::ReadRecordResult::End => break,
        }
    }
    found
}

/// One record's fields, as byte spans of `data`.
pub(super) struct Record<'a> {
    data: &'a [u8],
    spans: &'a [(u32, u32)],
}

impl<'a> Record<'a> {
    /// Field `c` (empty when the record is shorter).
    pub(super) fn field(&self, c: usize) -> &'a [u8] {
        self.spans
            .get(c)
            .map_or(&[][..], |&(a, b)| &self.data[a as usize..b as usize])
    }

    /// Number of fields.
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }
}

/// A record that could not be read (broken quoting), at a 0-based line of its block.
pub(super) struct Broken {
    pub line: u64,
    pub message: String,
}

/// Calls `f(record, line)` for each record of `block` in order; `line` counts the line feeds
/// before the record within the block (0-based). Blank lines are skipped, as `csv` does.
/// Stops at the first `Err` of `f` and returns it.
pub(super) fn for_each_record<E>(
    block: &Block,
    mut f: impl FnMut(&Record<'_>, u64) -> Result<(), E>,
    broken: impl Fn(Broken) -> E,
) -> Result<(), E> {
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(32);
    if block.plain {
        // One scan for commas and line feeds over the whole block.
        let bytes = &block.bytes[..];
        let mut line = 0u64;
        let mut start = 0usize;
        let mut field = 0usize;
        let mut emit = |start: usize, end: usize, spans: &mut Vec<(u32, u32)>, line: u64| {
            let mut text = &bytes[start..end];
            if let [head @ .., b'\r'] = text {
                text = head;
                if let Some(last) = spans.last_mut() {
                    last.1 = last.1.min(text.len() as u32);
                }
            }
            if text.is_empty() {
                return Ok(());
            }
            f(&Record { data: text, spans }, line)
        };
        // Delimiters come every few bytes: a plain loop beats a vectorised search here.
        for (i, &c) in bytes.iter().enumerate() {
            if c != b',' && c != b'\n' {
                continue;
            }
            if c == b',' {
                spans.push(((field - start) as u32, (i - start) as u32));
                field = i + 1;
            } else {
                spans.push(((field - start) as u32, (i - start) as u32));
                emit(start, i, &mut spans, line)?;
                spans.clear();
                line += 1;
                start = i + 1;
                field = start;
            }
        }
        if start < bytes.len() {
            spans.push(((field - start) as u32, (bytes.len() - start) as u32));
            emit(start, bytes.len(), &mut spans, line)?;
        }
        return Ok(());
    }
    // `csv` counts a CRLF's line feed into the next record's line: count line feeds up to
    // each record's first byte instead.
    let bytes = &block.bytes[..];
    let mut counted = (0usize, 0u64);
    let mut line_at = |byte: u64| {
        let mut start = (byte as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= counted.0 {
            counted = (start, counted.1 + line_feeds(&bytes[counted.0..start]));
        }
        counted.1
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                return Err(broken(Broken {
                    line,
                    message: e.to_string(),
                }));
            }
        }
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        spans.clear();
        let mut a = 0u32;
        for fld in record.iter() {
            spans.push((a, a + fld.len() as u32));
            a += fld.len() as u32;
        }
        f(
            &Record {
                data: record.as_slice(),
                spans: &spans,
            },
            line,
        )?;
    }
}

/// Line feeds in `bytes`.
pub(super) fn line_feeds(bytes: &[u8]) -> u64 {
    memchr_iter(b'\n', bytes).count() as u64
}

/// Powers of ten exactly representable as f64.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Parses a number (surrounding spaces allowed); `None` when empty or not a number.
///
/// Plain decimals `ddd.ddd` of at most 15 digits take Clinger's fast path: the digits m and
/// 10^f are exact doubles, so m / 10^f is the correctly rounded value — the same double as
/// `str::parse` (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990).
/// Everything else goes to `str::parse::<f64>`.
pub(super) fn parse_num(b: &[u8]) -> Option<f64> {
    if let Some(v) = plain_decimal(b) {
        return Some(v);
    }
    let s = std::str::from_utf8(b).ok()?.trim();
    if s.is_empty() {
        return None;
    }
    s.parse::<f64>().ok()
}

fn plain_decimal(b: &[u8]) -> Option<f64> {
    if b.is_empty() || b.len() > 16 {
        return None;
    }
    let mut m: u64 = 0;
    let mut digits = 0usize;
    let mut dot: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(c - b'0');
                digits += 1;
            }
            b'.' if dot.is_none() => dot = Some(i),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    let f = dot.map_or(0, |i| b.len() - 1 - i);
    Some(m as f64 / POW10[f])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_decimals_equal_std_parse() {
        for s in [
            "0",
            "1",
            "51.912",
            "0.1",
            "0.3",
            "123456789012345",
            "1.",
            ".5",
            "9.999999999999",
            "007",
            "2660",
            "0.00000000000001",
        ] {
            assert_eq!(parse_num(s.as_bytes()), s.parse::<f64>().ok(), "{s}");
            assert!(plain_decimal(s.as_bytes()).is_some(), "{s}");
        }
        for s in [
            "",
            " 1",
            "-1",
            "1e3",
            "1234567890123456",
            ".",
            "1.2.3",
            "nan",
        ] {
            assert!(plain_decimal(s.as_bytes()).is_none(), "{s}");
        }
        assert_eq!(parse_num(b" 2 "), Some(2.0));
        assert_eq!(parse_num(b"-1.5"), Some(-1.5));
        assert_eq!(parse_num(b" "), None);
    }

    fn blocks(text: &str, size: usize) -> Vec<(String, bool)> {
        let mut s = Splitter::new(text.as_bytes(), size);
        let mut out = vec![(
            String::from_utf8(s.header().expect("header")).expect("utf8"),
            true,
        )];
        while let Some(b) = s.next_block().expect("block") {
            out.push((String::from_utf8(b.bytes).expect("utf8"), b.plain));
        }
        out
    }

    #[test]
    fn blocks_end_at_record_ends() {
        let got = blocks("\u{feff}a,b\n1,2\n3,4\n5,6", 5);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a,b\n", "1,2\n", "3,4\n", "5,6"]);
        // A quoted line feed never ends a block.
        let got = blocks("a,b\n\"x\ny\",2\n3,4\n", 6);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a,b\n", "\"x\ny\",2\n3,4\n"]);
        assert!(!got[1].1, "quoted blocks are not plain");
    }

    #[test]
    fn records_of_plain_and_quoted_blocks_agree() {
        let collect = |bytes: &[u8], plain: bool| {
            let block = Block {
                bytes: bytes.to_vec(),
                plain,
            };
            let mut rows = Vec::new();
            let r: Result<(), String> = for_each_record(
                &block,
                |rec, line| {
                    let fields: Vec<String> = (0..rec.len())
                        .map(|c| String::from_utf8_lossy(rec.field(c)).into_owned())
                        .collect();
                    rows.push((line, fields));
                    Ok(())
                },
                |b| b.message,
            );
            r.expect("records");
            rows
        };
        let text = b"1,2\r\n\r\n3,,4\n5,6";
        assert_eq!(collect(text, true), collect(text, false));
        assert_eq!(
            collect(text, true),
            vec![
                (0, vec!["1".to_string(), "2".to_string()]),
                (2, vec!["3".to_string(), String::new(), "4".to_string()]),
                (3, vec!["5".to_string(), "6".to_string()]),
            ]
        );
    }
}

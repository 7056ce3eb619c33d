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

/// Longest record (line) read: far above any survey row (10,000 replicate columns take about
/// 150 KB), far below what would exhaust memory. A longer one is refused with its line.
pub(super) const MAX_RECORD_BYTES: usize = 16 << 20;

/// The error for a record longer than [`MAX_RECORD_BYTES`] starting at `line`.
fn too_long(line: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "line {line}: a row longer than {} MiB without a line end; expected one respondent \
             per line (is this a CSV file?)",
            MAX_RECORD_BYTES >> 20
        ),
    )
}

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
    /// Buffers of blocks already summed.
    spare: Vec<Vec<u8>>,
    /// Physical lines handed out so far (header and blocks), for messages.
    lines: u64,
}

impl<R: Read> Splitter<R> {
    pub(super) fn new(inner: R, block: usize) -> Self {
        Splitter {
            inner,
            carry: Vec::new(),
            eof: false,
            block: block.max(1),
            spare: Vec::new(),
            lines: 0,
        }
    }

    /// Reads until `carry` holds at least `want` bytes or the stream ends.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        while !self.eof && self.carry.len() < want {
            let need = (want - self.carry.len()) as u64;
            // `read_to_end` reads into the spare capacity without zeroing it first.
            let got = (&mut self.inner).take(need).read_to_end(&mut self.carry)?;
            if got == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// Hands back a block's buffer for reuse (no fresh pages for every block).
    pub(super) fn recycle(&mut self, mut bytes: Vec<u8>) {
        if self.spare.len() < 4 {
            bytes.clear();
            self.spare.push(bytes);
        }
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
                Some(e) if e > MAX_RECORD_BYTES => return Err(too_long(1)),
                Some(e) => {
                    let h: Vec<u8> = self.carry.drain(..e).collect();
                    self.lines += line_feeds(&h);
                    return Ok(h);
                }
                None if self.carry.len() > MAX_RECORD_BYTES => return Err(too_long(1)),
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
            // The carry starts at a line start and grows past the block only while its first
            // line has no end: that line stays within the cap, end of file or not.
            if memchr(b'\n', &self.carry).unwrap_or(self.carry.len()) > MAX_RECORD_BYTES {
                return Err(too_long(self.lines + 1));
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
                    let mut rest = self.spare.pop().unwrap_or_default();
                    rest.extend_from_slice(&self.carry[c..]);
                    self.carry.truncate(c);
                    let bytes = std::mem::replace(&mut self.carry, rest);
                    let plain = plain || is_plain(&bytes);
                    self.lines += line_feeds(&bytes);
                    return Ok(Some(Block { bytes, plain }));
                }
                // One record longer than the block: read on (the cap is checked above).
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

/// One record: its fields separated by one byte each in `data`, `ends[c]` the end of field c.
pub(super) struct Record<'a> {
    data: &'a [u8],
    ends: &'a [u32],
}

impl<'a> Record<'a> {
    /// Field `c` (empty when the record is shorter).
    #[inline]
    pub(super) fn field(&self, c: usize) -> &'a [u8] {
        let Some(&end) = self.ends.get(c) else {
            return &[];
        };
        let start = if c == 0 { 0 } else { self.ends[c - 1] + 1 };
        &self.data[start as usize..end as usize]
    }

    /// Number of fields.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }
}

/// A record that could not be read (broken quoting), at a 0-based line of its block.
pub(super) struct Broken {
    pub line: u64,
    pub message: crate::model::Text,
}

/// Calls `f(record, line)` for each record of `block` in order; `line` counts the line feeds
/// before the record within the block (0-based). Blank lines are skipped, as `csv` does.
/// Stops at the first `Err` of `f` and returns it; otherwise returns the block's line feeds.
pub(super) fn for_each_record<E>(
    block: &Block,
    f: impl FnMut(&Record<'_>, u64) -> Result<(), E>,
    broken: impl Fn(Broken) -> E,
) -> Result<u64, E> {
    if block.plain {
        plain_records(&block.bytes, f)
    } else {
        quoted_records(&block.bytes, f, broken)
    }
}

/// [`for_each_record`] on a plain block: records split at line feeds, fields at commas.
fn plain_records<E>(
    bytes: &[u8],
    mut f: impl FnMut(&Record<'_>, u64) -> Result<(), E>,
) -> Result<u64, E> {
    let mut ends: Vec<u32> = Vec::new();
    let mut start = 0usize;
    let mut line = 0u64;
    while start < bytes.len() {
        // Line feeds are sparse: a vectorised search finds each line.
        let end = memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let mut text = &bytes[start..end];
        if let [head @ .., b'\r'] = text {
            text = head;
        }
        if !text.is_empty() {
            if ends.len() <= text.len() {
                ends.resize(text.len() + 1, 0);
            }
            let slots = &mut ends[..=text.len()];
            let n = comma_positions(text, slots);
            slots[n] = text.len() as u32;
            f(
                &Record {
                    data: text,
                    ends: &slots[..=n],
                },
                line,
            )?;
        }
        line += 1;
        start = end + 1;
    }
    // The last line of the file may lack its line feed.
    Ok(line - u64::from(bytes.last().is_some_and(|&b| b != b'\n')))
}

/// [`for_each_record`] on a block with quotes or lone carriage returns, read by `csv`.
fn quoted_records<E>(
    bytes: &[u8],
    mut f: impl FnMut(&Record<'_>, u64) -> Result<(), E>,
    broken: impl Fn(Broken) -> E,
) -> Result<u64, E> {
    let mut ends: Vec<u32> = Vec::new();
    // `csv` counts a CRLF's line feed into the next record's line: count line feeds up to
    // each record's first byte instead.
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
    if let Some(line) = unclosed_quote(bytes, false) {
        // `csv` would read the rest of the file as one field ("expected 13 fields, found 1").
        return Err(broken(Broken {
            line,
            message: crate::model::Text::new(
                "此行开始的带引号字段没有结束：应有配对的 \"（带引号字段中的引号写作 \"\"）",
                "a quoted field opened on this line is never closed: expected a closing \" (a quote inside a quoted field is written \"\")",
            ),
        }));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut joined: Vec<u8> = Vec::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(line_feeds(bytes)),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                return Err(broken(Broken {
                    line,
                    message: {
                        let e = e.to_string();
                        text!("无法读取此记录：{e}", "cannot read this record: {e}")
                    },
                }));
            }
        }
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        joined.clear();
        ends.clear();
        for fld in record.iter() {
            if !ends.is_empty() {
                joined.push(b',');
            }
            joined.extend_from_slice(fld);
            ends.push(joined.len() as u32);
        }
        f(
            &Record {
                data: &joined,
                ends: &ends,
            },
            line,
        )?;
    }
}

/// The line (0-based: line ends before it) where a quoted field opens that is still open at
/// the end of `bytes`, as `csv` quotes: a `"` opens a field only at its start, `""` inside is
/// a quote. Lines end at `\n`, and also at a lone `\r` when `lone_cr_ends_line` (the table
/// reader's line numbers; the microdata reader counts line feeds). One scanner for both.
pub(crate) fn unclosed_quote(bytes: &[u8], lone_cr_ends_line: bool) -> Option<u64> {
    let (mut line, mut opened) = (0u64, 0u64);
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let newline =
            b == b'\n' || (lone_cr_ends_line && b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                    field_start = false;
                }
            }
        } else {
            match b {
                b'"' if field_start => {
                    quoted = true;
                    opened = line;
                }
                b',' | b'\n' | b'\r' => field_start = true,
                _ => field_start = false,
            }
        }
        line += u64::from(newline);
        i += 1;
    }
    quoted.then_some(opened)
}

/// Writes the position of each comma of `text` into `slots` (at least `text.len()` long) and
/// returns how many there are. Eight bytes at a time: a word's commas are found with one mask
/// (SWAR) and visited bit by bit.
#[inline]
fn comma_positions(text: &[u8], slots: &mut [u32]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COMMAS: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    let mut n = 0usize;
    let words = text.chunks_exact(8);
    let tail = words.remainder();
    for (w, word) in words.enumerate() {
        let x = <[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes) ^ COMMAS;
        // 0x80 exactly in the bytes of x that are zero (the commas).
        let mut m = !(((x & LOW7) + LOW7) | x | LOW7);
        while m != 0 {
            slots[n] = (w * 8) as u32 + m.trailing_zeros() / 8;
            n += 1;
            m &= m - 1;
        }
    }
    let base = text.len() - tail.len();
    for (i, &c) in tail.iter().enumerate() {
        slots[n] = (base + i) as u32;
        n += usize::from(c == b',');
    }
    n
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
    let mut dot = usize::MAX;
    for (i, &c) in b.iter().enumerate() {
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            m = m * 10 + u64::from(d);
        } else if c == b'.' && dot == usize::MAX {
            dot = i;
        } else {
            return None;
        }
    }
    let digits = b.len() - usize::from(dot != usize::MAX);
    if digits == 0 || digits > 15 {
        return None;
    }
    if dot == usize::MAX || dot + 1 == b.len() {
        Some(m as f64)
    } else {
        Some(m as f64 / POW10[b.len() - 1 - dot])
    }
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
            let r: Result<u64, crate::model::Text> = for_each_record(
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
            (r.expect("records"), rows)
        };
        // Three line feeds, the last line without one.
        let text = b"1,2\r\n\r\n3,,4\n5,6";
        assert_eq!(collect(text, true), collect(text, false));
        assert_eq!(collect(text, true).0, 3);
        assert_eq!(collect(b"1,2\n3,4\n", true).0, 2);
        assert_eq!(
            collect(text, true).1,
            vec![
                (0, vec!["1".to_string(), "2".to_string()]),
                (2, vec!["3".to_string(), String::new(), "4".to_string()]),
                (3, vec!["5".to_string(), "6".to_string()]),
            ]
        );
    }
}

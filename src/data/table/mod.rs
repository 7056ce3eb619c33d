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
//!
//! One concept per file: text encodings (`encoding`), the size cap and the choice of
//! reader (`read`), the table and its typed accessors (`raw`), CSV (`csv_text`), XLSX
//! (`xlsx`) and the workbook parts it reads itself (`parts`), title and note rows (`notes`), and numbers as typed (`numbers`).

mod csv_text;
mod encoding;
mod notes;
mod numbers;
mod parts;
mod raw;
mod read;
#[cfg(test)]
mod tests;
mod xlsx;

pub use encoding::{decode_text, TextEncoding};
pub(crate) use notes::line_ranges;
pub use numbers::parse_number;
pub use raw::{RawRow, RawTable, ReadOptions};
pub(crate) use read::read_bytes;
pub use read::{is_spreadsheet, read_table, table_from_bytes, MAX_INPUT_BYTES};

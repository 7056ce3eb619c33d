//! The JSON writer: an array of objects with the CSV's field names in the CSV's column
//! order, printed by `serde_json`'s pretty printer (two-space indent). Numbers stay numbers
//! (15 significant digits, as in CSV), empty cells are null.
//!
//! Each row is serialised as a map streamed field by field ([`serde::ser::SerializeMap`]),
//! so the column order is kept without collecting a `serde_json::Map`: the crate does not
//! need serde_json's `preserve_order` feature (which would change the key order of every
//! other `serde_json::Map` in the crate), and a table with two columns of one name keeps
//! both, as the hand-written printer before it did.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::error::Result;
use crate::model::format::significant_15;
use crate::output::cell::Cell;
use crate::output::table::{Table, TableWriter};

/// JSON with every column but the terminal-only ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl TableWriter for Json {
    fn write(&self, table: &Table) -> Result<Vec<u8>> {
        Ok(table.to_json().into_bytes())
    }
}

impl Table {
    /// A JSON array of objects with the CSV's field names in the CSV's column order;
    /// numbers stay numbers, empty cells are null. Laid out as `serde_json`'s pretty
    /// printer does (two-space indent), with a final line break.
    pub fn to_json(&self) -> String {
        let table = self.for_files();
        // Serialising strings and numbers into a String cannot fail.
        let mut s = serde_json::to_string_pretty(&Rows(&table)).unwrap_or_else(|_| "[]".into());
        s.push('\n');
        s
    }
}

/// The rows of a table as a JSON array.
struct Rows<'a>(&'a Table);

/// One row as a JSON object.
struct Row<'a>(&'a Table, &'a [Cell]);

/// One cell as a JSON value.
struct Value<'a>(&'a Cell);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            seq.serialize_element(&Row(self.0, row))?;
        }
        seq.end()
    }
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (column, cell) in self.0.columns.iter().zip(self.1) {
            map.serialize_entry(column.name, &Value(cell))?;
        }
        map.end()
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Text(t) => s.serialize_str(t),
            Cell::Int(i) => s.serialize_i64(*i),
            Cell::Num(x) => match serde_json::Number::from_f64(significant_15(*x)) {
                Some(n) => n.serialize(s),
                None => s.serialize_unit(),
            },
            Cell::Empty => s.serialize_unit(),
        }
    }
}

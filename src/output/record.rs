//! Output rows as serde records: a row type derives [`serde::Serialize`] and its fields, in
//! declaration order, are the table's columns; so each column contract is written once, in
//! the row type.
//!
//! The mapping of field types to [`Cell`]s:
//!
//! | field | cell |
//! |---|---|
//! | integers (`i32`, `usize`, …) | [`Cell::Int`] |
//! | `f64`, `f32` | [`Cell::Num`], or [`Cell::Empty`] when not finite |
//! | `String`, `&str`, `char`, unit enum variants | [`Cell::text`] (empty text is an empty cell) |
//! | `None`, `()` | [`Cell::Empty`] |
//! | `Some(v)`, newtype structs | the cell of `v` |
//! | a nested struct | its fields, inlined as columns in place |
//!
//! Anything else (sequences, maps, booleans, bytes, data-carrying enum variants) has no
//! single-cell form and is refused with a [`RecordError`]. Fields that are not columns carry
//! `#[serde(skip)]`.

use serde::ser::{self, Impossible, Serialize};

pub use crate::error::RecordError;
use crate::output::cell::Cell;
use crate::output::table::Table;

impl ser::Error for RecordError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        RecordError(msg.to_string())
    }
}

/// The columns and cells of one record, in field order (nested structs inlined).
pub fn record_cells<R: Serialize>(row: &R) -> Result<Vec<(&'static str, Cell)>, RecordError> {
    match row.serialize(CellSerializer)? {
        Value::Fields(fields) => Ok(fields),
        Value::Cell(_) => Err(RecordError("a row must be a struct".into())),
    }
}

impl Table {
    /// A table of `rows`, one column per field of `R` ([`record_cells`]); the columns of an
    /// empty table are those of `R::default()`.
    ///
    /// ```
    /// use litmon::output::{Cell, Table};
    /// #[derive(serde::Serialize, Default)]
    /// struct Row<'a> {
    ///     id: &'a str,
    ///     year: i32,
    ///     value: Option<f64>,
    /// }
    /// let t = Table::from_records(&[Row { id: "150300", year: 2025, value: None }]).unwrap();
    /// assert_eq!(t.column_names(), ["id", "year", "value"]);
    /// assert_eq!(t.rows[0], [Cell::Text("150300".into()), Cell::Int(2025), Cell::Empty]);
    /// ```
    pub fn from_records<R: Serialize + Default>(rows: &[R]) -> Result<Table, RecordError> {
        let columns = record_cells(&R::default())?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        let mut t = Table::new(columns);
        for r in rows {
            let cells = record_cells(r)?;
            t.rows.push(cells.into_iter().map(|(_, c)| c).collect());
        }
        Ok(t)
    }
}

/// What a value serialises to: one cell, or the fields of a struct.
enum Value {
    Cell(Cell),
    Fields(Vec<(&'static str, Cell)>),
}

/// Serialises one value to a [`Value`].
struct CellSerializer;

/// Collects the fields of a struct.
struct FieldCollector(Vec<(&'static str, Cell)>);

fn cell(c: Cell) -> Result<Value, RecordError> {
    Ok(Value::Cell(c))
}

fn refused<T>(what: &str) -> Result<T, RecordError> {
    Err(RecordError(format!("{what} has no single-cell form")))
}

impl ser::Serializer for CellSerializer {
    type Ok = Value;
    type Error = RecordError;
    type SerializeSeq = Impossible<Value, RecordError>;
    type SerializeTuple = Impossible<Value, RecordError>;
    type SerializeTupleStruct = Impossible<Value, RecordError>;
    type SerializeTupleVariant = Impossible<Value, RecordError>;
    type SerializeMap = Impossible<Value, RecordError>;
    type SerializeStruct = FieldCollector;
    type SerializeStructVariant = Impossible<Value, RecordError>;

    fn serialize_bool(self, _: bool) -> Result<Value, RecordError> {
        refused("a boolean")
    }
    fn serialize_i8(self, v: i8) -> Result<Value, RecordError> {
        cell(Cell::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, RecordError> {
        cell(Cell::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, RecordError> {
        cell(Cell::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, RecordError> {
        cell(Cell::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, RecordError> {
        cell(Cell::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, RecordError> {
        cell(Cell::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, RecordError> {
        cell(Cell::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, RecordError> {
        i64::try_from(v)
            .map(|i| Value::Cell(Cell::Int(i)))
            .or_else(|_| refused("an integer above 2⁶³ − 1"))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, RecordError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Value, RecordError> {
        cell(Cell::opt_num(Some(v)))
    }
    fn serialize_char(self, v: char) -> Result<Value, RecordError> {
        cell(Cell::text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, RecordError> {
        cell(Cell::text(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Value, RecordError> {
        refused("bytes")
    }
    fn serialize_none(self) -> Result<Value, RecordError> {
        cell(Cell::Empty)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Value, RecordError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, RecordError> {
        cell(Cell::Empty)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, RecordError> {
        cell(Cell::Empty)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, RecordError> {
        cell(Cell::text(variant))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Value, RecordError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Value, RecordError> {
        refused("an enum variant with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, RecordError> {
        refused("a sequence")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, RecordError> {
        refused("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, RecordError> {
        refused("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, RecordError> {
        refused("an enum variant with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, RecordError> {
        refused("a map (or a flattened field)")
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, RecordError> {
        Ok(FieldCollector(Vec::with_capacity(len)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, RecordError> {
        refused("an enum variant with data")
    }
}

impl ser::SerializeStruct for FieldCollector {
    type Ok = Value;
    type Error = RecordError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), RecordError> {
        match value.serialize(CellSerializer)? {
            Value::Cell(c) => self.0.push((key, c)),
            Value::Fields(inner) => self.0.extend(inner),
        }
        Ok(())
    }

    fn end(self) -> Result<Value, RecordError> {
        Ok(Value::Fields(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, Default)]
    struct Inner {
        #[serde(skip)]
        _hidden: i32,
        lo: f64,
        hi: f64,
    }

    #[derive(serde::Serialize, Default)]
    struct Row {
        id: String,
        n: usize,
        share: Option<f64>,
        interval: Inner,
        note: &'static str,
    }

    #[test]
    fn fields_are_columns_in_order_with_nested_structs_inlined() {
        let rows = [Row {
            id: "150300".into(),
            n: 7,
            share: Some(f64::NAN),
            interval: Inner {
                _hidden: 1,
                lo: 9.5,
                hi: f64::INFINITY,
            },
            note: "",
        }];
        let t = Table::from_records(&rows).unwrap();
        assert_eq!(t.column_names(), ["id", "n", "share", "lo", "hi", "note"]);
        assert_eq!(
            t.rows[0],
            [
                Cell::Text("150300".into()),
                Cell::Int(7),
                Cell::Empty,
                Cell::Num(9.5),
                Cell::Empty,
                Cell::Empty
            ]
        );
        let empty = Table::from_records::<Row>(&[]).unwrap();
        assert_eq!(empty.column_names(), t.column_names());
        assert!(empty.rows.is_empty());
    }

    #[test]
    fn values_without_a_cell_form_are_refused() {
        #[derive(serde::Serialize, Default)]
        struct Bad {
            list: Vec<i32>,
        }
        let err = Table::from_records(&[Bad { list: vec![1] }]).unwrap_err();
        assert!(err.to_string().contains("sequence"), "{err}");
        assert!(record_cells(&3_i32).is_err());
        assert!(record_cells(&u64::MAX).is_err());
    }
}

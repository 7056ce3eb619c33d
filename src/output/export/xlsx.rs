//! The XLSX writer: one sheet per table, header row bold and frozen, numbers stored as
//! numbers. XLSX keeps the CSV's numbers as numbers (9.8 stays 9.8, never text): columns in
//! [`Unit::Percent`] (values in percent, 9.8 = 9.8 %) are displayed `9.80%` through the
//! number format `0.00"%"`, which shows a percent sign without scaling the value; columns
//! in [`Unit::Share`] (probabilities and shares in 0–1) use Excel's own percent format
//! `0.0%`. The workbook's creation date is fixed, so identical tables give byte-identical
//! files.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XFormat, Workbook, Worksheet};

use crate::error::{Error, Result};
use crate::model::format::significant_15;
use crate::output::cell::Cell;
use crate::output::table::{Table, TableWriter, Unit};

/// Excel's longest cell text.
const XLSX_MAX_TEXT: usize = 32_767;
/// Excel's rows per sheet (the header takes one).
const XLSX_MAX_ROWS: usize = 1_048_575;

/// A workbook with the table on one sheet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Xlsx;

impl TableWriter for Xlsx {
    fn write(&self, table: &Table) -> Result<Vec<u8>> {
        table.to_xlsx()
    }
}

impl Table {
    /// A workbook with this table on one sheet.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        workbook_xlsx(&[self])
    }
}

/// The number formats of a workbook: bold headers, percent and share columns.
struct Formats {
    bold: XFormat,
    percent: XFormat,
    share: XFormat,
}

/// One workbook holding several tables, one sheet each (named by [`Table::sheet_name`],
/// else `table`, `table2`…; names are made unique and valid for Excel). Header row bold
/// and frozen; numbers stored as numbers.
pub fn workbook_xlsx(tables: &[&Table]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    // A fixed creation date: identical inputs give byte-identical files.
    let created = ExcelDateTime::from_ymd(2021, 1, 1).map_err(fail)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let formats = Formats {
        bold: XFormat::new().set_bold(),
        percent: XFormat::new().set_num_format("0.00\"%\""),
        share: XFormat::new().set_num_format("0.0%"),
    };
    let mut used: Vec<String> = Vec::new();
    for table in tables {
        let table = table.for_files();
        if table.rows.len() > XLSX_MAX_ROWS {
            return Err(Error::SheetTooLong {
                rows: table.rows.len(),
                limit: XLSX_MAX_ROWS,
            });
        }
        let name = sheet_name(&table.sheet_name, &used);
        used.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name).map_err(fail)?;
        write_sheet(sheet, &table, &name, &formats)?;
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        sheet.autofit();
    }
    if tables.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer().map_err(fail)
}

/// The header row and the rows of `table` on `sheet` (named `name`, for messages).
fn write_sheet(sheet: &mut Worksheet, table: &Table, name: &str, f: &Formats) -> Result<()> {
    // Headers and status words for people: Chinese under `--lang zh` (the terminal
    // view's words); CSV and JSON keep the contract's names and ids.
    for (c, col) in table.columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, table.header_for_people(col.name), &f.bold)
            .map_err(fail)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, (cell, col)) in row.iter().zip(&table.columns).enumerate() {
            let c = c as u16;
            let col_name = col.name;
            match cell {
                Cell::Text(s) => {
                    let n = s.chars().count();
                    if n > XLSX_MAX_TEXT {
                        return Err(Error::usage(text!(
"XLSX：工作表 {name:?} 第 {} 行 {col_name} 列的文本有 {n} 个字符，超过 Excel 每个单元格 {XLSX_MAX_TEXT} 个字符的上限；请改写为 CSV 或 JSON（可保留全文）",
"XLSX: row {} of sheet {name:?}, column {col_name}: a text of {n} \
                             characters, more than Excel's {XLSX_MAX_TEXT} per cell; write \
                             CSV or JSON instead (they keep the whole text)",
                            r + 1
                        )));
                    }
                    sheet
                        .write_string(r, c, table.word_for_people(col_name, s))
                        .map_err(fail)?;
                }
                Cell::Int(i) => {
                    sheet.write_number(r, c, *i as f64).map_err(fail)?;
                }
                Cell::Num(x) if x.is_finite() => {
                    let x = significant_15(*x);
                    match col.unit {
                        Unit::Percent => sheet.write_number_with_format(r, c, x, &f.percent),
                        Unit::Share => sheet.write_number_with_format(r, c, x, &f.share),
                        Unit::Plain => sheet.write_number(r, c, x),
                    }
                    .map_err(fail)?;
                }
                Cell::Num(_) | Cell::Empty => {}
            }
        }
    }
    Ok(())
}

/// A workbook that cannot be written (exit status 1: a runtime failure, not bad input).
fn fail(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Io {
        path: "XLSX workbook".into(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// A valid, unique Excel sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(wanted: &str, used: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let clean = clean.trim_matches('\'').trim().to_string();
    let base = if clean.is_empty() {
        "table".to_string()
    } else {
        clean
    };
    let taken = |n: &str| used.iter().any(|u| u.to_lowercase() == n.to_lowercase());
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| {
            let suffix = i.to_string();
            let head: String = base.chars().take(31 - suffix.len()).collect();
            format!("{head}{suffix}")
        })
        .find(|n| !taken(n))
        .unwrap_or(base)
}

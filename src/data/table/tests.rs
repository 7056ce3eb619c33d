//! Tests of reading tables: numbers, encodings, percent cells, title and note rows, lines.

use super::encoding::*;
use super::notes::*;
use super::numbers::*;
use super::raw::*;
use super::xlsx::*;

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
    let w = strip_trailing_notes("f.csv", "line", &mut rows)
        .unwrap()
        .text();
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

#[test]
fn workbook_xml_is_read_tag_by_tag() {
    use super::parts::{attribute, start_tags, unescape};
    let xml = br#"<sheets><sheet name="R&amp;D" r:id="rId2"/><x:sheet name="no"/><sheet name='B' name="C"></sheet><sheetPr/></sheets>"#;
    let names: Vec<String> = start_tags(xml, b"sheet")
        .filter_map(|t| attribute(&t, b"name"))
        .collect();
    // `<x:sheet>` and `<sheetPr>` are other tags; a repeated attribute gives its first value.
    assert_eq!(names, ["R&amp;D", "B"]);
    assert_eq!(unescape(&names[0]), "R&D");
    assert_eq!(unescape("0.0&#37;"), "0.0%");
    assert_eq!(unescape("a &bogus; b"), "a &bogus; b");
    let first = start_tags(xml, b"sheet").next().expect("a sheet tag");
    assert_eq!(attribute(&first, b"r:id").as_deref(), Some("rId2"));
    assert_eq!(attribute(&first, b"id"), None);
    // A tag cut off midway ends the scan; the tags before it stay.
    assert_eq!(
        start_tags(br#"<row r="1"/><row r="2"/><row r="3"#, b"row").count(),
        2
    );
}

//! Rows around a table as Excel users write them: title rows above the header and note
//! rows (`注：…`, `数据来源：…`) below the data, set aside with a warning.

use super::raw::RawRow;

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
pub(super) fn filled_cells(cells: &[String]) -> usize {
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
) -> Option<crate::error::Diagnostic> {
    let continues = |r: &RawRow| is_note_row(r) || filled_cells(&r.cells) <= 1;
    let tail = rows.iter().rev().take_while(|r| continues(r)).count();
    let start = rows.len() - tail;
    let first_note = start + rows[start..].iter().position(is_note_row)?;
    let lines: Vec<u64> = rows[first_note..].iter().map(|r| r.line).collect();
    rows.truncate(first_note);
    let ranges = line_ranges(&lines);
    let plural = if lines.len() == 1 { "" } else { "s" };
    let message = text!(
        "第 {ranges} 行：表格下方的注释行（注/数据来源/Note…）已忽略",
        "{unit}{plural} {ranges}: note rows under the table ignored (注/数据来源/Note…)"
    );
    Some(
        crate::error::Diagnostic::warning(crate::error::DiagnosticKind::NoteRowsIgnored, message)
            .about(label),
    )
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

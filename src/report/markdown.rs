//! report.md: the [`Document`] as Markdown, with charts linked as `charts/*.png`.

use super::document::{Block, Document, Inline, Medium, ReportTable};

/// Text from the inputs (names, titles, document numbers, sources, narratives) escaped
/// for Markdown, as report.html escapes HTML, so that it always reads as the text it is:
/// `\ ` * [ ] < > | ~ &` are backslash-escaped everywhere (links and images need `[`,
/// inline HTML needs `<`, tables split at `|`), `_` where it could start or end emphasis
/// (not inside a word, as in `ningxia_640000`), and `# - + =` or `1.` at the start, where
/// they would make a heading or a list; line breaks become spaces. `<script>`,
/// `![x](javascript:…)`, `|` and newlines stay text.
pub(crate) fn md(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
    let digits = chars[lead..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    for (i, &c) in chars.iter().enumerate() {
        let word = |k: Option<usize>| {
            k.and_then(|k| chars.get(k))
                .is_some_and(|c| c.is_alphanumeric())
        };
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => true,
            '_' => !(word(i.checked_sub(1)) && word(Some(i + 1))),
            '#' | '-' | '+' | '=' => i == lead,
            '.' | ')' => digits > 0 && i == lead + digits,
            _ => false,
        };
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control() && c != '\t' => out.push('\u{FFFD}'),
            c => {
                if escape {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

/// A source link: an autolink for a plain http(s) address, escaped text otherwise.
fn source_link(s: &str) -> String {
    let plain = (s.starts_with("http://") || s.starts_with("https://"))
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"`\\".contains(c));
    if plain {
        format!("<{s}>")
    } else {
        md(s)
    }
}

impl Document {
    /// report.md, with the charts linked as `charts/<stem>.png`.
    pub fn to_markdown(&self) -> String {
        render(self)
    }
}

/// Renders report.md. The layout is fixed by kind of block: headings start with a blank
/// line; a paragraph or figure is followed by a blank line, or set off by one before it
/// when it follows a list or table; lists and tables are written as they come.
pub fn render(doc: &Document) -> String {
    let mut m = format!("# {}\n\n", doc.title);
    for b in &doc.cover {
        block(&mut m, b);
    }
    for s in &doc.sections {
        m.push_str(&format!("\n## {}\n", inlines(&s.heading)));
        if !s.blocks.is_empty() {
            m.push('\n');
        }
        for b in &s.blocks {
            block(&mut m, b);
        }
        for sub in &s.subsections {
            m.push_str(&format!("\n### {}\n\n", inlines(&sub.heading)));
            for b in &sub.blocks {
                block(&mut m, b);
            }
        }
    }
    m
}

/// A paragraph-like line: followed by a blank line after a blank line, else set off by
/// one before it.
fn line(m: &mut String, text: &str) {
    if m.ends_with("\n\n") {
        m.push_str(text);
        m.push_str("\n\n");
    } else {
        m.push('\n');
        m.push_str(text);
        m.push('\n');
    }
}

fn block(m: &mut String, b: &Block) {
    match b {
        Block::Paragraph { content, .. } => line(m, &inlines(content)),
        // One Markdown paragraph per milestone.
        Block::Narrative(paragraphs) => {
            for p in paragraphs {
                line(m, &md(p));
            }
        }
        Block::Subheading(content) => line(m, &format!("#### {}", inlines(content))),
        Block::StatusCounts(counts) => {
            blank(m);
            for c in counts {
                m.push_str(&format!(
                    "- {} {}：{}\n",
                    c.badge.symbol, c.badge.label, c.count
                ));
            }
        }
        Block::List { items, .. } => {
            blank(m);
            for item in items {
                m.push_str(&format!("- {}\n", inlines(item)));
            }
        }
        Block::Table(t) => table(m, t),
        Block::Figure(f) => line(m, &format!("![{}](charts/{}.png)", md(&f.alt), f.stem)),
        Block::Only(Medium::Markdown, b) => block(m, b),
        Block::Only(Medium::Html, _) => {}
    }
}

/// Sets a list or table off from a paragraph line before it (a blank line).
fn blank(m: &mut String) {
    if !m.ends_with("\n\n") && !m.is_empty() {
        m.push('\n');
    }
}

fn table(m: &mut String, t: &ReportTable) {
    blank(m);
    let headers: Vec<String> = t.columns.iter().map(|c| inlines(&c.header)).collect();
    m.push_str(&format!("| {} |\n|", headers.join(" | ")));
    for _ in &t.columns {
        m.push_str("---|");
    }
    m.push('\n');
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| inlines(c)).collect();
        m.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
}

fn inlines(content: &[Inline]) -> String {
    let mut s = String::new();
    for i in content {
        inline(&mut s, i);
    }
    s
}

fn inline(s: &mut String, i: &Inline) {
    match i {
        Inline::Text(t) | Inline::Aside(t) => s.push_str(&md(t)),
        Inline::Wording(t) => s.push_str(t),
        Inline::Strong(content) => {
            s.push_str("**");
            s.push_str(&inlines(content));
            s.push_str("**");
        }
        Inline::Status(b) => {
            s.push_str(b.symbol);
            s.push(' ');
            s.push_str(b.label);
        }
        Inline::Code(t) => {
            s.push('`');
            s.push_str(t);
            s.push('`');
        }
        Inline::Reference(t) => s.push_str(&source_link(t)),
        Inline::Only(Medium::Markdown, content) => {
            for i in content {
                inline(s, i);
            }
        }
        Inline::Only(Medium::Html, _) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{md, source_link};

    #[test]
    fn input_text_is_escaped_for_markdown() {
        assert_eq!(md("<script>"), "\\<script\\>");
        assert_eq!(md("a|b\nc"), "a\\|b c");
        assert_eq!(
            md("![x](javascript:alert(1))"),
            "!\\[x\\](javascript:alert(1))"
        );
        assert_eq!(md("2025. 目标"), "2025\\. 目标");
        assert_eq!(md("- item"), "\\- item");
        assert_eq!(md("# title"), "\\# title");
        assert_eq!(
            md("乌海市 9.0% --observations a-b"),
            "乌海市 9.0% --observations a-b"
        );
        assert_eq!(
            md("ningxia_640000 _em_ *b*"),
            "ningxia_640000 \\_em\\_ \\*b\\*"
        );
        assert_eq!(
            source_link("https://example.org/a"),
            "<https://example.org/a>"
        );
        assert_eq!(source_link("http://x><script>"), "http://x\\>\\<script\\>");
    }
}

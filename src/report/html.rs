//! report.html: one self-contained file (inline CSS and SVG, no network fetches) that
//! prints cleanly to A4, rendered from the [`Document`] by maud templates, which escape
//! every text they insert; only the stylesheet and the charts' SVG go in verbatim.

use base64::Engine;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::document::{
    Block, ColumnKind, Document, Figure, Inline, ListStyle, Medium, ParagraphStyle, ReportTable,
    Section,
};
use crate::chart::{FONT_BYTES, SVG_FONT_STACK};
use crate::model::Lang;

const CSS: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: FONTSTACK; color: #222; line-height: 1.55; margin: 0 auto; max-width: 1100px; padding: 24px; font-size: 15px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 21px; border-bottom: 2px solid #0072B2; padding-bottom: 4px; margin-top: 34px; }
h3 { font-size: 17px; margin: 26px 0 6px; }
.meta { color: #666; font-size: 13px; }
.badges { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0; }
.badge { border: 1.5px solid; border-radius: 6px; padding: 4px 10px; font-size: 14px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 12.5px; margin: 8px 0 14px; }
th, td { border: 1px solid #ddd; padding: 3px 5px; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #f2f5f8; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; white-space: nowrap; }
.chart { margin: 10px 0 18px; page-break-inside: avoid; break-inside: avoid; }
.chart svg { width: 100%; height: auto; display: block; }
.narrative { background: #f8f9fb; border-left: 4px solid #0072B2; padding: 8px 12px; }
section.plan { page-break-before: auto; }
ul.quality li { margin-bottom: 3px; }
code, .mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; }
thead { display: table-header-group; }
.mono, a { overflow-wrap: anywhere; word-break: break-all; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } .chart { width: 100%; } }
"#;

/// A line break between elements, so that the page's source reads one element a line.
const NL: &str = "\n";

impl Document {
    /// report.html: one self-contained page; `embed_font` inlines the bundled CJK font.
    pub fn to_html(&self, embed_font: bool) -> String {
        render(self, embed_font)
    }
}

/// Renders the whole report.
pub fn render(doc: &Document, embed_font: bool) -> String {
    let mut css = CSS.replace("FONTSTACK", SVG_FONT_STACK);
    if embed_font {
        let b64 = base64::engine::general_purpose::STANDARD.encode(FONT_BYTES);
        css = format!(
            "@font-face {{ font-family: 'WenQuanYi Micro Hei'; src: url(data:font/ttf;base64,{b64}) format('truetype'); }}\n{css}"
        );
    }
    let lang = match doc.lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let page = html! {
        (DOCTYPE) (NL)
        html lang=(lang) {
            (NL)
            head {
                (NL)
                meta charset="utf-8"; (NL)
                meta name="viewport" content="width=device-width, initial-scale=1"; (NL)
                title { (doc.title) } (NL)
                style { (PreEscaped(&css)) } (NL)
            } (NL)
            body {
                (NL)
                h1 { (doc.title) } (NL)
                @for b in &doc.cover { (block(b)) }
                @for s in &doc.sections { (section(s)) }
            } (NL)
        } (NL)
    };
    page.into_string()
}

fn section(s: &Section) -> Markup {
    html! {
        h2 { (inlines(&s.heading)) } (NL)
        @for b in &s.blocks { (block(b)) }
        @for sub in &s.subsections { (subsection(sub)) }
    }
}

/// A plan's subsection.
fn subsection(s: &Section) -> Markup {
    html! {
        section class="plan" id=[s.anchor.as_deref()] {
            (NL)
            h3 { (inlines(&s.heading)) } (NL)
            @for b in &s.blocks { (block(b)) }
        } (NL)
    }
}

fn block(b: &Block) -> Markup {
    match b {
        Block::Paragraph { style, content } => html! {
            @match style {
                ParagraphStyle::Body => p { (inlines(content)) },
                ParagraphStyle::Meta => p class="meta" { (inlines(content)) },
            }
            (NL)
        },
        Block::Narrative(paragraphs) => html! {
            @for para in paragraphs { p class="narrative" { (para) } (NL) }
        },
        Block::Subheading(content) => html! { h4 { (inlines(content)) } (NL) },
        Block::StatusCounts(counts) => html! {
            div class="badges" {
                @for c in counts {
                    span class="badge" style=(format!("border-color:{0};color:{0}", c.badge.colour)) {
                        (c.badge.symbol) " " (c.badge.label) "：" (c.count)
                    }
                }
            }
            (NL)
        },
        Block::List { style, items } => html! {
            @match style {
                ListStyle::Notes => ul class="quality" {
                    (NL)
                    @for item in items { li { (inlines(item)) } (NL) }
                },
                ListStyle::References => ul {
                    (NL)
                    @for item in items { li class="mono" { (inlines(item)) } (NL) }
                },
            }
            (NL)
        },
        Block::Table(t) => table(t),
        Block::Figure(f) => figure(f),
        Block::Only(Medium::Html, b) => block(b),
        Block::Only(Medium::Markdown, _) => html! {},
    }
}

fn table(t: &ReportTable) -> Markup {
    html! {
        table {
            (NL)
            colgroup {
                @for c in &t.columns { col style=(format!("width:{}%", c.width_percent)); }
            }
            (NL)
            thead { tr { @for c in &t.columns { th { (inlines(&c.header)) } } } }
            (NL)
            @for row in &t.rows {
                tr {
                    @for (cell, c) in row.iter().zip(&t.columns) {
                        @match c.kind {
                            ColumnKind::Text => td { (inlines(cell)) },
                            ColumnKind::Number => td class="n" { (inlines(cell)) },
                            ColumnKind::Mono => td class="mono" { (inlines(cell)) },
                        }
                    }
                }
                (NL)
            }
        }
        (NL)
    }
}

fn figure(f: &Figure) -> Markup {
    html! {
        div class="chart" role="img" aria-label=(f.title) { (PreEscaped(&f.svg)) } (NL)
    }
}

fn inlines(content: &[Inline]) -> Markup {
    html! { @for i in content { (inline(i)) } }
}

fn inline(i: &Inline) -> Markup {
    match i {
        Inline::Text(s) | Inline::Wording(s) | Inline::Code(s) | Inline::Reference(s) => {
            html! { (s) }
        }
        Inline::Strong(content) => html! { strong { (inlines(content)) } },
        Inline::Aside(s) => html! { span class="meta" { (s) } },
        Inline::Status(b) => html! {
            span class="status" style=(format!("color:{}", b.colour)) { (b.symbol) " " (b.label) }
        },
        Inline::Only(Medium::Html, content) => inlines(content),
        Inline::Only(Medium::Markdown, _) => html! {},
    }
}

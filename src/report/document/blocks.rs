//! The parts of a report document: sections of blocks (paragraphs, tables, figures, notes,
//! lists) made of inline runs, and the small constructors the builders share.

use crate::assess::style::StatusStyle;
use crate::model::Lang;
use crate::report::types::Report;

/// The writer a piece of content is meant for (see [`Block::Only`] and [`Inline::Only`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// report.html.
    Html,
    /// report.md.
    Markdown,
}

/// The whole report as a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title (litmon's own wording: the kind of evaluation and the as-of year).
    pub title: String,
    /// Language of the text (`lang` of the HTML page).
    pub lang: Lang,
    /// The cover summary under the title: meta line, status counts, jurisdictions at
    /// risk, the dashboard.
    pub cover: Vec<Block>,
    /// The numbered sections.
    pub sections: Vec<Section>,
}

/// A section: a heading, its blocks, then its subsections (the plan sections).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading's text.
    pub heading: Vec<Inline>,
    /// An anchor for links into the section (HTML `id`), if any.
    pub anchor: Option<String>,
    /// The section's content, in order.
    pub blocks: Vec<Block>,
    /// Subsections, after the blocks.
    pub subsections: Vec<Section>,
}

/// A block of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// How it reads: body text or a secondary meta line.
        style: ParagraphStyle,
        /// Its text.
        content: Vec<Inline>,
    },
    /// The evaluation's narrative, one paragraph per milestone (text from the inputs: it
    /// names places and plans). Markdown writes it as one paragraph.
    Narrative(Vec<String>),
    /// A minor heading inside a section.
    Subheading(Vec<Inline>),
    /// How many jurisdictions have each status (the cover's badges).
    StatusCounts(Vec<StatusCount>),
    /// A bulleted list.
    List {
        /// What the items are.
        style: ListStyle,
        /// One run of inlines per item.
        items: Vec<Vec<Inline>>,
    },
    /// A table.
    Table(ReportTable),
    /// A chart.
    Figure(Figure),
    /// Content that only one writer shows.
    Only(Medium, Box<Block>),
}

/// How a paragraph reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphStyle {
    /// Body text.
    Body,
    /// A secondary line (as-of date, plan document, reading notes), set small and grey.
    Meta,
}

/// What the items of a list are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// Notes in words (data quality).
    Notes,
    /// References: citations and web addresses, set in a monospaced font.
    References,
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text that comes from the inputs (names, titles, document numbers, notes): escaped
    /// by every writer so that it always reads as the text it is.
    Text(String),
    /// litmon's own wording and numbers: escaped for HTML by the template engine, written
    /// as is in Markdown (it holds no markup).
    Wording(String),
    /// Emphasised text.
    Strong(Vec<Inline>),
    /// A secondary remark beside the main text (a jurisdiction's code): HTML sets it small
    /// and grey, Markdown writes it as text.
    Aside(String),
    /// A status with its symbol and colour.
    Status(Badge),
    /// A machine value (a checksum): code in Markdown; HTML relies on its column's
    /// monospaced font.
    Code(String),
    /// A source: a plain http(s) address becomes a Markdown autolink; otherwise, and in
    /// HTML, escaped text.
    Reference(String),
    /// Text that only one writer shows.
    Only(Medium, Vec<Inline>),
}

/// A status as the report shows it: symbol (the chart marker's shape), words, colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// A text symbol carrying the marker's shape.
    pub symbol: &'static str,
    /// The status in words, in the report's language.
    pub label: &'static str,
    /// `#rrggbb`.
    pub colour: &'static str,
}

impl Badge {
    pub(super) fn of(style: StatusStyle, lang: Lang) -> Badge {
        Badge {
            symbol: style.symbol,
            label: style.label(lang),
            colour: style.hex,
        }
    }
}

/// A status with the number of jurisdictions that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    /// The status.
    pub badge: Badge,
    /// How many jurisdictions have it.
    pub count: usize,
}

/// A table of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    /// The columns.
    pub columns: Vec<Column>,
    /// Rows of cells, one run of inlines per column.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A column of a [`ReportTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header.
    pub header: Vec<Inline>,
    /// Share of the table's width, in percent (the printed page has a fixed layout).
    pub width_percent: u8,
    /// What its cells hold.
    pub kind: ColumnKind,
}

/// What the cells of a column hold, which sets their alignment and font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Words, left-aligned.
    Text,
    /// Numbers, right-aligned in tabular figures.
    Number,
    /// Machine values (file descriptions, checksums) in a monospaced font.
    Mono,
}

/// A chart of the report, written as `charts/<stem>.png|svg`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem under `charts/`.
    pub stem: String,
    /// The chart's title (the HTML figure's accessible name).
    pub title: String,
    /// Short alternative text (Markdown's image text; input text, escaped).
    pub alt: String,
    /// The chart as SVG, inlined by HTML.
    pub svg: String,
}

pub(super) fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub(super) fn wording(s: impl Into<String>) -> Inline {
    Inline::Wording(s.into())
}

pub(super) fn para(style: ParagraphStyle, content: Vec<Inline>) -> Block {
    Block::Paragraph { style, content }
}

pub(super) fn only(m: Medium, b: Block) -> Block {
    Block::Only(m, Box::new(b))
}

pub(super) fn section(heading: &str) -> Section {
    Section {
        heading: vec![wording(heading)],
        anchor: None,
        blocks: Vec::new(),
        subsections: Vec::new(),
    }
}

pub(super) fn column(header: Vec<Inline>, width_percent: u8, kind: ColumnKind) -> Column {
    Column {
        header,
        width_percent,
        kind,
    }
}

/// The chart `stem` of the report as a figure, if the report has it.
pub(super) fn figure(report: &Report, stem: &str, alt: &str) -> Option<Block> {
    report.charts.iter().find(|c| c.stem == stem).map(|c| {
        Block::Figure(Figure {
            stem: c.stem.clone(),
            title: c.title.clone(),
            alt: alt.to_string(),
            svg: c.svg.text.clone(),
        })
    })
}

//! The report as one document value: a title, a cover summary and numbered sections of
//! blocks (paragraphs, tables, figures, notes, lists) made of inline runs. [`build`] makes
//! every content decision once, from the assessment; the writers only lay it out, one file
//! per format beside this folder: [`Document::to_html`] through the auto-escaping maud
//! templates of `report/html.rs`, [`Document::to_markdown`] through the Markdown writer of
//! `report/markdown.rs`, [`Document::to_docx`] through the WordprocessingML writer of
//! `report/docx/`.
//!
//! [`blocks`]: the parts (sections, blocks, inlines, tables, figures); `outline`: the cover
//! and the numbered sections; `tables`, `plan` and `methods`: the status tables, a plan's
//! subsection and the methods section.
//!
//! Where report.html and report.md have always said different things (the HTML cover
//! counts the jurisdictions, its status table's header says "projected or measured", its
//! sub-indicator table translates the kind, the plan line names the document number or else
//! the issuer…), the difference is explicit in the document as [`Block::Only`] or
//! [`Inline::Only`], so that the refactor leaves both files as they were; unifying them is a
//! decision for the report's readers, not for this module.

pub mod blocks;
mod methods;
mod outline;
mod plan;
mod tables;

pub use blocks::{
    Badge, Block, Column, ColumnKind, Document, Figure, Inline, ListStyle, Medium, ParagraphStyle,
    ReportTable, Section, StatusCount,
};
pub use outline::build;

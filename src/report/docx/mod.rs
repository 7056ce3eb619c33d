//! report.docx: the [`Document`](crate::report::document::Document) as a Word (WordprocessingML) file that Word and WPS open
//! and edit — the title, the sections as Heading 1, the plan sections as Heading 2, minor
//! headings as Heading 3, paragraphs, every table as an editable Word table with a repeated
//! header row (cells hold the same texts as in report.md and report.html), each chart as an
//! inline PNG picture (the PNG written to `charts/`) with a numbered caption, and the
//! lists of notes and sources.
//!
//! Where report.html and report.md differ ([`Medium`](crate::report::document::Medium)), the Word file takes the HTML
//! variant: like report.html it is the printed, fully translated page (the cover counts
//! the jurisdictions, the plan kinds are in the report's language).
//!
//! Fonts are named so that both Word and WPS render Chinese without substitution: body text
//! 宋体 (SimSun) as the East Asian font with Times New Roman for Latin text, headings 黑体
//! (SimHei) with Arial. The page is A4 (11 906 × 16 838 twips) with the margins of a
//! Chinese Word default page: 2.54 cm top and bottom, 3.17 cm left and right.
//!
//! The file is deterministic: every zip entry has the fixed DOS time 1980-01-01 00:00 and
//! mode 0644, and entries are written in a fixed order, so a rerun gives identical bytes.
//!
//! `body`: the document's body (runs, paragraphs, tables, pictures); `styles`: the
//! paragraph and table styles; `package`: the parts of the file and their zip archive.

mod body;
mod package;
mod styles;

pub use body::ChartPng;
pub use package::render;

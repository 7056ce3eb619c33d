//! report.docx: the [`Document`] as a Word (WordprocessingML) file that Word and WPS open
//! and edit — the title, the sections as Heading 1, the plan sections as Heading 2, minor
//! headings as Heading 3, paragraphs, every table as an editable Word table with a repeated
//! header row (cells hold the same texts as in report.md and report.html), each chart as an
//! inline PNG picture (the PNG written to `charts/`) with a numbered caption, and the
//! lists of notes and sources.
//!
//! Where report.html and report.md differ ([`Medium`]), the Word file takes the HTML
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

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use super::document::{
    Block, ColumnKind, Document, Figure, Inline, ListStyle, Medium, ParagraphStyle, ReportTable,
};
use crate::error::{Error, Result};

/// Page width of A4 in twips (210 mm × 1440 / 25.4).
const PAGE_W: u32 = 11_906;
/// Page height of A4 in twips (297 mm × 1440 / 25.4).
const PAGE_H: u32 = 16_838;
/// Top and bottom margin in twips (2.54 cm).
const MARGIN_TB: u32 = 1_440;
/// Left and right margin in twips (3.17 cm).
const MARGIN_LR: u32 = 1_800;
/// Width of the text column in twips.
const TEXT_W: u32 = PAGE_W - 2 * MARGIN_LR;
/// EMU (English metric units, DrawingML) per twip: 914 400 per inch / 1440.
const EMU_PER_TWIP: u64 = 635;
/// EMU per pixel at 96 dpi (914 400 / 96).
const EMU_PER_PX: u64 = 9_525;

/// A chart's PNG as written to `charts/<stem>.png`.
pub struct ChartPng<'a> {
    /// File stem under `charts/`.
    pub stem: &'a str,
    /// The PNG file's bytes.
    pub png: &'a [u8],
}

/// A picture of the package: its relationship id, part name and pixel size.
struct Media {
    stem: String,
    rid: String,
    part: String,
    png: Vec<u8>,
    width_px: u32,
    height_px: u32,
}

/// Width and height in pixels from a PNG's IHDR chunk (bytes 16–23, big-endian, after
/// the 8-byte signature and the chunk's length and type).
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.len() < 24 || &png[..8] != SIG || &png[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    (w > 0 && h > 0).then_some((w, h))
}

/// Text escaped for XML character data and attribute values; characters XML 1.0 does not
/// allow (controls other than tab, U+FFFE, U+FFFF) become U+FFFD, line breaks spaces.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' => out.push(' '),
            '\t' => out.push('\t'),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// How a run is set.
#[derive(Clone, Copy, Default)]
struct RunStyle {
    bold: bool,
    mono: bool,
    grey: bool,
    colour: Option<&'static str>,
}

/// Writes one run of text.
fn run(out: &mut String, text: &str, st: RunStyle) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    if st.bold || st.mono || st.grey || st.colour.is_some() {
        out.push_str("<w:rPr>");
        if st.mono {
            out.push_str(
                r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:eastAsia="宋体"/>"#,
            );
        }
        if st.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if let Some(c) = st.colour {
            let _ = write!(out, r#"<w:color w:val="{}"/>"#, c.trim_start_matches('#'));
        } else if st.grey {
            out.push_str(r#"<w:color w:val="666666"/>"#);
        }
        if st.grey {
            out.push_str(r#"<w:sz w:val="18"/><w:szCs w:val="18"/>"#);
        }
        out.push_str("</w:rPr>");
    }
    let _ = write!(
        out,
        r#"<w:t xml:space="preserve">{}</w:t></w:r>"#,
        xml(text)
    );
}

fn inlines(out: &mut String, content: &[Inline], st: RunStyle) {
    for i in content {
        inline(out, i, st);
    }
}

fn inline(out: &mut String, i: &Inline, st: RunStyle) {
    match i {
        Inline::Text(t) | Inline::Wording(t) | Inline::Reference(t) => run(out, t, st),
        Inline::Strong(content) => inlines(out, content, RunStyle { bold: true, ..st }),
        Inline::Aside(t) => run(out, t, RunStyle { grey: true, ..st }),
        Inline::Status(b) => run(
            out,
            &format!("{} {}", b.symbol, b.label),
            RunStyle {
                colour: Some(b.colour),
                ..st
            },
        ),
        Inline::Code(t) => run(out, t, RunStyle { mono: true, ..st }),
        Inline::Only(Medium::Html, content) => inlines(out, content, st),
        Inline::Only(Medium::Markdown, _) => {}
    }
}

/// A paragraph of a named style (`None`: Normal) holding the given runs.
fn paragraph(out: &mut String, style: Option<&str>, runs: &str) {
    out.push_str("<w:p>");
    if let Some(s) = style {
        let _ = write!(out, r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#);
    }
    out.push_str(runs);
    out.push_str("</w:p>");
}

struct Writer<'a> {
    body: String,
    media: Vec<Media>,
    charts: &'a [ChartPng<'a>],
    figures: usize,
    zh: bool,
}

impl Writer<'_> {
    fn heading(&mut self, level: u8, content: &[Inline]) {
        let mut r = String::new();
        inlines(&mut r, content, RunStyle::default());
        paragraph(&mut self.body, Some(&format!("Heading{level}")), &r);
    }

    fn block(&mut self, b: &Block) -> Result<()> {
        match b {
            Block::Paragraph { style, content } => {
                let mut r = String::new();
                inlines(&mut r, content, RunStyle::default());
                let s = match style {
                    ParagraphStyle::Body => None,
                    ParagraphStyle::Meta => Some("Meta"),
                };
                paragraph(&mut self.body, s, &r);
            }
            Block::Narrative(paragraphs) => {
                for p in paragraphs {
                    let mut r = String::new();
                    run(&mut r, p, RunStyle::default());
                    paragraph(&mut self.body, None, &r);
                }
            }
            Block::Subheading(content) => self.heading(3, content),
            Block::StatusCounts(counts) => {
                let mut r = String::new();
                for (i, c) in counts.iter().enumerate() {
                    if i > 0 {
                        run(&mut r, "　　", RunStyle::default());
                    }
                    run(
                        &mut r,
                        &format!("{} {}：{}", c.badge.symbol, c.badge.label, c.count),
                        RunStyle {
                            colour: Some(c.badge.colour),
                            bold: true,
                            ..RunStyle::default()
                        },
                    );
                }
                paragraph(&mut self.body, None, &r);
            }
            Block::List { style, items } => {
                let st = RunStyle {
                    mono: *style == ListStyle::References,
                    ..RunStyle::default()
                };
                for item in items {
                    let mut r = String::new();
                    run(&mut r, "•\t", RunStyle::default());
                    inlines(&mut r, item, st);
                    paragraph(&mut self.body, Some("ListItem"), &r);
                }
            }
            Block::Table(t) => self.table(t),
            Block::Figure(f) => self.figure(f)?,
            Block::Only(Medium::Html, b) => self.block(b)?,
            Block::Only(Medium::Markdown, _) => {}
        }
        Ok(())
    }

    /// An editable table: fixed layout, column widths from the document's shares of the
    /// text width, a bold header row repeated on every page, numbers right-aligned.
    fn table(&mut self, t: &ReportTable) {
        let total: u32 = t.columns.iter().map(|c| u32::from(c.width_percent)).sum();
        let total = total.max(1);
        let widths: Vec<u32> = t
            .columns
            .iter()
            .map(|c| TEXT_W * u32::from(c.width_percent) / total)
            .collect();
        let b = &mut self.body;
        let _ = write!(
            b,
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#
        );
        for w in &widths {
            let _ = write!(b, r#"<w:gridCol w:w="{w}"/>"#);
        }
        b.push_str("</w:tblGrid>");
        let cell = |b: &mut String, w: u32, right: bool, runs: &str| {
            let _ = write!(
                b,
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>{}</w:pPr>{runs}</w:p></w:tc>"#,
                if right {
                    r#"<w:jc w:val="right"/>"#
                } else {
                    ""
                }
            );
        };
        b.push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"#);
        for (c, w) in t.columns.iter().zip(&widths) {
            let mut r = String::new();
            inlines(
                &mut r,
                &c.header,
                RunStyle {
                    bold: true,
                    ..RunStyle::default()
                },
            );
            cell(b, *w, c.kind == ColumnKind::Number, &r);
        }
        b.push_str("</w:tr>");
        for row in &t.rows {
            b.push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
            for (i, (c, w)) in t.columns.iter().zip(&widths).enumerate() {
                let mut r = String::new();
                if let Some(content) = row.get(i) {
                    let st = RunStyle {
                        mono: c.kind == ColumnKind::Mono,
                        ..RunStyle::default()
                    };
                    inlines(&mut r, content, st);
                }
                cell(b, *w, c.kind == ColumnKind::Number, &r);
            }
            b.push_str("</w:tr>");
        }
        b.push_str("</w:tbl>");
        // Word needs a paragraph between two tables, or they merge.
        paragraph(&mut self.body, Some("Meta"), "");
    }

    /// The chart's PNG as an inline picture scaled to the text width (at most its own
    /// size at 96 dpi), then its caption "图 n　title" / "Figure n. title". A figure whose
    /// PNG was not rendered keeps its caption.
    fn figure(&mut self, f: &Figure) -> Result<()> {
        self.figures += 1;
        let n = self.figures;
        let idx = match self.media.iter().position(|m| m.stem == f.stem) {
            Some(i) => Some(i),
            None => match self.charts.iter().find(|c| c.stem == f.stem) {
                Some(c) => {
                    let (w, h) = png_size(c.png).ok_or_else(|| {
                        Error::drawing(text!(
                            "report.docx：图表 {} 不是 PNG",
                            "report.docx: chart {} is not a PNG",
                            f.stem
                        ))
                    })?;
                    let k = self.media.len() + 1;
                    self.media.push(Media {
                        stem: f.stem.clone(),
                        rid: format!("rIdImg{k}"),
                        part: format!("media/image{k}.png"),
                        png: c.png.to_vec(),
                        width_px: w,
                        height_px: h,
                    });
                    Some(self.media.len() - 1)
                }
                None => None,
            },
        };
        if let Some(i) = idx {
            let m = &self.media[i];
            let max = u64::from(TEXT_W) * EMU_PER_TWIP;
            let natural = u64::from(m.width_px) * EMU_PER_PX;
            let cx = natural.min(max);
            // Height keeps the aspect ratio: cy = cx · h / w.
            let cy = cx * u64::from(m.height_px) / u64::from(m.width_px);
            let name = xml(&f.title);
            let descr = xml(&f.alt);
            let mut r = String::new();
            let _ = write!(
                r,
                concat!(
                    r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
                    r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="{name}" descr="{descr}"/>"#,
                    r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>"#,
                    r#"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
                    r#"<pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>"#,
                    r#"<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
                    r#"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>"#,
                    r#"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"#,
                    r#"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
                ),
                cx = cx,
                cy = cy,
                n = n,
                name = name,
                descr = descr,
                rid = m.rid,
            );
            paragraph(&mut self.body, Some("Figure"), &r);
        }
        let mut r = String::new();
        let label = if self.zh {
            format!("图 {n}　{}", f.title)
        } else {
            format!("Figure {n}. {}", f.title)
        };
        run(&mut r, &label, RunStyle::default());
        paragraph(&mut self.body, Some("Caption"), &r);
        Ok(())
    }
}

const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#
);

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Default Extension="png" ContentType="image/png"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    r#"</Types>"#
);

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"</Relationships>"#
);

/// Body 宋体 with Times New Roman, 10.5 pt (五号); headings 黑体 with Arial: Title 22 pt
/// (二号), Heading 1 16 pt (三号), Heading 2 14 pt (四号), Heading 3 12 pt (小四); table
/// text 8 pt with 1 mm cell margins, so that the ten columns of the status table fit the
/// text width of a portrait A4 page.
fn styles(lang: &str) -> String {
    let heading = |id: &str, name: &str, level: u8, half_points: u8, before: u16| {
        format!(
            concat!(
                r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>"#,
                r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>"#,
                r#"<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/>"#,
                r#"<w:outlineLvl w:val="{lvl}"/></w:pPr>"#,
                r#"<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="黑体" w:cs="Arial"/>"#,
                r#"<w:b/><w:bCs/><w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr></w:style>"#
            ),
            id = id,
            name = name,
            before = before,
            lvl = level.saturating_sub(1),
            sz = half_points,
        )
    };
    let mut s = String::from(HEAD);
    let _ = write!(
        s,
        concat!(
            r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:docDefaults><w:rPrDefault><w:rPr>"#,
            r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/>"#,
            r#"<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="{lang}" w:eastAsia="zh-CN"/>"#,
            r#"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="300" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>"#,
            r#"<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/></w:rPr></w:style>"#,
            r#"<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>"#,
            r#"<w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="240"/><w:outlineLvl w:val="0"/></w:pPr>"#,
            r#"<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="黑体" w:cs="Arial"/><w:b/><w:bCs/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>"#,
        ),
        lang = lang
    );
    s.push_str(&heading("Heading1", "heading 1", 1, 32, 360));
    s.push_str(&heading("Heading2", "heading 2", 2, 28, 240));
    s.push_str(&heading("Heading3", "heading 3", 3, 24, 180));
    s.push_str(concat!(
        r#"<w:style w:type="paragraph" w:styleId="Meta"><w:name w:val="Meta"/><w:basedOn w:val="Normal"/>"#,
        r#"<w:rPr><w:color w:val="666666"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="ListItem"><w:name w:val="List Item"/><w:basedOn w:val="Normal"/>"#,
        r#"<w:pPr><w:tabs><w:tab w:val="left" w:pos="360"/></w:tabs><w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/></w:pPr></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:next w:val="Caption"/>"#,
        r#"<w:pPr><w:keepNext/><w:jc w:val="center"/><w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>"#,
        r#"<w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr>"#,
        r#"<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="黑体" w:cs="Arial"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>"#,
        r#"<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>"#,
        r#"<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>"#,
        r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>"#,
        r#"<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>"#,
        r#"<w:left w:w="57" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>"#,
        r#"</w:tblCellMar></w:tblPr></w:style>"#,
        r#"<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/>"#,
        r#"<w:tblPr><w:tblBorders>"#,
        r#"<w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>"#,
        r#"<w:left w:val="nil"/><w:right w:val="nil"/>"#,
        r#"<w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>"#,
        r#"<w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>"#,
        r#"<w:insideV w:val="nil"/></w:tblBorders></w:tblPr></w:style>"#,
        r#"</w:styles>"#
    ));
    s
}

/// Renders report.docx: `charts` are the PNGs of `charts/`, by stem.
pub fn render(doc: &Document, charts: &[ChartPng<'_>]) -> Result<Vec<u8>> {
    let zh = doc.lang == crate::model::Lang::Zh;
    let mut w = Writer {
        body: String::new(),
        media: Vec::new(),
        charts,
        figures: 0,
        zh,
    };
    let mut r = String::new();
    run(&mut r, &doc.title, RunStyle::default());
    paragraph(&mut w.body, Some("Title"), &r);
    for b in &doc.cover {
        w.block(b)?;
    }
    for s in &doc.sections {
        w.heading(1, &s.heading);
        for b in &s.blocks {
            w.block(b)?;
        }
        for sub in &s.subsections {
            w.heading(2, &sub.heading);
            for b in &sub.blocks {
                w.block(b)?;
            }
        }
    }

    let mut document = String::from(HEAD);
    let _ = write!(
        document,
        concat!(
            "<w:document {ns}><w:body>{body}",
            r#"<w:sectPr><w:pgSz w:w="{pw}" w:h="{ph}"/>"#,
            r#"<w:pgMar w:top="{tb}" w:right="{lr}" w:bottom="{tb}" w:left="{lr}" w:header="851" w:footer="992" w:gutter="0"/>"#,
            r#"</w:sectPr></w:body></w:document>"#
        ),
        ns = NS,
        body = w.body,
        pw = PAGE_W,
        ph = PAGE_H,
        tb = MARGIN_TB,
        lr = MARGIN_LR,
    );
    let mut rels = String::from(HEAD);
    rels.push_str(concat!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        r#"<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
    ));
    for m in &w.media {
        let _ = write!(
            rels,
            r#"<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{}"/>"#,
            m.rid, m.part
        );
    }
    rels.push_str("</Relationships>");
    let mut core = String::from(HEAD);
    let _ = write!(
        core,
        concat!(
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>litmon</dc:creator>"#,
            r#"<dc:language>{}</dc:language></cp:coreProperties>"#
        ),
        xml(&doc.title),
        if zh { "zh-CN" } else { "en-GB" }
    );

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
        ("docProps/core.xml".into(), core.into_bytes()),
        ("word/document.xml".into(), document.into_bytes()),
        (
            "word/styles.xml".into(),
            styles(if zh { "zh-CN" } else { "en-GB" }).into_bytes(),
        ),
        ("word/_rels/document.xml.rels".into(), rels.into_bytes()),
    ];
    for m in w.media {
        parts.push((format!("word/{}", m.part), m.png));
    }
    zip_parts(&parts).map_err(|e| {
        Error::drawing(text!(
            "report.docx 无法打包：{e}",
            "report.docx could not be packed: {e}"
        ))
    })
}

/// The parts as a zip archive with fixed times and modes (deterministic bytes); PNGs are
/// stored, XML deflated.
fn zip_parts(parts: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime};
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        let method = if name.ends_with(".png") {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        z.start_file(name.as_str(), opts)?;
        z.write_all(bytes)?;
    }
    Ok(z.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::{png_size, xml};

    #[test]
    fn png_size_reads_ihdr() {
        // A PNG header for a 700 × 420 image: signature, IHDR length 13, "IHDR", then
        // width and height big-endian.
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.extend_from_slice(&700u32.to_be_bytes());
        png.extend_from_slice(&420u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((700, 420)));
        assert_eq!(png_size(b"GIF89a"), None);
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(xml("a<b>&\"c\"\n"), "a&lt;b&gt;&amp;&quot;c&quot; ");
        assert_eq!(xml("x\u{1}y"), "x\u{FFFD}y");
    }
}

//! The body of report.docx: the [`Document`](crate::report::document::Document)'s blocks as WordprocessingML paragraphs,
//! runs, editable tables and inline pictures on an A4 page.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::report::document::{
    Block, ColumnKind, Figure, Inline, ListStyle, Medium, ParagraphStyle, ReportTable,
};

/// Page width of A4 in twips (210 mm × 1440 / 25.4).
pub(super) const PAGE_W: u32 = 11_906;
/// Page height of A4 in twips (297 mm × 1440 / 25.4).
pub(super) const PAGE_H: u32 = 16_838;
/// Top and bottom margin in twips (2.54 cm).
pub(super) const MARGIN_TB: u32 = 1_440;
/// Left and right margin in twips (3.17 cm).
pub(super) const MARGIN_LR: u32 = 1_800;
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
pub(super) struct Media {
    stem: String,
    pub(super) rid: String,
    pub(super) part: String,
    pub(super) png: Vec<u8>,
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
pub(super) fn xml(s: &str) -> String {
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
pub(super) struct RunStyle {
    bold: bool,
    mono: bool,
    grey: bool,
    colour: Option<&'static str>,
}

/// Writes one run of text.
pub(super) fn run(out: &mut String, text: &str, st: RunStyle) {
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
pub(super) fn paragraph(out: &mut String, style: Option<&str>, runs: &str) {
    out.push_str("<w:p>");
    if let Some(s) = style {
        let _ = write!(out, r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#);
    }
    out.push_str(runs);
    out.push_str("</w:p>");
}

pub(super) struct Writer<'a> {
    pub(super) body: String,
    pub(super) media: Vec<Media>,
    pub(super) charts: &'a [ChartPng<'a>],
    pub(super) figures: usize,
    pub(super) lang: crate::model::Lang,
}

impl Writer<'_> {
    pub(super) fn heading(&mut self, level: u8, content: &[Inline]) {
        let mut r = String::new();
        inlines(&mut r, content, RunStyle::default());
        paragraph(&mut self.body, Some(&format!("Heading{level}")), &r);
    }

    pub(super) fn block(&mut self, b: &Block) -> Result<()> {
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
        let label = match self.lang {
            crate::model::Lang::Zh => format!("图 {n}　{}", f.title),
            crate::model::Lang::En => format!("Figure {n}. {}", f.title),
        };
        run(&mut r, &label, RunStyle::default());
        paragraph(&mut self.body, Some("Caption"), &r);
        Ok(())
    }
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

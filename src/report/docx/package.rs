//! The package of report.docx: its parts (content types, relationships, core properties,
//! document, styles, pictures) in a zip archive with fixed times and modes.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use super::body::{
    paragraph, run, xml, ChartPng, RunStyle, Writer, MARGIN_LR, MARGIN_TB, PAGE_H, PAGE_W,
};
use super::styles::{styles, HEAD};
use crate::error::{Error, Result};
use crate::report::document::Document;

impl Document {
    /// report.docx, with `charts` (the PNGs of `charts/`) as inline pictures.
    pub fn to_docx(&self, charts: &[ChartPng<'_>]) -> Result<Vec<u8>> {
        render(self, charts)
    }
}

const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#
);

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

/// Renders report.docx: `charts` are the PNGs of `charts/`, by stem.
pub fn render(doc: &Document, charts: &[ChartPng<'_>]) -> Result<Vec<u8>> {
    // The document's language tag (its dictionary in Word).
    let tag = match doc.lang {
        crate::model::Lang::Zh => "zh-CN",
        crate::model::Lang::En => "en-GB",
    };
    let mut w = Writer {
        body: String::new(),
        media: Vec::new(),
        charts,
        figures: 0,
        lang: doc.lang,
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
        tag
    );

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
        ("docProps/core.xml".into(), core.into_bytes()),
        ("word/document.xml".into(), document.into_bytes()),
        ("word/styles.xml".into(), styles(tag).into_bytes()),
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

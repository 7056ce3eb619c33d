//! The styles of report.docx (word/styles.xml): body 宋体 with Times New Roman, headings
//! 黑体 with Arial, the meta, list, figure, caption and table-text paragraphs, and the
//! report table's borders.

use std::fmt::Write as _;

pub(super) const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Body 宋体 with Times New Roman, 10.5 pt (五号); headings 黑体 with Arial: Title 22 pt
/// (二号), Heading 1 16 pt (三号), Heading 2 14 pt (四号), Heading 3 12 pt (小四); table
/// text 8 pt with 1 mm cell margins, so that the ten columns of the status table fit the
/// text width of a portrait A4 page.
pub(super) fn styles(lang: &str) -> String {
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

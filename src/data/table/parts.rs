//! The parts of an XLSX workbook that litmon reads itself, beside calamine: the archive is
//! opened once ([`WorkbookParts::open`], which also bounds what it expands to), each part
//! is read from it once, and the XML is read with quick-xml.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::error::{Error, Location, Result};

/// Most a workbook may expand to (all its parts, uncompressed).
const MAX_XLSX_EXPANDED: u64 = 64 << 20;

/// Largest shared-strings part inspected by [`WorkbookParts::open`].
const MAX_SHARED_STRINGS: u64 = 256 << 20;

/// One opening of a workbook's archive, with the small parts litmon reads itself
/// (`xl/workbook.xml`, its relationships, `xl/styles.xml`) already read. A part that
/// cannot be read (or an archive that cannot be opened) is `None`: these reads are
/// best-effort, and calamine reports a damaged workbook itself.
pub(super) struct WorkbookParts<'a> {
    zip: Option<zip::ZipArchive<Cursor<&'a [u8]>>>,
    workbook: Option<Vec<u8>>,
    rels: Option<String>,
    styles: Option<String>,
}

impl<'a> WorkbookParts<'a> {
    /// Opens the archive once and checks what calamine does not (see [`check_archive`]:
    /// the expanded size and the shared-string count), then reads the workbook, its
    /// relationships and its styles.
    pub(super) fn open(label: &str, bytes: &'a [u8]) -> Result<WorkbookParts<'a>> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok();
        if let Some(zip) = zip.as_mut() {
            check_archive(label, zip)?;
        }
        let mut part = |name: &str| zip.as_mut().and_then(|z| zip_part(z, name));
        let workbook = part("xl/workbook.xml");
        let rels = part("xl/_rels/workbook.xml.rels").and_then(|p| String::from_utf8(p).ok());
        let styles = part("xl/styles.xml").and_then(|p| String::from_utf8(p).ok());
        Ok(WorkbookParts {
            zip,
            workbook,
            rels,
            styles,
        })
    }

    /// `xl/styles.xml`, when it could be read as UTF-8 text.
    pub(super) fn styles(&self) -> Option<&str> {
        self.styles.as_deref()
    }

    /// `activeTab` of the first `workbookView` in `xl/workbook.xml` (`None` when absent).
    pub(super) fn active_tab(&self) -> Option<usize> {
        let view = start_tags(self.workbook.as_deref()?, b"workbookView").next()?;
        attribute(&view, b"activeTab")?.parse().ok()
    }

    /// The XML of worksheet `sheet` (its part found through `xl/workbook.xml` and its
    /// relationships), or `None` when it cannot be found or is not UTF-8 text.
    pub(super) fn sheet(&mut self, sheet: &str) -> Option<String> {
        let workbook = std::str::from_utf8(self.workbook.as_deref()?).ok()?;
        let rid = start_tags(workbook.as_bytes(), b"sheet")
            .find(|t| attribute(t, b"name").is_some_and(|n| unescape(&n) == sheet))
            .and_then(|t| attribute(&t, b"r:id"))?;
        let target = start_tags(self.rels.as_deref()?.as_bytes(), b"Relationship")
            .find(|t| attribute(t, b"Id").as_deref() == Some(rid.as_str()))
            .and_then(|t| attribute(&t, b"Target"))?;
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        String::from_utf8(zip_part(self.zip.as_mut()?, &path)?).ok()
    }
}

/// One part of a workbook (at most [`MAX_XLSX_EXPANDED`] bytes).
fn zip_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let file = zip.by_name(name).ok()?;
    let mut xml = Vec::new();
    file.take(MAX_XLSX_EXPANDED).read_to_end(&mut xml).ok()?;
    Some(xml)
}

/// Every event of an XML part in document order, up to its end or to the first point
/// where it is not well-formed XML (the events before it are kept). End tags need not
/// match their start tags: the scans here look at start tags and their attributes.
pub(super) fn xml_events(xml: &[u8]) -> impl Iterator<Item = Event<'_>> + '_ {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    std::iter::from_fn(move || match reader.read_event() {
        Ok(Event::Eof) | Err(_) => None,
        Ok(event) => Some(event),
    })
}

/// Every start tag `<name …>` (or `<name …/>`) of an XML part, `name` as written
/// (with its prefix, if any).
pub(super) fn start_tags<'x>(
    xml: &'x [u8],
    name: &'x [u8],
) -> impl Iterator<Item = BytesStart<'x>> + 'x {
    xml_events(xml).filter_map(move |event| match event {
        Event::Start(tag) | Event::Empty(tag) if tag.name().as_ref() == name => Some(tag),
        _ => None,
    })
}

/// The value of attribute `key` of a start tag, as written (not unescaped), when the tag's
/// attributes up to it are well-formed and the value is UTF-8 text; the first one when
/// the key is repeated.
pub(super) fn attribute(tag: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    let found = tag
        .attributes()
        .with_checks(false)
        .map_while(std::result::Result::ok)
        .find(|a| a.key.as_ref() == key)?;
    String::from_utf8(found.value.into_owned()).ok()
}

/// An attribute value with its XML escapes (`&amp;`, `&#37;` …) resolved; a value with a
/// malformed escape stays as written.
pub(super) fn unescape(value: &str) -> String {
    quick_xml::escape::unescape(value).map_or_else(|_| value.to_string(), |v| v.into_owned())
}

/// What calamine does not check before it reads a workbook.
///
/// calamine reserves memory for the `uniqueCount` that `xl/sharedStrings.xml` declares
/// before it reads a single string, so a damaged count (`uniqueCount="888888888888883"`,
/// found by fuzzing) aborts the process. A count larger than the part's size in bytes
/// cannot be true (each string takes at least `<si/>`): refuse the workbook instead.
///
/// It also bounds what the workbook expands to: the parts are decompressed (into
/// nothing) before calamine reads them, and a workbook whose parts exceed
/// [`MAX_XLSX_EXPANDED`] in all — a ZIP bomb, or a sheet far beyond any registry or
/// observations table — is refused, whatever sizes its directory declares.
fn check_archive(label: &str, zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<()> {
    let mut expanded: u64 = 0;
    let too_big = || {
        Error::input(
            Location::file(label),
            text!(
"工作簿解压后超过 {} MB：应为地区名录、观测值或方案表（文件是否损坏或异常？请将该表另存为 CSV UTF-8）",
"the workbook expands to more than {} MB: expected a registry, observations or plan table (is it a damaged or hostile file? save the sheet as CSV UTF-8)",
                MAX_XLSX_EXPANDED >> 20
            ),
        )
    };
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        if expanded.saturating_add(file.size()) > MAX_XLSX_EXPANDED {
            return Err(too_big());
        }
        let left = MAX_XLSX_EXPANDED - expanded;
        // A read error midway is calamine's to report; count what was read.
        let n = std::io::copy(&mut file.take(left + 1), &mut std::io::sink()).unwrap_or(0);
        expanded += n;
        if expanded > MAX_XLSX_EXPANDED {
            return Err(too_big());
        }
    }
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        let name = file.name().replace('\\', "/").to_ascii_lowercase();
        if !name.ends_with("sharedstrings.xml") {
            continue;
        }
        let mut part = Vec::new();
        // A read error midway still leaves the start, where the count is.
        let _ = file.take(MAX_SHARED_STRINGS).read_to_end(&mut part);
        if let Some(n) = declared_counts(&part).max() {
            if n > part.len() as u64 {
                return Err(Error::input(
                    Location::file(label),
                    text!(
"应为 .xlsx 工作簿，但文件已损坏：其共享字符串表在 {} 字节中声明了 {n} 个字符串；请在 Excel/WPS 中打开后重新保存，或另存为 CSV UTF-8",
"expected an .xlsx workbook, but it is damaged: its shared-string table declares {n} strings in {} bytes; open and save it again in Excel/WPS, or save it as CSV UTF-8",
                        part.len()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Every `uniqueCount="N"` in a shared-strings part, wherever it stands. A byte scan
/// rather than an XML read on purpose: a damaged part (the case this guards) need not be
/// well-formed up to its count, and the larger count found anywhere is the safe one.
fn declared_counts(xml: &[u8]) -> impl Iterator<Item = u64> + '_ {
    const KEY: &[u8] = b"uniqueCount";
    xml.windows(KEY.len())
        .enumerate()
        .filter(|(_, w)| *w == KEY)
        .filter_map(move |(i, _)| {
            let rest = &xml[i + KEY.len()..];
            let rest = rest
                .trim_ascii_start()
                .strip_prefix(b"=")?
                .trim_ascii_start();
            let (&quote, rest) = rest.split_first()?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let end = rest.iter().position(|&b| b == quote)?;
            let value = std::str::from_utf8(&rest[..end]).ok()?;
            value.trim().trim_start_matches('+').parse::<u64>().ok()
        })
}

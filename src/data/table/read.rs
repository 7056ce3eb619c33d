//! Reading a table from a file or from bytes: the size cap of every input, and the
//! choice between a workbook and CSV text.

use std::path::Path;

use crate::error::{Error, Location, Result};

use super::encoding::{decode_text, line_breaks, nul_error};
use super::raw::{RawTable, ReadOptions};

/// Bytes that open a ZIP archive (XLSX, XLSM, ODS) or an OLE2 compound file (legacy XLS).
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// Reads a table from a CSV or XLSX file (detected from its first bytes).
pub fn read_table(path: &Path, opts: &ReadOptions) -> Result<RawTable> {
    let label = path.display().to_string();
    let bytes = read_bytes(path)?;
    table_from_bytes(&label, &bytes, opts)
}

/// Like [`read_table`] on bytes already in memory.
pub fn table_from_bytes(label: &str, bytes: &[u8], opts: &ReadOptions) -> Result<RawTable> {
    if is_spreadsheet(bytes) {
        RawTable::from_spreadsheet(label, bytes, opts.sheet.as_deref())
    } else {
        let text = decode_text(label, bytes, opts.encoding)?;
        RawTable::from_csv(label, &text)
    }
}

/// Largest table, plan or small input file read into memory (microdata is streamed).
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Reads a whole input file of at most [`MAX_INPUT_BYTES`]; a larger file (or an endless
/// one such as `/dev/zero`) is refused with a clear message after reading no more than
/// the cap.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    read_capped(path, MAX_INPUT_BYTES)
}

pub(crate) fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let label = path.display().to_string();
    let io = |source: std::io::Error| Error::Io {
        path: label.clone(),
        source,
    };
    let too_big = || {
        Error::input(
            Location::file(&label),
            text!(
"文件超过 {} MB，超出 litmon 读取表格或方案的上限：应为地区名录、观测值或方案文件（请拆分文件，或只保留需要的行）",
"the file is larger than {} MB, the most litmon reads for a table or plan: expected a registry, observations or plan file (split it, or keep only the rows needed)",
                cap >> 20
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(Error::input(
            Location::file(&label),
            text!("这是一个目录：应为文件", "is a directory: expected a file"),
        ));
    }
    if meta.is_file() && meta.len() > cap {
        return Err(too_big());
    }
    let hint = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(hint.min(cap) as usize + 1);
    let mut file = file.take(cap + 1);
    // A NUL near the start of what is not a workbook or UTF-16 text is refused before the
    // rest is read (a file of NULs, /dev/zero), as decoding would refuse it anyway.
    (&mut file)
        .take(1 << 16)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let binary =
        is_spreadsheet(&bytes) || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if let Some(i) = bytes.iter().position(|&b| b == 0).filter(|_| !binary) {
        return Err(nul_error(&label, 1 + line_breaks(&bytes[..i])));
    }
    file.read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(bytes)
}

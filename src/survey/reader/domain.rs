//! A row's domain in a `--by` table: its key, its values as text (never bytes replaced in
//! silence), and the fast byte comparison of the short keys of survey files.

use super::accumulated::DomainTable;
use super::split::Record;

/// A `--by` (or calibration) value as text for output: UTF-8 without control characters,
/// else the message saying why not (bytes are never replaced in silence).
fn domain_text(b: &[u8]) -> Result<String, crate::model::Text> {
    let t = std::str::from_utf8(b).map_err(|e| {
        let (byte, at) = (b.get(e.valid_up_to()).copied().unwrap_or(0), e.valid_up_to() + 1);
        text!(
            "该值不是 UTF-8（单元格第 {at} 个字节为 0x{byte:02X}），而文件开头是 UTF-8：文件混用了编码（如把 GBK 的行粘贴进 UTF-8 文件）；整个文件应使用同一种编码——请另存为“CSV UTF-8”",
            "the value is not UTF-8 (byte 0x{byte:02X} at byte {at} of the cell) though the file \
             began as UTF-8: the file mixes encodings (e.g. GBK lines pasted into a UTF-8 \
             file); expected one encoding throughout — save the whole file as CSV UTF-8"
        )
    })?;
    if let Some(c) = t.chars().find(|c| c.is_control()) {
        let u = u32::from(c);
        return Err(text!(
            "该值含有控制字符 U+{u:04X}：分组名称应为可打印字符",
            "the value holds the control character U+{u:04X}: expected a printable group name"
        ));
    }
    Ok(t.to_string())
}

/// The row's local domain of a table of columns `tc`, created at first sight; a new
/// domain's values must be text ([`domain_text`]), else `Err((column, message))`.
pub(super) fn domain_of(
    table: &mut DomainTable,
    tc: &[usize],
    key: &mut Vec<u8>,
    rec: &Record<'_>,
) -> Result<u32, (usize, crate::model::Text)> {
    if let [c] = tc {
        // One column: compare the field itself with the last domain's key.
        let f = rec.field(*c).trim_ascii();
        if table.last_key_valid && same(&table.last_key, f) {
            return Ok(table.last_domain);
        }
        key.clear();
        key.extend_from_slice(f);
    } else {
        key.clear();
        for (j, &c) in tc.iter().enumerate() {
            if j > 0 {
                key.push(0x1f);
            }
            key.extend_from_slice(rec.field(c).trim_ascii());
        }
        if table.last_key_valid && same(&table.last_key, key) {
            return Ok(table.last_domain);
        }
    }
    let d = match table.index.get(key.as_slice()) {
        Some(&d) => d,
        None => {
            let values = tc
                .iter()
                .map(|&c| domain_text(rec.field(c).trim_ascii()).map_err(|m| (c, m)))
                .collect::<Result<Vec<String>, _>>()?;
            let d = table.domains.len() as u32;
            table.index.insert(key.clone(), d);
            table.domain_keys.push(key.clone());
            table.domains.push(values);
            d
        }
    };
    table.last_key.clear();
    table.last_key.extend_from_slice(key);
    table.last_key_valid = true;
    table.last_domain = d;
    Ok(d)
}

/// Byte-string equality for the short keys of survey files (codes, PSU ids), with a few fixed
/// loads instead of a call to `memcmp`.
#[inline]
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word4 =
        |s: &[u8], i: usize| <[u8; 4]>::try_from(&s[i..i + 4]).map_or(0, u32::from_le_bytes);
    let word8 =
        |s: &[u8], i: usize| <[u8; 8]>::try_from(&s[i..i + 8]).map_or(0, u64::from_le_bytes);
    match n {
        0 => true,
        // Positions 0, n/2 and n − 1 cover every byte of 1 to 3.
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        // Two overlapping words cover 4 to 8 (or 9 to 16) bytes.
        4..=8 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        9..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_agrees_with_slice_equality() {
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=40 {
            let a = &base[..n];
            assert!(same(a, a), "{n}");
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 1;
                assert!(!same(a, &b), "{n} {i}");
            }
            assert!(!same(a, &base[..n.saturating_sub(1)]) || n == 0, "{n}");
        }
    }
}

//! Numbers as users type them (full-width digits, thousands separators, percent signs)
//! and as a cell shows them (shortest exact text, percentages without float noise).

/// Full-width ASCII (U+FF01–U+FF5E, typed with a Chinese input method) to ASCII.
pub(super) fn normalize_width(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            })
            .collect(),
    )
}

/// Parses `9.8`, `9.8%`, `９.８％`, `12,345`, `-1e3`; `None` when it is not a number.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = normalize_width(s);
    let t = t.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = t.parse::<f64>() {
        // "nan", "inf" parse in Rust: report them as non-finite numbers.
        return Some(v);
    }
    // Thousands separators: 1,234 or 1,234,567.89
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = digits.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && frac.bytes().all(|b| b.is_ascii_digit());
    if grouped {
        let plain = format!("{}.{frac}", int.replace(',', ""));
        return plain.trim_end_matches('.').parse().ok();
    }
    None
}

/// A stored fraction written as a percentage, without float noise: the decimal point of
/// the shortest representation that round-trips the stored double (Rust's `{}`, which
/// never uses an exponent) moves two places right, so 0.07 gives `7`, not the
/// `7.000000000000001` of `0.07 * 100.0` (0.29 gives `29`, not `28.999999999999996`), and
/// 0.12345 gives `12.345`. Rounding to 12 significant digits would also hide the noise but
/// could change a value typed with more digits; moving the point is exact. The text is then
/// the exact decimal a user sees in Excel with enough decimals, and parses to the double
/// nearest that decimal.
pub(crate) fn percent_text(f: f64) -> String {
    if !f.is_finite() {
        return float_text(f);
    }
    let shortest = format!("{f}");
    let (sign, digits) = match shortest.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", shortest.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let rest = rest.trim_end_matches('0');
    let sign = if int == "0" && rest.is_empty() {
        ""
    } else {
        sign
    };
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

pub(super) fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

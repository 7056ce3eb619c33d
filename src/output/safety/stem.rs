//! Safe file stems for names taken from data ([`file_stem`]), unique within one directory
//! ([`StemSet`]).

use std::collections::HashSet;

/// Longest file stem derived from data (bytes), well below every file system's limit.
pub(super) const MAX_STEM: usize = 100;

/// A safe file stem for a name taken from data: letters (any script), digits, `-`, `_`
/// and inner `.` are kept, every other character (path separators, control characters,
/// `<>:"|?*`, spaces) becomes `_`; no leading dot; at most `MAX_STEM` (100) bytes; never
/// empty. The stem never leaves the directory it is joined to.
///
/// ```
/// use litmon::output::safety::file_stem;
/// assert_eq!(file_stem("150300"), "150300");
/// assert_eq!(file_stem("../../../../victim"), "_._.._.._.._victim");
/// assert_eq!(file_stem("/etc/passwd"), "_etc_passwd");
/// assert_eq!(file_stem("</script>"), "__script_");
/// assert_eq!(file_stem("乌海"), "乌海");
/// assert_eq!(file_stem(""), "_");
/// ```
pub fn file_stem(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let keep = c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
        let c = if keep { c } else { '_' };
        if s.len() + c.len_utf8() > MAX_STEM {
            break;
        }
        s.push(c);
    }
    if s.starts_with('.') {
        s.replace_range(0..1, "_");
    }
    if s.is_empty() {
        s.push('_');
    }
    s
}

/// Stems already used in one output directory: [`StemSet::unique`] adds `-2`, `-3`… when
/// two names slug to the same stem (compared without case, as on Windows and macOS).
#[derive(Debug, Default)]
pub struct StemSet {
    used: HashSet<String>,
}

impl StemSet {
    /// A stem for `name` ([`file_stem`]) not yet used in this set, with `-2`, `-3`… appended
    /// on a collision; records it as used.
    pub fn unique(&mut self, name: &str) -> String {
        let base = file_stem(name);
        let mut stem = base.clone();
        let mut k = 2;
        while !self.used.insert(stem.to_lowercase()) {
            stem = format!("{base}-{k}");
            k += 1;
        }
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn stems_are_unique_and_stay_inside() {
        let mut set = StemSet::default();
        assert_eq!(set.unique("a:b"), "a_b");
        assert_eq!(set.unique("a*b"), "a_b-2");
        assert_eq!(set.unique("A_B"), "A_B-3");
        for bad in ["..", ".", "../x", "a/../../b", "C:\\x", "\u{1b}[2J"] {
            let s = file_stem(bad);
            assert!(
                !s.contains('/') && !s.contains('\\') && !s.starts_with('.'),
                "{s}"
            );
            assert_eq!(Path::new(&s).components().count(), 1, "{s}");
        }
        assert!(file_stem(&"长".repeat(200)).len() <= MAX_STEM);
    }
}

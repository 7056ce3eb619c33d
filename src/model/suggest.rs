//! Names of places compared: the core of a Chinese name without its administrative suffix,
//! and the ranking of registered names suggested for an unknown one.

use crate::model::Jurisdiction;

/// Administrative suffixes of Chinese place names, longest first.
const NAME_SUFFIXES: [&str; 18] = [
    "维吾尔自治区",
    "特别行政区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "省",
    "市",
    "盟",
    "州",
    "县",
    "区",
    "旗",
    "镇",
];

/// A Chinese place name without its administrative suffix (省, 市, 自治区, 壮族自治区, 地区,
/// 盟, 州, 县, 区, 旗 …), so that names match as people write them. The suffix is set aside
/// only when at least two characters remain (广州 stays 广州, 和县 stays 和县); other text is
/// returned trimmed, as written.
///
/// ```
/// use litmon::model::name_core;
/// assert_eq!(name_core("乌海市"), "乌海");
/// assert_eq!(name_core("内蒙古自治区"), "内蒙古");
/// assert_eq!(name_core("广西壮族自治区"), "广西");
/// assert_eq!(name_core("五台县"), "五台");
/// assert_eq!(name_core("香港特别行政区"), "香港");
/// assert_eq!(name_core("广州"), "广州");
/// assert_eq!(name_core("Wuhai"), "Wuhai");
/// ```
pub fn name_core(name: &str) -> &str {
    let name = name.trim();
    for suffix in NAME_SUFFIXES {
        if let Some(core) = name.strip_suffix(suffix) {
            if core.chars().count() >= 2 {
                return core;
            }
        }
    }
    name
}

/// Characters of an unknown name compared when suggesting registered ones
/// ([`Dataset::suggestions`](crate::model::Dataset::suggestions)): a longer cell is cut, so that a suggestion costs at most
/// this many characters per registered name.
pub const SUGGESTION_KEY_CHARS: usize = 64;

/// Least similarity (the larger of Jaro–Winkler and normalised Levenshtein) of a code or
/// English name suggested for an unknown Latin key that is not a code.
pub const SIMILAR: f64 = 0.8;

/// An unknown key prepared for ranking: lower-cased, its [`name_core`], and whether it is
/// ASCII (a code or an English name).
pub(crate) struct Suggestable {
    key: String,
    core: String,
    ascii: bool,
}

impl Suggestable {
    pub(crate) fn of(key: &str) -> Suggestable {
        let key = key.trim().to_lowercase();
        Suggestable {
            core: name_core(&key).to_string(),
            ascii: key.is_ascii(),
            key,
        }
    }
}

/// How a registered jurisdiction ranks as a suggestion for the unknown name `key`: `None`
/// when it does not resemble it, else `(tier, score)`, higher first:
/// - tier 3, containment: one of its Chinese names (display, full, either without its
///   suffix; at least two characters) contains `key` without its suffix or is contained in
///   it (鄂尔多 → 鄂尔多斯; 乌海巿 → 乌海); for a Latin key of three or more characters, its
///   code or English name contains the key or is contained in it;
/// - tier 2, shared characters: its name without suffix shares at least two characters with
///   `key` without suffix (in any order), so that one common character (银川 and 四川) is
///   not a resemblance;
/// - tier 1, edit distance, for a Latin key only: a key of digits (a code) is one edit
///   from its code; other keys have the larger of the Jaro–Winkler and normalised
///   Levenshtein similarities with its code or English name at least [`SIMILAR`];
/// - tier 0, for a key of digits only: its code shares at least the first two digits (the
///   province), scored by the number of leading digits shared, then the fewest edits.
///
/// The score within a tier is the Sørensen–Dice share of characters in common (tiers 3 and
/// 2), the edit similarity (tier 1) or the shared leading digits (tier 0). A statistical zone is compared by its code and full
/// name only.
pub fn suggestion_rank(key: &str, j: &Jurisdiction) -> Option<(u8, f64)> {
    let key: String = key.trim().chars().take(SUGGESTION_KEY_CHARS).collect();
    suggestion_rank_of(&Suggestable::of(&key), j)
}

pub(crate) fn suggestion_rank_of(k: &Suggestable, j: &Jurisdiction) -> Option<(u8, f64)> {
    if k.key.is_empty() {
        return None;
    }
    let en = if j.statistical_zone {
        String::new()
    } else {
        j.name_en.to_lowercase()
    };
    if k.ascii {
        let latin = [j.id.to_lowercase(), en];
        let latin = latin.iter().filter(|s| !s.is_empty());
        if k.key.len() >= 3 {
            let best = latin
                .clone()
                .filter(|s| s.len() >= 3 && (s.contains(&k.key) || k.key.contains(s.as_str())))
                .map(|s| dice(&k.key, s))
                .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
            if let Some(d) = best {
                return Some((3, d));
            }
        }
        if k.key.bytes().all(|b| b.is_ascii_digit()) {
            // A code: one digit wrong, else the codes of the same province (or prefecture)
            // as its leading digits.
            let lev = strsim::levenshtein(&k.key, &j.id);
            if lev <= 1 {
                return Some((1, 1.0 - lev as f64 / 10.0));
            }
            let shared = k
                .key
                .bytes()
                .zip(j.id.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            return (shared >= 2).then(|| (0, shared as f64 - lev as f64 / 100.0));
        }
        let sim = latin
            .map(|s| strsim::jaro_winkler(&k.key, s).max(strsim::normalized_levenshtein(&k.key, s)))
            .fold(0.0, f64::max);
        return (sim >= SIMILAR).then_some((1, sim));
    }
    let full = j.full_name();
    let names: Vec<&str> = if j.statistical_zone {
        vec![full]
    } else {
        vec![&j.name_zh, full, name_core(&j.name_zh), name_core(full)]
    };
    let long = |s: &str| s.chars().count() >= 2;
    let contained = names
        .iter()
        .filter(|n| long(n))
        .filter(|n| {
            [k.key.as_str(), k.core.as_str()]
                .iter()
                .any(|key| long(key) && (key.contains(**n) || n.contains(*key)))
        })
        .map(|n| dice(&k.core, n))
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
    if let Some(d) = contained {
        return Some((3, d));
    }
    let cores = if j.statistical_zone {
        vec![full]
    } else {
        vec![name_core(&j.name_zh), name_core(full)]
    };
    cores
        .iter()
        .filter(|n| common_chars(&k.core, n) >= 2)
        .map(|n| dice(&k.core, n))
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))))
        .map(|d| (2, d))
}

/// Characters `a` and `b` have in common, each counted as often as it occurs in both.
fn common_chars(a: &str, b: &str) -> usize {
    let mut rest: Vec<char> = b.chars().collect();
    let mut common = 0usize;
    for c in a.chars() {
        if let Some(i) = rest.iter().position(|&r| r == c) {
            rest.swap_remove(i);
            common += 1;
        }
    }
    common
}

/// Sørensen–Dice similarity on characters: 2·common / (|a| + |b|).
fn dice(a: &str, b: &str) -> f64 {
    let n = a.chars().count() + b.chars().count();
    if n == 0 {
        return 0.0;
    }
    2.0 * common_chars(a, b) as f64 / n as f64
}

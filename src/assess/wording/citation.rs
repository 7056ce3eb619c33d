//! Citations as the report and the chart footers print them: publishers, not the web hosts a
//! figure was read from.

/// Removes the web hosts a citation may name as the carrying site (「转引自 example.com
/// 转载的…」, 「（转引自 example.com）」) and any web address: the report (and every chart
/// footer that credits a figure) credits publishers, not the sites a figure was read from
/// (those stay in the report's tables/sources.csv).
pub fn without_hosts(cite: &str) -> String {
    let is_host = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        w.starts_with("http")
            || (w.contains('.')
                && w.rsplit('.').next().is_some_and(|tld| {
                    tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
                }))
    };
    // Split into runs of ASCII host characters and the rest.
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !is_host(word) {
            out.push_str(word);
        }
        word.clear();
    };
    for c in cite.chars() {
        if c.is_ascii_alphanumeric() || "./:-_?=&%~#".contains(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    let mut s = out;
    for (from, to) in [
        ("转引自  转载的", ""),
        ("转引自 转载的", ""),
        ("转引自转载的", ""),
        ("（转引自 ）", ""),
        ("（转引自）", ""),
        ("，转引自 ）", "）"),
        ("，转引自）", "）"),
        ("  ", " "),
    ] {
        s = s.replace(from, to);
    }
    s.trim().to_string()
}

//! Text from inputs quoted in messages, cut to a readable length ([`echo`]).

/// Longest input text quoted in a message, in characters.
const ECHO_CHARS: usize = 80;

/// `s` quoted for a message (as `{s:?}`), cut to `ECHO_CHARS` (80) characters with the
/// full length stated, so a 10 MB cell never floods the terminal.
///
/// ```
/// use litmon::output::safety::echo;
/// assert_eq!(echo("abc"), "\"abc\"");
/// assert!(echo(&"x".repeat(10_000)).ends_with("… (10000 characters)"));
/// ```
pub fn echo(s: &str) -> String {
    let n = s.chars().count();
    if n <= ECHO_CHARS {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(ECHO_CHARS).collect();
        format!("{head:?}… ({n} characters)")
    }
}

//! "Did you mean …?": the valid name closest to a mistyped one, for error messages.
//!
//! Pure.

/// The candidate closest to `name` by edit distance, if that distance is at most
/// `within(candidate)` (callers decide how far a typo may go). Ties go to the
/// alphabetically first candidate, so messages are stable.
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    within: impl Fn(&str) -> usize,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= within(c))
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars (insertions, deletions, substitutions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("send_typnig", "send_typing"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn closest_respects_the_limit_and_breaks_ties_alphabetically() {
        let names = ["reply", "react", "edit"];
        assert_eq!(closest("replt", names, |_| 2), Some("reply"));
        assert_eq!(closest("zzzzzz", names, |_| 2), None);
        assert_eq!(closest("reac", ["react", "reach"], |_| 2), Some("reach"));
    }
}

//! "Did you mean" suggestions for misspelt names.

/// The candidate closest to `input` by edit distance, if it is close enough to be a typo
/// (at most a third of the input's length, and at least 1). Case and the choice of `_` or
/// `-` do not count (`SLOW_TEST_TEARDOWN` suggests `slow-test-teardown`).
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(1);
    let fold = |s: &str| s.to_lowercase().replace('_', "-");
    let input = fold(input);
    candidates
        .into_iter()
        .map(|c| (levenshtein(&input, &fold(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Edit distance between two strings, by characters: insertions, deletions, substitutions and
/// swaps of adjacent characters (optimal string alignment), since swaps are the commonest typo.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("é", "e"), 1);
        assert_eq!(levenshtein("alpah", "alpha"), 1);
    }

    #[test]
    fn suggestions() {
        let ids = ["request-not-below-session", "heartbeat-not-below-session"];
        assert_eq!(
            closest("request-not-below-sesion", ids),
            Some("request-not-below-session")
        );
        assert_eq!(closest("something-else-entirely", ids), None);
    }
}

use sha2::{Digest, Sha256};

/// Hash of a body's folded word sequence, as 32 hex digits.
///
/// Two copies of a story that differ only in markup, whitespace,
/// punctuation, letter case or Persian spelling variants hash the same, so
/// the pipeline can drop exact re-posts before the costlier near-duplicate
/// stage.
pub fn content_hash(text: &str) -> String {
    let mut h = Sha256::new();
    for t in crate::tokens(text) {
        h.update(t.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_markup_level_differences() {
        assert_eq!(
            content_hash("Iran said, on Monday:  “no”."),
            content_hash("iran said on monday \"no\"")
        );
        assert_eq!(content_hash("كتاب تازه"), content_hash("کتاب تازه"));
    }

    #[test]
    fn differs_on_different_words() {
        assert_ne!(content_hash("Iran said no"), content_hash("Iraq said no"));
        assert_eq!(content_hash("").len(), 32);
    }
}

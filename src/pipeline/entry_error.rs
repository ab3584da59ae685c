//! Why a feed entry did not become a story, with a kind the worker acts
//! on: a dead link or a page with no article is given up at once, a
//! timeout or a 503 is tried again later.

use khabar_model::FailureKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    pub kind: FailureKind,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Names the URL and the cause, for the operator.
    pub message: String,
}

impl EntryError {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> EntryError {
        EntryError {
            kind,
            status: None,
            message: message.into(),
        }
    }

    pub fn from_fetch(e: &khabar_fetch::FetchError) -> EntryError {
        EntryError {
            kind: e.kind(),
            status: e.status(),
            message: e.to_string(),
        }
    }

    /// The same error with more said after it (what the feed's own text
    /// gave when the page failed); the kind stays the page's.
    pub fn and(mut self, more: impl std::fmt::Display) -> EntryError {
        self.message = format!("{}; {more}", self.message);
        self
    }

    /// True when trying the entry again will fail the same way.
    pub fn is_permanent(&self) -> bool {
        self.kind.is_permanent_status(self.status)
    }
}

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_404_is_given_up_and_a_503_is_not() {
        let gone = khabar_fetch::FetchError::Http {
            url: "https://n.example/a".into(),
            status: 404,
            retry_after: None,
        };
        let e = EntryError::from_fetch(&gone);
        assert_eq!((e.kind, e.status), (FailureKind::Http4xx, Some(404)));
        assert!(e.is_permanent());
        let busy = khabar_fetch::FetchError::Http {
            url: "https://n.example/a".into(),
            status: 503,
            retry_after: None,
        };
        assert!(!EntryError::from_fetch(&busy).is_permanent());
        let e = EntryError::new(FailureKind::NotAnArticle, "x: no article text")
            .and("feed content: none");
        assert_eq!(e.to_string(), "x: no article text; feed content: none");
        assert!(e.is_permanent());
    }
}

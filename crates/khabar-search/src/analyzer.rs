//! The one analyser used for indexing and for queries: khabar's folded
//! tokens, then English stemming (Persian words pass through the stemmer
//! unchanged: it only rewrites Latin suffixes).

use tantivy::tokenizer::{
    Language, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Name the analyser is registered under in the index.
pub(crate) const ANALYZER: &str = "khabar";

/// Words longer than this many bytes are not indexed (hashes, base64 junk).
const MAX_TOKEN_BYTES: usize = 64;

/// Splits text into [`khabar_text::tokens`].
#[derive(Clone, Default)]
pub(crate) struct FoldingTokenizer;

pub(crate) struct FoldingTokenStream {
    tokens: khabar_text::Tokens,
    token: Token,
}

impl Tokenizer for FoldingTokenizer {
    type TokenStream<'a> = FoldingTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldingTokenStream {
        FoldingTokenStream {
            tokens: khabar_text::tokens(text),
            token: Token::default(),
        }
    }
}

impl TokenStream for FoldingTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(text) => {
                // Offsets would point into the folded copy, not the caller's
                // text; nothing here reads them (snippets are made from the
                // stored story), so they stay zero.
                self.token.position = self.token.position.wrapping_add(1);
                self.token.text = text;
                true
            }
            None => false,
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The index terms of a query text, in order, each once. Every one must
/// match (AND), as on the store's own search.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut terms: Vec<String> = Vec::new();
    while let Some(t) = stream.next() {
        if !terms.contains(&t.text) {
            terms.push(t.text.clone());
        }
        if terms.len() == 32 {
            break;
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_persian_and_stems_english_the_same_way_for_index_and_query() {
        assert_eq!(
            query_terms("Iran's oil PRICES rising"),
            vec!["iran", "oil", "price", "rise"]
        );
        // Arabic yeh and kaf, and a ZWNJ-less spelling, meet the Persian form.
        assert_eq!(query_terms("كيهان"), query_terms("کیهان"));
        assert_eq!(query_terms("میخواهم"), query_terms("می\u{200C}خواهم"));
        // Persian words are not touched by the English stemmer.
        assert_eq!(query_terms("ایران‌ها"), vec!["ایرانها"]);
        assert!(query_terms(" ?! ").is_empty());
        assert_eq!(query_terms("oil oil Oil"), vec!["oil"]);
    }
}

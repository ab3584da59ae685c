//! The analyser as tantivy sees it: [`crate::analyze`]'s terms, with their
//! offsets into the indexed text.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::analysis::analyze;

/// Name the analyser is registered under in the index.
pub(crate) const ANALYZER: &str = "khabar";

/// Splits text into [`crate::analyze`] terms.
#[derive(Clone, Default)]
pub(crate) struct KhabarTokenizer;

pub(crate) struct KhabarTokenStream {
    tokens: std::vec::IntoIter<Token>,
    token: Token,
}

impl Tokenizer for KhabarTokenizer {
    type TokenStream<'a> = KhabarTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> KhabarTokenStream {
        let tokens: Vec<Token> = analyze(text)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.start,
                offset_to: t.end,
                position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        KhabarTokenStream {
            tokens: tokens.into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for KhabarTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.token = t;
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
    TextAnalyzer::builder(KhabarTokenizer).build()
}

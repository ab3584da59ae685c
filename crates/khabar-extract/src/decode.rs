//! Turning raw page bytes into text: khabar-text's charset module (BOM,
//! HTTP header, `<meta>`, chardetng; nearly-valid UTF-8 stays UTF-8), the
//! one decoder the feed stage uses too.

pub use khabar_text::charset::{DecodedHtml, decode_html};

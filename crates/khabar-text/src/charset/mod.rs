//! The one charset module of khabar: page and feed bytes to text.
//!
//! Declarations are evidence, not facts. Both entry points share the same
//! readers of the evidence (byte-order marks, UTF-16/32 without a mark,
//! the HTTP `charset`, `<meta>` and the XML declaration, chardetng's
//! statistical guess) and the same rule for damaged UTF-8: a document
//! whose non-ASCII bytes are nearly all valid UTF-8 sequences is UTF-8,
//! with only the broken sequences repaired (a lone Latin-1 byte read as
//! the character it is) or replaced, never re-read wholesale as a legacy
//! charset, which would garble every Persian or accented character.
//!
//! * [`decode_html`]: BOM, then the HTTP header, then `<meta>`, then the
//!   bytes (HTML's order; a declaration the bytes contradict loses).
//! * [`decode_xml`]: RFC 7303's order for XML media types: BOM, then the
//!   HTTP header, then the XML declaration, then UTF-8, then a guess; the
//!   declaration of transcoded text is rewritten to say `utf-8`.

mod html;
mod labels;
mod sniff;
mod utf;
mod xml;

pub use html::{DecodedHtml, decode_html};
pub use labels::charset_param;
pub use xml::{DecodedXml, decode_xml};

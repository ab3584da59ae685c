//! Text normalisation shared by search, dedup and topic scoring.
//!
//! Persian text arrives in many spellings of the same word: Arabic yeh (ي)
//! and kaf (ك) from Arabic keyboards, with or without the zero-width
//! non-joiner (ZWNJ) between a word and its affixes, with or without short
//! vowel marks, with Persian (۱۲۳), Arabic-Indic (١٢٣) or ASCII digits. Two
//! levels of normalisation exist:
//!
//! * [`normalize_display`] fixes what is plainly wrong for Persian readers
//!   (Arabic yeh and kaf) and tidies whitespace, but keeps ZWNJ and vowel
//!   marks: this is the text the site republishes.
//! * [`fold`] produces a matching key: lower case, no marks, no ZWNJ, ASCII
//!   digits, one spelling per letter. Search, dedup and topic scoring all
//!   compare folded text so that every spelling of a word meets.

pub mod charset;
mod corrections;
pub mod dates;
mod fingerprint;
mod fold;
mod html_escape;
pub mod jalali;
mod mojibake;
mod script;
mod space;
mod tokens;
mod tracking;

pub use corrections::correction_notice;
pub use fingerprint::content_hash;
pub use fold::{fold, fold_char_into, normalize_display};
pub use html_escape::{escape_html, escape_html_into};
pub use jalali::{
    Calendar, PersianDate, PersianDates, find_persian_date, find_persian_dates, format_jalali,
    gregorian_to_jalali, jalali_month_of_folded, jalali_to_gregorian,
};
pub use mojibake::{demoronize, fix_mojibake, repair_encoding_accidents};
pub use script::{Script, dominant_script, is_rtl_lang};
pub use space::collapse_whitespace;
pub use tokens::{Tokens, tokens, word_count};
pub use tracking::{decode_component, is_tracking_param, strip_tracking};

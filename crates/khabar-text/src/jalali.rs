//! Solar Hijri (Jalali) dates: conversion, display and discovery in text.
//!
//! Persian news pages rarely carry a machine-readable date; what they show
//! is a Jalali date in Persian digits (`۱۲ آذر ۱۴۰۲ - ۱۴:۳۰`,
//! `۱۴۰۲/۰۹/۱۲`), sometimes a Gregorian date written in Persian
//! (`۳ دسامبر ۲۰۲۳`) and often the Hijri-qamari date of the same day beside
//! them (`۱۹ جمادی‌الاول ۱۴۴۵`), which must not be read as Jalali. The
//! calendar arithmetic is delegated to `icu_calendar` (the Persian
//! calendar there follows the 33-year rule with the astronomical override
//! table), so this module only recognises the written forms.
//!
//! Afghan (Dari) sites use the same solar calendar with the Arabic zodiac
//! month names (حمل، ثور، …، حوت); those are recognised too.

use chrono::{Datelike, NaiveDate, NaiveTime};
use icu_calendar::Date;
use icu_calendar::cal::Persian;
use icu_calendar::types::RataDie;

/// Jalali years accepted by [`find_persian_date`] in numeric and named
/// forms: wide enough for any modern news page, narrow enough that a
/// Gregorian year or a stray number is not taken for one.
const JALALI_YEARS: std::ops::RangeInclusive<u32> = 1300..=1499;
/// Gregorian years accepted by [`find_persian_date`].
const GREGORIAN_YEARS: std::ops::RangeInclusive<u32> = 1900..=2100;

/// Which calendar a date was written in on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Calendar {
    /// Solar Hijri (Iran's and Afghanistan's civil calendar).
    Jalali,
    Gregorian,
}

/// A date found in Persian text, already converted to the Gregorian
/// calendar. `time` is the wall-clock time printed next to it, in the
/// page's own time zone (usually Tehran or Kabul; the text rarely says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersianDate {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// The calendar the page wrote the date in.
    pub calendar: Calendar,
}

/// Jalali month names in Persian, index 0 = Farvardin.
const JALALI_MONTHS: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// The number (1–12) of the Jalali month whose name is `folded`, a word
/// already passed through [`crate::fold`] (آبان folds to ابان): for
/// matchers that scan folded tokens, so the month list is kept only here.
pub fn jalali_month_of_folded(folded: &str) -> Option<u8> {
    static FOLDED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FOLDED
        .get_or_init(|| JALALI_MONTHS.iter().map(|m| crate::fold(m)).collect())
        .iter()
        .position(|m| m == folded)
        .map(|i| i as u8 + 1)
}

/// Converts a Jalali (Solar Hijri) date to the Gregorian calendar. `None`
/// when the date does not exist (month 13, 31 Mehr, 30 Esfand of a common
/// year) or lies outside the range the calendars support.
pub fn jalali_to_gregorian(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let persian = Date::try_new_persian(year, month, day).ok()?;
    let rd = persian.to_rata_die().to_i64_date();
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(rd).ok()?)
}

/// The Jalali (year, month, day) of a Gregorian date.
///
/// Dates beyond Jalali year ±9999 are clamped by `icu_calendar`; no news
/// page carries one.
pub fn gregorian_to_jalali(date: NaiveDate) -> (i32, u8, u8) {
    let rd = RataDie::new(i64::from(date.num_days_from_ce()));
    let persian = Date::from_rata_die(rd, Persian);
    (
        persian.year().extended_year(),
        persian.month().ordinal,
        persian.day_of_month().0,
    )
}

/// A date as Persian readers expect to see it: `۱۲ آذر ۱۴۰۲`.
pub fn format_jalali(date: NaiveDate) -> String {
    let (y, m, d) = gregorian_to_jalali(date);
    let month = JALALI_MONTHS
        .get(usize::from(m).wrapping_sub(1))
        .copied()
        .unwrap_or("");
    format!(
        "{} {} {}",
        persian_digits(&d.to_string()),
        month,
        persian_digits(&y.to_string())
    )
}

/// Replaces ASCII digits (and a leading minus) with Persian digits.
fn persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The first plausible date in a text: a Jalali date (numeric
/// `۱۴۰۲/۰۹/۱۲`, `1402-09-12`, or `۱۲ آذر ۱۴۰۲`, `۱۲ حوت ۱۴۰۲`), or a
/// Gregorian one (`2023-12-03`, `۳ دسامبر ۲۰۲۳`, `3 December 2023`),
/// with the `HH:MM` time printed right after (or right before) it.
///
/// Digits may be Persian, Arabic-Indic or ASCII; Arabic yeh/kaf, ZWNJ,
/// tatweel and bidi marks are tolerated. Numeric dates are Jalali when the
/// year is 1300–1499 and Gregorian when it is 1900–2100. Hijri-qamari
/// dates (`۱۹ جمادی‌الاول ۱۴۴۵`, or a numeric one marked `ه‍.ق`) are
/// skipped, as are impossible dates (`۱۴۰۲/۱۳/۰۱`, `۳۱ مهر ۱۴۰۲`).
///
/// "First" is literal: a page header showing today's date comes before
/// the article's own date, so callers should pass the text where a
/// publication date is expected (a byline block, a `<time>` element), or
/// use [`find_persian_dates`] and choose.
pub fn find_persian_date(text: &str) -> Option<PersianDate> {
    find_persian_dates(text).next()
}

/// Every plausible date in a text, in order (see [`find_persian_date`]).
/// Lazy: stops reading the text as soon as the caller stops asking.
pub fn find_persian_dates(text: &str) -> PersianDates<'_> {
    PersianDates {
        toks: LazyTokens::new(text),
        next: 0,
        floor: 0,
    }
}

/// Iterator returned by [`find_persian_dates`].
pub struct PersianDates<'a> {
    toks: LazyTokens<'a>,
    /// Token index to resume scanning at.
    next: usize,
    /// First token the next date may take a leading time from: a time
    /// printed after one date is not also the time of the next.
    floor: usize,
}

impl Iterator for PersianDates<'_> {
    type Item = PersianDate;

    fn next(&mut self) -> Option<PersianDate> {
        let t = &mut self.toks;
        let mut i = self.next;
        loop {
            // Only history a pattern can look back on is kept.
            t.release_before(i.saturating_sub(LOOK_BACK));
            let starts_pattern = matches!(t.get(i)?, Tok::Num(..) | Tok::Word(Word::Month { .. }));
            if starts_pattern && let Some(found) = date_at(t, i) {
                let (time, end) = match time_after(t, found.end) {
                    Some((time, end)) => (Some(time), end),
                    None => (time_before(t, i, self.floor), found.end),
                };
                self.next = end;
                self.floor = end;
                return Some(PersianDate {
                    date: found.date,
                    time,
                    calendar: found.calendar,
                });
            }
            i += 1;
        }
    }
}

/// How many tokens before a candidate the patterns inspect (a leading
/// time with fillers, or the run check of numeric dates), with margin.
const LOOK_BACK: usize = 16;

/// A date recognised at a token position; `end` is the index just after
/// its last token (including any era marker).
struct Found {
    date: NaiveDate,
    calendar: Calendar,
    end: usize,
}

/// Tries every written form starting at token `i`.
fn date_at(t: &mut LazyTokens, i: usize) -> Option<Found> {
    numeric_date(t, i)
        .or_else(|| day_month_year(t, i))
        .or_else(|| month_day_year(t, i))
}

/// Separators of numeric dates: slash, hyphen, dot, Arabic decimal point.
fn is_date_sep(c: char) -> bool {
    matches!(c, '/' | '-' | '.' | '\u{066B}' | '\u{2215}')
}

/// `Y/M/D` (any calendar) or `D/M/Y` (Jalali only: the Gregorian order
/// is ambiguous between day-first and month-first writers).
fn numeric_date(t: &mut LazyTokens, i: usize) -> Option<Found> {
    let (a, ad) = t.num(i)?;
    let sep = t.punct(i + 1).filter(|c| is_date_sep(*c))?;
    let (b, bd) = t.num(i + 2)?;
    let sep2 = t.punct(i + 3)?;
    let (c, cd) = t.num(i + 4)?;
    if sep2 != sep || (i + 1..=i + 4).any(|k| t.spaced(k)) {
        return None;
    }
    // Part of a longer run like `1/2/1402/09/12` or `1402/09/12/3`: not a date.
    if i >= 2 && !t.spaced(i) && t.punct(i - 1).is_some_and(is_date_sep) && t.num(i - 2).is_some() {
        return None;
    }
    if !t.spaced(i + 5) && t.punct(i + 5) == Some(sep) && t.num(i + 6).is_some() && !t.spaced(i + 6)
    {
        return None;
    }
    let (year, month, day) = match (ad, bd, cd) {
        (4, 1..=2, 1..=2) => (a, b, c),
        (1..=2, 1..=2, 4) if JALALI_YEARS.contains(&c) => (c, b, a),
        _ => return None,
    };
    let calendar = calendar_of_year(year)?;
    finish(t, calendar, year, month, day, i + 5)
}

/// `۱۲ آذر ۱۴۰۲`, `۱۲ آذرماه ۱۴۰۲`, `۱۲ آذر ماه سال ۱۴۰۲`, `۳ دسامبر ۲۰۲۳`,
/// `3 December 2023`.
fn day_month_year(t: &mut LazyTokens, i: usize) -> Option<Found> {
    let (day, dd) = t.num(i)?;
    if dd > 2 {
        return None;
    }
    let Some(Word::Month {
        calendar, month, ..
    }) = t.word(i + 1)
    else {
        return None;
    };
    let mut k = i + 2;
    // Optional filler words between month and year.
    while k < i + 4 && matches!(t.word(k), Some(Word::Mah | Word::Sal)) {
        k += 1;
    }
    if matches!(t.punct(k), Some(',' | '،')) {
        k += 1;
    }
    let (year, yd) = t.num(k)?;
    if yd != 4 {
        return None;
    }
    finish(t, calendar, year, u32::from(month), day, k + 1)
}

/// Month-first order: `December 3, 2023`, and the `آذر ۱۲, ۱۴۰۲` that
/// Persian WordPress (parsidate) prints. Persian month names need the
/// comma, so that `مهر ۱۲ ۱۴۰۲` style number runs are not guessed at.
fn month_day_year(t: &mut LazyTokens, i: usize) -> Option<Found> {
    let Some(Word::Month {
        calendar,
        month,
        english,
    }) = t.word(i)
    else {
        return None;
    };
    let (day, dd) = t.num(i + 1)?;
    if dd > 2 {
        return None;
    }
    let mut k = i + 2;
    if matches!(t.punct(k), Some(',' | '،')) {
        k += 1;
    } else if !english {
        return None;
    }
    let (year, yd) = t.num(k)?;
    if yd != 4 {
        return None;
    }
    finish(t, calendar, year, u32::from(month), day, k + 1)
}

/// Checks the era marker after the year against the calendar the date
/// looks like, then converts.
fn finish(
    t: &mut LazyTokens,
    calendar: Calendar,
    year: u32,
    month: u32,
    day: u32,
    end: usize,
) -> Option<Found> {
    let range = match calendar {
        Calendar::Jalali => &JALALI_YEARS,
        Calendar::Gregorian => &GREGORIAN_YEARS,
    };
    if !range.contains(&year) {
        return None;
    }
    let (era, end) = era_marker(t, end);
    match (era, calendar) {
        (Some(Era::Lunar), _) => return None,
        (Some(Era::Solar), Calendar::Gregorian) | (Some(Era::Christian), Calendar::Jalali) => {
            return None;
        }
        _ => {}
    }
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    let year = i32::try_from(year).ok()?;
    let date = match calendar {
        Calendar::Jalali => jalali_to_gregorian(year, month, day)?,
        Calendar::Gregorian => NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))?,
    };
    Some(Found {
        date,
        calendar,
        end,
    })
}

fn calendar_of_year(year: u32) -> Option<Calendar> {
    if JALALI_YEARS.contains(&year) {
        Some(Calendar::Jalali)
    } else if GREGORIAN_YEARS.contains(&year) {
        Some(Calendar::Gregorian)
    } else {
        None
    }
}

/// The era a year is explicitly marked with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Era {
    /// `ه‍.ش`, `شمسی`, `خورشیدی`.
    Solar,
    /// `ه‍.ق`, `قمری`: Hijri-qamari, never what we want.
    Lunar,
    /// `م`, `میلادی`.
    Christian,
}

/// Reads an era marker right after a year: `ه.ش`, `هـ.ق`, `هجری شمسی`,
/// `قمری`, `م.`, `میلادی`. Returns the marker and the index after it.
fn era_marker(t: &mut LazyTokens, start: usize) -> (Option<Era>, usize) {
    let mut k = start;
    let mut hijri = false;
    for _ in 0..4 {
        if t.punct(k) == Some('.') && hijri {
            k += 1;
            continue;
        }
        let era = match t.word(k) {
            Some(Word::Heh | Word::Hijri) if !hijri => {
                hijri = true;
                k += 1;
                continue;
            }
            Some(Word::Shin | Word::Solar) => Era::Solar,
            Some(Word::Qaf | Word::Lunar) => Era::Lunar,
            Some(Word::Mim | Word::Christian) if !hijri => Era::Christian,
            _ => break,
        };
        return (Some(era), k + 1);
    }
    // A bare `ه` / `هجری` is ambiguous between the two Hijri calendars.
    (None, start)
}

/// What a word can mean to the date patterns. Words are classified once,
/// when tokenised, so scanning a long page allocates nothing per word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Month {
        calendar: Calendar,
        month: u8,
        /// English names may be written month-first without a comma.
        english: bool,
    },
    /// `ماه` ("month"), as in `آذر ماه`.
    Mah,
    /// `سال` ("year"), as in `آذر ماه سال ۱۴۰۲`.
    Sal,
    /// `ه` of `ه.ش` / `ه.ق`.
    Heh,
    /// `هجری`.
    Hijri,
    /// `ش` of `ه.ش`.
    Shin,
    /// `شمسی`, `خورشیدی`.
    Solar,
    /// `ق` of `ه.ق` and of `ق.ظ` (before noon).
    Qaf,
    /// `قمری`.
    Lunar,
    /// `م` (Gregorian year mark).
    Mim,
    /// `میلادی`.
    Christian,
    /// `ب` of `ب.ظ` (after noon).
    Be,
    /// `ظ` of `ب.ظ` / `ق.ظ`.
    Za,
    /// `بعدازظهر`, `pm`.
    Pm,
    /// `قبلازظهر`, `am`.
    Am,
    /// Words allowed between a date and its time: `ساعت`, `در`, `t`, `at`.
    TimeFiller,
    Other,
}

/// Words longer than this cannot be anything in [`Word`] but `Other`.
const MAX_WORD_BYTES: usize = 40;

/// What a folded word means to the date patterns: a hash lookup in a
/// table built once, so scanning a long page costs little per word.
fn classify_word(w: &str) -> Word {
    static WORDS: std::sync::LazyLock<std::collections::HashMap<String, Word>> =
        std::sync::LazyLock::new(word_table);
    WORDS.get(w).copied().unwrap_or(Word::Other)
}

/// Month names as they look after folding (Persian yeh/kaf, bare alef,
/// no ZWNJ, `ئ` kept as `ء`). Hijri-qamari months are deliberately absent.
const MONTH_NAMES: &[(&str, Calendar, u8)] = &[
    // Iranian Jalali names.
    ("فروردین", Calendar::Jalali, 1),
    ("اردیبهشت", Calendar::Jalali, 2),
    ("خرداد", Calendar::Jalali, 3),
    ("تیر", Calendar::Jalali, 4),
    ("مرداد", Calendar::Jalali, 5),
    ("امرداد", Calendar::Jalali, 5),
    ("شهریور", Calendar::Jalali, 6),
    ("مهر", Calendar::Jalali, 7),
    ("ابان", Calendar::Jalali, 8),
    ("اذر", Calendar::Jalali, 9),
    ("دی", Calendar::Jalali, 10),
    ("بهمن", Calendar::Jalali, 11),
    ("اسفند", Calendar::Jalali, 12),
    // Afghan (Dari) zodiac names of the same solar months.
    ("حمل", Calendar::Jalali, 1),
    ("ثور", Calendar::Jalali, 2),
    ("جوزا", Calendar::Jalali, 3),
    ("جوزاء", Calendar::Jalali, 3),
    ("سرطان", Calendar::Jalali, 4),
    ("اسد", Calendar::Jalali, 5),
    ("سنبله", Calendar::Jalali, 6),
    ("میزان", Calendar::Jalali, 7),
    ("عقرب", Calendar::Jalali, 8),
    ("قوس", Calendar::Jalali, 9),
    ("جدی", Calendar::Jalali, 10),
    ("دلو", Calendar::Jalali, 11),
    ("حوت", Calendar::Jalali, 12),
    // Gregorian months as written in Persian: Iranian French-derived forms
    // and the English-derived forms common in Afghanistan.
    ("ژانویه", Calendar::Gregorian, 1),
    ("جنوری", Calendar::Gregorian, 1),
    ("فوریه", Calendar::Gregorian, 2),
    ("فبروری", Calendar::Gregorian, 2),
    ("مارس", Calendar::Gregorian, 3),
    ("مارچ", Calendar::Gregorian, 3),
    ("اوریل", Calendar::Gregorian, 4),
    ("اپریل", Calendar::Gregorian, 4),
    ("مه", Calendar::Gregorian, 5),
    ("می", Calendar::Gregorian, 5),
    ("مءی", Calendar::Gregorian, 5),
    ("ژوءن", Calendar::Gregorian, 6),
    ("ژوین", Calendar::Gregorian, 6),
    ("جون", Calendar::Gregorian, 6),
    ("ژوءیه", Calendar::Gregorian, 7),
    ("ژوییه", Calendar::Gregorian, 7),
    ("جولای", Calendar::Gregorian, 7),
    ("اوت", Calendar::Gregorian, 8),
    ("اگوست", Calendar::Gregorian, 8),
    ("اگست", Calendar::Gregorian, 8),
    ("سپتامبر", Calendar::Gregorian, 9),
    ("سپتمبر", Calendar::Gregorian, 9),
    ("اکتبر", Calendar::Gregorian, 10),
    ("اکتوبر", Calendar::Gregorian, 10),
    ("نوامبر", Calendar::Gregorian, 11),
    ("نومبر", Calendar::Gregorian, 11),
    ("دسامبر", Calendar::Gregorian, 12),
    ("دسمبر", Calendar::Gregorian, 12),
];

/// English month names (lower-cased by folding), for English dates on
/// Persian pages.
const ENGLISH_MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Every word the patterns care about. A Persian month name is also
/// accepted with `ماه` ("month") glued to it (`آذرماه`, `آذر‌ماه`).
fn word_table() -> std::collections::HashMap<String, Word> {
    let mut t = std::collections::HashMap::new();
    for &(name, calendar, month) in MONTH_NAMES {
        let w = Word::Month {
            calendar,
            month,
            english: false,
        };
        t.insert(name.to_string(), w);
        t.insert(format!("{name}ماه"), w);
    }
    for &(name, month) in ENGLISH_MONTHS {
        let w = Word::Month {
            calendar: Calendar::Gregorian,
            month,
            english: true,
        };
        t.insert(name.to_string(), w);
    }
    let markers: &[(&str, Word)] = &[
        ("ماه", Word::Mah),
        ("سال", Word::Sal),
        ("ه", Word::Heh),
        ("هجری", Word::Hijri),
        ("ش", Word::Shin),
        ("شمسی", Word::Solar),
        ("خورشیدی", Word::Solar),
        ("ق", Word::Qaf),
        ("قمری", Word::Lunar),
        ("م", Word::Mim),
        ("میلادی", Word::Christian),
        ("ب", Word::Be),
        ("ظ", Word::Za),
        ("بعدازظهر", Word::Pm),
        ("pm", Word::Pm),
        ("قبلازظهر", Word::Am),
        ("am", Word::Am),
        ("ساعت", Word::TimeFiller),
        ("در", Word::TimeFiller),
        ("t", Word::TimeFiller),
        ("at", Word::TimeFiller),
    ];
    for &(w, kind) in markers {
        t.insert(w.to_string(), kind);
    }
    t
}

/// How many tokens of filler (dashes, bars, commas, `ساعت`) may stand
/// between a date and its time.
const TIME_GAP: usize = 3;

fn is_time_filler(t: &mut LazyTokens, k: usize) -> bool {
    if let Some(c) = t.punct(k) {
        return matches!(
            c,
            '-' | '|' | ',' | '،' | '/' | '(' | ')' | '[' | ']' | '•' | '·' | '؛' | ';'
        );
    }
    t.word(k) == Some(Word::TimeFiller)
}

/// `HH:MM` or `HH:MM:SS` starting at token `k`, with an optional 12-hour
/// mark after it (`ب.ظ`/`ق.ظ`, `بعدازظهر`, `pm`/`am`); returns the time
/// and the index after it.
fn time_at(t: &mut LazyTokens, k: usize) -> Option<(NaiveTime, usize)> {
    let (mut h, hd) = t.num(k)?;
    if hd > 2 || t.punct(k + 1) != Some(':') || t.spaced(k + 1) || t.spaced(k + 2) {
        return None;
    }
    let (m, md) = t.num(k + 2)?;
    if md != 2 {
        return None;
    }
    let mut end = k + 3;
    let mut s = 0;
    if t.punct(end) == Some(':')
        && !t.spaced(end)
        && !t.spaced(end + 1)
        && let Some((sec, 2)) = t.num(end + 1)
    {
        s = sec;
        end += 2;
    }
    let half = match t.word(end) {
        Some(Word::Pm) => Some((true, 1)),
        Some(Word::Am) => Some((false, 1)),
        Some(Word::Be | Word::Qaf)
            if t.punct(end + 1) == Some('.') && t.word(end + 2) == Some(Word::Za) =>
        {
            Some((t.word(end) == Some(Word::Be), 3))
        }
        _ => None,
    };
    if let Some((pm, len)) = half
        && (1..=12).contains(&h)
    {
        h = match (pm, h) {
            (false, 12) => 0,
            (true, h) if h < 12 => h + 12,
            (_, h) => h,
        };
        end += len;
    }
    Some((NaiveTime::from_hms_opt(h, m, s)?, end))
}

fn time_after(t: &mut LazyTokens, start: usize) -> Option<(NaiveTime, usize)> {
    for k in start..=start + TIME_GAP {
        if let Some(found) = time_at(t, k) {
            return Some(found);
        }
        if !is_time_filler(t, k) {
            return None;
        }
    }
    None
}

/// A time printed just before the date (`۱۴:۳۰ - ۱۴۰۲/۰۹/۱۲`), not
/// reaching back before `floor`.
fn time_before(t: &mut LazyTokens, date_start: usize, floor: usize) -> Option<NaiveTime> {
    let mut k = date_start;
    for _ in 0..=TIME_GAP {
        // A time ending at k-1: HH:MM, HH:MM:SS, each maybe with a mark.
        for len in [3usize, 4, 5, 6, 7, 8] {
            if k >= floor + len
                && let Some((time, end)) = time_at(t, k - len)
                && end == k
            {
                return Some(time);
            }
        }
        if k <= floor || !is_time_filler(t, k - 1) {
            return None;
        }
        k -= 1;
    }
    None
}

/// A token of folded text.
#[derive(Debug, Clone, Copy)]
enum Tok {
    /// A run of digits of any script: its value (saturating) and length.
    Num(u32, u8),
    /// A run of letters (folded: Persian yeh/kaf, bare alef, no ZWNJ or
    /// marks, Latin lower-cased), by meaning.
    Word(Word),
    Punct(char),
}

/// Tokens are produced only as far as the scan needs them, so finding a
/// date in the first line of a long page does not fold the whole page,
/// and tokens the patterns can no longer look back on are released, so a
/// long text is scanned in constant memory.
struct LazyTokens<'a> {
    chars: std::str::Chars<'a>,
    /// Tokens from index `base` on, each with whether whitespace preceded it.
    toks: Vec<(Tok, bool)>,
    base: usize,
    /// Folded form of the current source character, and how much of it
    /// has been consumed (a character can fold to several, or none).
    folded: String,
    folded_pos: usize,
    peeked: Option<char>,
    /// The current word while it is being read.
    word: String,
    space: bool,
}

impl<'a> LazyTokens<'a> {
    fn new(text: &'a str) -> Self {
        LazyTokens {
            chars: text.chars(),
            toks: Vec::new(),
            base: 0,
            folded: String::new(),
            folded_pos: 0,
            peeked: None,
            word: String::new(),
            space: false,
        }
    }

    fn get(&mut self, i: usize) -> Option<Tok> {
        let at = i.checked_sub(self.base)?;
        while self.toks.len() <= at {
            if !self.produce() {
                return None;
            }
        }
        self.toks.get(at).map(|(t, _)| *t)
    }

    /// Forgets tokens before index `i` (in batches, so the cost is
    /// amortised).
    fn release_before(&mut self, i: usize) {
        let drop = i.saturating_sub(self.base);
        if drop >= 4096 && drop <= self.toks.len() {
            self.toks.drain(..drop);
            self.base += drop;
        }
    }

    /// Whether whitespace stood before token `i` (false past the end).
    fn spaced(&mut self, i: usize) -> bool {
        self.get(i).is_some() && self.toks.get(i - self.base).is_some_and(|(_, s)| *s)
    }

    fn num(&mut self, i: usize) -> Option<(u32, u8)> {
        match self.get(i)? {
            Tok::Num(v, d) => Some((v, d)),
            _ => None,
        }
    }

    fn punct(&mut self, i: usize) -> Option<char> {
        match self.get(i)? {
            Tok::Punct(c) => Some(c),
            _ => None,
        }
    }

    fn word(&mut self, i: usize) -> Option<Word> {
        match self.get(i)? {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    /// Next folded character, skipping ones that fold to nothing.
    fn next_folded(&mut self) -> Option<char> {
        if let Some(c) = self.peeked.take() {
            return Some(c);
        }
        loop {
            if let Some(c) = self.folded[self.folded_pos..].chars().next() {
                self.folded_pos += c.len_utf8();
                return Some(c);
            }
            let c = self.chars.next()?;
            if c.is_ascii() {
                // Folding only lower-cases ASCII.
                return Some(c.to_ascii_lowercase());
            }
            self.folded.clear();
            self.folded_pos = 0;
            fold_for_dates(c, &mut self.folded);
        }
    }

    fn peek_folded(&mut self) -> Option<char> {
        if self.peeked.is_none() {
            self.peeked = self.next_folded();
        }
        self.peeked
    }

    /// Appends one token; false at the end of the text.
    fn produce(&mut self) -> bool {
        loop {
            let Some(c) = self.next_folded() else {
                return false;
            };
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            let spaced = std::mem::take(&mut self.space);
            let tok = if c.is_ascii_digit() {
                let (mut value, mut digits) = (c as u32 - '0' as u32, 1u8);
                while let Some(n) = self.peek_folded().filter(char::is_ascii_digit) {
                    self.peeked = None;
                    value = value
                        .saturating_mul(10)
                        .saturating_add(n as u32 - '0' as u32);
                    digits = digits.saturating_add(1);
                }
                Tok::Num(value, digits)
            } else if c.is_alphabetic() {
                self.word.clear();
                self.word.push(c);
                while let Some(n) = self.peek_folded().filter(|n| n.is_alphabetic()) {
                    self.peeked = None;
                    if self.word.len() <= MAX_WORD_BYTES {
                        self.word.push(n);
                    }
                }
                if self.word.len() > MAX_WORD_BYTES {
                    Tok::Word(Word::Other)
                } else {
                    Tok::Word(classify_word(&self.word))
                }
            } else {
                Tok::Punct(c)
            };
            self.toks.push((tok, spaced));
            return true;
        }
    }
}

/// [`crate::fold_char_into`] plus the few things dates need on top: Arabic
/// presentation forms decomposed, bidi isolates and the Arabic letter
/// mark dropped. `ژوئن` folds to `ژوءن` (hamza kept as a letter) which
/// the month table lists.
fn fold_for_dates(c: char, out: &mut String) {
    use unicode_normalization::UnicodeNormalization;
    match c {
        '\u{2066}'..='\u{2069}' | '\u{061C}' => {}
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => {
            for d in std::iter::once(c).nfkc() {
                crate::fold_char_into(d, out);
            }
        }
        // Yeh with hamza would fold to yeh; keep the hamza letter so that
        // ژوئن/ژوئیه stay one spelling.
        'ئ' => out.push('ء'),
        c => crate::fold_char_into(c, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_are_found_in_folded_text() {
        assert_eq!(jalali_month_of_folded(&crate::fold("آبان")), Some(8));
        assert_eq!(jalali_month_of_folded("اذر"), Some(9));
        assert_eq!(jalali_month_of_folded("فروردین"), Some(1));
        assert_eq!(
            jalali_month_of_folded("آبان"),
            None,
            "callers pass folded words"
        );
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn found(text: &str) -> Option<(NaiveDate, Option<NaiveTime>, Calendar)> {
        find_persian_date(text).map(|p| (p.date, p.time, p.calendar))
    }

    fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn known_conversions() {
        assert_eq!(jalali_to_gregorian(1402, 1, 1), Some(ymd(2023, 3, 21)));
        assert_eq!(jalali_to_gregorian(1402, 9, 12), Some(ymd(2023, 12, 3)));
        assert_eq!(jalali_to_gregorian(1403, 1, 1), Some(ymd(2024, 3, 20)));
        assert_eq!(jalali_to_gregorian(1404, 1, 1), Some(ymd(2025, 3, 21)));
        assert_eq!(jalali_to_gregorian(1357, 11, 22), Some(ymd(1979, 2, 11)));
        assert_eq!(jalali_to_gregorian(1401, 6, 25), Some(ymd(2022, 9, 16)));
        assert_eq!(gregorian_to_jalali(ymd(2023, 12, 3)), (1402, 9, 12));
        assert_eq!(gregorian_to_jalali(ymd(2024, 3, 19)), (1402, 12, 29));
    }

    #[test]
    fn esfand_30_only_in_leap_years() {
        // 1399 and 1403 are leap years in the 33-year cycle; 1402 and 1404 are not.
        assert_eq!(jalali_to_gregorian(1403, 12, 30), Some(ymd(2025, 3, 20)));
        assert_eq!(jalali_to_gregorian(1399, 12, 30), Some(ymd(2021, 3, 20)));
        assert_eq!(jalali_to_gregorian(1402, 12, 30), None);
        assert_eq!(jalali_to_gregorian(1404, 12, 30), None);
        // The day after 30 Esfand 1403 is Nowruz 1404.
        assert_eq!(gregorian_to_jalali(ymd(2025, 3, 21)), (1404, 1, 1));
    }

    #[test]
    fn impossible_jalali_dates_are_none() {
        assert_eq!(jalali_to_gregorian(1402, 13, 1), None);
        assert_eq!(jalali_to_gregorian(1402, 0, 1), None);
        assert_eq!(jalali_to_gregorian(1402, 7, 31), None);
        assert_eq!(jalali_to_gregorian(1402, 6, 31).map(|d| d.month()), Some(9));
        assert_eq!(jalali_to_gregorian(1402, 1, 0), None);
        assert_eq!(jalali_to_gregorian(i32::MAX, 1, 1), None);
    }

    #[test]
    fn round_trips_every_day_of_a_decade() {
        let mut d = ymd(2018, 1, 1);
        while d < ymd(2030, 1, 1) {
            let (y, m, dd) = gregorian_to_jalali(d);
            assert_eq!(jalali_to_gregorian(y, m, dd), Some(d), "{d}");
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn formats_in_persian_digits() {
        assert_eq!(format_jalali(ymd(2023, 12, 3)), "۱۲ آذر ۱۴۰۲");
        assert_eq!(format_jalali(ymd(2025, 3, 21)), "۱ فروردین ۱۴۰۴");
        assert_eq!(format_jalali(ymd(2025, 3, 20)), "۳۰ اسفند ۱۴۰۳");
    }

    #[test]
    fn numeric_jalali_in_every_digit_script() {
        let want = Some((ymd(2023, 12, 3), None, Calendar::Jalali));
        assert_eq!(found("۱۴۰۲/۰۹/۱۲"), want);
        assert_eq!(found("١٤٠٢/٠٩/١٢"), want);
        assert_eq!(found("1402-09-12"), want);
        assert_eq!(found("تاریخ انتشار: 1402.9.12"), want);
        assert_eq!(found("۱۴۰۲/9/۱۲"), want);
        assert_eq!(found("۱۲/۰۹/۱۴۰۲"), want);
    }

    #[test]
    fn numeric_gregorian() {
        assert_eq!(
            found("2023/12/03"),
            Some((ymd(2023, 12, 3), None, Calendar::Gregorian))
        );
        assert_eq!(
            found("2023-12-03T14:30:00+03:30"),
            Some((ymd(2023, 12, 3), hm(14, 30), Calendar::Gregorian))
        );
        // Day-first Gregorian is ambiguous: not guessed.
        assert_eq!(found("03/12/2023"), None);
    }

    #[test]
    fn named_jalali_with_weekday_and_time() {
        let want = Some((ymd(2023, 12, 3), hm(14, 30), Calendar::Jalali));
        assert_eq!(found("يکشنبه ۱۲ آذر ۱۴۰۲ - ۱۴:۳۰"), want);
        assert_eq!(found("یکشنبه ۱۲ آذر ۱۴۰۲ ساعت ۱۴:۳۰"), want);
        assert_eq!(found("۱۲ آذرماه ۱۴۰۲، ساعت ۱۴:۳۰"), want);
        assert_eq!(found("۱۲ آذر‌ماه ۱۴۰۲ | ۱۴:۳۰:۰۰"), want);
        assert_eq!(found("۱۴:۳۰ - ۱۴۰۲/۰۹/۱۲"), want);
        assert_eq!(found("۱۴۰۲/۰۹/۱۲ - ۱۴:۳۰"), want);
        assert_eq!(
            found("۱۲ آذر ماه سال ۱۴۰۲"),
            Some((ymd(2023, 12, 3), None, Calendar::Jalali))
        );
    }

    #[test]
    fn every_jalali_month_name() {
        let names = [
            "فروردین",
            "اردیبهشت",
            "خرداد",
            "تیر",
            "مرداد",
            "شهریور",
            "مهر",
            "آبان",
            "آذر",
            "دی",
            "بهمن",
            "اسفند",
        ];
        for (i, name) in names.iter().enumerate() {
            let m = i as u8 + 1;
            let got = find_persian_date(&format!("۵ {name} ۱۴۰۲")).map(|p| p.date);
            assert_eq!(got, jalali_to_gregorian(1402, m, 5), "{name}");
            assert!(got.is_some(), "{name}");
        }
        assert_eq!(
            found("۵ امرداد ۱۴۰۲").map(|f| f.0),
            jalali_to_gregorian(1402, 5, 5)
        );
        assert_eq!(
            found("۵ ابان ۱۴۰۲").map(|f| f.0),
            jalali_to_gregorian(1402, 8, 5)
        );
    }

    #[test]
    fn afghan_month_names() {
        let names = [
            "حمل",
            "ثور",
            "جوزا",
            "سرطان",
            "اسد",
            "سنبله",
            "میزان",
            "عقرب",
            "قوس",
            "جدی",
            "دلو",
            "حوت",
        ];
        for (i, name) in names.iter().enumerate() {
            let got = find_persian_date(&format!("کابل، ۱۰ {name} ۱۴۰۲")).map(|p| p.date);
            assert_eq!(got, jalali_to_gregorian(1402, i as u8 + 1, 10), "{name}");
        }
    }

    #[test]
    fn every_gregorian_month_name_in_persian() {
        let names: [&[&str]; 12] = [
            &["ژانویه", "جنوری"],
            &["فوریه", "فبروری"],
            &["مارس", "مارچ"],
            &["آوریل", "اپریل"],
            &["مه", "می", "مِی"],
            &["ژوئن", "جون"],
            &["ژوئیه", "جولای", "ژوییه"],
            &["اوت", "آگوست"],
            &["سپتامبر"],
            &["اکتبر"],
            &["نوامبر"],
            &["دسامبر"],
        ];
        for (i, spellings) in names.iter().enumerate() {
            for name in *spellings {
                let got = found(&format!("۳ {name} ۲۰۲۳"));
                assert_eq!(
                    got,
                    Some((ymd(2023, i as u32 + 1, 3), None, Calendar::Gregorian)),
                    "{name}"
                );
            }
        }
        assert_eq!(
            found("3 December 2023").map(|f| f.0),
            Some(ymd(2023, 12, 3))
        );
        assert_eq!(
            found("December 3, 2023 at 14:30").map(|f| f.1),
            Some(hm(14, 30))
        );
    }

    #[test]
    fn wordpress_parsidate_month_first() {
        let want = Some((ymd(2024, 5, 9), hm(10, 20), Calendar::Jalali));
        assert_eq!(found("اردیبهشت ۲۰, ۱۴۰۳ در ساعت ۱۰:۲۰"), want);
        assert_eq!(found("ارسال شده در اردیبهشت ۲۰، ۱۴۰۳ ۱۰:۲۰"), want);
        assert_eq!(found("دسامبر ۳, ۲۰۲۳").map(|f| f.0), Some(ymd(2023, 12, 3)));
        // Without the comma a Persian month-first run is not a date.
        assert_eq!(found("اردیبهشت ۲۰ ۱۴۰۳"), None);
    }

    #[test]
    fn twelve_hour_marks() {
        assert_eq!(
            found("۱۲ آذر ۱۴۰۲ - ۰۲:۳۰ ب.ظ").map(|f| f.1),
            Some(hm(14, 30))
        );
        assert_eq!(
            found("۱۲ آذر ۱۴۰۲ - ۱۲:۱۰ ق.ظ").map(|f| f.1),
            Some(hm(0, 10))
        );
        assert_eq!(
            found("۱۲ آذر ۱۴۰۲ ساعت ۱۲:۱۰ بعدازظهر").map(|f| f.1),
            Some(hm(12, 10))
        );
        assert_eq!(
            found("December 3, 2023 at 2:30 PM").map(|f| f.1),
            Some(hm(14, 30))
        );
        assert_eq!(
            found("۰۲:۳۰ ب.ظ - ۱۴۰۲/۰۹/۱۲").map(|f| f.1),
            Some(hm(14, 30))
        );
        // A 24-hour time with a mark is left as written.
        assert_eq!(
            found("۱۲ آذر ۱۴۰۲ - ۱۴:۳۰ ب.ظ").map(|f| f.1),
            Some(hm(14, 30))
        );
    }

    #[test]
    fn every_date_in_order() {
        let header =
            "امروز: سه‌شنبه ۱۴ آذر ۱۴۰۲ | ۱۹ جمادی‌الاول ۱۴۴۵ | خبر: ۱۲ آذر ۱۴۰۲ - ۱۴:۳۰ | ۱۴۰۲/۰۹/۱۰";
        let all: Vec<_> = find_persian_dates(header)
            .map(|p| (p.date, p.time))
            .collect();
        assert_eq!(
            all,
            vec![
                (ymd(2023, 12, 5), None),
                (ymd(2023, 12, 3), hm(14, 30)),
                // The 14:30 belongs to the date before; it is not reused.
                (ymd(2023, 12, 1), None),
            ]
        );
        assert_eq!(find_persian_dates("بدون تاریخ").count(), 0);
    }

    #[test]
    fn long_text_without_dates_ends() {
        let filler =
            "این یک متن طولانی بدون تاریخ است، با عدد ۱۲ و ۱۴۰۲ و ساعت ۱۲ ولی نه به شکل تاریخ. ";
        let text = filler.repeat(3000);
        assert_eq!(find_persian_date(&text), None);
        let with_date = format!("{text} منتشرشده در ۱۲ آذر ۱۴۰۲");
        assert_eq!(found(&with_date).map(|f| f.0), Some(ymd(2023, 12, 3)));
    }

    #[test]
    fn arabic_spellings_zwnj_and_marks_are_tolerated() {
        let want = Some(ymd(2023, 5, 1));
        // Arabic yeh in اردیبهشت, tatweel, ZWNJ before ماه, RLM marks.
        assert_eq!(found("۱۱ ارديبهشت ۱۴۰۲").map(|f| f.0), want);
        assert_eq!(found("۱۱ اردیبهـشت ۱۴۰۲").map(|f| f.0), want);
        assert_eq!(found("۱۱ اردیبهشت‌ماه ۱۴۰۲").map(|f| f.0), want);
        assert_eq!(
            found("\u{200F}۱۱\u{200F} اردیبهشت \u{2067}۱۴۰۲\u{2069}").map(|f| f.0),
            want
        );
        assert_eq!(
            found("۲۱ دي ۱۴۰۲").map(|f| f.0),
            jalali_to_gregorian(1402, 10, 21)
        );
    }

    #[test]
    fn hijri_qamari_is_never_read_as_jalali() {
        assert_eq!(found("۱۹ جمادی‌الاول ۱۴۴۵"), None);
        assert_eq!(found("۱۹ جمادی الاول ۱۴۴۵"), None);
        assert_eq!(found("۱ رمضان ۱۴۴۵"), None);
        assert_eq!(found("۱۴۴۵/۰۵/۱۹ ه.ق"), None);
        assert_eq!(found("۱۴۴۵/۰۵/۱۹ هـ.ق"), None);
        assert_eq!(found("۱۴۴۵/۰۵/۱۹ قمری"), None);
        // A page header with all three calendars: the Jalali one comes first.
        let header = "یکشنبه ۱۹ جمادی‌الاول ۱۴۴۵ - ۱۲ آذر ۱۴۰۲ ه.ش - 3 December 2023";
        assert_eq!(
            found(header),
            Some((ymd(2023, 12, 3), None, Calendar::Jalali))
        );
    }

    #[test]
    fn implausible_numbers_are_skipped() {
        assert_eq!(found("۱۴۰۲/۱۳/۰۱"), None);
        assert_eq!(found("۳۱ مهر ۱۴۰۲"), None);
        assert_eq!(found("۳۰ اسفند ۱۴۰۲"), None);
        assert_eq!(found("شماره ۱۲۳۴/۵۶/۷۸"), None);
        assert_eq!(found("تلفن 021-8888-1234"), None);
        assert_eq!(found("نسخه 1.2.3"), None);
        assert_eq!(found("۱۲ آذر"), None);
        assert_eq!(found("۱/۲/۱۴۰۲/۰۹/۱۲"), None);
        // The first impossible candidate does not hide a later real one.
        assert_eq!(
            found("۱۴۰۲/۱۳/۰۱ و ۱۴۰۲/۰۹/۱۲").map(|f| f.0),
            Some(ymd(2023, 12, 3))
        );
    }

    #[test]
    fn a_date_inside_prose() {
        let s = "به گزارش خبرگزاری ایسنا، این نشست روز ۲۵ شهریور ۱۴۰۱ در تهران برگزار شد.";
        assert_eq!(found(s).map(|f| f.0), Some(ymd(2022, 9, 16)));
        // A football score next to the date is not a time.
        assert_eq!(found("۱۲ آذر ۱۴۰۲ - ۲:۱").map(|f| f.1), Some(None));
        assert_eq!(found("۱۲ آذر ۱۴۰۲ - ۲۵:۳۰").map(|f| f.1), Some(None));
    }

    /// The Persian page fixtures list, for every page, the date exactly as
    /// the page prints it and the Gregorian date it stands for (computed
    /// independently, from a Nowruz table, by the fixture generator).
    #[test]
    fn dates_printed_on_the_persian_fixture_pages() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/persian-pages/gold.json"
        );
        let gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut checked = 0;
        for (page, g) in gold.as_object().unwrap() {
            let published =
                NaiveDate::parse_from_str(g["published"].as_str().unwrap(), "%Y-%m-%d").unwrap();
            let (y, m, d) = gregorian_to_jalali(published);
            let jalali = format!("{y}/{m:02}/{d:02}");
            assert_eq!(g["jalali"].as_str(), Some(jalali.as_str()), "{page}");
            let Some(text) = g.get("date_text").and_then(|t| t.as_str()) else {
                continue;
            };
            let got = find_persian_date(text).map(|p| p.date);
            assert_eq!(got, Some(published), "{page}: {text}");
            checked += 1;
        }
        assert!(checked >= 30, "only {checked} pages checked");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC*") {
            let _ = find_persian_date(&s);
        }

        #[test]
        fn date_like_text_never_panics(s in "[۰-۹٠-٩0-9/:\\-. آذرماهیکشنبهقش\u{200c}]{0,40}") {
            let _ = find_persian_date(&s);
        }

        #[test]
        fn conversion_round_trips(days in 0i32..200_000) {
            let d = NaiveDate::from_num_days_from_ce_opt(600_000 + days).unwrap();
            let (y, m, dd) = gregorian_to_jalali(d);
            proptest::prop_assert_eq!(jalali_to_gregorian(y, m, dd), Some(d));
        }
    }
}

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
pub fn find_persian_date(text: &str) -> Option<PersianDate> {
    let mut toks = LazyTokens::new(text);
    let mut i = 0;
    while toks.get(i).is_some() {
        if let Some(found) = date_at(&mut toks, i) {
            let time = time_after(&mut toks, found.end).or_else(|| time_before(&mut toks, i));
            return Some(PersianDate {
                date: found.date,
                time,
                calendar: found.calendar,
            });
        }
        i += 1;
    }
    None
}

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
    let end = i + 5;
    finish(t, calendar, year, month, day, end)
}

/// `۱۲ آذر ۱۴۰۲`, `۱۲ آذرماه ۱۴۰۲`, `۱۲ آذر ماه سال ۱۴۰۲`, `۳ دسامبر ۲۰۲۳`,
/// `3 December 2023`.
fn day_month_year(t: &mut LazyTokens, i: usize) -> Option<Found> {
    let (day, dd) = t.num(i)?;
    if dd > 2 {
        return None;
    }
    let (calendar, month) = t.word(i + 1).and_then(month_by_name)?;
    let mut k = i + 2;
    // Optional filler words between month and year.
    while k < i + 4 && t.word(k).is_some_and(|w| w == "ماه" || w == "سال") {
        k += 1;
    }
    if t.punct(k) == Some(',') || t.punct(k) == Some('،') {
        k += 1;
    }
    let (year, yd) = t.num(k)?;
    if yd != 4 {
        return None;
    }
    finish(t, calendar, year, month, day, k + 1)
}

/// Month-first order: `December 3, 2023`, and the `آذر ۱۲, ۱۴۰۲` that
/// Persian WordPress (parsidate) prints. Persian month names need the
/// comma, so that `مهر ۱۲ ۱۴۰۲` style number runs are not guessed at.
fn month_day_year(t: &mut LazyTokens, i: usize) -> Option<Found> {
    let word = t.word(i)?;
    let english = english_month(word).is_some();
    let (calendar, month) = month_by_name(word)?;
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
    finish(t, calendar, year, month, day, k + 1)
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
        let Some(w) = t.word(k) else { break };
        let era = match w {
            "ه" | "هجری" if !hijri => {
                hijri = true;
                k += 1;
                continue;
            }
            "ش" | "شمسی" | "خورشیدی" => Era::Solar,
            "ق" | "قمری" => Era::Lunar,
            "م" | "میلادی" if !hijri => Era::Christian,
            _ => break,
        };
        return (Some(era), k + 1);
    }
    // A bare `ه` / `هجری` is ambiguous between the two Hijri calendars.
    (None, start)
}

/// Looks up a month word (already folded: Persian yeh/kaf, bare alef, no
/// ZWNJ). A trailing `ماه` ("month") glued to the name is accepted.
/// Hijri-qamari months are deliberately absent.
fn month_by_name(w: &str) -> Option<(Calendar, u32)> {
    let w = match w.strip_suffix("ماه") {
        Some(stem) if !stem.is_empty() && month_by_exact_name(stem).is_some() => stem,
        _ => w,
    };
    month_by_exact_name(w).or_else(|| english_month(w).map(|m| (Calendar::Gregorian, m)))
}

fn month_by_exact_name(w: &str) -> Option<(Calendar, u32)> {
    use Calendar::{Gregorian, Jalali};
    let found = match w {
        // Iranian Jalali names (folded: آ -> ا).
        "فروردین" => (Jalali, 1),
        "اردیبهشت" => (Jalali, 2),
        "خرداد" => (Jalali, 3),
        "تیر" => (Jalali, 4),
        "مرداد" | "امرداد" => (Jalali, 5),
        "شهریور" => (Jalali, 6),
        "مهر" => (Jalali, 7),
        "ابان" => (Jalali, 8),
        "اذر" => (Jalali, 9),
        "دی" => (Jalali, 10),
        "بهمن" => (Jalali, 11),
        "اسفند" => (Jalali, 12),
        // Afghan (Dari) zodiac names of the same solar months.
        "حمل" => (Jalali, 1),
        "ثور" => (Jalali, 2),
        "جوزا" | "جوزاء" => (Jalali, 3),
        "سرطان" => (Jalali, 4),
        "اسد" => (Jalali, 5),
        "سنبله" => (Jalali, 6),
        "میزان" => (Jalali, 7),
        "عقرب" => (Jalali, 8),
        "قوس" => (Jalali, 9),
        "جدی" => (Jalali, 10),
        "دلو" => (Jalali, 11),
        "حوت" => (Jalali, 12),
        // Gregorian months as written in Persian (Iranian French-derived
        // forms and the English-derived forms common in Afghanistan).
        "ژانویه" | "جنوری" => (Gregorian, 1),
        "فوریه" | "فبروری" => (Gregorian, 2),
        "مارس" | "مارچ" => (Gregorian, 3),
        "اوریل" | "اپریل" => (Gregorian, 4),
        "مه" | "می" | "مءی" => (Gregorian, 5),
        "ژوءن" | "ژوین" | "جون" => (Gregorian, 6),
        "ژوءیه" | "ژوییه" | "جولای" => (Gregorian, 7),
        "اوت" | "اگوست" | "اگست" => (Gregorian, 8),
        "سپتامبر" | "سپتمبر" => (Gregorian, 9),
        "اکتبر" => (Gregorian, 10),
        "نوامبر" | "نومبر" => (Gregorian, 11),
        "دسامبر" | "دسمبر" => (Gregorian, 12),
        _ => return None,
    };
    Some(found)
}

fn english_month(w: &str) -> Option<u32> {
    let m = match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
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
    t.word(k)
        .is_some_and(|w| matches!(w, "ساعت" | "t" | "at" | "در" | "-"))
}

/// `HH:MM` or `HH:MM:SS` starting at token `k`; returns the time and the
/// index after it.
fn time_at(t: &mut LazyTokens, k: usize) -> Option<(NaiveTime, usize)> {
    let (h, hd) = t.num(k)?;
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
    Some((NaiveTime::from_hms_opt(h, m, s)?, end))
}

fn time_after(t: &mut LazyTokens, start: usize) -> Option<NaiveTime> {
    for k in start..=start + TIME_GAP {
        if let Some((time, _)) = time_at(t, k) {
            return Some(time);
        }
        if !is_time_filler(t, k) {
            return None;
        }
    }
    None
}

/// A time printed just before the date (`۱۴:۳۰ - ۱۴۰۲/۰۹/۱۲`).
fn time_before(t: &mut LazyTokens, date_start: usize) -> Option<NaiveTime> {
    let mut k = date_start;
    for _ in 0..=TIME_GAP {
        // A time ends at k-1: try both HH:MM and HH:MM:SS shapes.
        for len in [3usize, 5] {
            if k >= len
                && let Some((time, end)) = time_at(t, k - len)
                && end == k
            {
                return Some(time);
            }
        }
        if k == 0 || !is_time_filler(t, k - 1) {
            return None;
        }
        k -= 1;
    }
    None
}

/// A token of folded text.
#[derive(Debug)]
enum Tok {
    /// A run of digits of any script: its value (saturating) and length.
    Num(u32, u8),
    /// A run of letters, folded (Persian yeh/kaf, bare alef, no ZWNJ or
    /// marks, Latin lower-cased).
    Word(String),
    Punct(char),
}

/// Tokens are produced only as far as the scan needs them, so finding a
/// date in the first line of a long page does not fold the whole page.
struct LazyTokens<'a> {
    chars: std::str::Chars<'a>,
    /// Each token and whether whitespace preceded it.
    toks: Vec<(Tok, bool)>,
    /// Folded characters waiting to be tokenised.
    pending: std::collections::VecDeque<char>,
    space: bool,
}

impl<'a> LazyTokens<'a> {
    fn new(text: &'a str) -> Self {
        LazyTokens {
            chars: text.chars(),
            toks: Vec::new(),
            pending: Default::default(),
            space: false,
        }
    }

    fn get(&mut self, i: usize) -> Option<&Tok> {
        while self.toks.len() <= i {
            if !self.produce() {
                return None;
            }
        }
        self.toks.get(i).map(|(t, _)| t)
    }

    /// Whether whitespace stood before token `i` (false past the end).
    fn spaced(&mut self, i: usize) -> bool {
        self.get(i);
        self.toks.get(i).is_some_and(|(_, s)| *s)
    }

    fn num(&mut self, i: usize) -> Option<(u32, u8)> {
        match self.get(i)? {
            Tok::Num(v, d) => Some((*v, *d)),
            _ => None,
        }
    }

    fn punct(&mut self, i: usize) -> Option<char> {
        match self.get(i)? {
            Tok::Punct(c) => Some(*c),
            _ => None,
        }
    }

    fn word(&mut self, i: usize) -> Option<&str> {
        match self.get(i)? {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        }
    }

    /// Next folded character, skipping ones that fold to nothing.
    fn next_folded(&mut self) -> Option<char> {
        loop {
            if let Some(c) = self.pending.pop_front() {
                return Some(c);
            }
            let c = self.chars.next()?;
            let mut buf = String::new();
            fold_for_dates(c, &mut buf);
            self.pending.extend(buf.chars());
        }
    }

    fn peek_folded(&mut self) -> Option<char> {
        let c = self.next_folded()?;
        self.pending.push_front(c);
        Some(c)
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
                    self.next_folded();
                    value = value
                        .saturating_mul(10)
                        .saturating_add(n as u32 - '0' as u32);
                    digits = digits.saturating_add(1);
                }
                Tok::Num(value, digits)
            } else if c.is_alphabetic() {
                let mut w = String::from(c);
                while let Some(n) = self.peek_folded().filter(|n| n.is_alphabetic()) {
                    self.next_folded();
                    w.push(n);
                }
                Tok::Word(w)
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

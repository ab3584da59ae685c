//! Lines that hold nothing but a date (and time), in any language.
//!
//! Article headers print the publish date as its own line between the
//! byline and the story (`<time>February 26, 1987</time>`). When the
//! header sits inside the body container, such a line would become the
//! first body block and hide the wire dateline of the paragraph after it.

use crate::dates::has_full_date;
use khabar_text::dates::month_number;

/// Words that may stand next to a date in a date line: weekdays, clock and
/// zone words, "published/updated on", in the languages of the month table
/// plus Persian (Jalali, Afghan solar and Persian-written Gregorian months).
#[rustfmt::skip]
const DATE_WORDS: &[&str] = &[
    // weekdays
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "sonnabend", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miércoles", "jueves", "viernes",
    "sábado", "domingo", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato",
    "domenica", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    // clock, zones and connectives
    "am", "pm", "a", "p", "m", "uhr", "h", "gmt", "utc", "et", "est", "edt", "ct", "cst", "cdt",
    "pt", "pst", "pdt", "bst", "cet", "cest", "mez", "mesz", "irst", "ist", "st", "nd", "rd", "th",
    "on", "at", "of", "the", "um", "am", "le", "à", "de", "del", "el", "il", "den", "der", "op",
    "om", "published", "updated", "posted", "veröffentlicht", "aktualisiert", "publié", "mis",
    "jour", "stand", "date", "datum", "time",
    // Persian: weekdays (ZWNJ splits سه‌شنبه into سه + شنبه), months, clock
    "شنبه", "یکشنبه", "یک", "دوشنبه", "دو", "سه", "چهارشنبه", "چهار", "پنجشنبه", "پنج", "جمعه",
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
    "اسفند", "حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو",
    "حوت", "ژانویه", "فوریه", "مارس", "مارچ", "آوریل", "اپریل", "مه", "می", "ژوئن", "جون", "ژوئیه",
    "جولای", "اوت", "آگوست", "اگست", "سپتامبر", "اکتبر", "نوامبر", "دسامبر", "ساعت", "تاریخ",
    "انتشار", "منتشر", "شده", "در", "ه", "ش", "ق", "هجری", "شمسی", "خورشیدی", "میلادی",
    "بروزرسانی", "به", "روز", "رسانی",
];

/// Whether a short line is only a date with its weekday, time and zone:
/// it has a full date, and every word left is a date word.
pub fn is_date_only_line(t: &str) -> bool {
    if t.chars().count() > 100 {
        return false;
    }
    if !has_full_date(t) && khabar_text::find_persian_date(t).is_none() {
        return false;
    }
    let folded = khabar_text::normalize_display(t).to_lowercase();
    folded
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| month_number(w).is_some() || DATE_WORDS.contains(&w))
}

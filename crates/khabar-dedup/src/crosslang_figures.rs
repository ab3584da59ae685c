//! Figures of a report in either language as plain numbers, so that
//! `۱۲ نفر` meets `12 people`, `۱.۲ میلیون` and `یک میلیون و ۲۰۰ هزار`
//! meet `1.2 million`, and `بیست و پنج` meets `twenty-five`.
//!
//! Digits of every script are folded by `khabar_text::fold`; the Arabic
//! decimal and thousands separators and the Persian habit of writing a
//! decimal point as `/` (`۲/۵ درصد`) are read here. Years and clock times
//! are left out: they say when, not what (dates are read by
//! `crosslang_dates`).

use crate::gazetteer::Lang;

/// Smallest figure kept: 0 and 1 are everywhere ("one of", "a").
const MIN_FIGURE: f64 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece {
    /// A number written in digits.
    Digits(f64, bool),
    /// A number word below one hundred (or a half).
    Word(f64),
    /// `hundred`: scales the running value.
    Hundred,
    /// thousand, million, billion, trillion.
    Scale(f64),
    /// `and` / `و` between parts of one number.
    And,
    Other,
}

fn word_value(w: &str) -> Option<f64> {
    let v = match w {
        "two" | "دو" => 2.0,
        "three" | "سه" => 3.0,
        "four" | "چهار" => 4.0,
        "five" | "پنج" => 5.0,
        "six" | "شش" => 6.0,
        "seven" | "هفت" => 7.0,
        "eight" | "هشت" => 8.0,
        // Persian نه is also "no": only read inside a longer number.
        "nine" => 9.0,
        "ten" | "ده" => 10.0,
        "eleven" | "یازده" => 11.0,
        "twelve" | "دوازده" => 12.0,
        "thirteen" | "سیزده" => 13.0,
        "fourteen" | "چهارده" => 14.0,
        "fifteen" | "پانزده" => 15.0,
        "sixteen" | "شانزده" => 16.0,
        "seventeen" | "هفده" => 17.0,
        "eighteen" | "هجده" | "هیجده" => 18.0,
        "nineteen" | "نوزده" => 19.0,
        "twenty" | "بیست" => 20.0,
        "thirty" | "سی" => 30.0,
        "forty" | "چهل" => 40.0,
        "fifty" | "پنجاه" => 50.0,
        "sixty" | "شصت" => 60.0,
        "seventy" | "هفتاد" => 70.0,
        "eighty" | "هشتاد" => 80.0,
        "ninety" | "نود" => 90.0,
        "دویست" => 200.0,
        "سیصد" => 300.0,
        "چهارصد" => 400.0,
        "پانصد" => 500.0,
        "ششصد" => 600.0,
        "هفتصد" => 700.0,
        "هشتصد" => 800.0,
        "نهصد" => 900.0,
        "one" | "یک" => 1.0,
        "half" | "نیم" => 0.5,
        _ => return None,
    };
    Some(v)
}

fn classify(w: &str) -> Piece {
    if let Some(p) = digits_value(w) {
        return p;
    }
    match w {
        "and" | "و" => Piece::And,
        "hundred" | "صد" => Piece::Hundred,
        "thousand" | "هزار" => Piece::Scale(1e3),
        "million" | "millions" | "mln" | "mn" | "میلیون" => Piece::Scale(1e6),
        "billion" | "billions" | "bln" | "bn" | "میلیارد" => Piece::Scale(1e9),
        "trillion" | "تریلیون" => Piece::Scale(1e12),
        _ => word_value(w).map_or(Piece::Other, Piece::Word),
    }
}

/// A token made of digits and separators: its value and whether it may
/// be a year (four plain digits).
fn digits_value(w: &str) -> Option<Piece> {
    let w = w.trim_start_matches(['$', '€', '£']);
    let w = w.trim_end_matches(['%', '٪']);
    // `1.2bn`, `5m`: a scale glued to the digits.
    let (num, glued) = match w.find(|c: char| c.is_alphabetic()) {
        Some(i) => (&w[..i], Some(&w[i..])),
        None => (w, None),
    };
    if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !num
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/'))
    {
        return None;
    }
    // Two slashes or dots: a date, not a figure.
    if num.matches('/').count() > 1 {
        return None;
    }
    let groups: Vec<&str> = num.split([',', '.']).collect();
    let thousands = groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3);
    let text: String = if num.contains('/') {
        num.replace('/', ".")
    } else if thousands && (num.contains(',') || groups.len() > 2) {
        num.replace([',', '.'], "")
    } else {
        num.replace(',', ".")
    };
    let v: f64 = text.parse().ok()?;
    let plain_four = num.len() == 4 && num.chars().all(|c| c.is_ascii_digit());
    let v = match glued {
        None => v,
        Some("bn" | "b" | "bln") => v * 1e9,
        Some("m" | "mn" | "mln") => v * 1e6,
        Some("k") => v * 1e3,
        Some(_) => return None,
    };
    Some(Piece::Digits(v, plain_four && glued.is_none()))
}

/// The figures of a text, deduplicated, in order of first appearance.
pub fn figures(text: &str, lang: Lang) -> Vec<f64> {
    let folded = khabar_text::fold(text)
        .replace('\u{066B}', ".")
        .replace('\u{066C}', ",");
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '(' | ')' | '"' | ';' | '?' | '!'))
        .map(|w| {
            w.trim_end_matches([',', '.', ':'])
                .trim_start_matches(['.', ','])
        })
        .filter(|w| !w.is_empty())
        .collect();
    let pieces: Vec<Piece> = words
        .iter()
        .map(|w| {
            if w.contains(':') {
                Piece::Other
            } else {
                classify(w)
            }
        })
        .collect();
    let mut out: Vec<f64> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let Some((value, year_like, used)) = read_number(&pieces[i..]) else {
            i += 1;
            continue;
        };
        i += used;
        let is_year = year_like
            && ((1900.0..=2100.0).contains(&value)
                || (lang == Lang::Persian && (1300.0..=1499.0).contains(&value)));
        if value >= MIN_FIGURE && !is_year {
            push_new(&mut out, value);
            // A price in tomans is ten times as many rials, which is what
            // English reports quote: keep both readings.
            if words
                .get(i)
                .is_some_and(|w| matches!(*w, "تومان" | "toman" | "tomans"))
            {
                push_new(&mut out, value * 10.0);
            }
        }
    }
    out
}

fn push_new(out: &mut Vec<f64>, v: f64) {
    if v.is_finite() && !out.iter().any(|&o| same_figure(o, v)) {
        out.push(v);
    }
}

/// Reads one number from the start of `p`: (value, a lone four-digit
/// token, pieces used).
fn read_number(p: &[Piece]) -> Option<(f64, bool, usize)> {
    let mut total = 0.0;
    let mut current: Option<f64> = None;
    let mut last_scale = f64::INFINITY;
    let mut used = 0;
    let mut parts = 0;
    let mut year_like = false;
    let mut joined = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            Piece::Digits(v, _) | Piece::Word(v) => {
                let digits = matches!(p[i], Piece::Digits(..));
                match current {
                    None => {
                        // A lone "one"/"half" starts nothing unless a scale
                        // or a joined part follows (`یک میلیون`, `یک و نیم`).
                        if !digits && v < 2.0 && parts == 0 && !leads_a_number(&p[i + 1..]) {
                            break;
                        }
                        if v >= last_scale {
                            break;
                        }
                        current = Some(v);
                        year_like = matches!(p[i], Piece::Digits(_, true)) && parts == 0;
                    }
                    Some(c) => {
                        // `twenty five`, `بیست و پنج`; digits only after `و`.
                        if (digits && !joined) || v >= place_of(c) {
                            break;
                        }
                        current = Some(c + v);
                    }
                }
                joined = false;
            }
            Piece::Hundred => {
                current = Some(current.unwrap_or(1.0) * 100.0);
            }
            Piece::Scale(s) => {
                if parts == 0 {
                    break;
                }
                if s >= last_scale {
                    // `هزار میلیارد`: a scale right after a scale multiplies.
                    if current.is_some() {
                        break;
                    }
                    total *= s;
                } else {
                    total += current.take().unwrap_or(1.0) * s;
                }
                last_scale = s;
                year_like = false;
            }
            Piece::And => {
                // Only joins when what follows is smaller than what came
                // before: `5 and 6` are two figures.
                let next = match p.get(i + 1) {
                    Some(Piece::Digits(v, _) | Piece::Word(v)) => *v,
                    _ => break,
                };
                let limit = current.map_or(last_scale, place_of);
                if parts == 0 || next >= limit {
                    break;
                }
                joined = true;
                i += 1;
                continue;
            }
            Piece::Other => break,
        }
        parts += 1;
        i += 1;
        used = i;
    }
    if parts == 0 {
        return None;
    }
    Some((total + current.unwrap_or(0.0), year_like, used.max(1)))
}

/// True when the pieces continue a number (a scale, or `و` and a part).
fn leads_a_number(rest: &[Piece]) -> bool {
    matches!(rest.first(), Some(Piece::Scale(_) | Piece::Hundred))
        || (matches!(rest.first(), Some(Piece::And))
            && matches!(rest.get(1), Some(Piece::Word(_) | Piece::Digits(..))))
}

/// The place value a following part must stay under: 20 -> 10, 200 -> 100,
/// 25 -> 1, 1.5 -> 0.5 for a half.
fn place_of(c: f64) -> f64 {
    if c <= 0.0 {
        return f64::INFINITY;
    }
    if c.fract() != 0.0 {
        return 0.0;
    }
    let mut place = 1.0;
    let mut n = c as u64;
    while n > 0 && n.is_multiple_of(10) {
        place *= 10.0;
        n /= 10;
    }
    place
}

/// Equal up to rounding in the last printed digit (0.5%).
pub fn same_figure(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.005 * a.abs().max(b.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str, lang: Lang) -> Vec<f64> {
        figures(s, lang)
    }

    #[test]
    fn persian_digits_and_words_meet_english() {
        assert_eq!(f("۱۲ نفر کشته شدند", Lang::Persian), vec![12.0]);
        assert_eq!(f("12 people were killed", Lang::English), vec![12.0]);
        assert_eq!(f("بیست و پنج زخمی", Lang::Persian), vec![25.0]);
        assert_eq!(f("twenty-five injured", Lang::English), vec![25.0]);
    }

    #[test]
    fn scales_and_decimals() {
        assert_eq!(f("۱.۲ میلیون نفر", Lang::Persian), vec![1.2e6]);
        assert_eq!(f("یک میلیون و ۲۰۰ هزار نفر", Lang::Persian), vec![1.2e6]);
        assert_eq!(f("1.2 million people", Lang::English), vec![1.2e6]);
        assert_eq!(f("$1.2bn in assets", Lang::English), vec![1.2e9]);
        assert_eq!(f("۲/۵ درصد", Lang::Persian), vec![2.5]);
        assert_eq!(f("۱۰۵٬۰۰۰ ریال", Lang::Persian), vec![105_000.0]);
        assert_eq!(f("1,050,000 rials", Lang::English), vec![1_050_000.0]);
        assert_eq!(f("۳۰۰ هزار میلیارد ریال", Lang::Persian), vec![3e14]);
        assert_eq!(
            f("۱۱۵ هزار تومان", Lang::Persian),
            vec![115_000.0, 1_150_000.0]
        );
    }

    #[test]
    fn years_times_dates_and_lone_words_are_not_figures() {
        assert!(f("in 2025 at 14:30", Lang::English).is_empty());
        assert!(f("در سال ۱۴۰۴ و ۱۴۰۳/۰۹/۱۲", Lang::Persian).is_empty());
        assert!(f("نه، او گفت یک بار", Lang::Persian).is_empty());
        assert_eq!(f("5 and 6", Lang::English), vec![5.0, 6.0]);
    }
}

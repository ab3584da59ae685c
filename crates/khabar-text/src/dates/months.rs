//! Month names of the written date forms, read from `months.tsv` (data,
//! not code: a language is added by adding its line there).

use std::collections::HashMap;
use std::sync::LazyLock;

static TABLE: &str = include_str!("months.tsv");

/// Lower-case name -> month number, built once from [`TABLE`].
static MONTHS: LazyLock<HashMap<String, u32>> = LazyLock::new(|| parse_table(TABLE));

fn parse_table(table: &str) -> HashMap<String, u32> {
    let mut map = HashMap::new();
    for line in table.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(month), Some(_lang), Some(names)) = (cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let Ok(month) = month.trim().parse::<u32>() else {
            continue;
        };
        for name in names.split(',') {
            map.entry(name.trim().to_lowercase()).or_insert(month);
        }
    }
    map
}

/// The month a name stands for, in any language of the table, ignoring
/// case and a trailing abbreviation dot: `"Mär."` -> 3, `"марта"` -> 3.
pub fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    MONTHS.get(n.trim_end_matches('.')).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_read_and_no_name_means_two_months() {
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut lines = 0;
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "bad line {line:?}");
            let m: u32 = cols[0].parse().expect("month number");
            assert!((1..=12).contains(&m));
            for n in cols[2].split(',') {
                assert_eq!(n, n.to_lowercase(), "{n} not lower case");
                if let Some(old) = seen.insert(n.to_string(), m) {
                    assert_eq!(old, m, "{n} is month {old} and {m}");
                }
            }
            lines += 1;
        }
        assert!(lines > 80);
    }

    #[test]
    fn names_in_several_languages() {
        assert_eq!(month_number("Mär."), Some(3));
        assert_eq!(month_number("марта"), Some(3));
        assert_eq!(month_number("ottobre"), Some(10));
        assert_eq!(month_number("Décembre"), Some(12));
        assert_eq!(month_number("setembro"), Some(9));
        assert_eq!(month_number("agosto"), Some(8));
        assert_eq!(month_number("أغسطس"), Some(8));
        assert_eq!(month_number("Monday"), None);
    }
}

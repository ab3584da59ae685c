//! `/archive` and `/archive/{yyyy}/{mm}`: a month calendar of days with
//! story counts, linking to the day pages.

use axum::extract::{Path, State};
use chrono::{Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::error::{WebError, WebResult};
use crate::pages::html;
use crate::state::{AppState, PageMeta, SiteView};

#[derive(Serialize, Clone)]
struct DayCell {
    day: u32,
    count: i64,
    href: String,
}

#[derive(Serialize)]
struct ArchiveCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    month_name: String,
    total: i64,
    weeks: Vec<Vec<Option<DayCell>>>,
    prev_href: String,
    prev_name: String,
    next_href: Option<String>,
    next_name: String,
}

fn month_start(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn shift_month(d: NaiveDate, delta: i32) -> Option<NaiveDate> {
    let idx = d.year() * 12 + d.month0() as i32 + delta;
    month_start(idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

/// Monday-first weeks of `first`'s month; `None` pads the first and last week.
fn weeks(first: NaiveDate, counts: &[(NaiveDate, i64)]) -> Vec<Vec<Option<DayCell>>> {
    let mut cells: Vec<Option<DayCell>> =
        vec![None; first.weekday().num_days_from_monday() as usize];
    let mut d = first;
    while d.month() == first.month() {
        let count = counts
            .iter()
            .find(|(day, _)| *day == d)
            .map(|(_, c)| *c)
            .unwrap_or(0);
        cells.push(Some(DayCell {
            day: d.day(),
            count,
            href: format!("/{}/", d.format("%Y/%m/%d")),
        }));
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    cells.chunks(7).map(<[_]>::to_vec).collect()
}

pub async fn current(State(state): State<AppState>) -> WebResult {
    let today = Utc::now().date_naive();
    render(&state, today.year(), today.month()).await
}

pub async fn month(
    State(state): State<AppState>,
    Path((y, m)): Path<(String, String)>,
) -> WebResult {
    let y: i32 = y.parse().map_err(|_| WebError::NotFound)?;
    let m: u32 = m.parse().map_err(|_| WebError::NotFound)?;
    if !(1900..=2200).contains(&y) {
        return Err(WebError::NotFound);
    }
    render(&state, y, m).await
}

async fn render(state: &AppState, year: i32, month: u32) -> WebResult {
    let first = month_start(year, month).ok_or(WebError::NotFound)?;
    let counts = state.store().archive_days(year, month).await?;
    let name = first.format("%B %Y").to_string();
    let prev = shift_month(first, -1).ok_or(WebError::NotFound)?;
    let next = shift_month(first, 1).filter(|n| *n <= Utc::now().date_naive());
    let ctx = ArchiveCtx {
        site: state.site(),
        page: PageMeta::new(state, format!("Archive: {name}")),
        total: counts.iter().map(|(_, c)| c).sum(),
        weeks: weeks(first, &counts),
        month_name: name,
        prev_href: format!("/archive/{}", prev.format("%Y/%m")),
        prev_name: prev.format("%B %Y").to_string(),
        next_href: next.map(|n| format!("/archive/{}", n.format("%Y/%m"))),
        next_name: next
            .map(|n| n.format("%B %Y").to_string())
            .unwrap_or_default(),
    };
    html("archive.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_weeks_start_on_monday_and_carry_counts() {
        // February 2024 starts on a Thursday and has 29 days.
        let first = NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
        let w = weeks(first, &[(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(), 4)]);
        assert_eq!(w.len(), 5);
        assert!(w[0][..3].iter().all(Option::is_none));
        assert_eq!(w[0][3].as_ref().unwrap().day, 1);
        let last = w[4].iter().flatten().last().unwrap();
        assert_eq!(
            (last.day, last.count, last.href.as_str()),
            (29, 4, "/2024/02/29/")
        );
    }

    #[test]
    fn months_shift_across_years() {
        let jan = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(shift_month(jan, -1), NaiveDate::from_ymd_opt(2023, 12, 1));
        assert_eq!(shift_month(jan, 12), NaiveDate::from_ymd_opt(2025, 1, 1));
    }
}

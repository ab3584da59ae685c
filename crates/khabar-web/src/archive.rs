//! `/archive`: every month with stories, by year, with counts; and
//! `/archive/{yyyy}/{mm}`: that month's calendar of days with story counts
//! (linking to the day pages) above the month's stories, paged.

use axum::extract::{Path, Query, State};
use chrono::{Datelike, NaiveDate, Utc};
use khabar_store::StoryQuery;
use serde::Serialize;

use crate::error::{WebError, WebResult};
use crate::i18n;
use crate::page_parts::{Pager, edition_meta, html, items_with_outlets, with_query};
use crate::params::ListParams;
use crate::state::{AppState, PageMeta, SiteView};
use crate::view::StoryItem;

#[derive(Serialize, Clone)]
struct DayCell {
    day: u32,
    count: i64,
    href: String,
}

#[derive(Serialize)]
struct MonthCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    month_name: String,
    total: i64,
    weeks: Vec<Vec<Option<DayCell>>>,
    prev_href: String,
    prev_name: String,
    next_href: Option<String>,
    next_name: String,
    index_href: String,
    items: Vec<StoryItem>,
    pager: Pager,
}

#[derive(Serialize)]
struct MonthRow {
    month: u32,
    name: String,
    count: i64,
    href: String,
}

#[derive(Serialize)]
struct YearRow {
    year: i32,
    total: i64,
    months: Vec<MonthRow>,
}

#[derive(Serialize)]
struct IndexCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    years: Vec<YearRow>,
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

/// Months with stories grouped by year, newest first.
fn years(months: &[(i32, u32, i64)], loc: &str, suffix: &str) -> Vec<YearRow> {
    let mut out: Vec<YearRow> = Vec::new();
    for &(y, m, n) in months {
        let row = MonthRow {
            month: m,
            name: i18n::month_name(loc, m),
            count: n,
            href: format!("/archive/{y}/{m:02}{suffix}"),
        };
        match out.last_mut() {
            Some(last) if last.year == y => {
                last.total += n;
                last.months.push(row);
            }
            _ => out.push(YearRow {
                year: y,
                total: n,
                months: vec![row],
            }),
        }
    }
    out
}

/// `?lang=` for links that stay in a non-default edition.
fn suffix(state: &AppState, loc: &str) -> String {
    let site = i18n::catalogue(&state.settings().language).unwrap_or("en");
    if loc == site {
        String::new()
    } else {
        format!("?lang={loc}")
    }
}

/// `/archive`: the index of months.
pub async fn index(State(state): State<AppState>, Query(p): Query<ListParams>) -> WebResult {
    let lang = p.lang();
    let key = format!("archive lang={lang:?}");
    state
        .cached(key, || async {
            let (mut meta, loc) = edition_meta(&state, lang.as_deref());
            meta.title = i18n::text(loc, "archive-heading", &[]);
            let months = state.store().archive_months().await?;
            let ctx = IndexCtx {
                site: state.site(),
                years: years(&months, loc, &suffix(&state, loc)),
                page: meta,
            };
            html("archive_index.html", &ctx)
        })
        .await
}

pub async fn month(
    State(state): State<AppState>,
    Path((y, m)): Path<(String, String)>,
    Query(p): Query<ListParams>,
) -> WebResult {
    let y: i32 = y.parse().map_err(|_| WebError::NotFound)?;
    let m: u32 = m.parse().map_err(|_| WebError::NotFound)?;
    if !(1900..=2200).contains(&y) {
        return Err(WebError::NotFound);
    }
    let lang = p.lang();
    let page = p.page();
    let key = format!("archive/{y}/{m} lang={lang:?} page={page}");
    state.cached(key, || render(&state, y, m, lang, page)).await
}

async fn render(
    state: &AppState,
    year: i32,
    month: u32,
    lang: Option<String>,
    page: i64,
) -> WebResult {
    let first = month_start(year, month).ok_or(WebError::NotFound)?;
    let last = shift_month(first, 1)
        .and_then(|n| n.pred_opt())
        .ok_or(WebError::NotFound)?;
    let (mut meta, loc) = edition_meta(state, lang.as_deref());
    let suffix = suffix(state, loc);
    let counts = state.store().archive_days(year, month).await?;
    let limit = state.settings().page_size();
    let res = state
        .store()
        .stories(&StoryQuery {
            from: Some(first),
            to: Some(last),
            lang: lang.clone(),
            limit,
            offset: (page - 1) * limit,
            ..Default::default()
        })
        .await?;
    if res.items.is_empty() && page > 1 {
        return Err(WebError::NotFound);
    }
    let items = items_with_outlets(state, &res.items).await?;
    let name = i18n::month_year(loc, year, month);
    let prev = shift_month(first, -1).ok_or(WebError::NotFound)?;
    let next = shift_month(first, 1).filter(|n| *n <= Utc::now().date_naive());
    let base = with_query(
        &format!("/archive/{year}/{month:02}"),
        &[("lang", lang.as_deref())],
    );
    meta.title = i18n::text(
        loc,
        "archive-month-heading",
        &[("month", name.clone().into())],
    );
    let ctx = MonthCtx {
        site: state.site(),
        page: meta,
        total: counts.iter().map(|(_, c)| c).sum(),
        weeks: weeks(first, &counts),
        month_name: name,
        prev_href: format!("/archive/{}{suffix}", prev.format("%Y/%m")),
        prev_name: i18n::month_year(loc, prev.year(), prev.month()),
        next_href: next.map(|n| format!("/archive/{}{suffix}", n.format("%Y/%m"))),
        next_name: next
            .map(|n| i18n::month_year(loc, n.year(), n.month()))
            .unwrap_or_default(),
        index_href: format!("/archive{suffix}"),
        items,
        pager: Pager::with_exactness(&base, page, res.total, res.total_exact, limit),
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
    fn months_group_into_years_with_totals() {
        let y = years(
            &[(2024, 3, 5), (2024, 1, 2), (2023, 12, 7)],
            "en",
            "?lang=fa",
        );
        assert_eq!(y.len(), 2);
        assert_eq!((y[0].year, y[0].total, y[0].months.len()), (2024, 7, 2));
        assert_eq!(y[0].months[0].name, "March");
        assert_eq!(y[0].months[0].href, "/archive/2024/03?lang=fa");
        assert_eq!((y[1].year, y[1].total), (2023, 7));
    }

    #[test]
    fn months_shift_across_years() {
        let jan = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(shift_month(jan, -1), NaiveDate::from_ymd_opt(2023, 12, 1));
        assert_eq!(shift_month(jan, 12), NaiveDate::from_ymd_opt(2025, 1, 1));
    }
}

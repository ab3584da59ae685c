//! Who carried a story: its published reports (the primary, its copies,
//! and the reports of the same event in other languages with their copies)
//! counted by kind of outlet and language, and the coverage views as SQL.
//!
//! The rule is the one [`khabar_model::Coverage::fits`] states in words;
//! here it is a filter the list query can page through, so a view is as
//! fast as any other list on both backends.

use std::collections::HashMap;

use khabar_model::{Coverage, CoverageView, OutletKind};

use crate::row::RowExt;
use crate::sql::{Binds, bind_all, on_pool};
use crate::{Result, Store};

/// Ids per `IN (...)` list; the list is bound twice per query.
const CHUNK: usize = 250;

/// SQL true when some published report of the story `s` meets `cond`,
/// written over the report `m` and its source `ms`. The reports are `s`
/// itself and its copies, then (for a story with a cross-language group)
/// the group's primaries and their copies. `cond` holds only constants.
fn group_has(cond: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM stories m JOIN sources ms ON ms.id = m.source_id \
           WHERE (m.id = s.id OR m.duplicate_of = s.id) AND m.status = 'published' AND {cond}) \
         OR (s.crosslang_id IS NOT NULL AND EXISTS (SELECT 1 FROM stories x \
           JOIN stories m ON (m.id = x.id OR m.duplicate_of = x.id) \
           JOIN sources ms ON ms.id = m.source_id \
           WHERE x.crosslang_id = s.crosslang_id AND x.duplicate_of IS NULL \
             AND m.status = 'published' AND {cond})))"
    )
}

fn outlet_is(kind: OutletKind) -> String {
    format!("ms.outlet = '{}'", kind.as_str())
}

fn lang_is(lang: &str) -> String {
    format!("(m.lang = '{lang}' OR m.lang LIKE '{lang}-%')")
}

/// The WHERE term that keeps the primaries `s` of a coverage view.
///
/// Each view opens with what the story's own report must (or must not) be,
/// since it is one of its reports: a cheap test on the row itself that
/// spares the EXISTS walks for most stories, and changes no answer.
/// Without it, a view that matches almost nothing (no state source
/// configured) walked every story's group: 1.3 s at 100,000 stories on
/// SQLite; with it, 0.18 s (the scan of the rows themselves).
pub(crate) fn view_filter(view: CoverageView) -> String {
    let state = OutletKind::State.as_str();
    let own_outlet = |op: &str| {
        format!("s.source_id IN (SELECT os.id FROM sources os WHERE os.outlet {op} '{state}')")
    };
    // Not in the other language: a story of no known language may still
    // have reports in this one.
    let own_lang_not = |l: &str| {
        format!("NOT (COALESCE(s.lang, '') = '{l}' OR COALESCE(s.lang, '') LIKE '{l}-%')")
    };
    match view {
        CoverageView::StateOnly => format!(
            "{} AND NOT {}",
            own_outlet("="),
            group_has(&format!("ms.outlet <> '{state}'"))
        ),
        CoverageView::NotState => format!(
            "{} AND NOT {}",
            own_outlet("<>"),
            group_has(&outlet_is(OutletKind::State))
        ),
        CoverageView::PersianOnly => format!(
            "{} AND {} AND NOT {}",
            own_lang_not("en"),
            group_has(&lang_is("fa")),
            group_has(&lang_is("en"))
        ),
        CoverageView::EnglishOnly => format!(
            "{} AND {} AND NOT {}",
            own_lang_not("fa"),
            group_has(&lang_is("en")),
            group_has(&lang_is("fa"))
        ),
    }
}

impl Store {
    /// The coverage of each of these primaries, in one query per few
    /// hundred ids (list pages, feeds and the API show it per story).
    /// Every id asked for is in the answer; a story with no published
    /// report has empty counts.
    pub async fn coverage(&self, primary_ids: &[i64]) -> Result<HashMap<i64, Coverage>> {
        let mut out: HashMap<i64, Coverage> = primary_ids
            .iter()
            .map(|id| (*id, Coverage::default()))
            .collect();
        for chunk in primary_ids.chunks(CHUNK) {
            let mut b = Binds::default();
            let own = b.int_list(chunk);
            let grouped = b.int_list(chunk);
            // g: each asked story with the primaries whose reports count for
            // it (itself, and its cross-language group's primaries).
            let sql = format!(
                "SELECT g.pid AS id, ms.outlet AS outlet, m.lang AS lang, COUNT(*) AS n \
                 FROM (SELECT s.id AS pid, s.id AS gid FROM stories s WHERE s.id IN ({own}) \
                       UNION SELECT s.id, x.id FROM stories s JOIN stories x \
                         ON x.crosslang_id = s.crosslang_id AND x.duplicate_of IS NULL \
                       WHERE s.id IN ({grouped}) AND s.crosslang_id IS NOT NULL) g \
                 JOIN stories m ON (m.id = g.gid OR m.duplicate_of = g.gid) \
                 JOIN sources ms ON ms.id = m.source_id \
                 WHERE m.status = 'published' \
                 GROUP BY g.pid, ms.outlet, m.lang"
            );
            let rows: Vec<(i64, String, Option<String>, i64)> = on_pool!(self, p => {
                bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args)
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(|r| Ok((r.int("id")?, r.text("outlet")?, r.opt_text("lang")?, r.int("n")?)))
                    .collect::<Result<_>>()?
            });
            for (id, outlet, lang, n) in rows {
                let kind = OutletKind::parse(&outlet)?;
                out.entry(id).or_default().add(kind, lang.as_deref(), n);
            }
        }
        Ok(out)
    }
}

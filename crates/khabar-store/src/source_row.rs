//! Reading a source back from its row: the one column list and mapping
//! that source listings and job claims share.

use khabar_model::{Source, SourceKind, SourceStatus};

use crate::row::RowExt;
use crate::time::opt_from_unix;
use crate::{Result, StoreError};

pub(crate) const SOURCE_COLS: &str = "id, slug, name, url, kind, lang, full_text, dedicated, proxy, outlet, outlet_note, \
    etag, last_modified, status, last_fetch_at, last_success_at, last_error, last_error_kind, consecutive_failures, next_fetch_at";

pub(crate) fn source_from_row(r: &impl RowExt) -> Result<Source> {
    Ok(Source {
        id: r.int("id")?,
        slug: r.text("slug")?,
        name: r.text("name")?,
        url: r.text("url")?,
        kind: SourceKind::parse(&r.text("kind")?)?,
        lang: r.opt_text("lang")?,
        full_text: r.boolean("full_text")?,
        dedicated: r.boolean("dedicated")?,
        proxy: r.opt_text("proxy")?,
        outlet: khabar_model::OutletKind::parse(&r.text("outlet")?)?,
        outlet_note: r.opt_text("outlet_note")?,
        etag: r.opt_text("etag")?,
        last_modified: r.opt_text("last_modified")?,
        status: SourceStatus::parse(&r.text("status")?)?,
        last_fetch_at: opt_from_unix(r.opt_int("last_fetch_at")?),
        last_success_at: opt_from_unix(r.opt_int("last_success_at")?),
        last_error: r.opt_text("last_error")?,
        last_error_kind: r
            .opt_text("last_error_kind")?
            .as_deref()
            .map(failure_kind)
            .transpose()?,
        consecutive_failures: r.int("consecutive_failures")?,
        next_fetch_at: opt_from_unix(r.opt_int("next_fetch_at")?),
    })
}

/// A stored failure kind; a word no version wrote is an error.
pub(crate) fn failure_kind(s: &str) -> Result<khabar_model::FailureKind> {
    khabar_model::FailureKind::parse(s).ok_or_else(|| {
        StoreError::UnknownName(khabar_model::UnknownName {
            what: "failure kind",
            value: s.to_string(),
            expected: khabar_model::FailureKind::NAMES,
        })
    })
}

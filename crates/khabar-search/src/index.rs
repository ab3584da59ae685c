//! The index itself: schema, opening, writing and committing.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::LockError;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use khabar_model::SearchDoc;

use crate::analyzer::{ANALYZER, analyzer};
use crate::error::{Result, SearchError};

/// Bumped whenever the schema or the analyser changes: an index written
/// under another version is thrown away and rebuilt from the store.
const SCHEMA_VERSION: u32 = 3;

/// Memory the writer may buffer before it flushes a segment (one thread).
const WRITER_BUDGET: usize = 16 * 1024 * 1024;

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub headline: Field,
    pub body: Field,
    pub lang: Field,
    pub source: Field,
    pub tag: Field,
    pub sort_at: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Term frequencies without positions: queries are sets of words, and
    // positions would double the postings for a phrase search nobody offers.
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST),
        headline: b.add_text_field("headline", text.clone()),
        body: b.add_text_field("body", text),
        lang: b.add_text_field("lang", STRING),
        source: b.add_u64_field("source", INDEXED),
        tag: b.add_text_field("tag", STRING),
        sort_at: b.add_i64_field("sort_at", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// Which store's change log an index follows, and how far it has applied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPosition {
    /// The store's identity: another database at the same path (a restored
    /// or migrated file) has another, and its log positions mean nothing here.
    pub store: String,
    /// The last change-log entry applied.
    pub seq: i64,
}

/// What a commit records next to the segments.
#[derive(Serialize, Deserialize)]
struct Payload {
    schema: u32,
    #[serde(flatten)]
    at: LogPosition,
}

/// An index of published primary stories.
///
/// Writes are buffered until [`StoryIndex::commit`], which also records the
/// store change-log position they bring the index to; searches see the last
/// commit. All methods block: call them off the async runtime's threads.
pub struct StoryIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    path: Option<PathBuf>,
}

impl StoryIndex {
    /// Opens the index in `dir`, creating it, or recreating it empty when it
    /// was written under another schema version or cannot be read.
    pub fn open(dir: &Path) -> Result<StoryIndex> {
        let shown = dir.display().to_string();
        std::fs::create_dir_all(dir).map_err(|source| SearchError::Io {
            path: shown.clone(),
            source,
        })?;
        let (schema, fields) = schema();
        let mmap = || {
            MmapDirectory::open(dir).map_err(|source| SearchError::Directory {
                path: shown.clone(),
                source,
            })
        };
        let existing = Index::exists(&mmap()?).unwrap_or(false);
        let reusable = existing
            && Index::open(mmap()?)
                .ok()
                .filter(|i| i.schema() == schema)
                .and_then(|i| payload_of(&i))
                .is_some_and(|p| p.schema == SCHEMA_VERSION);
        if existing && !reusable {
            // Derived data: the store rebuilds it. Clearing the folder is
            // safer than trusting an index of another version.
            std::fs::remove_dir_all(dir)
                .and_then(|()| std::fs::create_dir_all(dir))
                .map_err(|source| SearchError::Io {
                    path: shown.clone(),
                    source,
                })?;
        }
        let index = if reusable {
            Index::open(mmap()?)?
        } else {
            Index::create(mmap()?, schema, Default::default())?
        };
        Self::from_index(index, fields, Some(dir.to_path_buf()))
    }

    /// An index held in memory only (tests, and stores without a folder).
    pub fn in_memory() -> Result<StoryIndex> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields, None)
    }

    fn from_index(index: Index, fields: Fields, path: Option<PathBuf>) -> Result<StoryIndex> {
        index.tokenizers().register(ANALYZER, analyzer());
        let writer = index
            .writer_with_num_threads(1, WRITER_BUDGET)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Locked {
                    path: path
                        .as_deref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                },
                other => other.into(),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(StoryIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            path,
        })
    }

    /// Where the index lives, if on disk.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The change-log position of the last commit; `None` for an index
    /// that was never filled.
    pub fn position(&self) -> Option<LogPosition> {
        payload_of(&self.index).map(|p| p.at)
    }

    /// Stories searchable now (as of the last commit).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A poisoned lock means a panic mid-write; tantivy's writer keeps its
    /// own state consistent, and uncommitted work is simply redone.
    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a story, replacing any earlier version of it.
    pub fn upsert(&self, doc: &SearchDoc) -> Result<()> {
        let writer = self.writer();
        writer.delete_term(Term::from_field_u64(self.fields.id, doc.id as u64));
        writer.add_document(self.document(doc))?;
        Ok(())
    }

    /// Adds a story known not to be in the index (a rebuild after
    /// [`StoryIndex::clear`]). Each pending delete holds a query weight
    /// until the commit, so a million upserts in one commit would hold
    /// about a gigabyte; a rebuild has nothing to delete.
    pub fn add(&self, doc: &SearchDoc) -> Result<()> {
        self.writer().add_document(self.document(doc))?;
        Ok(())
    }

    fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::new();
        d.add_u64(f.id, doc.id as u64);
        d.add_text(f.headline, &doc.headline);
        d.add_text(f.body, &doc.body);
        if let Some(lang) = doc.lang.as_deref().filter(|l| !l.is_empty()) {
            // A filter on `fa` also finds `fa-IR`, as the store's own search does.
            d.add_text(f.lang, lang);
            if let Some((primary, _)) = lang.split_once('-') {
                d.add_text(f.lang, primary);
            }
        }
        d.add_u64(f.source, doc.source_id as u64);
        for tag in &doc.tags {
            d.add_text(f.tag, tag);
        }
        d.add_i64(f.sort_at, doc.sort_at);
        d
    }

    /// Takes a story out (hidden, taken down, now a copy, or deleted).
    pub fn remove(&self, id: i64) {
        self.writer()
            .delete_term(Term::from_field_u64(self.fields.id, id as u64));
    }

    /// Drops every story, before a rebuild.
    pub fn clear(&self) -> Result<()> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Drops the writes since the last commit, and restarts the writer's
    /// workers: after a failed write (a full disk) the writer must not go
    /// on from a half-written state.
    pub fn rollback(&self) -> Result<()> {
        self.writer().rollback()?;
        Ok(())
    }

    /// Makes the writes so far durable and searchable, recording that the
    /// index now reflects that store's change log up to `at`.
    pub fn commit(&self, at: &LogPosition) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            schema: SCHEMA_VERSION,
            at: at.clone(),
        })
        .unwrap_or_default();
        {
            let mut writer = self.writer();
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }
}

fn payload_of(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

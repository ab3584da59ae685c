/// Everything that can go wrong in the dedup stage. The index itself never
/// fails; errors come from decoding stored signatures and reading jsonl.
#[derive(Debug, thiserror::Error)]
pub enum DedupError {
    /// A stored signature blob is truncated, of another version or corrupt.
    #[error("invalid signature blob: {0}")]
    InvalidSignature(&'static str),
    /// A jsonl line is not a JSON object or lacks a usable field.
    #[error("line {line}: {message}")]
    BadLine { line: usize, message: String },
    /// A rebuild was given stored stories but could decode none of them:
    /// refusing to start with an empty index that would find no copies.
    #[error("rebuild decoded none of {0} stored signatures")]
    EmptyRebuild(usize),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

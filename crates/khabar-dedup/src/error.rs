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
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

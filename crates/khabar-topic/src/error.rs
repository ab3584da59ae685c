/// Everything that can go wrong in the topic stage. Classification itself
/// never fails; only loading models/definitions, training and reading
/// jsonl files do.
#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error("topic model is not valid: {0}")]
    Model(String),
    #[error("topic definition is not valid: {0}")]
    Definition(String),
    #[error("line {line}: {reason}")]
    BadLine { line: usize, reason: String },
    #[error("cannot train: {0}")]
    Training(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

//! Every reason an image is refused, named, so the store can record which
//! one and an operator can tell a hostile image from a broken one.

use thiserror::Error;

/// Why an image was not turned into variants. The pipeline stores
/// [`ImageError::kind`] and the message; the story is published either way.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// Zero bytes: a server that answered 200 with nothing.
    #[error("the response is empty")]
    Empty,
    /// The server said the body is not an image (`text/html` and the like).
    #[error("served as {content_type:?}, not as an image")]
    WrongContentType { content_type: String },
    /// The bytes start like no image format: an HTML error page named `.jpg`
    /// or served as `image/jpeg`.
    #[error("the bytes are not an image (they start {start:?})")]
    NotAnImage { start: String },
    /// An image format khabar does not decode (SVG, AVIF, TIFF, BMP, …).
    #[error("{format} images are not accepted")]
    Unsupported { format: &'static str },
    /// The header promises more pixels than any lead image needs: a
    /// decompression bomb, refused before a byte of pixels is allocated.
    #[error("{width}x{height} is {megapixels} megapixels, above the limit of {max_megapixels}")]
    TooManyPixels {
        width: u32,
        height: u32,
        megapixels: u64,
        max_megapixels: u64,
    },
    /// One side beyond the limit (a 1x100000 strip is few pixels but no photo).
    #[error("{width}x{height} has a side above {max_side} px")]
    SideTooLong {
        width: u32,
        height: u32,
        max_side: u32,
    },
    /// A tracking pixel or spacer, not a picture.
    #[error("{width}x{height} is too small to be a lead image (min side {min_side} px)")]
    TooSmall {
        width: u32,
        height: u32,
        min_side: u32,
    },
    /// An animation with more frames than a picture could need.
    #[error("an animation of {frames} or more frames (limit {max_frames})")]
    TooManyFrames { frames: u64, max_frames: u64 },
    /// The file ends before the picture does.
    #[error("the image is truncated: {detail}")]
    Truncated { detail: String },
    /// The decoder would need more memory than the limit allows.
    #[error("decoding needs more memory than allowed: {detail}")]
    MemoryLimit { detail: String },
    /// The decoder found the data damaged.
    #[error("the image data is corrupt: {detail}")]
    Corrupt { detail: String },
    /// Encoding a variant failed (an encoder bug or an impossible size).
    #[error("encoding a variant failed: {detail}")]
    Encode { detail: String },
}

impl ImageError {
    /// A short stable code for storage, metrics and filters.
    pub fn kind(&self) -> &'static str {
        match self {
            ImageError::Empty => "empty",
            ImageError::WrongContentType { .. } => "wrong_content_type",
            ImageError::NotAnImage { .. } => "not_an_image",
            ImageError::Unsupported { .. } => "unsupported_format",
            ImageError::TooManyPixels { .. } => "too_many_pixels",
            ImageError::SideTooLong { .. } => "side_too_long",
            ImageError::TooSmall { .. } => "too_small",
            ImageError::TooManyFrames { .. } => "too_many_frames",
            ImageError::Truncated { .. } => "truncated",
            ImageError::MemoryLimit { .. } => "memory_limit",
            ImageError::Corrupt { .. } => "corrupt",
            ImageError::Encode { .. } => "encode",
        }
    }

    /// Maps a decoder error to the refusal it means.
    pub(crate) fn from_decode(e: image::ImageError) -> ImageError {
        use image::ImageError as E;
        use image::error::LimitErrorKind;
        match e {
            E::Limits(l) => match l.kind() {
                LimitErrorKind::DimensionError => ImageError::MemoryLimit {
                    detail: "dimensions beyond the decoder's limits".into(),
                },
                _ => ImageError::MemoryLimit {
                    detail: l.to_string(),
                },
            },
            E::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                ImageError::Truncated {
                    detail: io.to_string(),
                }
            }
            other => {
                let detail = other.to_string();
                let lower = detail.to_ascii_lowercase();
                if lower.contains("eof") || lower.contains("end of") || lower.contains("truncat") {
                    ImageError::Truncated { detail }
                } else {
                    ImageError::Corrupt { detail }
                }
            }
        }
    }
}

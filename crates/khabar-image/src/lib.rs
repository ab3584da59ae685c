//! Lead images made safe to serve from khabar's own address.
//!
//! Pure: bytes in, variants or a named refusal out; fetching and storing
//! are the pipeline's. [`process`] runs, in order:
//!
//! 1. the declared `Content-Type` must be an image type (or absent);
//! 2. the format is sniffed from the magic bytes — an HTML page served as
//!    `image/jpeg` is [`ImageError::NotAnImage`], SVG and AVIF are named
//!    and refused;
//! 3. the header's dimensions are checked before any pixel is decoded:
//!    more than [`ImagePolicy::max_pixels`] or a side beyond
//!    [`ImagePolicy::max_side`] is a decompression bomb and refused;
//! 4. animations are counted without decoding frames (GIF blocks are
//!    walked, WebP names its count); too many frames is refused, otherwise
//!    the first frame is the picture;
//! 5. the first frame is decoded under `image::Limits` (allocation cap),
//!    the EXIF orientation applied, alpha flattened onto white;
//! 6. variants are made at [`ImagePolicy::widths`] (never upscaled) and
//!    encoded as WebP and JPEG. Encoding from pixels drops every metadata
//!    block (EXIF with its GPS position, XMP, ICC, comments).
//!
//! # Why libwebp for WebP
//!
//! The `image` crate decodes lossy WebP but encodes only lossless WebP,
//! which for a photograph is two to three times the size of a JPEG — the
//! opposite of the point. Lossy WebP needs libwebp; the `webp` crate builds
//! it from source with the C compiler every Rust toolchain here has, and
//! its lossy output is about a third smaller than JPEG at the same look
//! (figures in BENCHMARKS.md). JPEG is still made at every width for the
//! few browsers and feed readers that do not accept WebP, so nothing
//! depends on WebP support. AVIF would be smaller again, but its encoder
//! (rav1e) is slow enough on two cores to hold up ingest.

mod error;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
mod policy;
mod probe;
mod process;
mod sniff;

pub use error::ImageError;
pub use policy::{ImagePolicy, scaled_height};
pub use probe::Probe;
pub use process::{OutputFormat, Processed, Variant, check_content_type, process};
pub use sniff::{Sniffed, SourceFormat, sniff};

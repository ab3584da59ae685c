//! What an image is before any pixel is decoded: its size from the header
//! and, for animations, how many frames it has. Bombs and absurd
//! animations are refused here, at the cost of reading headers only.

use std::io::Cursor;

use image::{ImageDecoder, ImageReader};

use crate::error::ImageError;
use crate::policy::ImagePolicy;
use crate::sniff::SourceFormat;

/// Header facts of an accepted image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub format: SourceFormat,
    pub width: u32,
    pub height: u32,
    /// 1 for a still image.
    pub frames: u64,
}

/// Reads the header and checks it against the policy.
pub fn probe(
    bytes: &[u8],
    format: SourceFormat,
    policy: &ImagePolicy,
) -> Result<Probe, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    // The header is read without pixel limits so that the policy, not the
    // decoder, names the refusal; nothing large is allocated for a header.
    reader.no_limits();
    let (width, height) = reader
        .into_decoder()
        .map_err(ImageError::from_decode)?
        .dimensions();
    check_size(width, height, policy)?;
    let frames = match format {
        SourceFormat::Gif => gif_frames(bytes, policy.max_frames)?,
        SourceFormat::WebP => webp_frames(bytes)?,
        SourceFormat::Jpeg | SourceFormat::Png => 1,
    };
    if frames > policy.max_frames {
        return Err(ImageError::TooManyFrames {
            frames,
            max_frames: policy.max_frames,
        });
    }
    Ok(Probe {
        format,
        width,
        height,
        frames,
    })
}

fn check_size(width: u32, height: u32, policy: &ImagePolicy) -> Result<(), ImageError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > policy.max_pixels {
        return Err(ImageError::TooManyPixels {
            width,
            height,
            megapixels: pixels / 1_000_000,
            max_megapixels: policy.max_pixels / 1_000_000,
        });
    }
    if width.max(height) > policy.max_side {
        return Err(ImageError::SideTooLong {
            width,
            height,
            max_side: policy.max_side,
        });
    }
    if width.min(height) < policy.min_side {
        return Err(ImageError::TooSmall {
            width,
            height,
            min_side: policy.min_side,
        });
    }
    Ok(())
}

/// Counts GIF frames without LZW-decoding them, stopping one past the
/// limit: a 10,000-frame GIF costs a walk over its blocks, not 10,000
/// canvases. A file cut short after at least one frame still shows that
/// frame.
fn gif_frames(bytes: &[u8], max_frames: u64) -> Result<u64, ImageError> {
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    let mut decoder = options
        .read_info(Cursor::new(bytes))
        .map_err(|e| ImageError::Corrupt {
            detail: e.to_string(),
        })?;
    let mut frames = 0u64;
    loop {
        match decoder.read_next_frame() {
            Ok(Some(_)) => {
                frames += 1;
                if frames > max_frames {
                    return Ok(frames);
                }
            }
            Ok(None) => break,
            Err(_) if frames > 0 => break,
            Err(e) => {
                return Err(ImageError::Corrupt {
                    detail: e.to_string(),
                });
            }
        }
    }
    if frames == 0 {
        return Err(ImageError::Corrupt {
            detail: "a GIF with no frame".into(),
        });
    }
    Ok(frames)
}

/// An animated WebP names its frame count in its chunks.
fn webp_frames(bytes: &[u8]) -> Result<u64, ImageError> {
    let decoder =
        image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|e| ImageError::Corrupt {
            detail: e.to_string(),
        })?;
    Ok(if decoder.is_animated() {
        u64::from(decoder.num_frames()).max(1)
    } else {
        1
    })
}

//! Decode under limits, orient, flatten, resize, encode.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use crate::error::ImageError;
use crate::policy::{ImagePolicy, scaled_height};
use crate::probe::{Probe, probe};
use crate::sniff::{Sniffed, SourceFormat, jpeg_is_complete, sniff, start_of};

/// An encoded variant's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    WebP,
    Jpeg,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 2] = [OutputFormat::WebP, OutputFormat::Jpeg];

    pub fn mime(self) -> &'static str {
        match self {
            OutputFormat::WebP => "image/webp",
            OutputFormat::Jpeg => "image/jpeg",
        }
    }
    /// File extension used in URLs.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::WebP => "webp",
            OutputFormat::Jpeg => "jpg",
        }
    }
    /// Name kept in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::WebP => "webp",
            OutputFormat::Jpeg => "jpeg",
        }
    }
    /// Reads [`OutputFormat::as_str`] or [`OutputFormat::extension`].
    pub fn parse(s: &str) -> Option<OutputFormat> {
        match s {
            "webp" => Some(OutputFormat::WebP),
            "jpeg" | "jpg" => Some(OutputFormat::Jpeg),
            _ => None,
        }
    }
}

/// One encoded size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
    pub bytes: Vec<u8>,
}

/// An accepted image: what it was and the variants made of it, smallest
/// width first, WebP before JPEG at each width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub source: Probe,
    pub variants: Vec<Variant>,
}

impl Processed {
    /// Distinct variant widths, smallest first.
    pub fn widths(&self) -> Vec<u32> {
        let mut w: Vec<u32> = self.variants.iter().map(|v| v.width).collect();
        w.dedup();
        w
    }
    /// The largest variant's size.
    pub fn largest(&self) -> (u32, u32) {
        self.variants
            .iter()
            .map(|v| (v.width, v.height))
            .max()
            .unwrap_or((0, 0))
    }
}

/// Checks a declared `Content-Type`: an image type or none/octet-stream
/// (some servers send that for everything) passes; anything else is a page
/// or a document, refused before sniffing.
pub fn check_content_type(content_type: Option<&str>) -> Result<(), ImageError> {
    let Some(ct) = content_type else {
        return Ok(());
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.is_empty()
        || essence.starts_with("image/")
        || essence == "application/octet-stream"
        || essence == "binary/octet-stream"
    {
        Ok(())
    } else {
        Err(ImageError::WrongContentType {
            content_type: ct.to_string(),
        })
    }
}

/// Turns downloaded bytes into variants, or says why not. Pure CPU work:
/// call it off the async threads.
pub fn process(
    bytes: &[u8],
    content_type: Option<&str>,
    policy: &ImagePolicy,
) -> Result<Processed, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    check_content_type(content_type)?;
    let format = match sniff(bytes) {
        Sniffed::Supported(f) => f,
        Sniffed::Other(name) => return Err(ImageError::Unsupported { format: name }),
        Sniffed::Unknown => {
            return Err(ImageError::NotAnImage {
                start: start_of(bytes),
            });
        }
    };
    let probed = probe(bytes, format, policy)?;
    if format == SourceFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(ImageError::Truncated {
            detail: "no end-of-image marker after the last scan".into(),
        });
    }
    let picture = decode(bytes, format, policy)?;
    let variants = encode_variants(&picture, policy)?;
    Ok(Processed {
        source: probed,
        variants,
    })
}

/// Decodes the first frame with the allocation limit, applies the EXIF
/// orientation (the EXIF block itself is not carried into any variant) and
/// flattens transparency onto white, since JPEG has none.
fn decode(
    bytes: &[u8],
    format: SourceFormat,
    policy: &ImagePolicy,
) -> Result<RgbImage, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(policy.max_alloc);
    limits.max_image_width = Some(policy.max_side);
    limits.max_image_height = Some(policy.max_side);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(ImageError::from_decode)?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(ImageError::from_decode)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(flatten(img))
}

fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(src[3]);
        for c in 0..3 {
            let v = (u16::from(src[c]) * a + 255 * (255 - a) + 127) / 255;
            dst[c] = v as u8;
        }
    }
    out
}

/// Resizes from the largest width down, each from the one above (quicker
/// than from the source every time, and as sharp at these ratios).
fn encode_variants(picture: &RgbImage, policy: &ImagePolicy) -> Result<Vec<Variant>, ImageError> {
    let (src_w, src_h) = picture.dimensions();
    let widths = policy.widths_for(src_w);
    let mut sized: Vec<(u32, u32, RgbImage)> = Vec::with_capacity(widths.len());
    let mut from: Option<&RgbImage> = None;
    for &w in widths.iter().rev() {
        let h = scaled_height(src_w, src_h, w);
        let img = if w == src_w {
            picture.clone()
        } else {
            image::imageops::resize(from.unwrap_or(picture), w, h, FilterType::CatmullRom)
        };
        sized.push((w, h, img));
        from = sized.last().map(|(_, _, i)| i);
    }
    let mut variants = Vec::with_capacity(sized.len() * 2);
    for (w, h, img) in sized.into_iter().rev() {
        variants.push(Variant {
            width: w,
            height: h,
            format: OutputFormat::WebP,
            bytes: encode_webp(&img, policy.webp_quality)?,
        });
        variants.push(Variant {
            width: w,
            height: h,
            format: OutputFormat::Jpeg,
            bytes: encode_jpeg(&img, policy.jpeg_quality)?,
        });
    }
    Ok(variants)
}

fn encode_webp(img: &RgbImage, quality: f32) -> Result<Vec<u8>, ImageError> {
    let (w, h) = img.dimensions();
    webp::Encoder::from_rgb(img.as_raw(), w, h)
        .encode_simple(false, quality)
        .map(|m| m.to_vec())
        .map_err(|e| ImageError::Encode {
            detail: format!("webp: {e:?}"),
        })
}

fn encode_jpeg(img: &RgbImage, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .map_err(|e| ImageError::Encode {
            detail: format!("jpeg: {e}"),
        })?;
    Ok(out)
}

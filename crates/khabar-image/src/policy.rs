//! The limits an image must stay within, and the variants made of it.

/// What is accepted and what is made. [`ImagePolicy::default`] is sized for
/// news lead images: photos up to a large camera's resolution, variants for
/// phone, tablet and desktop columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ImagePolicy {
    /// Largest width × height accepted, in pixels. 40 MP is beyond any
    /// camera a newsroom publishes from, and decoding it as RGBA takes
    /// 160 MB, which is already the most one image may cost.
    pub max_pixels: u64,
    /// Longest side accepted: a 1 × 100,000 strip is few pixels but no photo.
    pub max_side: u32,
    /// Shortest side accepted: below this it is a spacer or tracking pixel.
    pub min_side: u32,
    /// Animations with more frames are refused unread; up to this many, the
    /// first frame is the picture.
    pub max_frames: u64,
    /// Most memory the decoder may allocate (`image::Limits::max_alloc`), a
    /// second guard behind the pixel count for formats whose decoders
    /// allocate more than width × height × 4.
    pub max_alloc: u64,
    /// Widths made for `srcset`; none is wider than the source (no
    /// upscaling). A source narrower than the largest gets a variant of its
    /// own width as well, so every accepted image has at least one variant.
    pub widths: Vec<u32>,
    /// libwebp quality 0–100 for lossy WebP.
    pub webp_quality: f32,
    /// JPEG quality 1–100.
    pub jpeg_quality: u8,
}

impl Default for ImagePolicy {
    fn default() -> Self {
        ImagePolicy {
            max_pixels: 40_000_000,
            max_side: 12_000,
            min_side: 48,
            max_frames: 500,
            max_alloc: 256 * 1024 * 1024,
            widths: vec![320, 640, 1024],
            webp_quality: 72.0,
            jpeg_quality: 78,
        }
    }
}

impl ImagePolicy {
    /// The widths to make from a source `width` pixels wide, smallest first.
    pub fn widths_for(&self, width: u32) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .widths
            .iter()
            .copied()
            .filter(|&w| w > 0 && w < width)
            .collect();
        let largest = self.widths.iter().copied().max().unwrap_or(width);
        out.push(width.min(largest));
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Height of a `width`-wide variant of a `src_w` × `src_h` image, at least 1.
pub fn scaled_height(src_w: u32, src_h: u32, width: u32) -> u32 {
    if src_w == 0 {
        return 0;
    }
    let h = (u64::from(src_h) * u64::from(width) + u64::from(src_w) / 2) / u64::from(src_w);
    h.clamp(1, u64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_upscales_and_always_keeps_one() {
        let p = ImagePolicy::default();
        assert_eq!(p.widths_for(1600), vec![320, 640, 1024]);
        assert_eq!(p.widths_for(800), vec![320, 640, 800]);
        assert_eq!(p.widths_for(200), vec![200]);
        assert_eq!(p.widths_for(640), vec![320, 640]);
    }

    #[test]
    fn heights_keep_the_aspect() {
        assert_eq!(scaled_height(1600, 900, 320), 180);
        assert_eq!(scaled_height(1600, 900, 1024), 576);
        assert_eq!(scaled_height(3000, 1, 320), 1);
    }
}

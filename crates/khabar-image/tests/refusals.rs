//! Every hostile or broken input is refused with its own reason, cheaply.

use std::time::{Duration, Instant};

use khabar_image::fixtures::{animated_gif, bomb_gif, bomb_png, photo_jpeg};
use khabar_image::{ImageError, ImagePolicy, process};

fn refuse(bytes: &[u8], content_type: Option<&str>) -> ImageError {
    match process(bytes, content_type, &ImagePolicy::default()) {
        Ok(p) => panic!("accepted: {:?}", p.source),
        Err(e) => e,
    }
}

#[test]
fn html_named_jpg_and_served_as_jpeg_is_not_an_image() {
    let page = b"<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>Hotlinking not allowed</body></html>";
    let e = refuse(page, Some("image/jpeg"));
    assert_eq!(e.kind(), "not_an_image", "{e}");
    assert!(e.to_string().contains("<!DOCTYPE html>"), "{e}");
}

#[test]
fn a_page_served_as_html_is_refused_before_sniffing() {
    let e = refuse(&photo_jpeg(400, 300), Some("text/html; charset=utf-8"));
    assert_eq!(e.kind(), "wrong_content_type");
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header_alone() {
    // 50,000 x 50,000 PNG: 2.5 gigapixels declared in a 60-byte file.
    let png = bomb_png(50_000, 50_000);
    assert!(png.len() < 100);
    let started = Instant::now();
    let e = refuse(&png, Some("image/png"));
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            e,
            ImageError::TooManyPixels {
                width: 50_000,
                height: 50_000,
                megapixels: 2500,
                ..
            }
        ),
        "{e:?}"
    );
    // A GIF screen of 65,535 x 65,535.
    let e = refuse(&bomb_gif(65_535, 65_535), Some("image/gif"));
    assert_eq!(e.kind(), "too_many_pixels", "{e}");
    // 8,000 x 6,500 is 52 MP: just over 40 MP with both sides under 12,000.
    let e = refuse(&bomb_png(8_000, 6_500), None);
    assert_eq!(e.kind(), "too_many_pixels", "{e}");
}

#[test]
fn a_strip_too_long_on_one_side_is_refused() {
    let e = refuse(&bomb_png(20_000, 100), Some("image/png"));
    assert!(
        matches!(
            e,
            ImageError::SideTooLong {
                max_side: 12_000,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_ten_thousand_frame_gif_is_refused_without_decoding_its_frames() {
    let gif = animated_gif(64, 10_000, |i| i as u8);
    let started = Instant::now();
    let e = refuse(&gif, Some("image/gif"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            e,
            ImageError::TooManyFrames {
                frames: 501,
                max_frames: 500
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_truncated_jpeg_is_refused_not_filled_with_grey() {
    let jpeg = photo_jpeg(800, 450);
    let cut = &jpeg[..jpeg.len() / 2];
    let e = refuse(cut, Some("image/jpeg"));
    assert_eq!(e.kind(), "truncated", "{e}");
}

#[test]
fn a_tracking_pixel_is_too_small() {
    let gif = animated_gif(1, 1, |_| 0);
    let e = refuse(&gif, Some("image/gif"));
    assert!(
        matches!(
            e,
            ImageError::TooSmall {
                width: 1,
                height: 1,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn empty_and_unsupported_formats_are_named() {
    assert_eq!(refuse(b"", Some("image/jpeg")).kind(), "empty");
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let e = refuse(svg, Some("image/svg+xml"));
    assert_eq!(e, ImageError::Unsupported { format: "SVG" });
}

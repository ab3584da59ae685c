//! Accepted images become srcset variants: the right sizes, real WebP and
//! JPEG, no metadata, first frame of an animation.

use khabar_image::fixtures::{GIF_PALETTE, animated_gif, photo_jpeg, photo_jpeg_with_exif};
use khabar_image::{ImagePolicy, OutputFormat, SourceFormat, process};

#[test]
fn a_photo_becomes_three_widths_in_webp_and_jpeg() {
    let src = photo_jpeg(1600, 900);
    let p = process(&src, Some("image/jpeg"), &ImagePolicy::default()).unwrap();
    assert_eq!(p.source.format, SourceFormat::Jpeg);
    assert_eq!((p.source.width, p.source.height), (1600, 900));
    assert_eq!(p.widths(), vec![320, 640, 1024]);
    assert_eq!(p.largest(), (1024, 576));
    assert_eq!(p.variants.len(), 6);
    for v in &p.variants {
        let decoded = image::load_from_memory(&v.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (v.width, v.height));
        let guessed = image::guess_format(&v.bytes).unwrap();
        match v.format {
            OutputFormat::WebP => assert_eq!(guessed, image::ImageFormat::WebP),
            OutputFormat::Jpeg => assert_eq!(guessed, image::ImageFormat::Jpeg),
        }
        assert!(
            v.bytes.len() < src.len(),
            "{}w {:?} is larger than the source",
            v.width,
            v.format
        );
    }
    // Lossy WebP: smaller than the JPEG of the same width.
    for w in p.widths() {
        let size = |f| {
            p.variants
                .iter()
                .find(|v| v.width == w && v.format == f)
                .unwrap()
                .bytes
                .len()
        };
        assert!(
            size(OutputFormat::WebP) < size(OutputFormat::Jpeg),
            "at {w}"
        );
    }
}

#[test]
fn a_small_image_is_never_upscaled() {
    let p = process(&photo_jpeg(500, 400), None, &ImagePolicy::default()).unwrap();
    assert_eq!(p.widths(), vec![320, 500]);
    assert_eq!(p.largest(), (500, 400));
}

#[test]
fn metadata_is_stripped() {
    let src = photo_jpeg_with_exif(800, 600);
    assert!(src.windows(4).any(|w| w == b"Exif"));
    let p = process(&src, Some("image/jpeg"), &ImagePolicy::default()).unwrap();
    for v in &p.variants {
        assert!(
            !v.bytes.windows(4).any(|w| w == b"Exif"),
            "{:?} {}",
            v.format,
            v.width
        );
        assert!(!v.bytes.windows(11).any(|w| w == b"GPSLatitude"));
    }
}

#[test]
fn a_short_animation_shows_its_first_frame() {
    // Frame 0 is green, the rest blue.
    let gif = animated_gif(120, 12, |i| if i == 0 { 1 } else { 2 });
    let p = process(&gif, Some("image/gif"), &ImagePolicy::default()).unwrap();
    assert_eq!(p.source.frames, 12);
    let jpeg = p
        .variants
        .iter()
        .find(|v| v.format == OutputFormat::Jpeg)
        .unwrap();
    let px = image::load_from_memory(&jpeg.bytes).unwrap().to_rgb8();
    let c = px.get_pixel(60, 60).0;
    let green = GIF_PALETTE[1];
    for k in 0..3 {
        assert!(
            (i32::from(c[k]) - i32::from(green[k])).abs() < 24,
            "{c:?} is not {green:?}"
        );
    }
}

#[test]
fn a_png_with_transparency_is_flattened_onto_white() {
    let img = image::RgbaImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            image::Rgba([0, 0, 0, 0])
        } else {
            image::Rgba([200, 0, 0, 255])
        }
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let p = process(&png, Some("image/png"), &ImagePolicy::default()).unwrap();
    let jpeg = p
        .variants
        .iter()
        .find(|v| v.format == OutputFormat::Jpeg)
        .unwrap();
    let px = image::load_from_memory(&jpeg.bytes).unwrap().to_rgb8();
    assert!(
        px.get_pixel(20, 50).0.iter().all(|&c| c > 240),
        "{:?}",
        px.get_pixel(20, 50)
    );
    assert!(px.get_pixel(180, 50).0[0] > 170);
}

#[test]
fn a_webp_source_is_accepted() {
    let img = khabar_image::fixtures::photo(400, 300);
    let mut webp = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut webp),
        image::ImageFormat::WebP,
    )
    .unwrap();
    let p = process(&webp, Some("image/webp"), &ImagePolicy::default()).unwrap();
    assert_eq!(p.source.format, SourceFormat::WebP);
    assert_eq!(p.widths(), vec![320, 400]);
}

//! Test images made in code, shared by this crate's tests and by the
//! pipeline and web tests (feature `fixtures`): a photo-like JPEG, a
//! decompression bomb's header, a 10,000-frame GIF, a small animation.

use image::{Rgb, RgbImage};

/// A photo-like picture: a sky gradient, hills, and sensor-like noise, so
/// encoders see the detail of a real photograph rather than flat colour.
pub fn photo(width: u32, height: u32) -> RgbImage {
    let mut seed: u32 = 0x9E37_79B9;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 25) as i32 - 12
    };
    RgbImage::from_fn(width, height, |x, y| {
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        let ridge = 0.55 + 0.12 * (fx * 9.0).sin() + 0.05 * (fx * 31.0).sin();
        let base = if fy < ridge {
            [(90.0 + 120.0 * fy) as i32, (140.0 + 80.0 * fy) as i32, 230]
        } else {
            let shade = ((fx * 40.0).sin() * 20.0) as i32;
            [60 + shade, (120.0 - 40.0 * fy) as i32 + shade, 50]
        };
        let n = noise();
        Rgb(base.map(|c| (c + n).clamp(0, 255) as u8))
    })
}

/// `photo` encoded as a JPEG at quality 90, as a newsroom would upload it.
pub fn photo_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&photo(width, height))
        .expect("encoding to memory");
    out
}

/// A JPEG with an EXIF block naming a camera and a GPS position, inserted
/// after SOI the way cameras write it.
pub fn photo_jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let jpeg = photo_jpeg(width, height);
    let payload: &[u8] = b"Exif\0\0MM\0*\0\0\0\x08CameraMaker GPSLatitude 35.6892N";
    let len = (payload.len() + 2) as u16;
    let mut out = Vec::with_capacity(jpeg.len() + payload.len() + 4);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A GIF whose header declares a `width` × `height` screen and image but
/// whose data is a few bytes: decoded, it would need gigabytes.
pub fn bomb_gif(width: u16, height: u16) -> Vec<u8> {
    let mut g = Vec::new();
    g.extend_from_slice(b"GIF89a");
    g.extend_from_slice(&width.to_le_bytes());
    g.extend_from_slice(&height.to_le_bytes());
    g.extend_from_slice(&[0x80, 0, 0]); // global colour table of 2
    g.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    g.push(0x2C); // image descriptor
    g.extend_from_slice(&[0, 0, 0, 0]);
    g.extend_from_slice(&width.to_le_bytes());
    g.extend_from_slice(&height.to_le_bytes());
    g.push(0);
    g.extend_from_slice(&[2, 2, 0x4C, 0x01, 0]); // a tiny LZW block
    g.push(0x3B);
    g
}

/// A PNG whose IHDR declares `width` × `height` (with a valid CRC) and
/// whose pixel data is one small zlib stream.
pub fn bomb_png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32(kind, 0xFFFF_FFFF);
        crc = crc32(data, crc);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&(!crc).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Plain CRC-32 (IEEE), enough for a fixture's chunk.
fn crc32(data: &[u8], mut crc: u32) -> u32 {
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// Colours of [`animated_gif`]'s palette: red, green, blue, white.
pub const GIF_PALETTE: [[u8; 3]; 4] =
    [[220, 20, 20], [20, 200, 20], [20, 20, 220], [255, 255, 255]];

/// An animated GIF on a `size` × `size` screen with `frames` frames, frame
/// `i` filled with palette entry `index(i)` of [`GIF_PALETTE`].
pub fn animated_gif(size: u16, frames: usize, index: impl Fn(usize) -> u8) -> Vec<u8> {
    let palette: Vec<u8> = GIF_PALETTE.iter().flatten().copied().collect();
    let mut out = Vec::new();
    {
        let mut enc = gif::Encoder::new(&mut out, size, size, &palette).expect("gif header");
        enc.set_repeat(gif::Repeat::Infinite).expect("gif loop");
        for i in 0..frames {
            let frame = gif::Frame {
                width: size,
                height: size,
                delay: 2,
                buffer: std::borrow::Cow::Owned(vec![
                    index(i) % 4;
                    usize::from(size) * usize::from(size)
                ]),
                ..Default::default()
            };
            enc.write_frame(&frame).expect("gif frame");
        }
    }
    out
}

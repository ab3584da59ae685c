//! Hostile and odd input never panics and always yields a score in [0, 1].

use khabar_topic::{TopicClassifier, TopicInput, classify_jsonl};

fn check(c: &TopicClassifier, title: &str, body: &str) {
    for dateline in [None, Some(title)] {
        let r = c.classify(&TopicInput {
            title,
            dateline,
            body,
            lang: None,
            dedicated_source: false,
        });
        assert!(
            (0.0..=1.0).contains(&r.score),
            "{title:?} {body:?}: {}",
            r.score
        );
        assert!(!r.reasons.is_empty());
    }
}

#[test]
fn odd_strings_are_classified() {
    let c = TopicClassifier::iran();
    let samples = [
        "",
        " ",
        "\n\n\n",
        "؟",
        "...!!!???",
        "\u{200C}\u{200C}\u{064E}\u{0650}",
        "\u{202E}ایران\u{202C} \u{FEFF}تهران",
        "ﺍﻳﺮﺍﻥ ﻛﻴﻬﺎﻥ ﷲ",
        "Iran's' '' 's 'Iran",
        "TEHRAN",
        "TEHRAN (Reuters) -",
        "A.B.C. D. E. Iran. F.",
        "&\\t&\\t&#3;\n Reuter\n&\\t",
        "🇮🇷 Iran 🚀 تهران 🙂",
        "\r\nIran\r\n\r\nتهران\r\n",
        "ي ك ى ة ۀ أ إ آ ؤ ئ",
    ];
    for t in samples {
        for b in samples {
            check(&c, t, b);
        }
    }
}

#[test]
fn pseudo_random_text_is_classified() {
    // A fixed linear congruential generator over a palette of awkward
    // characters: reproducible, no dependency.
    let palette: Vec<char> = "aZ .,'’-\n\t&\\#؟،ایرانتهکيى\u{200C}\u{064B}\u{0654}ﻻ١۲3😀\u{202B}"
        .chars()
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let c = TopicClassifier::iran();
    for _ in 0..300 {
        let mut text = String::new();
        let len = (state >> 33) % 400;
        for _ in 0..len {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push(palette[((state >> 33) % palette.len() as u64) as usize]);
        }
        let split = text
            .char_indices()
            .nth(text.chars().count() / 3)
            .map_or(0, |(i, _)| i);
        check(&c, &text[..split], &text[split..]);
    }
}

#[test]
fn a_huge_story_is_classified() {
    let body = "Iran said the talks in Tehran would continue. ".repeat(20_000);
    let c = TopicClassifier::iran();
    let r = c.classify(&TopicInput {
        title: "Talks",
        dateline: None,
        body: &body,
        lang: None,
        dedicated_source: false,
    });
    assert!(r.relevant);
}

#[test]
fn jsonl_with_wrong_types_is_skipped_not_fatal() {
    let input = "{\"id\":1,\"title\":5,\"body\":\"Iran\"}\n[1,2]\n{\"id\":2,\"title\":\"Tehran talks\",\"body\":\"Iran said.\"}\n";
    let mut out = Vec::new();
    let stats = classify_jsonl(input.as_bytes(), &mut out, &TopicClassifier::iran()).unwrap();
    assert_eq!((stats.classified, stats.skipped), (1, 2));
    assert_eq!(
        stats.skipped_lines.iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![1, 2]
    );
}

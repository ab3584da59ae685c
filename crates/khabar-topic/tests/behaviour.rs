//! Decisions, reasons, operator settings and the jsonl interface on
//! hand-written stories.

use khabar_topic::{
    LabelRule, TopicClassifier, TopicError, TopicInput, TopicSettings, classify_jsonl,
    read_labelled_jsonl,
};

const IRAN_STORY_TITLE: &str = "IRAN SAYS IT INTENDS NO THREAT TO GULF SHIPPING";
const IRAN_STORY_BODY: &str = "Iran said today it had no intention of threatening shipping in the Gulf.\n\
    Tehran Radio quoted the Revolutionary Guards commander as saying Iranian forces would defend the Strait of Hormuz.\n\
    The statement followed reports that Iran had deployed missiles near Bandar Abbas.\n\
    Western diplomats said the move worried Kuwait.";

const OPEC_LIST_TITLE: &str = "OPEC OUTPUT FALLS IN MARCH";
const OPEC_LIST_BODY: &str = "OPEC crude oil output fell to 15.8 mln barrels per day in March, a survey showed.\n\
    Saudi Arabia pumped 3.5 mln bpd, below its quota, while Venezuela and Nigeria also cut output.\n\
    Traders said the fall reflected lower liftings by customers unwilling to pay fixed prices.\n\
    Output by Kuwait, Qatar, Iran, Iraq and the UAE was little changed, the survey said.\n\
    Prices on the spot market rose by 20 cents a barrel in London.";

fn input<'a>(title: &'a str, body: &'a str) -> TopicInput<'a> {
    TopicInput {
        title,
        dateline: None,
        body,
        lang: Some("en"),
        dedicated_source: false,
    }
}

#[test]
fn story_about_iran_is_relevant_with_reasons_naming_the_evidence() {
    let r = TopicClassifier::iran().classify(&input(IRAN_STORY_TITLE, IRAN_STORY_BODY));
    assert!(r.relevant, "{r:?}");
    assert!(r.score > 0.9 && r.score <= 1.0, "{}", r.score);
    assert!(
        r.reasons
            .iter()
            .any(|x| x.starts_with("headline mentions \"Iran\"")),
        "{:?}",
        r.reasons
    );
    assert!(
        r.reasons
            .iter()
            .any(|x| x.contains("mentions of Iran terms")),
        "{:?}",
        r.reasons
    );
    assert!(
        r.tags.iter().any(|t| t == "regional-conflict"),
        "{:?}",
        r.tags
    );
}

#[test]
fn passing_mention_in_a_list_is_rejected_and_said_so() {
    let r = TopicClassifier::iran().classify(&input(OPEC_LIST_TITLE, OPEC_LIST_BODY));
    assert!(!r.relevant, "{r:?}");
    assert!(r.score < 0.5);
    assert!(r.tags.is_empty(), "irrelevant stories get no tags");
    assert!(!r.reasons.is_empty());
    assert!(
        r.reasons
            .iter()
            .any(|x| x.contains("only a passing mention: one of 5 countries listed")),
        "{:?}",
        r.reasons
    );
}

#[test]
fn story_with_no_topic_term_says_so() {
    let r = TopicClassifier::iran().classify(&input(
        "BAHIA COCOA REVIEW",
        "Showers continued throughout the week in the Bahia cocoa zone.",
    ));
    assert!(!r.relevant);
    assert!(r.score < 0.01);
    assert_eq!(r.reasons[0], "no Iran terms found");
}

#[test]
fn dateline_in_body_counts_as_dateline_evidence() {
    let r = TopicClassifier::iran().classify(&input(
        "Oil ministry plans new contracts",
        "TEHRAN (Reuters) - The oil ministry said on Monday it would offer new contracts to foreign companies.",
    ));
    assert!(
        r.reasons
            .iter()
            .any(|x| x.starts_with("dateline names \"Tehran\"")),
        "{:?}",
        r.reasons
    );
    assert!(r.relevant, "{r:?}");
}

#[test]
fn story_about_iran_without_the_word_iran_in_the_lead_is_found() {
    let r = TopicClassifier::iran().classify(&input(
        "Rial slides as Majlis debates budget",
        "The currency fell to a record low in Tehran's exchange shops on Sunday.\n\n\
         Members of the Majlis argued over the budget presented by President Pezeshkian.\n\n\
         The Central Bank, Bank Markazi, said it would intervene.",
    ));
    assert!(r.relevant, "{r:?}");
    assert!(
        r.tags.iter().any(|t| t == "sanctions-economy"),
        "{:?}",
        r.tags
    );
}

#[test]
fn exclude_terms_win_over_everything() {
    let settings = TopicSettings {
        exclude_terms: vec!["horoscope".into()],
        include_terms: vec!["Gulf".into()],
        threshold: None,
    };
    let c = TopicClassifier::iran().with_settings(settings);
    let mut i = input(
        IRAN_STORY_TITLE,
        "Iran horoscope for the week, Tehran edition. Iran Iran Gulf.",
    );
    i.dedicated_source = true;
    let r = c.classify(&i);
    assert!(!r.relevant);
    assert_eq!(r.score, 0.0);
    assert!(
        r.reasons[0].contains("exclude term \"horoscope\""),
        "{:?}",
        r.reasons
    );
    assert!(r.tags.is_empty());
}

#[test]
fn include_terms_and_dedicated_sources_accept() {
    let c = TopicClassifier::iran().with_settings(TopicSettings {
        include_terms: vec!["Caspian sturgeon".into()],
        ..Default::default()
    });
    let r = c.classify(&input(
        "Caviar prices",
        "Caspian sturgeon stocks fell again, fishermen said.",
    ));
    assert!(r.relevant && r.score == 1.0, "{r:?}");
    assert!(r.reasons[0].contains("include term \"Caspian sturgeon\""));
    assert!(r.reasons.iter().any(|x| x.contains("overridden")));

    let plain = TopicClassifier::iran();
    let mut i = input(
        "Weather",
        "Sunny skies are expected across the region tomorrow.",
    );
    assert!(!plain.classify(&i).relevant);
    i.dedicated_source = true;
    let r = plain.classify(&i);
    assert!(r.relevant, "{r:?}");
    assert!(r.reasons[0].contains("dedicated"));
}

#[test]
fn threshold_setting_moves_the_decision() {
    let strict = TopicClassifier::iran().with_settings(TopicSettings {
        threshold: Some(0.999_999),
        ..Default::default()
    });
    let loose = TopicClassifier::iran().with_settings(TopicSettings {
        threshold: Some(0.0),
        ..Default::default()
    });
    let i = input(OPEC_LIST_TITLE, OPEC_LIST_BODY);
    assert!(!strict.classify(&i).relevant);
    assert!(loose.classify(&i).relevant);
}

#[test]
fn settings_refuse_unknown_fields() {
    let ok: TopicSettings =
        serde_json::from_str(r#"{"threshold":0.7,"include_terms":["Evin"]}"#).unwrap();
    assert_eq!(ok.threshold, Some(0.7));
    assert!(serde_json::from_str::<TopicSettings>(r#"{"treshold":0.7}"#).is_err());
}

#[test]
fn classifier_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<TopicClassifier>();
}

#[test]
fn model_bytes_round_trip_and_garbage_is_refused() {
    let c = TopicClassifier::iran();
    let bytes = c.model().to_bytes();
    let again = TopicClassifier::from_model_bytes(&bytes, TopicSettings::default()).unwrap();
    assert_eq!(again.model(), c.model());
    assert!(matches!(
        TopicClassifier::from_model_bytes(b"{not json", TopicSettings::default()),
        Err(TopicError::Model(_))
    ));
    let mut m = c.model().clone();
    m.weights.pop();
    assert!(TopicClassifier::from_model_bytes(&m.to_bytes(), TopicSettings::default()).is_err());
}

#[test]
fn classify_jsonl_writes_one_line_per_story_and_reports_bad_lines() {
    let input = format!(
        "{}\n{}\nthis is not json\n{{\"id\": 9}}\n\n{}\n",
        serde_json::json!({"id": 1, "title": IRAN_STORY_TITLE, "body": IRAN_STORY_BODY, "places": ["iran"], "date": "x"}),
        serde_json::json!({"id": "b", "title": OPEC_LIST_TITLE, "body": OPEC_LIST_BODY}),
        serde_json::json!({"id": 3, "title": "Cocoa", "dateline": "SALVADOR, Feb 26 -", "body": "Rain in Bahia."}),
    );
    let mut out = Vec::new();
    let stats = classify_jsonl(input.as_bytes(), &mut out, &TopicClassifier::iran()).unwrap();
    assert_eq!(
        (stats.lines, stats.classified, stats.relevant, stats.skipped),
        (5, 3, 1, 2)
    );
    assert_eq!(stats.skipped_lines[0].0, 3);
    assert_eq!(stats.skipped_lines[1].0, 4);
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["relevant"], true);
    assert!(
        lines[0]["reasons"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["relevant"], false);
    assert_eq!(lines[1]["tags"], serde_json::json!([]));
}

#[test]
fn labelled_reader_names_the_bad_line() {
    let text = "{\"id\":1,\"title\":\"a\",\"body\":\"b\",\"iran\":true}\n{\"id\":2,\"title\":\"a\",\"body\":\"b\"}\n";
    match read_labelled_jsonl(text.as_bytes(), LabelRule::Field("iran".into())) {
        Err(TopicError::BadLine { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
    let ok = read_labelled_jsonl(
        "{\"id\":7,\"title\":\"a\",\"body\":\"b\",\"relevant\":1}".as_bytes(),
        LabelRule::Auto,
    )
    .unwrap();
    assert_eq!(ok[0].id, "7");
    assert!(ok[0].relevant);
    // Reuters `places` is not the editorial standard: no silent fallback.
    match read_labelled_jsonl(
        "{\"id\":7,\"title\":\"a\",\"body\":\"b\",\"places\":[\"usa\",\"iran\"]}".as_bytes(),
        LabelRule::Auto,
    ) {
        Err(TopicError::BadLine { reason, .. }) => {
            assert!(reason.contains("editorial standard"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

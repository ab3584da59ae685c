//! Sentences on Iran that do not repeat its name: words that refer back to
//! a named affair ("the scandal", "the probe") and passages that follow
//! Iran for several sentences late in a story. Hand-written stories, each
//! with a control that differs only in the evidence under test.

use khabar_topic::{TopicClassifier, TopicInput};

fn classify(title: &str, body: &str) -> khabar_model::Relevance {
    TopicClassifier::iran().classify(&TopicInput {
        title,
        dateline: None,
        body,
        lang: Some("en"),
        dedicated_source: false,
    })
}

const AFFAIR_TITLE: &str = "SENATE PANEL WEIGHS WITNESS DEAL";

/// Iran named once, then the affair followed for four sentences, while
/// the United States is named more often than Iran.
const AFFAIR_BODY: &str = "A Senate committee is weighing whether to let a former \
    White House aide testify about the Iran arms sales.\n\
    Members said immunity from prosecution would be offered only if his testimony \
    could trace the missing money.\n\
    The probe has so far failed to follow the diversion of profits beyond two \
    foreign bank accounts.\n\
    Investigators called the aide the most important witness left in the scandal.\n\
    The White House declined to comment, a U.S. official said.";

/// The same first sentence; the rest is about something else.
const CONTROL_BODY: &str = "A Senate committee is weighing whether to let a former \
    White House aide testify about the Iran arms sales.\n\
    Members also discussed the budget of the highway programme for next year.\n\
    The committee chairman said the bill would reach the floor in May.\n\
    Farm state senators asked for more money for rural roads.\n\
    The White House declined to comment, a U.S. official said.";

#[test]
fn a_named_affair_followed_for_several_sentences_is_the_story() {
    let r = classify(AFFAIR_TITLE, AFFAIR_BODY);
    assert!(r.relevant, "{r:?}");
    assert!(
        r.reasons.iter().any(|x| x.contains("refer back to it")),
        "{:?}",
        r.reasons
    );
    assert!(
        !r.reasons.iter().any(|x| x.contains("passing mention")),
        "{:?}",
        r.reasons
    );
}

#[test]
fn the_same_name_in_one_sentence_of_background_is_a_passing_mention() {
    let r = classify(AFFAIR_TITLE, CONTROL_BODY);
    assert!(!r.relevant, "{r:?}");
    let affair = classify(AFFAIR_TITLE, AFFAIR_BODY);
    assert!(r.score < affair.score, "{} vs {}", r.score, affair.score);
}

#[test]
fn a_reference_in_a_sentence_about_another_country_is_not_iran() {
    // The same four follow-up sentences, each now naming another country
    // whose affair the words refer to.
    let elsewhere = "A Senate committee is weighing whether to let a former \
        White House aide testify about the Iran arms sales.\n\
        Members said immunity would be offered to a Swiss banker only if his testimony \
        could trace money in Switzerland.\n\
        The probe of the bank has so far failed to follow profits beyond two \
        accounts in Panama and Cyprus.\n\
        Investigators called the Swiss banker the most important witness left in the scandal.\n\
        The White House declined to comment, a U.S. official said.";
    let r = classify(AFFAIR_TITLE, elsewhere);
    let affair = classify(AFFAIR_TITLE, AFFAIR_BODY);
    assert!(!r.relevant, "{r:?}");
    assert!(
        !r.reasons.iter().any(|x| x.contains("refer back to it")),
        "{:?}",
        r.reasons
    );
    assert!(r.score < affair.score, "{} vs {}", r.score, affair.score);
}

#[test]
fn reference_words_without_a_named_actor_are_no_evidence() {
    let r = classify(
        "MINISTER QUITS OVER ARMS SCANDAL",
        "The defence minister resigned on Friday over the arms sales scandal.\n\
         The probe into the affair will continue, prosecutors said.\n\
         Opposition leaders demanded immunity be refused to all witnesses.",
    );
    assert!(!r.relevant, "{r:?}");
    assert_eq!(r.reasons[0], "no Iran terms found");
}

const WHEAT_TITLE: &str = "CANADA EXPECTS HIGHER WHEAT EXPORTS";

/// A grain story whose last four sentences are about sales to Iran.
const PASSAGE_BODY: &str = "Canada expects wheat exports to rise this season, the grain \
    board said.\n\
    Good rains in the prairies lifted yields in most provinces.\n\
    Shipments to Asia were steady and prices firmed slightly.\n\
    Farmers planted more durum than last year.\n\
    Storage space at the ports was tight in the autumn.\n\
    Much of the rise comes from a large contract with Iran.\n\
    Iran bought two mln tonnes last year and paid in cash.\n\
    Talks on next year's purchases with the Iranian state buyer are under way.\n\
    Iran again asked for credit terms, the board said.";

/// The same sentences, with the Iran ones scattered among the others.
const SCATTERED_BODY: &str = "Canada expects wheat exports to rise this season, the grain \
    board said.\n\
    Much of the rise comes from a large contract with Iran.\n\
    Good rains in the prairies lifted yields in most provinces.\n\
    Iran bought two mln tonnes last year and paid in cash.\n\
    Shipments to Asia were steady and prices firmed slightly.\n\
    Talks on next year's purchases with the Iranian state buyer are under way.\n\
    Farmers planted more durum than last year.\n\
    Iran again asked for credit terms, the board said.\n\
    Storage space at the ports was tight in the autumn.";

#[test]
fn a_passage_on_iran_weighs_more_than_the_same_sentences_scattered() {
    let passage = classify(WHEAT_TITLE, PASSAGE_BODY);
    let scattered = classify(WHEAT_TITLE, SCATTERED_BODY);
    assert!(
        passage
            .reasons
            .iter()
            .any(|x| x.starts_with("longest passage on Iran: 4 sentences in a row")),
        "{:?}",
        passage.reasons
    );
    assert!(
        passage.score > scattered.score + 0.1,
        "{} vs {}",
        passage.score,
        scattered.score
    );
}

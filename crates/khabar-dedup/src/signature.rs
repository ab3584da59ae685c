//! What dedup remembers of a story: a MinHash of its word shingles and the
//! keywords of its title and lead.
//!
//! The signature is computed once, when a story arrives, and stored by the
//! store as a blob; on restart the index is rebuilt from the blobs alone,
//! without re-reading bodies.

use crate::DedupError;
use crate::boilerplate::content_lines;
use crate::fast_fold::{fold, for_each_token};
use crate::hash::{combine, hash_bytes};
use crate::keywords::{MAX_KEYWORDS, keywords};
use crate::wire_words::{
    canonical_token, number_word, title_ticker, title_without_ticker, without_version_mark,
};

/// MinHash values per signature. 128 gives a Jaccard estimate within about
/// ±0.045 (one standard error at J = 0.5), enough to tell a copy (J ≥ 0.4,
/// containment near 1) from a different report on the same subject
/// (J < 0.1), and leaves room for up to 42 LSH bands of 3 rows.
pub const NUM_HASHES: usize = 128;
/// Words per body shingle: long enough that two different stories on one
/// subject rarely share one, short enough that an edited sentence still
/// leaves most of its shingles intact.
pub const SHINGLE_WORDS: usize = 4;
/// Words per title shingle: headlines are short.
const TITLE_SHINGLE_WORDS: usize = 2;
const TITLE_SALT: u64 = 0x7469_746C_6500_0001;
const BODY_SALT: u64 = 0x626F_6479_0000_0001;

const MAGIC: &[u8; 3] = b"KDS";
/// Version 2: number words read as figures ("April One" = "April 1"),
/// headline ticker, lead and figures appended. Version 1
/// blobs are still read (without title marks) so a store written by an
/// older build can rebuild its index; re-computing them from the text gives
/// the full signature.
const VERSION: u8 = 2;
/// Title figures kept: headlines carry one or two.
pub const MAX_TITLE_FIGURES: usize = 4;

/// Multiply-shift permutations `(a*x + b) >> 32`, a 2-universal family,
/// drawn deterministically so signatures from any run are comparable.
const PERMUTATIONS: [(u64, u64); NUM_HASHES] = {
    let mut out = [(0u64, 0u64); NUM_HASHES];
    let mut state = 0x6B68_6162_6172_0001u64; // "khabar"
    let mut i = 0;
    while i < NUM_HASHES {
        let a = splitmix64_const(&mut state) | 1;
        let b = splitmix64_const(&mut state);
        out[i] = (a, b);
        i += 1;
    }
    out
};

const fn splitmix64_const(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A story's dedup fingerprint. See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    minhash: Box<[u32; NUM_HASHES]>,
    /// Distinct shingles the MinHash was taken over; with the Jaccard
    /// estimate it gives the containment of the shorter text in the longer.
    shingles: u32,
    /// Event keywords, title ones first (see `keywords`).
    keywords: Vec<u32>,
    title_keywords: u8,
    /// Hashes of the distinct figures (tokens with a digit) of the body,
    /// sorted; `None` when there are more than [`MAX_FIGURES`]. Wire items
    /// built from one template (dividends, rate moves, money-market
    /// operations) differ only in their figures, which 4-word shingles
    /// barely see; copies of one item agree on them.
    figures: Option<Vec<u16>>,
    /// Hash of the headline's exchange ticker (`<JWC>`), 0 when it has
    /// none: the name of the company a templated item is about.
    ticker: u32,
    /// Hash of the headline's first two words (ticker left out): the
    /// subject of a wire headline ("JOLIET HOGS ..." / "ST JOSEPH HOGS
    /// ..."), 0 for an empty headline.
    title_lead: u32,
    /// Hashes of the headline's figures, sorted, 0 = unused slot. Series
    /// items re-sent with new figures ("GRAIN FUTURES 12:10" / "12:20",
    /// identical bodies) differ here.
    title_figures: [u16; MAX_TITLE_FIGURES],
}

/// Figures kept per story; longer stories are not templated items, and for
/// them the check is skipped.
pub const MAX_FIGURES: usize = 40;

impl Signature {
    /// Computes the signature of a story from its headline and plain-text body.
    pub fn of(title: &str, body: &str) -> Signature {
        let lines = content_lines(body);
        let mut set: Vec<u64> = Vec::with_capacity(body.len() / 5 + 8);
        let mut toks: Vec<u64> = Vec::with_capacity(body.len() / 5 + 8);
        for line in &lines {
            for_each_token(&fold(line), |t| toks.push(hash_bytes(t.as_bytes())));
        }
        push_shingles(&toks, SHINGLE_WORDS, BODY_SALT, &mut set);
        let mut title_toks: Vec<u64> = Vec::new();
        for_each_token(&fold(title), |t| title_toks.push(hash_bytes(t.as_bytes())));
        push_shingles(&title_toks, TITLE_SHINGLE_WORDS, TITLE_SALT, &mut set);
        set.sort_unstable();
        set.dedup();
        let mut minhash = Box::new([u32::MAX; NUM_HASHES]);
        for &x in &set {
            for (m, &(a, b)) in minhash.iter_mut().zip(PERMUTATIONS.iter()) {
                let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                if v < *m {
                    *m = v;
                }
            }
        }
        let mut figures: Vec<u16> = Vec::new();
        // Over the joined text: wire copy wraps "11.9" and "mln" onto two
        // lines where a web copy has one.
        for fig in figures_in(&lines.join(" ")) {
            figures.push(figure_hash(&fig));
        }
        figures.sort_unstable();
        figures.dedup();
        let figures = (figures.len() <= MAX_FIGURES).then_some(figures);
        let lead: Vec<&str> = lines.iter().take(6).copied().collect();
        let (keywords, title_keywords) = keywords(title, &lead);
        let ticker = title_ticker(title).map_or(0, |t| {
            (hash_bytes(t.to_ascii_uppercase().as_bytes()) >> 32) as u32 | 1
        });
        let mut lead_toks: Vec<u64> = Vec::with_capacity(2);
        let plain_title = without_version_mark(title);
        for_each_token(&fold(&title_without_ticker(plain_title)), |t| {
            if lead_toks.len() < 2 {
                lead_toks.push(hash_bytes(canonical_token(t).as_bytes()))
            }
        });
        let title_lead = if lead_toks.is_empty() {
            0
        } else {
            (combine(&lead_toks, TITLE_SALT) >> 32) as u32 | 1
        };
        let mut tf: Vec<u16> = figures_in(plain_title)
            .iter()
            .map(|f| figure_hash(f))
            .collect();
        tf.sort_unstable();
        tf.dedup();
        let mut title_figures = [0u16; MAX_TITLE_FIGURES];
        for (slot, f) in title_figures.iter_mut().zip(tf) {
            *slot = f;
        }
        Signature {
            minhash,
            shingles: set.len().min(u32::MAX as usize) as u32,
            keywords,
            title_keywords,
            figures,
            ticker,
            title_lead,
            title_figures,
        }
    }

    /// Serialises for storage: `KDS`, version, counts, then little-endian
    /// MinHash values and keywords.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + NUM_HASHES * 4 + self.keywords.len() * 4);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&(NUM_HASHES as u16).to_le_bytes());
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.push(self.keywords.len() as u8);
        out.push(self.title_keywords);
        for v in self.minhash.iter() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for k in &self.keywords {
            out.extend_from_slice(&k.to_le_bytes());
        }
        match &self.figures {
            None => out.push(u8::MAX),
            Some(f) => {
                out.push(f.len() as u8);
                for x in f {
                    out.extend_from_slice(&x.to_le_bytes());
                }
            }
        }
        out.extend_from_slice(&self.ticker.to_le_bytes());
        out.extend_from_slice(&self.title_lead.to_le_bytes());
        for x in self.title_figures {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out
    }

    /// Reads a blob written by [`Signature::to_bytes`]; any other input is
    /// an error, never a panic.
    pub fn from_bytes(b: &[u8]) -> Result<Signature, DedupError> {
        let head = b
            .get(..12)
            .ok_or(DedupError::InvalidSignature("truncated header"))?;
        if &head[..3] != MAGIC {
            return Err(DedupError::InvalidSignature("not a khabar dedup signature"));
        }
        let version = head[3];
        if version != VERSION && version != 1 {
            return Err(DedupError::InvalidSignature("unknown signature version"));
        }
        if u16::from_le_bytes([head[4], head[5]]) as usize != NUM_HASHES {
            return Err(DedupError::InvalidSignature("wrong number of hashes"));
        }
        let shingles = u32::from_le_bytes([head[6], head[7], head[8], head[9]]);
        let nkw = head[10] as usize;
        let title_keywords = head[11];
        if nkw > MAX_KEYWORDS || title_keywords as usize > nkw {
            return Err(DedupError::InvalidSignature("bad keyword count"));
        }
        let fixed = 12 + NUM_HASHES * 4 + nkw * 4;
        let nfig = *b
            .get(fixed)
            .ok_or(DedupError::InvalidSignature("truncated figures"))?;
        let nfig = match nfig {
            u8::MAX => None,
            n if n as usize > MAX_FIGURES => {
                return Err(DedupError::InvalidSignature("bad figure count"));
            }
            n => Some(n as usize),
        };
        let figs_end = fixed + 1 + nfig.unwrap_or(0) * 2;
        let marks = if version == 1 {
            0
        } else {
            8 + MAX_TITLE_FIGURES * 2
        };
        if b.len() != figs_end + marks {
            return Err(DedupError::InvalidSignature("wrong length"));
        }
        let (mut ticker, mut title_lead) = (0u32, 0u32);
        let mut title_figures = [0u16; MAX_TITLE_FIGURES];
        if marks > 0 {
            let m = &b[figs_end..];
            ticker = u32::from_le_bytes([m[0], m[1], m[2], m[3]]);
            title_lead = u32::from_le_bytes([m[4], m[5], m[6], m[7]]);
            for (slot, c) in title_figures.iter_mut().zip(m[8..].chunks_exact(2)) {
                *slot = u16::from_le_bytes([c[0], c[1]]);
            }
        }
        let figures = nfig.map(|_| {
            b[fixed + 1..figs_end]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect::<Vec<u16>>()
        });
        let words = b[12..fixed]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        let mut minhash = Box::new([0u32; NUM_HASHES]);
        let mut keywords = Vec::with_capacity(nkw);
        for (i, w) in words.enumerate() {
            if i < NUM_HASHES {
                minhash[i] = w;
            } else {
                keywords.push(w);
            }
        }
        Ok(Signature {
            minhash,
            shingles,
            keywords,
            title_keywords,
            figures,
            ticker,
            title_lead,
            title_figures,
        })
    }

    pub fn minhash(&self) -> &[u32; NUM_HASHES] {
        &self.minhash
    }

    /// Distinct shingles of the story; 0 for a story with no words.
    pub fn shingle_count(&self) -> u32 {
        self.shingles
    }

    pub fn keywords(&self) -> &[u32] {
        &self.keywords
    }

    /// How many of [`Signature::keywords`] come from the title.
    pub fn title_keyword_count(&self) -> usize {
        self.title_keywords as usize
    }

    /// The body's figure hashes, `None` when it has too many to matter.
    pub fn figures(&self) -> Option<&[u16]> {
        self.figures.as_deref()
    }

    /// Share of the smaller figure set found in the other, when both
    /// stories have some figures and neither has too many.
    pub fn figure_overlap(&self, other: &Signature) -> Option<f32> {
        figure_overlap(self.figures.as_deref()?, other.figures.as_deref()?)
    }

    /// Hash of the headline's ticker, 0 when it has none.
    pub fn ticker(&self) -> u32 {
        self.ticker
    }

    /// Hash of the headline's first two words, 0 when it has none.
    pub fn title_lead(&self) -> u32 {
        self.title_lead
    }

    /// Hashes of the headline's figures (0 = unused slot).
    pub fn title_figures(&self) -> [u16; MAX_TITLE_FIGURES] {
        self.title_figures
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f32 {
        if self.shingles == 0 || other.shingles == 0 {
            return 0.0;
        }
        let same = self
            .minhash
            .iter()
            .zip(other.minhash.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f32 / NUM_HASHES as f32
    }

    /// Estimated share of the smaller story's shingles found in the larger.
    pub fn containment(&self, other: &Signature) -> f32 {
        containment_from_jaccard(self.jaccard(other), self.shingles, other.shingles)
    }
}

/// A figure's 16-bit hash, never 0 (0 marks an empty title-figure slot).
fn figure_hash(fig: &str) -> u16 {
    ((hash_bytes(fig.as_bytes()) >> 48) as u16).max(1)
}

/// Whether two headlines' figures agree: `None` when either has none, else
/// whether the smaller set is contained in the other (a retitled re-issue
/// may add "JAN 31" to "2ND QTR NET", but not change "12:10" to "12:20").
pub fn title_figures_agree(
    a: [u16; MAX_TITLE_FIGURES],
    b: [u16; MAX_TITLE_FIGURES],
) -> Option<bool> {
    let na = a.iter().filter(|&&x| x != 0).count();
    let nb = b.iter().filter(|&&x| x != 0).count();
    if na == 0 || nb == 0 {
        return None;
    }
    let (small, large) = if na <= nb { (a, b) } else { (b, a) };
    Some(small.iter().filter(|&&x| x != 0).all(|x| large.contains(x)))
}

/// The figures of a line: runs of ASCII digits joined by `.`, `,`, `/` or
/// `-` between digits, so "6-1/8" and "6-3/8" stay whole and differ, while
/// "40-mln" and "40 mln" both give "40". Other scripts' digits are folded
/// to ASCII first.
fn figures_in(line: &str) -> Vec<String> {
    let folded = fold(line);
    // Wire style spells small numbers out ("two billion", "April One"):
    // read them as the digits they stand for, so that "April One" and
    // "April 1" give one figure and "two billion" is scaled like "2 bln".
    let mut spelled = String::with_capacity(folded.len());
    let mut word_start: Option<usize> = None;
    for (i, c) in folded
        .char_indices()
        .chain(std::iter::once((folded.len(), ' ')))
    {
        match (word_start, c.is_alphanumeric()) {
            (None, true) => word_start = Some(i),
            (Some(s), false) => {
                let w = &folded[s..i];
                spelled.push_str(number_word(w).unwrap_or(w));
                word_start = None;
            }
            _ => {}
        }
        if word_start.is_none() && i < folded.len() {
            spelled.push(c);
        }
    }
    let chars: Vec<char> = spelled.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (matches!(chars[i], '.' | ',' | '/' | '-')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        let raw: String = chars[start..i].iter().collect();
        let rest: String = chars[i..].iter().take(12).collect();
        out.push(canonical_figure(&raw, rest.trim_start()));
    }
    out
}

/// A plain number with its scale word ("11.9 mln", "11,908,000") as its
/// value to three significant digits, so a figure re-written by another
/// desk still matches while 5.92 and 5.90 stay apart; anything else
/// (fractions, dates like "1987/88") as written.
fn canonical_figure(raw: &str, after: &str) -> String {
    let plain = raw.replace(',', "");
    if plain.contains(['/', '-']) || plain.matches('.').count() > 1 {
        return raw.to_string();
    }
    let Ok(mut v) = plain.parse::<f64>() else {
        return raw.to_string();
    };
    let word = after
        .trim_start_matches([' ', '-'])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    v *= match word {
        "mln" | "million" | "mn" | "m" => 1e6,
        "bln" | "billion" | "bn" => 1e9,
        "trillion" | "trn" => 1e12,
        _ => 1.0,
    };
    format!("{v:.2e}")
}

/// |A∩B| / min(|A|,|B|) of two sorted figure sets; `None` if one is empty.
pub fn figure_overlap(a: &[u16], b: &[u16]) -> Option<f32> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Some(both as f32 / a.len().min(b.len()) as f32)
}

/// |A∩B| / min(|A|,|B|) from J = |A∩B|/|A∪B| and the set sizes:
/// |A∩B| = J(|A|+|B|)/(1+J).
pub fn containment_from_jaccard(j: f32, a: u32, b: u32) -> f32 {
    let small = a.min(b);
    if small == 0 {
        return 0.0;
    }
    let inter = j * (a as f32 + b as f32) / (1.0 + j);
    (inter / small as f32).min(1.0)
}

/// Adds the hashes of every `k`-token window (or of the whole sequence when
/// it is shorter) to `out`.
fn push_shingles(toks: &[u64], k: usize, salt: u64, out: &mut Vec<u64>) {
    if toks.is_empty() {
        return;
    }
    if toks.len() < k {
        out.push(combine(toks, salt));
        return;
    }
    out.extend(toks.windows(k).map(|w| combine(w, salt)));
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "WASHINGTON (Reuters) - The United States on Monday imposed new sanctions \
        on Iran's oil sector, targeting a network of shipping companies that it said helped move \
        Iranian crude to buyers in Asia in violation of existing measures.\n\n\
        The Treasury Department said the companies, based in the United Arab Emirates and Hong \
        Kong, had arranged the transfer of millions of barrels of oil.\n\n\
        Iran's foreign ministry spokesman called the move illegal and said Tehran would respond.";

    #[test]
    fn copies_with_furniture_score_near_one() {
        let a = Signature::of("U.S. sanctions Iran oil network", BODY);
        let b = Signature::of(
            "US imposes new sanctions on Iranian oil shippers",
            &format!(
                "Advertisement\n\n{BODY}\n\nReporting by Daphne Psaledakis; Editing by Chris Reese\nRead more: https://x.example/y"
            ),
        );
        assert!(a.containment(&b) > 0.85, "{}", a.containment(&b));
        assert!(a.jaccard(&b) > 0.75);
    }

    #[test]
    fn different_story_same_topic_scores_low() {
        let a = Signature::of("U.S. sanctions Iran oil network", BODY);
        let c = Signature::of(
            "Iran says talks with IAEA constructive",
            "VIENNA (Reuters) - Iran's envoy to the International Atomic Energy Agency said on \
             Monday that talks with the agency's inspectors had been constructive and that a new \
             round would take place next month in Tehran.",
        );
        assert!(a.containment(&c) < 0.2);
    }

    #[test]
    fn bytes_round_trip_and_hostile_bytes_are_errors() {
        let a = Signature::of("t", BODY);
        let bytes = a.to_bytes();
        assert_eq!(Signature::from_bytes(&bytes).unwrap(), a);
        assert!(Signature::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Signature::from_bytes(b"").is_err());
        assert!(Signature::from_bytes(b"KDS\x09").is_err());
        let mut bad = bytes.clone();
        bad[10] = 200;
        assert!(Signature::from_bytes(&bad).is_err());
    }

    #[test]
    fn figures_stay_whole_and_ignore_units() {
        assert_eq!(
            figures_in("rates at 6-1/8 pct, a 40-mln dlr loan of 1,520,797."),
            vec!["6-1/8", "4.00e7", "1.52e6"]
        );
        assert_eq!(figures_in("۱۴۰۲ and 2.5"), vec!["1.40e3", "2.50e0"]);
        assert_eq!(
            figures_in("pay April One, two billion"),
            vec!["1.00e0", "2.00e9"]
        );
        assert_eq!(figures_in("Pay April Seven"), figures_in("Pay April 7"));
        assert_eq!(figures_in("someone at nine-ten"), vec!["9-10"]);
        assert_eq!(figures_in("net 11.9 mln"), figures_in("net 11,908,000"));
        assert_ne!(figures_in("rate 5.92 pct"), figures_in("rate 5.90 pct"));
        assert_eq!(figures_in("fiscal 1987/88"), vec!["1987/88"]);
    }

    #[test]
    fn version_1_blobs_are_read_without_title_marks() {
        let s = Signature::of("JIM WALTER CORP <JWC> SETS PAYOUT", "Qtly div 35 cts");
        assert_ne!(s.ticker(), 0);
        let mut v1 = s.to_bytes();
        v1.truncate(v1.len() - 8 - MAX_TITLE_FIGURES * 2);
        v1[3] = 1;
        let old = Signature::from_bytes(&v1).unwrap();
        assert_eq!(old.ticker(), 0);
        assert_eq!(old.title_lead(), 0);
        assert_eq!(old.minhash(), s.minhash());
        assert_eq!(old.figures(), s.figures());
    }

    #[test]
    fn every_truncation_or_corruption_of_a_blob_is_handled() {
        let bytes = Signature::of("Iran", &format!("{BODY}\nFigures 1,2 and 3.5 mln")).to_bytes();
        for n in 0..bytes.len() {
            assert!(
                Signature::from_bytes(&bytes[..n]).is_err(),
                "prefix {n} accepted"
            );
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xFF;
            let _ = Signature::from_bytes(&b); // must not panic
        }
    }

    #[test]
    fn hostile_text_gives_a_signature() {
        let weird =
            "\u{202E}\u{200C}".repeat(1000) + &"9".repeat(5000) + "-/.,mln " + &"ي ".repeat(3000);
        let s = Signature::of(&weird, &weird);
        assert!(s.shingle_count() > 0);
        assert_eq!(Signature::from_bytes(&s.to_bytes()).unwrap(), s);
    }

    #[test]
    fn empty_story_has_no_shingles() {
        let e = Signature::of("", "");
        assert_eq!(e.shingle_count(), 0);
        assert_eq!(e.jaccard(&e), 0.0);
    }
}

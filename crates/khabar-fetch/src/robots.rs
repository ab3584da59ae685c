//! A compact robots.txt reader (RFC 9309): user-agent groups, Allow and
//! Disallow with `*` and `$`, longest match wins, Allow wins ties; plus
//! the de-facto Crawl-delay.

use std::time::Duration;

/// Parsed rules of one robots.txt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RobotsTxt {
    groups: Vec<Group>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Group {
    agents: Vec<String>,
    rules: Vec<Rule>,
    /// Not in RFC 9309 but widely used and cheap to honour.
    crawl_delay: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    allow: bool,
    /// Percent-encoded pattern, `*` and a trailing `$` kept.
    pattern: String,
}

/// Caps work on hostile files: a robots.txt with a million rules is not a
/// reason to burn a core.
const MAX_RULES: usize = 10_000;

impl RobotsTxt {
    /// Everything allowed: what a missing robots.txt means.
    pub fn allow_all() -> Self {
        RobotsTxt::default()
    }

    pub fn parse(text: &str) -> Self {
        let mut groups: Vec<Group> = Vec::new();
        let mut current: Option<Group> = None;
        let mut in_agents = false;
        let mut rules = 0usize;
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        if let Some(g) = current.take() {
                            groups.push(g);
                        }
                        current = Some(Group::default());
                        in_agents = true;
                    }
                    if let Some(g) = current.as_mut() {
                        g.agents.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    let Some(g) = current.as_mut() else { continue };
                    if value.is_empty() || rules >= MAX_RULES {
                        continue;
                    }
                    rules += 1;
                    g.rules.push(Rule {
                        allow: key == "allow",
                        pattern: encode_pattern(value),
                    });
                }
                "crawl-delay" => {
                    let delay = value
                        .parse::<f64>()
                        .ok()
                        .and_then(|d| Duration::try_from_secs_f64(d).ok());
                    if let (Some(g), Some(d)) = (current.as_mut(), delay) {
                        g.crawl_delay = Some(d);
                    }
                }
                _ => {
                    // Sitemap and unknown keys do not end a group.
                }
            }
        }
        if let Some(g) = current {
            groups.push(g);
        }
        RobotsTxt { groups }
    }

    /// The groups that apply to `agent`: those naming it, else the `*`
    /// groups (RFC 9309 §2.2.1; groups for one agent are merged).
    fn groups_for(&self, agent: &str) -> Vec<&Group> {
        let agent = agent.to_ascii_lowercase();
        let specific: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| g.agents.iter().any(|a| a != "*" && *a == agent))
            .collect();
        if !specific.is_empty() {
            return specific;
        }
        self.groups
            .iter()
            .filter(|g| g.agents.iter().any(|a| a == "*"))
            .collect()
    }

    /// The Crawl-delay asked of `agent`, if any.
    pub fn crawl_delay(&self, agent: &str) -> Option<Duration> {
        self.groups_for(agent)
            .iter()
            .filter_map(|g| g.crawl_delay)
            .max()
    }

    /// Whether a crawler with product token `agent` (e.g. `khabar`) may
    /// fetch `path` (path plus query, percent-encoded as in the URL).
    pub fn is_allowed(&self, agent: &str, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        let chosen = self.groups_for(agent);
        let mut best: Option<(usize, bool)> = None;
        for rule in chosen.iter().flat_map(|g| g.rules.iter()) {
            if pattern_matches(&rule.pattern, path) {
                let len = rule.pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, rule.allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// The crawler's product token: the user agent up to the first `/` or space.
pub fn product_token(user_agent: &str) -> String {
    user_agent
        .split(['/', ' '])
        .next()
        .unwrap_or(user_agent)
        .to_ascii_lowercase()
}

/// Non-ASCII bytes percent-encoded (upper-case hex) the way URLs carry
/// them, so a rule written in Persian matches the encoded path.
fn encode_pattern(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii() && !b.is_ascii_control() && b != b' ' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Prefix match with `*` wildcards; a trailing `$` anchors the end.
/// Greedy with one backtrack point: O(pattern × path) at worst.
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let (p, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p.as_bytes(), true),
        None => (pattern.as_bytes(), false),
    };
    let s = path.as_bytes();
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<usize> = None;
    let mut mark = 0usize;
    while i < s.len() {
        if j == p.len() && !anchored {
            return true;
        }
        if j < p.len() && p[j] == b'*' {
            star = Some(j);
            mark = i;
            j += 1;
        } else if j < p.len() && p[j] == s[i] {
            i += 1;
            j += 1;
        } else if let Some(st) = star {
            j = st + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    while j < p.len() && p[j] == b'*' {
        j += 1;
    }
    j == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROBOTS: &str = "
# comment
User-agent: *
Disallow: /private/
Allow: /private/open
Disallow: /*.pdf$
Disallow: /search?

User-agent: Khabar
User-agent: otherbot
Disallow: /no-khabar/
Crawl-delay: 5

User-agent: badbot
Disallow: /
";

    #[test]
    fn wildcard_group_rules() {
        let r = RobotsTxt::parse(ROBOTS);
        assert!(!r.is_allowed("somebot", "/private/x"));
        assert!(r.is_allowed("somebot", "/private/open/1"));
        assert!(!r.is_allowed("somebot", "/docs/a.pdf"));
        assert!(r.is_allowed("somebot", "/docs/a.pdf?x=1"));
        assert!(!r.is_allowed("somebot", "/search?q=iran"));
        assert!(r.is_allowed("somebot", "/news/1"));
        assert!(!r.is_allowed("badbot", "/anything"));
        assert!(r.is_allowed("badbot", "/robots.txt"));
    }

    #[test]
    fn specific_group_replaces_wildcard() {
        let r = RobotsTxt::parse(ROBOTS);
        assert!(!r.is_allowed("khabar", "/no-khabar/a"));
        assert!(
            r.is_allowed("khabar", "/private/x"),
            "the * group does not apply to khabar"
        );
    }

    #[test]
    fn crawl_delay_per_group() {
        let r = RobotsTxt::parse(ROBOTS);
        assert_eq!(r.crawl_delay("khabar"), Some(Duration::from_secs(5)));
        assert_eq!(r.crawl_delay("somebot"), None);
        assert_eq!(
            RobotsTxt::parse("User-agent: *\nCrawl-delay: 0.5\n").crawl_delay("k"),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            RobotsTxt::parse("User-agent: *\nCrawl-delay: soon\n").crawl_delay("k"),
            None
        );
    }

    #[test]
    fn longest_match_and_allow_wins_ties() {
        let r = RobotsTxt::parse(
            "User-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /a/b/c\nAllow: /x\nDisallow: /x\n",
        );
        assert!(!r.is_allowed("k", "/a/z"));
        assert!(r.is_allowed("k", "/a/b/z"));
        assert!(!r.is_allowed("k", "/a/b/c/d"));
        assert!(r.is_allowed("k", "/x/1"));
    }

    #[test]
    fn empty_disallow_and_missing_file_allow_everything() {
        assert!(RobotsTxt::parse("User-agent: *\nDisallow:\n").is_allowed("k", "/a"));
        assert!(RobotsTxt::allow_all().is_allowed("k", "/a"));
        assert!(RobotsTxt::parse("<html>not robots</html>").is_allowed("k", "/a"));
    }

    #[test]
    fn non_ascii_rules_match_encoded_paths() {
        let r = RobotsTxt::parse("User-agent: *\nDisallow: /خبر/\n");
        assert!(!r.is_allowed("k", "/%D8%AE%D8%A8%D8%B1/1"));
    }

    #[test]
    fn pattern_edge_cases() {
        assert!(pattern_matches("/", "/"));
        assert!(pattern_matches("/*", "/"));
        assert!(pattern_matches("/a*b$", "/aXXb"));
        assert!(!pattern_matches("/a*b$", "/aXXbc"));
        assert!(pattern_matches("*", "/anything"));
        assert!(!pattern_matches("/a$", "/ab"));
        assert!(pattern_matches(
            "/a**********************b",
            &format!("/{}b", "a".repeat(5000))
        ));
    }

    #[test]
    fn product_token_from_user_agent() {
        assert_eq!(product_token("Khabar/0.1 (news crawler)"), "khabar");
    }
}

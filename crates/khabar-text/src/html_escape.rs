//! The one HTML escaper for text khabar writes into markup outside its
//! templates (story bodies, feed item HTML, search snippets). Templates use
//! minijinja's auto-escaping, which escapes the same five characters.

/// Appends `s` to `out` escaped for HTML element content and for quoted
/// attribute values: `& < > " '`.
pub fn escape_html_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `s` escaped for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_html_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_cannot_open_a_tag_or_leave_an_attribute() {
        assert_eq!(
            escape_html(r#"<a href="x" onclick='y'>Tom & Jerry</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;"
        );
        assert_eq!(escape_html("تهران، امروز"), "تهران، امروز");
    }
}

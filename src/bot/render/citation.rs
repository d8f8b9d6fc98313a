//! A citation as every reply shows it: the quote, then its source, linked when it has a URL.

use crate::bot::reply::Field;
use crate::bot::text::escape_markdown;

/// `> quote` lines with matched words in bold, then the source, linked when it has a URL.
pub fn citation_text(quote_markdown: &str, source_title: &str, url: Option<&str>) -> String {
    let quoted: Vec<String> = quote_markdown.lines().map(|l| format!("> {l}")).collect();
    format!(
        "{}\n— {}",
        quoted.join("\n"),
        source_link(source_title, url)
    )
}

/// The field of the `index`-th of `count` citations: "Quote", or "Quote 2" among several.
pub fn quote_field(index: usize, count: usize, body: String) -> Field {
    let name = if count > 1 {
        format!("Quote {}", index + 1)
    } else {
        "Quote".to_string()
    };
    Field::new(name, body)
}

/// `[title](url)`, or the title alone.
pub fn source_link(title: &str, url: Option<&str>) -> String {
    let title = escape_markdown(title);
    match url {
        Some(url) => format!(
            "[{title}]({})",
            url.replace('(', "%28")
                .replace(')', "%29")
                .replace(' ', "%20")
        ),
        None => title,
    }
}

//! Renders docs/methods.md to HTML at build time, for the app's methods page (`#methods`):
//! the page is then part of the app itself and works offline, and the parser is not shipped
//! in the browser bundle. Each heading gets an id from its text (GitHub's rule: lower case,
//! letters, digits, hyphens and underscores kept, spaces become hyphens, repeats numbered), so
//! a figure's "How is this worked out?" link can open its section.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::path::PathBuf;

fn main() {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/methods.md");
    println!("cargo:rerun-if-changed={}", source.display());
    let markdown = std::fs::read_to_string(&source)
        .unwrap_or_else(|e| panic!("reading {}: {e}", source.display()));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let (page, sections) = render(&markdown);
    std::fs::write(out.join("methods.html"), page).expect("writing methods.html");
    // The page's contents list: each top section's id and title, one per line, tab-separated.
    std::fs::write(out.join("methods-sections.tsv"), sections)
        .expect("writing methods-sections.tsv");
}

fn render(markdown: &str) -> (String, String) {
    let mut events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_TABLES).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut sections = String::new();
    for i in 0..events.len() {
        if !matches!(events[i], Event::Start(Tag::Heading { id: None, .. })) {
            continue;
        }
        let text: String = events[i + 1..]
            .iter()
            .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let base = slug(&text);
        let repeats = seen.entry(base.clone()).or_insert(0);
        let unique = if *repeats == 0 {
            base
        } else {
            format!("{base}-{repeats}")
        };
        *repeats += 1;
        if let Event::Start(Tag::Heading { id, level, .. }) = &mut events[i] {
            if *level == HeadingLevel::H2 {
                sections.push_str(&format!("method-{unique}\t{}\n", text.trim()));
            }
            *id = Some(CowStr::from(format!("method-{unique}")));
            *level = one_down(*level);
        }
    }
    // One heading per view: the app's own h1 titles the page, so every heading moves down a
    // level. Links to other files of the repository mean nothing in the app: their text stays.
    let mut open_links = Vec::new();
    let events = events.into_iter().filter_map(|event| match event {
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(one_down(level)))),
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = dest_url.starts_with('#') || dest_url.starts_with("https://");
            open_links.push(keep);
            keep.then_some(event)
        }
        Event::End(TagEnd::Link) => open_links.pop().unwrap_or(true).then_some(event),
        other => Some(other),
    });
    let mut page = String::new();
    html::push_html(&mut page, events);
    (page, sections)
}

fn one_down(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// GitHub's heading anchor: lower case; letters, digits, `-` and `_` kept; spaces to `-`.
fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

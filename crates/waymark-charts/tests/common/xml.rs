//! A tiny, strict XML well-formedness checker and tree for tests (no dependencies).
//!
//! Checks: one root element; tags nest and match; attribute values quoted, unique per
//! element, and free of `<`; every `&` starts a known entity or a character reference;
//! no characters that XML 1.0 forbids. Comments, CDATA, processing instructions and
//! DOCTYPEs are rejected because the charts never write them.

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// This element and all its descendants, depth first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for child in &self.children {
            if let Node::Element(e) = child {
                out.extend(e.descendants());
            }
        }
        out
    }

    /// All text inside this element, concatenated.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .map(|c| match c {
                Node::Text(t) => t.clone(),
                Node::Element(e) => e.text(),
            })
            .collect()
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attribute("class")
            .map(|c| c.split_whitespace().any(|part| part == class))
            .unwrap_or(false)
    }

    /// Descendants (including self) with `class` among their classes.
    pub fn with_class(&self, class: &str) -> Vec<&Element> {
        self.descendants()
            .into_iter()
            .filter(|e| e.has_class(class))
            .collect()
    }
}

pub fn parse(input: &str) -> Result<Element, String> {
    let mut parser = Parser {
        chars: input.char_indices().peekable(),
        input,
    };
    parser.skip_whitespace();
    let root = parser.element()?;
    parser.skip_whitespace();
    if let Some((pos, _)) = parser.chars.peek() {
        return Err(format!("content after the root element at byte {pos}"));
    }
    Ok(root)
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    input: &'a str,
}

fn forbidden(ch: char) -> bool {
    matches!(ch, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

impl<'a> Parser<'a> {
    fn position(&mut self) -> usize {
        self.chars
            .peek()
            .map(|(p, _)| *p)
            .unwrap_or(self.input.len())
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.chars.peek(), Some((_, c)) if c.is_whitespace()) {
            self.chars.next();
        }
    }

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        let pos = self.position();
        match self.chars.next() {
            Some((_, c)) if c == wanted => Ok(()),
            other => Err(format!(
                "expected `{wanted}` at byte {pos}, found {other:?}"
            )),
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let pos = self.position();
        let mut name = String::new();
        while let Some(&(_, c)) = self.chars.peek() {
            let ok = if name.is_empty() {
                c.is_ascii_alphabetic() || c == '_' || c == ':'
            } else {
                c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '-')
            };
            if !ok {
                break;
            }
            name.push(c);
            self.chars.next();
        }
        if name.is_empty() {
            Err(format!("expected a name at byte {pos}"))
        } else {
            Ok(name)
        }
    }

    /// Reads an entity or character reference after `&`, returning its text.
    fn reference(&mut self) -> Result<String, String> {
        let pos = self.position();
        let mut body = String::new();
        loop {
            match self.chars.next() {
                Some((_, ';')) => break,
                Some((_, c)) if body.len() < 10 && (c.is_ascii_alphanumeric() || c == '#') => {
                    body.push(c)
                }
                other => return Err(format!("bad reference at byte {pos}: &{body}{other:?}")),
            }
        }
        let text = match body.as_str() {
            "amp" => "&".to_string(),
            "lt" => "<".to_string(),
            "gt" => ">".to_string(),
            "quot" => "\"".to_string(),
            "apos" => "'".to_string(),
            _ => {
                let code = if let Some(hex) = body.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = body.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                match code.and_then(char::from_u32) {
                    Some(c) if !forbidden(c) => c.to_string(),
                    _ => return Err(format!("unknown reference &{body}; at byte {pos}")),
                }
            }
        };
        Ok(text)
    }

    fn element(&mut self) -> Result<Element, String> {
        self.expect('<')?;
        let name = self.name()?;
        let mut attributes: Vec<(String, String)> = Vec::new();
        loop {
            let had_space = matches!(self.chars.peek(), Some((_, c)) if c.is_whitespace());
            self.skip_whitespace();
            match self.chars.peek().map(|(_, c)| *c) {
                Some('/') => {
                    self.chars.next();
                    self.expect('>')?;
                    return Ok(Element {
                        name,
                        attributes,
                        children: Vec::new(),
                    });
                }
                Some('>') => {
                    self.chars.next();
                    break;
                }
                Some(_) if had_space => {
                    let attr = self.name()?;
                    self.skip_whitespace();
                    self.expect('=')?;
                    self.skip_whitespace();
                    let pos = self.position();
                    let quote = match self.chars.next() {
                        Some((_, q)) if q == '"' || q == '\'' => q,
                        other => {
                            return Err(format!(
                                "unquoted attribute {attr} at byte {pos}: {other:?}"
                            ))
                        }
                    };
                    let mut value = String::new();
                    loop {
                        match self.chars.next() {
                            Some((_, c)) if c == quote => break,
                            Some((p, '<')) => {
                                return Err(format!("`<` in attribute {attr} at byte {p}"))
                            }
                            Some((_, '&')) => value.push_str(&self.reference()?),
                            Some((p, c)) if forbidden(c) => {
                                return Err(format!("forbidden character {c:?} at byte {p}"))
                            }
                            Some((_, c)) => value.push(c),
                            None => return Err(format!("unterminated attribute {attr}")),
                        }
                    }
                    if attributes.iter().any(|(n, _)| *n == attr) {
                        return Err(format!("duplicate attribute {attr} on <{name}>"));
                    }
                    attributes.push((attr, value));
                }
                other => {
                    let pos = self.position();
                    return Err(format!("unexpected {other:?} in <{name}> at byte {pos}"));
                }
            }
        }
        let mut children = Vec::new();
        let mut text = String::new();
        loop {
            let pos = self.position();
            match self.chars.peek().map(|(_, c)| *c) {
                None => return Err(format!("<{name}> is never closed")),
                Some('<') => {
                    if !text.is_empty() {
                        children.push(Node::Text(std::mem::take(&mut text)));
                    }
                    let rest = self.input.get(pos..).unwrap_or("");
                    if rest.starts_with("</") {
                        self.chars.next();
                        self.chars.next();
                        let closing = self.name()?;
                        self.skip_whitespace();
                        self.expect('>')?;
                        if closing != name {
                            return Err(format!("</{closing}> closes <{name}> at byte {pos}"));
                        }
                        return Ok(Element {
                            name,
                            attributes,
                            children,
                        });
                    }
                    if rest.starts_with("<!") || rest.starts_with("<?") {
                        return Err(format!("unexpected markup declaration at byte {pos}"));
                    }
                    children.push(Node::Element(self.element()?));
                }
                Some('&') => {
                    self.chars.next();
                    text.push_str(&self.reference()?);
                }
                Some(c) if forbidden(c) => {
                    return Err(format!("forbidden character {c:?} at byte {pos}"))
                }
                Some(c) => {
                    if c == '>' && text.ends_with("]]") {
                        return Err(format!("`]]>` in text at byte {pos}"));
                    }
                    text.push(c);
                    self.chars.next();
                }
            }
        }
    }
}

#[test]
fn checker_accepts_good_and_rejects_bad_xml() {
    assert!(parse("<a x=\"1\"><b>t &amp; &#233;</b><c/></a>").is_ok());
    for bad in [
        "<a><b></a></b>",
        "<a x=1/>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>&nbsp;</a>",
        "<a>x & y</a>",
        "<a x=\"<\"/>",
        "<a/><b/>",
        "<a>\u{1}</a>",
        "<a",
        "<a x=\"1\"y=\"2\"/>",
    ] {
        assert!(parse(bad).is_err(), "accepted {bad:?}");
    }
}

//! The data behind a chart as a table: for the "show as table" toggle, screen-reader users
//! who want every number, and CSV export.

use crate::text::escape_xml;

/// A chart's data as rows of text cells. Every row has as many cells as `headers`.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TableData {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl TableData {
    /// RFC 4180 CSV (CRLF line ends, fields quoted when needed), header row first.
    ///
    /// Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
    /// `@`, tab or carriage return) are prefixed with `'`, unless they are plain numbers:
    /// labels come from users' data (OWASP "CSV injection").
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut push_row = |cells: &[String]| {
            let line: Vec<String> = cells.iter().map(|cell| csv_field(cell)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        };
        push_row(&self.headers);
        for row in &self.rows {
            push_row(row);
        }
        out
    }

    /// An accessible HTML table (caption, column headers with `scope`), all text escaped.
    /// The first column is marked up as row headers.
    pub fn to_html(&self) -> String {
        let mut out = String::from("<table>");
        out.push_str(&format!("<caption>{}</caption>", escape_xml(&self.caption)));
        out.push_str("<thead><tr>");
        for header in &self.headers {
            out.push_str(&format!("<th scope=\"col\">{}</th>", escape_xml(header)));
        }
        out.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                if i == 0 {
                    out.push_str(&format!("<th scope=\"row\">{}</th>", escape_xml(cell)));
                } else {
                    out.push_str(&format!("<td>{}</td>", escape_xml(cell)));
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    }
}

fn csv_field(cell: &str) -> String {
    let looks_like_number = cell.parse::<f64>().is_ok();
    let risky = matches!(
        cell.chars().next(),
        Some('=') | Some('+') | Some('-') | Some('@') | Some('\t') | Some('\r')
    );
    let cell = if risky && !looks_like_number {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> TableData {
        TableData {
            caption: "Caption & <more>".to_string(),
            headers: vec!["Team".to_string(), "Value".to_string()],
            rows: vec![
                vec!["North, \"A\"".to_string(), "-1.5".to_string()],
                vec!["=HYPERLINK(1)".to_string(), "".to_string()],
            ],
        }
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(
            table().to_csv(),
            "Team,Value\r\n\"North, \"\"A\"\"\",-1.5\r\n'=HYPERLINK(1),\r\n"
        );
    }

    #[test]
    fn html_is_escaped_with_scopes() {
        let html = table().to_html();
        assert!(html.contains("<caption>Caption &amp; &lt;more&gt;</caption>"));
        assert!(html.contains("<th scope=\"row\">=HYPERLINK(1)</th>"));
        assert!(html.contains("<th scope=\"col\">Team</th>"));
    }
}

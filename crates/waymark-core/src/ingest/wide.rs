//! Wide outcome files: one row per assessment with a column per measure ("PHQ-9", "GAD-7"),
//! per questionnaire item ("PHQ9_1" … "PHQ9_9") or per Outcomes Star area ("Managing mental
//! health" … "Trust and hope"), read as the long outcomes table: one score per measure per row.
//!
//! A [`WideLayout`] is recognised from the header alone. Each row of the file is then split
//! into long records `[person_id, date, (stage,) measure, score]` that go through the same
//! reading, checks and value mapping as a long outcomes file, so a score read from a wide file
//! is indistinguishable from one read from a long one. Line numbers stay the file's.
//!
//! Questionnaire totals from items follow the scoring rule of each questionnaire (the sum of
//! the item scores as marked on the form; [`ITEM_SCORING`]) and are computed only when every
//! item is present and valid: an incomplete set is reported with its lines, not pro-rated.

use super::mapping::{resolve_columns, FileMapping, MappingConfig};
use crate::measures::MeasureCatalogue;
use crate::model::{normalise_header, TableKind};

/// A questionnaire whose items a wide file may carry instead of (or beside) its total.
#[derive(Debug, PartialEq)]
pub struct ItemScoring {
    /// The measure key in the catalogue.
    pub measure: &'static str,
    pub items: usize,
    /// Each item is a whole number from 0 to this.
    pub item_max: u8,
    pub rule: &'static str,
}

/// The item-level questionnaires Waymark totals, with their scoring rules.
pub const ITEM_SCORING: [ItemScoring; 3] = [
    ItemScoring {
        measure: "PHQ-9",
        items: 9,
        item_max: 3,
        rule: "the sum of nine items scored 0-3 (Kroenke, Spitzer & Williams 2001)",
    },
    ItemScoring {
        measure: "GAD-7",
        items: 7,
        item_max: 3,
        rule: "the sum of seven items scored 0-3 (Spitzer, Kroenke, Williams & Löwe 2006)",
    },
    ItemScoring {
        measure: "CORE-10",
        items: 10,
        item_max: 4,
        rule: "the clinical score: the sum of ten items scored 0-4 as marked on the form, where items 2 and 3 are already scored in reverse (Barkham et al. 2013; CORE System Trust)",
    },
];

/// At least this many area columns make a file a Star export: area names such as "Work" are
/// too common to be recognised alone.
const MIN_STAR_AREAS: usize = 5;

/// One source of scores in a wide row.
#[derive(Clone, Debug, PartialEq)]
pub enum ScoreSource {
    /// A column holding a measure's score; the measure is named by the header as written,
    /// so the value mapping and the catalogue's aliases apply to it as to a long file's names.
    Column { column: usize, header: String },
    /// A questionnaire's item columns (by item number, 1-based positions), summed when all are
    /// present and valid.
    Items {
        scoring: &'static ItemScoring,
        columns: Vec<Option<usize>>,
    },
    /// The Recovery Star total (the catalogue's "Recovery Star", 10-100): the sum of the ten
    /// area columns when all are present.
    StarTotal { columns: Vec<usize> },
}

impl ScoreSource {
    /// The words the summary and issues use for where the score came from.
    pub fn describe(&self, headers: &[String]) -> String {
        match self {
            ScoreSource::Column { header, .. } => header.clone(),
            ScoreSource::Items { scoring, .. } => {
                format!("{} items 1-{}", scoring.measure, scoring.items)
            }
            ScoreSource::StarTotal { columns } => format!(
                "Recovery Star total of {}",
                columns
                    .iter()
                    .filter_map(|c| headers.get(*c))
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" + ")
            ),
        }
    }

    /// The measure name written into the long record.
    fn measure_name(&self) -> &str {
        match self {
            ScoreSource::Column { header, .. } => header,
            ScoreSource::Items { scoring, .. } => scoring.measure,
            ScoreSource::StarTotal { .. } => "Recovery Star",
        }
    }
}

/// How a wide outcomes file's columns are read.
#[derive(Clone, Debug, PartialEq)]
pub struct WideLayout {
    /// The header's number of columns; a row of another length is out of shape.
    pub width: usize,
    /// Columns copied into every long record, in order: person_id, date, then stage if any.
    pub kept: Vec<usize>,
    pub sources: Vec<ScoreSource>,
    /// Item columns not summed because the file also has the questionnaire's total column.
    pub items_beside_totals: Vec<&'static str>,
}

/// Why a wide row gave fewer scores than it has sources: an item set with some items blank or
/// invalid (by measure), or a Star row with some areas blank.
#[derive(Default, Debug)]
pub struct Incomplete {
    /// (measure, line, what was wrong) per incomplete set.
    pub sets: Vec<(&'static str, u32, String)>,
    /// Lines of rows with no score at all.
    pub rows_without_scores: Vec<u32>,
}

impl WideLayout {
    /// Recognises a wide outcomes header: person_id and date found as a long outcomes file
    /// would find them (the file's column mapping included), and at least one column naming a
    /// measure of the catalogue (or one the value mapping maps), a questionnaire's items, or
    /// five or more Recovery Star areas.
    pub fn detect(
        headers: &[String],
        file_mapping: Option<&FileMapping>,
        config: &MappingConfig,
        measures: &MeasureCatalogue,
    ) -> Option<WideLayout> {
        if file_mapping
            .and_then(|m| m.table)
            .is_some_and(|t| t != TableKind::Outcomes)
        {
            return None;
        }
        let resolution = resolve_columns(
            TableKind::Outcomes,
            headers,
            file_mapping.map(|m| &m.columns),
        );
        let person = resolution.column_of("person_id")?;
        let date = resolution.column_of("date")?;
        // A file with a measure column is long, however many other columns it has.
        if resolution.column_of("measure").is_some() {
            return None;
        }
        let mut kept = vec![person, date];
        kept.extend(resolution.column_of("stage"));
        let free: Vec<usize> = (0..headers.len()).filter(|c| !kept.contains(c)).collect();

        let mut sources = Vec::new();
        let names_measure = |header: &str| {
            measures.lookup(header).is_some()
                || config
                    .values
                    .measure_choice(header)
                    .is_some_and(|t| measures.lookup(t).is_some())
        };
        let star: Vec<(usize, &str)> = free
            .iter()
            .filter_map(|c| star_area(&headers[*c]).map(|area| (*c, area)))
            .collect();
        // With the Outcomes Star profile chosen, any area column is the Star's.
        let star_profile = config.format == Some(super::formats::ExportFormat::OutcomesStar);
        let is_star = star.len() >= MIN_STAR_AREAS || (star_profile && !star.is_empty());
        let mut item_columns: Vec<Vec<Option<usize>>> =
            ITEM_SCORING.iter().map(|s| vec![None; s.items]).collect();
        for c in &free {
            let header = &headers[*c];
            if is_star && star.iter().any(|(sc, _)| sc == c) {
                continue;
            }
            if names_measure(header) {
                sources.push(ScoreSource::Column {
                    column: *c,
                    header: header.clone(),
                });
            } else if let Some((set, item)) = item_of(header, measures) {
                if item_columns[set][item].is_none() {
                    item_columns[set][item] = Some(*c);
                }
            }
        }
        let mut items_beside_totals = Vec::new();
        for (scoring, columns) in ITEM_SCORING.iter().zip(item_columns) {
            if columns.iter().all(Option::is_none) {
                continue;
            }
            let has_total = sources.iter().any(|s| match s {
                ScoreSource::Column { header, .. } => measures
                    .lookup(header)
                    .is_some_and(|m| m.key == scoring.measure),
                _ => false,
            });
            if has_total {
                items_beside_totals.push(scoring.measure);
            } else {
                sources.push(ScoreSource::Items { scoring, columns });
            }
        }
        if is_star {
            for (column, area) in &star {
                sources.push(ScoreSource::Column {
                    column: *column,
                    header: crate::measures::star_area_measure(area),
                });
            }
            if star.len() == crate::measures::RECOVERY_STAR_AREAS.len() {
                sources.push(ScoreSource::StarTotal {
                    columns: star.iter().map(|(c, _)| *c).collect(),
                });
            }
        }
        if sources.is_empty() {
            return None;
        }
        Some(WideLayout {
            width: headers.len(),
            kept,
            sources,
            items_beside_totals,
        })
    }

    /// The columns read as scores: measure, item and Star-area columns.
    pub fn score_columns(&self) -> Vec<usize> {
        self.sources
            .iter()
            .flat_map(|source| match source {
                ScoreSource::Column { column, .. } => vec![*column],
                ScoreSource::Items { columns, .. } => columns.iter().flatten().copied().collect(),
                ScoreSource::StarTotal { .. } => Vec::new(),
            })
            .collect()
    }

    /// The header of the long records: the kept columns' headers as written, then "measure"
    /// and "score".
    pub fn long_headers(&self, headers: &[String]) -> Vec<String> {
        self.kept
            .iter()
            .map(|c| headers[*c].clone())
            .chain(["measure".to_string(), "score".to_string()])
            .collect()
    }

    /// The long records of one row (of the header's width), each with the index of its
    /// source; sets that cannot be totalled are added to `incomplete`.
    pub fn split(
        &self,
        cells: &[&[u8]],
        line: u32,
        incomplete: &mut Incomplete,
    ) -> Vec<(usize, Vec<Vec<u8>>)> {
        let kept: Vec<Vec<u8>> = self.kept.iter().map(|c| cells[*c].to_vec()).collect();
        let blank = |c: usize| cells[c].trim_ascii().is_empty();
        let mut long = Vec::new();
        for (n, source) in self.sources.iter().enumerate() {
            let score: Option<Vec<u8>> = match source {
                ScoreSource::Column { column, .. } => {
                    (!blank(*column)).then(|| cells[*column].to_vec())
                }
                ScoreSource::Items { scoring, columns } => {
                    item_total(scoring, columns, cells, line, incomplete)
                }
                ScoreSource::StarTotal { columns } => {
                    let values: Vec<Option<f64>> = columns
                        .iter()
                        .map(|c| super::values::parse_number(cells[*c].trim_ascii()).ok())
                        .collect();
                    let missing = values.iter().filter(|v| v.is_none()).count();
                    match missing {
                        0 => Some(number_text(values.iter().flatten().sum())),
                        n if n == columns.len() => None,
                        n => {
                            incomplete.sets.push((
                                "Recovery Star",
                                line,
                                format!("{n} of the ten areas blank or not a number"),
                            ));
                            None
                        }
                    }
                }
            };
            if let Some(score) = score {
                let mut record = kept.clone();
                record.push(source.measure_name().as_bytes().to_vec());
                record.push(score);
                long.push((n, record));
            }
        }
        if long.is_empty() {
            incomplete.rows_without_scores.push(line);
        }
        long
    }
}

/// A questionnaire total from its item cells, or `None` (with the reason kept) when an item
/// is blank or not a whole number in the item's range. A set with every item blank is no
/// assessment, and nothing is reported.
fn item_total(
    scoring: &'static ItemScoring,
    columns: &[Option<usize>],
    cells: &[&[u8]],
    line: u32,
    incomplete: &mut Incomplete,
) -> Option<Vec<u8>> {
    let mut total = 0u32;
    let mut problems = Vec::new();
    let mut blank = 0;
    for (n, column) in columns.iter().enumerate() {
        let cell = column.map(|c| cells[c].trim_ascii()).unwrap_or_default();
        if cell.is_empty() {
            blank += 1;
            problems.push(format!(
                "item {} {}",
                n + 1,
                if column.is_some() {
                    "blank"
                } else {
                    "has no column"
                }
            ));
            continue;
        }
        match super::values::parse_number(cell) {
            Ok(v) if v.fract() == 0.0 && (0.0..=f64::from(scoring.item_max)).contains(&v) => {
                total += v as u32
            }
            _ => problems.push(format!(
                "item {} is {} (expected a whole number from 0 to {})",
                n + 1,
                String::from_utf8_lossy(cell),
                scoring.item_max
            )),
        }
    }
    if blank == columns.len() {
        return None;
    }
    if problems.is_empty() {
        Some(total.to_string().into_bytes())
    } else {
        incomplete
            .sets
            .push((scoring.measure, line, problems.join(", ")));
        None
    }
}

fn number_text(value: f64) -> Vec<u8> {
    if value.fract() == 0.0 {
        format!("{}", value as i64).into_bytes()
    } else {
        value.to_string().into_bytes()
    }
}

/// The Recovery Star area a header names ("Managing mental health", "RS: Trust and hope",
/// "Recovery Star - Work"), compared ignoring case and punctuation.
fn star_area(header: &str) -> Option<&'static str> {
    let wanted = normalise_header(header);
    crate::measures::RECOVERY_STAR_AREAS
        .iter()
        .copied()
        .find(|area| {
            let area = normalise_header(area);
            [
                area.clone(),
                format!("recovery star {area}"),
                format!("rs {area}"),
                format!("mhrs {area}"),
            ]
            .iter()
            .any(|form| normalise_header(form) == wanted)
        })
}

/// The questionnaire and item (0-based) an item header names: the questionnaire's key or an
/// alias, then optionally "item", "q" or "question", then the item number ("PHQ9_1",
/// "PHQ-9 item 1", "gad7 q3", "CORE-10 Q10").
fn item_of(header: &str, measures: &MeasureCatalogue) -> Option<(usize, usize)> {
    let trimmed = header.trim();
    let digits = trimmed.len() - trimmed.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return None;
    }
    let number: usize = trimmed[trimmed.len() - digits..].parse().ok()?;
    let mut prefix = trimmed[..trimmed.len() - digits]
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    for word in ["item", "question", "q"] {
        if let Some(rest) = prefix.strip_suffix(word) {
            let rest = rest.trim_end_matches(|c: char| !c.is_alphanumeric());
            // "q" glued to a name ending in a digit ("phq9q1") or after a separator.
            if rest.len() < prefix.len() - word.len()
                || rest.ends_with(|c: char| c.is_ascii_digit())
            {
                prefix = rest.to_string();
                break;
            }
        }
    }
    let measure = measures.lookup(&prefix)?;
    let set = ITEM_SCORING.iter().position(|s| s.measure == measure.key)?;
    (1..=ITEM_SCORING[set].items)
        .contains(&number)
        .then(|| (set, number - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn item_headers_are_read_in_the_forms_exports_use() {
        let c = MeasureCatalogue::defaults();
        assert_eq!(item_of("PHQ9_1", &c), Some((0, 0)));
        assert_eq!(item_of("PHQ-9 item 9", &c), Some((0, 8)));
        assert_eq!(item_of("phq9q4", &c), Some((0, 3)));
        assert_eq!(item_of("GAD7 Q7", &c), Some((1, 6)));
        assert_eq!(item_of("CORE-10 question 10", &c), Some((2, 9)));
        assert_eq!(item_of("PHQ9_10", &c), None, "PHQ-9 has nine items");
        assert_eq!(item_of("PHQ-9", &c), None);
        assert_eq!(item_of("CORE-10", &c), None);
        assert_eq!(
            item_of("WEMWBS_1", &c),
            None,
            "WEMWBS items are not totalled"
        );
    }

    #[test]
    fn a_file_with_a_measure_column_is_long_and_one_with_only_an_id_and_date_is_not_wide() {
        let c = MeasureCatalogue::defaults();
        let config = MappingConfig::default();
        let long = headers(&["person_id", "date", "measure", "score", "PHQ-9"]);
        assert_eq!(WideLayout::detect(&long, None, &config, &c), None);
        let plain = headers(&["person_id", "date", "comment"]);
        assert_eq!(WideLayout::detect(&plain, None, &config, &c), None);
    }

    #[test]
    fn star_areas_need_five_columns_and_the_total_needs_all_ten() {
        let c = MeasureCatalogue::defaults();
        let config = MappingConfig::default();
        let few = headers(&["person_id", "date", "Work", "Relationships"]);
        assert_eq!(WideLayout::detect(&few, None, &config, &c), None);
        let mut all = headers(&["Client ID", "Reading date"]);
        all.extend(
            crate::measures::RECOVERY_STAR_AREAS
                .iter()
                .map(|a| a.to_string()),
        );
        let layout = WideLayout::detect(&all, None, &config, &c).expect("a Star export");
        assert_eq!(layout.sources.len(), 11);
        assert!(matches!(layout.sources[10], ScoreSource::StarTotal { .. }));
    }
}

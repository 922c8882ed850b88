//! The MHSDS v6 format profile: tables of the Mental Health Services Data Set exported from the
//! Intermediate Database (IDB) as CSV, read into Waymark's tables.
//!
//! Sources: NHS England, *MHSDS v6.0 Enhanced Technical Output Specification* (the IDB column
//! names are its "IDB Element Name"s); NHS Data Model and Dictionary: SERVICE OR TEAM TYPE FOR
//! MENTAL HEALTH, ATTENDED OR DID NOT ATTEND / ATTENDANCE STATUS, ACCOMMODATION TYPE, SETTLED
//! ACCOMMODATION INDICATOR, EMPLOYMENT STATUS; the MHSDS assessment-tool reference table of
//! SNOMED CT concepts (as published with NHS England's MHSDS code). docs/data-formats.md
//! ("Format profiles") lists every code used and where it comes from.
//!
//! The tables do not line up one-to-one with Waymark's: a care contact names its referral
//! (`ServiceRequestId`), not its person, and its team type is the referral's. So the profile
//! reads every MHSDS file whole, joins them here, and hands each derived row to the ordinary
//! reading path *under its own file name and line*, with headers that say where each cell came
//! from. Every check, message and count then works as for any file, and an issue still points
//! at the row of the MHSDS file it came from.
//!
//! Codes become Waymark's values through the value mapping ([`profile_values`]), which the user
//! sees and can change in the mapping step like any other.

use super::decode::{detect_encoding, Piece, TextDecoder, TextEncoding};
use super::mapping::FileMapping;
use super::records::RecordReader;
use super::value_map::{ValueMapping, NOT_COUNTED};
use crate::model::TableKind;
use std::collections::{BTreeMap, HashMap};

/// The MHSDS tables the profile reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MhsdsTable {
    /// MHS001 Master Patient Index: people's details (no table of its own here).
    MasterPatientIndex,
    /// MHS101 Service or Team Referral: people, and each referral's person and team type.
    Referral,
    /// MHS102 Service or Team Type Referred To (v5) / Other Service Type (v6): team types.
    ServiceTypeReferredTo,
    /// MHS902 Service Team Details (v6): each team's type.
    ServiceTeamDetails,
    /// MHS201 Care Contact: events (attended, missed, crisis-team contacts).
    CareContact,
    /// MHS606 Coded Scored Assessment (Referral): outcome scores.
    CodedScoredAssessment,
    /// MHS501 Hospital Provider Spell: admissions and bed days.
    HospitalProviderSpell,
    /// MHS003 Accommodation Status: the housing status indicator.
    AccommodationStatus,
    /// MHS004 Employment Status: the employment status indicator.
    EmploymentStatus,
}

impl MhsdsTable {
    /// The table's MHSDS identifier and name.
    pub fn title(self) -> &'static str {
        match self {
            MhsdsTable::MasterPatientIndex => "MHS001 Master Patient Index",
            MhsdsTable::Referral => "MHS101 Service or Team Referral",
            MhsdsTable::ServiceTypeReferredTo => "MHS102 Service or Team Type Referred To",
            MhsdsTable::ServiceTeamDetails => "MHS902 Service Team Details",
            MhsdsTable::CareContact => "MHS201 Care Contact",
            MhsdsTable::CodedScoredAssessment => "MHS606 Coded Scored Assessment (Referral)",
            MhsdsTable::HospitalProviderSpell => "MHS501 Hospital Provider Spell",
            MhsdsTable::AccommodationStatus => "MHS003 Accommodation Status",
            MhsdsTable::EmploymentStatus => "MHS004 Employment Status",
        }
    }

    /// Recognises a table from its header, by the IDB element names it must have (compared
    /// ignoring case, as extracts write both `LocalPatientId` and `LocalPatientID`).
    pub fn recognise(header: &[String]) -> Option<MhsdsTable> {
        let has = |name: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
        let person = has("LocalPatientId") || has("Person_ID");
        let referral = has("ServiceRequestId") || has("UniqServReqID");
        Some(if referral && has("ReferralRequestReceivedDate") {
            MhsdsTable::Referral
        } else if has("CareContactId") && has("CareContDate") {
            MhsdsTable::CareContact
        } else if referral && has("CodedAssToolType") && has("PersScore") {
            MhsdsTable::CodedScoredAssessment
        } else if has("StartDateHospProvSpell") {
            MhsdsTable::HospitalProviderSpell
        } else if referral && has("ServTeamTypeRefToMH") {
            MhsdsTable::ServiceTypeReferredTo
        } else if has("ServTeamTypeMH") && has("CareProfTeamLocalId") {
            MhsdsTable::ServiceTeamDetails
        } else if person && (has("AccommodationType") || has("SettledAccommodationInd")) {
            MhsdsTable::AccommodationStatus
        } else if person && has("EmployStatus") {
            MhsdsTable::EmploymentStatus
        } else if person && (has("PersonBirthDate") || has("NHSNumber") || has("EthnicCategory")) {
            MhsdsTable::MasterPatientIndex
        } else {
            return None;
        })
    }
}

/// SERVICE OR TEAM TYPE FOR MENTAL HEALTH codes and their names (NHS Data Model and Dictionary).
pub const TEAM_TYPES: &[(&str, &str)] = &[
    ("A01", "Day Care Service"),
    ("A02", "Crisis Resolution Team/Home Treatment Service"),
    ("A03", "Crisis Resolution Team"),
    ("A04", "Home Treatment Service"),
    ("A05", "Primary Care Mental Health Service"),
    ("A06", "Community Mental Health Team - Functional"),
    ("A07", "Community Mental Health Team - Organic"),
    ("A08", "Assertive Outreach Team"),
    ("A09", "Community Rehabilitation Service"),
    ("A10", "General Psychiatry Service"),
    ("A11", "Psychiatric Liaison Service"),
    ("A12", "Psychotherapy Service"),
    ("A13", "Psychological Therapy Service (non IAPT)"),
    ("A14", "Early Intervention Team for Psychosis"),
    ("A15", "Young Onset Dementia Team"),
    ("A16", "Personality Disorder Service"),
    ("A17", "Memory Services/Clinic/Drop in service"),
    ("A18", "Single Point of Access Service"),
    ("A19", "24/7 Crisis Response Line"),
    ("A20", "Health Based Place Of Safety Service"),
    ("A21", "Crisis Café/Safe Haven/Sanctuary Service"),
    ("A22", "Walk-in Crisis Assessment Unit Service"),
    ("A23", "Psychiatric Decision Unit Service"),
    ("A24", "Acute Day Service"),
    ("A25", "Crisis House Service"),
    ("B01", "Forensic Mental Health Service"),
    ("B02", "Forensic Learning Disability Service"),
    ("C01", "Autism Service"),
    (
        "C02",
        "Specialist Perinatal Mental Health Community Service",
    ),
    ("C04", "Neurodevelopment Team"),
    ("C05", "Paediatric Liaison Service"),
    ("C06", "Looked After Children Service"),
    ("C07", "Youth Offending Service"),
    ("C08", "Acquired Brain Injury Service"),
    ("C10", "Community Eating Disorder Service"),
    ("D01", "Substance Misuse Team"),
    ("D02", "Criminal Justice Liaison and Diversion Service"),
    ("D03", "Prison Psychiatric Inreach Service"),
    ("D04", "Asylum Service"),
    ("D05", "Individual Placement and Support Service"),
    ("D06", "Mental Health In Education Service"),
    ("D07", "Problem Gambling Service"),
    ("D08", "Rough Sleeping Service"),
    ("E01", "Community Team for Learning Disabilities"),
    ("E02", "Epilepsy/Neurological Service"),
    ("E03", "Specialist Parenting Service"),
    ("E04", "Enhanced/Intensive Support Service"),
    ("F01", "Education-based Mental Health Support Team"),
    ("F02", "Maternal Mental Health Service"),
    ("F03", "Mental Health Services for Deaf people"),
    ("F04", "Veterans Complex Treatment Service"),
    ("F05", "Enhanced care in care homes teams"),
    ("F06", "Mental Health and Wellbeing Hubs"),
    (
        "Z01",
        "Other Mental Health Service - in scope of National Tariff Payment System",
    ),
    (
        "Z02",
        "Other Mental Health Service - out of scope of National Tariff Payment System",
    ),
];

/// Team types whose contacts are crisis contacts: crisis resolution / home treatment (A02, and
/// A03 and A04 from before v5), the 24/7 crisis line, health-based place of safety, crisis
/// café, walk-in crisis assessment, psychiatric decision unit and crisis house (A19-A23, A25).
/// Acute day services (A24) are treatment, not crisis contact.
pub const CRISIS_TEAM_TYPES: [&str; 9] = [
    "A02", "A03", "A04", "A19", "A20", "A21", "A22", "A23", "A25",
];

/// What a care contact is, written into the event type so the value mapping can place it.
/// ATTENDED OR DID NOT ATTEND / ATTENDANCE STATUS codes (NHS Data Model and Dictionary).
fn contact_event(attend: &str, crisis: bool) -> &'static str {
    match (attend.trim(), crisis) {
        ("5" | "6", true) => "Crisis team contact, attended (5/6)",
        ("5" | "6", false) => "Contact attended (5/6)",
        ("3", true) => "Crisis team contact, did not attend (3)",
        ("3", false) => "Did not attend, no warning (3)",
        ("7", _) => "Arrived late, could not be seen (7)",
        ("2", _) => "Cancelled by the patient (2)",
        ("4", _) => "Cancelled or postponed by the provider (4)",
        ("0", _) => "Future appointment (0)",
        _ => "Attendance not recorded",
    }
}

const ADMISSION: &str = "Hospital admission (MHS501)";
const BED_DAYS: &str = "Hospital bed days (MHS501)";

/// SNOMED CT concepts of assessment-tool total scores in the MHSDS reference table, current and
/// older concept for each, to the catalogue's measure.
pub const ASSESSMENT_TOOLS: &[(&str, &str)] = &[
    ("720433000", "PHQ-9"),
    ("506701000000100", "PHQ-9"),
    ("445455005", "GAD-7"),
    ("1091071000000100", "ReQoL-10"),
    ("718583008", "CORE-10"),
    ("958051000000104", "CORE-10"),
    ("718426000", "WEMWBS"),
    ("885541000000103", "WEMWBS"),
    ("718466001", "SWEMWBS"),
    ("960481000000107", "SWEMWBS"),
];

/// ACCOMMODATION TYPE codes, with the place Waymark gives each in the housing order (homeless,
/// temporary, supported, settled). The Dictionary defines no such grouping: this one is
/// Waymark's, stated in docs/data-formats.md and changeable in the value mapping. Codes 08, 20,
/// 21 and 98 have no place (kept, not ranked).
pub const ACCOMMODATION_TYPES: &[(&str, &str, &str)] = &[
    ("01", "Owner occupier", "settled"),
    ("02", "Tenant - social housing", "settled"),
    ("03", "Tenant - private landlord", "settled"),
    ("04", "Living with family", "settled"),
    ("05", "Living with friends", "settled"),
    ("06", "University or college accommodation", "settled"),
    ("07", "Accommodation tied to job", "settled"),
    ("08", "Mobile accommodation", NOT_COUNTED),
    ("09", "Care home without nursing", "supported"),
    ("10", "Care home with nursing", "supported"),
    ("11", "Specialist housing", "supported"),
    ("12", "Rough sleeper", "homeless"),
    ("13", "Squatting", "homeless"),
    ("14", "Sofa surfing", "temporary"),
    (
        "15",
        "Staying with friends or family as a short-term guest",
        "temporary",
    ),
    (
        "16",
        "Bed and breakfast to prevent or relieve homelessness",
        "temporary",
    ),
    ("17", "Sleeping in a night shelter", "homeless"),
    (
        "18",
        "Hostel to prevent or relieve homelessness",
        "temporary",
    ),
    (
        "19",
        "Temporary housing to prevent or relieve homelessness",
        "temporary",
    ),
    ("20", "Admitted patient setting", NOT_COUNTED),
    ("21", "Criminal justice setting", NOT_COUNTED),
    ("98", "Other", NOT_COUNTED),
];

/// EMPLOYMENT STATUS codes (NHS Data Model and Dictionary). Employment has no order of values
/// in Waymark: it is kept on each person's record.
pub const EMPLOYMENT_STATUSES: &[(&str, &str)] = &[
    ("01", "Employed"),
    ("02", "Unemployed and actively seeking work"),
    ("03", "Student"),
    ("04", "Long-term sick or disabled"),
    ("05", "Homemaker"),
    (
        "06",
        "Not working or seeking work, no sickness or disability benefits",
    ),
    ("07", "Unpaid voluntary work"),
    ("08", "Retired"),
    ("ZZ", "Not stated"),
];

/// The profile's value mapping: what each derived contact, tool code and accommodation type
/// counts as. The user's own choices are laid over it.
pub fn profile_values() -> ValueMapping {
    let pairs = |list: &[(&str, &str)]| -> BTreeMap<String, String> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let event_type = pairs(&[
        ("Crisis team contact, attended (5/6)", "crisis_contact"),
        ("Contact attended (5/6)", "attended_appointment"),
        (
            "Crisis team contact, did not attend (3)",
            "missed_appointment",
        ),
        ("Did not attend, no warning (3)", "missed_appointment"),
        ("Arrived late, could not be seen (7)", "missed_appointment"),
        ("Cancelled by the patient (2)", NOT_COUNTED),
        ("Cancelled or postponed by the provider (4)", NOT_COUNTED),
        ("Future appointment (0)", NOT_COUNTED),
        ("Attendance not recorded", NOT_COUNTED),
        (ADMISSION, "admission"),
        (BED_DAYS, "bed_day"),
    ]);
    let housing: BTreeMap<String, String> = ACCOMMODATION_TYPES
        .iter()
        .map(|(code, words, place)| (format!("{code} {words}"), place.to_string()))
        .chain([
            (
                "Settled accommodation: Y".to_string(),
                "settled".to_string(),
            ),
            (
                "Settled accommodation: N".to_string(),
                NOT_COUNTED.to_string(),
            ),
        ])
        .collect();
    ValueMapping {
        event_type,
        measure: pairs(ASSESSMENT_TOOLS),
        status: [("housing".to_string(), housing)].into_iter().collect(),
        ..ValueMapping::default()
    }
}

/// An MHSDS file read whole: its header and rows as text, with their lines.
pub struct RawTable {
    pub name: String,
    pub encoding: TextEncoding,
    pub delimiter: u8,
    pub header: Vec<String>,
    pub header_line: u32,
    pub rows: Vec<(u32, Vec<String>)>,
}

impl RawTable {
    /// Decodes and parses a whole file; the first non-empty record is its header.
    pub fn read(name: &str, bytes: &[u8]) -> Option<RawTable> {
        let (encoding, bom) = detect_encoding(bytes, true);
        let mut text = Vec::with_capacity(bytes.len());
        let mut decoder = TextDecoder::new(encoding);
        let mut sink = |piece: Piece<'_>| match piece {
            Piece::Text(t) => text.extend_from_slice(t),
            Piece::Replaced => text.extend_from_slice("\u{FFFD}".as_bytes()),
        };
        decoder.decode(bytes.get(bom..).unwrap_or_default(), &mut sink);
        decoder.finish(&mut sink);
        let delimiter = super::sniff::sniff_delimiter(&text).unwrap_or(b',');
        let mut records: Vec<(u32, Vec<String>)> = Vec::new();
        let mut on_record = |record: super::records::Record<'_>, line: u32, _end: u64| {
            let cells: Vec<String> = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                records.push((line, cells));
            }
            true
        };
        let mut reader = RecordReader::new(delimiter);
        reader.feed(&text, &mut on_record);
        reader.finish(&mut on_record);
        let mut records = records.into_iter();
        let (header_line, header) = records.next()?;
        Some(RawTable {
            name: name.to_string(),
            encoding,
            delimiter,
            header,
            header_line,
            rows: records.collect(),
        })
    }

    fn column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|name| {
            self.header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        })
    }

    /// The column's header as written, for the derived header.
    fn header_of(&self, column: Option<usize>, fallback: &str) -> String {
        column
            .and_then(|c| self.header.get(c).cloned())
            .unwrap_or_else(|| fallback.to_string())
    }
}

fn cell(row: &[String], column: Option<usize>) -> &str {
    column.and_then(|c| row.get(c)).map_or("", |s| s.as_str())
}

/// A date or timestamp cell's date part ("2024-05-01T10:30:00" is 2024-05-01).
fn date_part(value: &str) -> &str {
    let value = value.trim();
    match value.find(['T', ' ']) {
        Some(at) if at >= 8 => &value[..at],
        _ => value,
    }
}

/// One derived file: rows in Waymark's shape, under the MHSDS file's name and lines, with the
/// mapping that reads them.
pub struct Derived {
    pub name: String,
    pub encoding: TextEncoding,
    pub delimiter: u8,
    pub header_line: u32,
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
    pub mapping: FileMapping,
    /// Notes about how the rows were derived (joins that failed, rows merged).
    pub notes: Vec<String>,
}

impl Derived {
    fn new(raw: &RawTable, table: TableKind, columns: &[(&str, String)]) -> Derived {
        Derived {
            name: raw.name.clone(),
            encoding: raw.encoding,
            delimiter: raw.delimiter,
            header_line: raw.header_line,
            header: columns.iter().map(|(_, header)| header.clone()).collect(),
            rows: Vec::new(),
            mapping: FileMapping {
                name: raw.name.clone(),
                table: Some(table),
                columns: columns
                    .iter()
                    .map(|(field, header)| (header.clone(), field.to_string()))
                    .collect(),
                ..FileMapping::default()
            },
            notes: Vec::new(),
        }
    }
}

/// A table used only to look things up (team types, people's details): said, not silent.
pub struct LookupOnly {
    pub table: RawTable,
    pub kind: MhsdsTable,
    pub used_for: &'static str,
}

/// What the profile made of the MHSDS files.
#[derive(Default)]
pub struct Reading {
    pub derived: Vec<Derived>,
    pub lookups: Vec<LookupOnly>,
}

/// Each referral's person and team type, by `ServiceRequestId`.
struct Referrals {
    person: HashMap<String, String>,
    team_type: HashMap<String, String>,
}

const VIA_REFERRAL: &str = "(from MHS101 by ServiceRequestId)";

/// Joins the MHSDS tables and derives Waymark's rows from them.
pub fn derive(tables: Vec<(MhsdsTable, RawTable)>) -> Reading {
    let mut reading = Reading::default();
    let referrals = referral_index(&tables);
    for (kind, raw) in tables {
        match kind {
            MhsdsTable::Referral => reading.derived.push(people(&raw, &referrals)),
            MhsdsTable::CareContact => reading.derived.push(contacts(&raw, &referrals)),
            MhsdsTable::HospitalProviderSpell => reading.derived.push(spells(&raw, &referrals)),
            MhsdsTable::CodedScoredAssessment => {
                reading.derived.push(assessments(&raw, &referrals))
            }
            MhsdsTable::AccommodationStatus => reading.derived.push(accommodation(&raw)),
            MhsdsTable::EmploymentStatus => reading.derived.push(employment(&raw)),
            MhsdsTable::ServiceTypeReferredTo | MhsdsTable::ServiceTeamDetails => {
                reading.lookups.push(LookupOnly {
                    table: raw,
                    kind,
                    used_for: "the team type of each referral, which makes its contacts crisis contacts or not and names its pathway",
                })
            }
            MhsdsTable::MasterPatientIndex => reading.lookups.push(LookupOnly {
                table: raw,
                kind,
                used_for: "nothing yet: people come from the referrals (MHS101); their details are not read",
            }),
        }
    }
    reading
}

/// Each referral's person, and its team type: from the referral itself (a `ServTeamTypeRefToMH`
/// or derived `ServTeamType` column), else MHS102 by `ServiceRequestId`, else MHS902 by the
/// referral's team (`CareProfTeamLocalId`).
fn referral_index(tables: &[(MhsdsTable, RawTable)]) -> Referrals {
    let mut index = Referrals {
        person: HashMap::new(),
        team_type: HashMap::new(),
    };
    let mut team_of_referral: HashMap<String, String> = HashMap::new();
    let mut team_types: HashMap<String, String> = HashMap::new();
    for (kind, raw) in tables {
        let request = raw.column(&["ServiceRequestId", "UniqServReqID"]);
        match kind {
            MhsdsTable::Referral => {
                let person = raw.column(&["LocalPatientId", "Person_ID"]);
                let team_type = raw.column(&["ServTeamTypeRefToMH", "ServTeamType"]);
                let team = raw.column(&["CareProfTeamLocalId"]);
                for (_, row) in &raw.rows {
                    let id = cell(row, request).to_string();
                    index
                        .person
                        .insert(id.clone(), cell(row, person).to_string());
                    if !cell(row, team_type).is_empty() {
                        index
                            .team_type
                            .insert(id.clone(), cell(row, team_type).to_string());
                    }
                    if !cell(row, team).is_empty() {
                        team_of_referral.insert(id, cell(row, team).to_string());
                    }
                }
            }
            MhsdsTable::ServiceTypeReferredTo => {
                let team_type = raw.column(&["ServTeamTypeRefToMH"]);
                for (_, row) in &raw.rows {
                    index
                        .team_type
                        .entry(cell(row, request).to_string())
                        .or_insert_with(|| cell(row, team_type).to_string());
                }
            }
            MhsdsTable::ServiceTeamDetails => {
                let team = raw.column(&["CareProfTeamLocalId"]);
                let team_type = raw.column(&["ServTeamTypeMH"]);
                for (_, row) in &raw.rows {
                    team_types.insert(
                        cell(row, team).to_string(),
                        cell(row, team_type).to_string(),
                    );
                }
            }
            _ => {}
        }
    }
    for (referral, team) in team_of_referral {
        if let Some(team_type) = team_types.get(&team) {
            index
                .team_type
                .entry(referral)
                .or_insert_with(|| team_type.clone());
        }
    }
    index
}

fn team_type_name(code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        return "Team type not recorded".to_string();
    }
    TEAM_TYPES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map_or_else(|| format!("Team type {code}"), |(_, name)| name.to_string())
}

/// People from referrals: one row per person, from their earliest referral (start = its
/// received date, pathway = its team type); the end is the latest discharge, blank while any
/// referral is open.
fn people(raw: &RawTable, referrals: &Referrals) -> Derived {
    let request = raw.column(&["ServiceRequestId", "UniqServReqID"]);
    let person = raw.column(&["LocalPatientId", "Person_ID"]);
    let received = raw.column(&["ReferralRequestReceivedDate"]);
    let discharged = raw.column(&["ServDischDate"]);
    let mut derived = Derived::new(
        raw,
        TableKind::People,
        &[
            ("person_id", raw.header_of(person, "LocalPatientId")),
            (
                "start_date",
                raw.header_of(received, "ReferralRequestReceivedDate"),
            ),
            ("end_date", raw.header_of(discharged, "ServDischDate")),
            ("pathway", "Team type of the first referral".to_string()),
        ],
    );
    // Per person: the row of the earliest referral, the latest discharge, any open referral.
    struct Person {
        first: usize,
        last_discharge: String,
        open: bool,
        referrals: usize,
    }
    let mut order: Vec<String> = Vec::new();
    let mut by_person: HashMap<String, Person> = HashMap::new();
    for (n, (_, row)) in raw.rows.iter().enumerate() {
        let id = cell(row, person).to_string();
        let start = date_part(cell(row, received)).to_string();
        let end = date_part(cell(row, discharged)).to_string();
        let entry = by_person.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            Person {
                first: n,
                last_discharge: String::new(),
                open: false,
                referrals: 0,
            }
        });
        entry.referrals += 1;
        // ISO dates compare as text; others are left in file order for the date check.
        let first_start = date_part(cell(&raw.rows[entry.first].1, received));
        if !start.is_empty() && start.as_str() < first_start {
            entry.first = n;
        }
        if end.is_empty() {
            entry.open = true;
        } else if end > entry.last_discharge {
            entry.last_discharge = end;
        }
    }
    let mut merged = 0;
    for id in order {
        let Some(p) = by_person.get(&id) else {
            continue;
        };
        let (line, row) = &raw.rows[p.first];
        let team = referrals
            .team_type
            .get(cell(row, request))
            .map_or_else(|| team_type_name(""), |code| team_type_name(code));
        let end = if p.open {
            String::new()
        } else {
            p.last_discharge.clone()
        };
        derived.rows.push((
            *line,
            vec![id, date_part(cell(row, received)).to_string(), end, team],
        ));
        if p.referrals > 1 {
            merged += 1;
        }
    }
    if merged > 0 {
        let who = if merged == 1 {
            "1 person has".to_string()
        } else {
            format!("{merged} people have")
        };
        derived.notes.push(format!(
            "{who} more than one referral. Each person is one row of the people table, at the line of their earliest referral: it starts at that referral, its pathway is that referral's team type, and it ends at the latest discharge (left open while any referral is open)."
        ));
    }
    derived
}

/// The person of a row that names its referral; blank (and so rejected, at its line) when the
/// referral is not in the MHS101 file.
fn person_of<'a>(referrals: &'a Referrals, request: &str) -> &'a str {
    referrals.person.get(request).map_or("", String::as_str)
}

fn contacts(raw: &RawTable, referrals: &Referrals) -> Derived {
    let request = raw.column(&["ServiceRequestId", "UniqServReqID"]);
    let date = raw.column(&["CareContDate"]);
    let attend = raw.column(&["AttendStatus", "AttendOrDNACode"]);
    let mut derived = Derived::new(
        raw,
        TableKind::Events,
        &[
            ("person_id", format!("LocalPatientId {VIA_REFERRAL}")),
            ("date", raw.header_of(date, "CareContDate")),
            (
                "event_type",
                format!(
                    "{} and the referral's team type",
                    raw.header_of(attend, "AttendStatus")
                ),
            ),
        ],
    );
    for (line, row) in &raw.rows {
        let id = cell(row, request);
        let crisis = referrals.team_type.get(id).is_some_and(|t| {
            CRISIS_TEAM_TYPES
                .iter()
                .any(|c| c.eq_ignore_ascii_case(t.trim()))
        });
        derived.rows.push((
            *line,
            vec![
                person_of(referrals, id).to_string(),
                date_part(cell(row, date)).to_string(),
                contact_event(cell(row, attend), crisis).to_string(),
            ],
        ));
    }
    derived
}

/// Spells: an admission on the start date, and (for a discharged spell) its bed days, dated
/// at the admission.
fn spells(raw: &RawTable, referrals: &Referrals) -> Derived {
    let request = raw.column(&["ServiceRequestId", "UniqServReqID"]);
    let start = raw.column(&["StartDateHospProvSpell"]);
    let end = raw.column(&["DischDateHospProvSpell"]);
    let mut derived = Derived::new(
        raw,
        TableKind::Events,
        &[
            ("person_id", format!("LocalPatientId {VIA_REFERRAL}")),
            ("date", raw.header_of(start, "StartDateHospProvSpell")),
            ("event_type", "Spell event".to_string()),
            (
                "quantity",
                format!(
                    "Bed days (to {})",
                    raw.header_of(end, "DischDateHospProvSpell")
                ),
            ),
        ],
    );
    let mut open = 0;
    for (line, row) in &raw.rows {
        let person = person_of(referrals, cell(row, request)).to_string();
        let admitted = date_part(cell(row, start)).to_string();
        derived.rows.push((
            *line,
            vec![
                person.clone(),
                admitted.clone(),
                ADMISSION.into(),
                String::new(),
            ],
        ));
        let days = match (
            chrono::NaiveDate::parse_from_str(&admitted, "%Y-%m-%d"),
            chrono::NaiveDate::parse_from_str(date_part(cell(row, end)), "%Y-%m-%d"),
        ) {
            (Ok(from), Ok(to)) if to >= from => Some((to - from).num_days()),
            _ => None,
        };
        match days {
            Some(days) if days > 0 => derived.rows.push((
                *line,
                vec![person, admitted, BED_DAYS.into(), days.to_string()],
            )),
            Some(_) => {}
            None => open += 1,
        }
    }
    if open > 0 {
        derived.notes.push(format!(
            "{open} spell(s) have no discharge date (or dates not in YYYY-MM-DD form): their admissions are counted, their bed days are not."
        ));
    }
    derived
}

fn assessments(raw: &RawTable, referrals: &Referrals) -> Derived {
    let request = raw.column(&["ServiceRequestId", "UniqServReqID"]);
    let date = raw.column(&["AssToolCompDate", "AssToolCompTimestamp"]);
    let tool = raw.column(&["CodedAssToolType"]);
    let score = raw.column(&["PersScore"]);
    let mut derived = Derived::new(
        raw,
        TableKind::Outcomes,
        &[
            ("person_id", format!("LocalPatientId {VIA_REFERRAL}")),
            ("date", raw.header_of(date, "AssToolCompDate")),
            ("measure", raw.header_of(tool, "CodedAssToolType")),
            ("score", raw.header_of(score, "PersScore")),
        ],
    );
    for (line, row) in &raw.rows {
        derived.rows.push((
            *line,
            vec![
                person_of(referrals, cell(row, request)).to_string(),
                date_part(cell(row, date)).to_string(),
                cell(row, tool).to_string(),
                cell(row, score).to_string(),
            ],
        ));
    }
    derived
}

fn accommodation(raw: &RawTable) -> Derived {
    let person = raw.column(&["LocalPatientId", "Person_ID"]);
    let date = raw.column(&["AccommodationTypeDate", "AccommodationStatusDate"]);
    let kind = raw.column(&["AccommodationType"]);
    let settled = raw.column(&["SettledAccommodationInd"]);
    let mut derived = Derived::new(
        raw,
        TableKind::Status,
        &[
            ("person_id", raw.header_of(person, "LocalPatientId")),
            ("date", raw.header_of(date, "AccommodationTypeDate")),
            ("indicator", "Indicator (housing)".to_string()),
            (
                "value",
                raw.header_of(kind.or(settled), "AccommodationType"),
            ),
        ],
    );
    for (line, row) in &raw.rows {
        let code = cell(row, kind);
        let value = match ACCOMMODATION_TYPES.iter().find(|(c, ..)| *c == code) {
            Some((code, words, _)) => format!("{code} {words}"),
            None if code.is_empty() && !cell(row, settled).is_empty() => {
                format!(
                    "Settled accommodation: {}",
                    cell(row, settled).to_uppercase()
                )
            }
            None => code.to_string(),
        };
        derived.rows.push((
            *line,
            vec![
                cell(row, person).to_string(),
                date_part(cell(row, date)).to_string(),
                "housing".to_string(),
                value,
            ],
        ));
    }
    derived
}

fn employment(raw: &RawTable) -> Derived {
    let person = raw.column(&["LocalPatientId", "Person_ID"]);
    let date = raw.column(&["EmployStatusRecDate", "EmployStatusStartDate"]);
    let status = raw.column(&["EmployStatus"]);
    let mut derived = Derived::new(
        raw,
        TableKind::Status,
        &[
            ("person_id", raw.header_of(person, "LocalPatientId")),
            ("date", raw.header_of(date, "EmployStatusRecDate")),
            ("indicator", "Indicator (employment)".to_string()),
            ("value", raw.header_of(status, "EmployStatus")),
        ],
    );
    for (line, row) in &raw.rows {
        let code = cell(row, status);
        let value = EMPLOYMENT_STATUSES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map_or_else(|| code.to_string(), |(c, w)| format!("{c} {w}"));
        derived.rows.push((
            *line,
            vec![
                cell(row, person).to_string(),
                date_part(cell(row, date)).to_string(),
                "employment".to_string(),
                value,
            ],
        ));
    }
    derived
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn tables_are_recognised_by_their_idb_element_names_in_any_case() {
        let cases = [
            (
                vec![
                    "ServiceRequestId",
                    "LocalPatientId",
                    "ReferralRequestReceivedDate",
                ],
                MhsdsTable::Referral,
            ),
            (
                vec![
                    "CareContactID",
                    "ServiceRequestID",
                    "CareContDate",
                    "AttendStatus",
                ],
                MhsdsTable::CareContact,
            ),
            (
                vec![
                    "ServiceRequestId",
                    "CodedAssToolType",
                    "PersScore",
                    "AssToolCompTimestamp",
                ],
                MhsdsTable::CodedScoredAssessment,
            ),
            (
                vec![
                    "HospProvSpellID",
                    "ServiceRequestId",
                    "StartDateHospProvSpell",
                ],
                MhsdsTable::HospitalProviderSpell,
            ),
            (
                vec!["ServiceRequestId", "ServTeamTypeRefToMH"],
                MhsdsTable::ServiceTypeReferredTo,
            ),
            (
                vec!["CareProfTeamLocalID", "ServTeamTypeMH"],
                MhsdsTable::ServiceTeamDetails,
            ),
            (
                vec![
                    "LocalPatientId",
                    "AccommodationType",
                    "AccommodationTypeDate",
                ],
                MhsdsTable::AccommodationStatus,
            ),
            (
                vec!["LocalPatientId", "EmployStatus"],
                MhsdsTable::EmploymentStatus,
            ),
            (
                vec!["LocalPatientId", "NHSNumber", "PersonBirthDate"],
                MhsdsTable::MasterPatientIndex,
            ),
        ];
        for (cells, table) in cases {
            assert_eq!(
                MhsdsTable::recognise(&header(&cells)),
                Some(table),
                "{cells:?}"
            );
        }
        assert_eq!(
            MhsdsTable::recognise(&header(&["person_id", "date", "event_type"])),
            None
        );
    }

    #[test]
    fn a_timestamp_gives_its_date() {
        assert_eq!(date_part("2024-05-01T10:30:00"), "2024-05-01");
        assert_eq!(date_part("2024-05-01 10:30"), "2024-05-01");
        assert_eq!(date_part("01/05/2024"), "01/05/2024");
    }

    #[test]
    fn the_profile_values_name_only_what_waymark_knows() {
        let values = profile_values();
        assert!(values.check().is_ok());
        let config = crate::MappingConfig {
            values,
            ..crate::MappingConfig::default()
        };
        assert!(config.check_values().is_ok());
        let catalogue = crate::measures::MeasureCatalogue::defaults();
        assert!(config.values.check_measures(&catalogue).is_ok());
    }
}

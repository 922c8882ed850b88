//! The demo's vocabulary: pathways, teams, people's characteristics, goals, feedback
//! themes and texts, event types and follow-ups, with the weights they are drawn with.

pub(super) const PATHWAYS: [&str; 3] = [
    "Integrated community support",
    "Standard community support",
    "Step-down",
];
pub(super) const PATHWAY_WEIGHTS: [u32; 3] = [40, 40, 20];
pub(super) const INTEGRATED: usize = 0;
pub(super) const STANDARD: usize = 1;
pub(super) const STEP_DOWN: usize = 2;
/// Index of the comparison cohort in per-group tables, after the three pathways.
pub(super) const COMPARISON: usize = 3;
pub(super) const GROUP_NAMES: [&str; 4] = [
    PATHWAYS[0],
    PATHWAYS[1],
    PATHWAYS[2],
    "Comparison cohort (usual care)",
];

pub(super) const SEVERITIES: [&str; 3] = ["low", "moderate", "high"];
pub(super) const SEVERITY_WEIGHTS: [u32; 3] = [30, 45, 25];

pub(super) const TEAMS: [&str; 5] = [
    "Northgate",
    "Riverside",
    "Eastfield",
    "Hillcrest",
    "Westbrook",
];
pub(super) const TEAM_WEIGHTS: [u32; 5] = [24, 22, 20, 18, 16];
/// Coordinators of each team, as indices into [`COORDINATORS`].
pub(super) const TEAM_COORDINATORS: [&[usize]; 5] =
    [&[0, 1, 2], &[3, 4, 5], &[6, 7], &[8, 9], &[10, 11]];
pub(super) const COORDINATORS: [&str; 12] = [
    "Amira Haddad",
    "Ben Carter",
    "Chloe Davies",
    "Daniel Osei",
    "Ellie Brennan",
    "Farah Qureshi",
    "George Whitfield",
    "Hannah Lowe",
    "Imran Siddiqui",
    "Jess Morgan",
    "Kwame Mensah",
    "Laura Pike",
];

pub(super) const AGE_BANDS: [&str; 6] = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"];
pub(super) const AGE_WEIGHTS: [u32; 6] = [18, 24, 20, 17, 13, 8];
pub(super) const SEXES: [&str; 3] = ["Female", "Male", "Not stated"];
pub(super) const SEX_WEIGHTS: [u32; 3] = [51, 47, 2];
/// ONS 2021 Census broad ethnic groups, plus "Not stated".
pub(super) const ETHNICITIES: [&str; 6] = [
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
    "Not stated",
];
pub(super) const ETHNICITY_WEIGHTS: [u32; 6] = [9, 5, 3, 78, 2, 3];

pub(super) const HOUSING: [&str; 4] = ["homeless", "temporary", "supported", "settled"];
pub(super) const HOUSING_WEIGHTS: [u32; 4] = [8, 17, 25, 50];
pub(super) const ENGAGEMENT: [&str; 3] = ["disengaged", "partial", "engaged"];

pub(super) const DOMAINS: [&str; 6] = [
    "housing",
    "mental wellbeing",
    "social connection",
    "employment & education",
    "physical health",
    "daily living",
];
/// Two goal descriptions per domain, in [`DOMAINS`] order.
pub(super) const GOAL_TEXT: [[&str; 2]; 6] = [
    [
        "Move from temporary accommodation into a settled tenancy",
        "Keep up with rent, bills and repairs",
    ],
    [
        "Use my crisis plan when I start to feel overwhelmed",
        "Sleep through the night most nights",
    ],
    [
        "Meet a friend, or go to a group, once a week",
        "Get back in touch with my family",
    ],
    [
        "Start a college course",
        "Find volunteering, two days a week",
    ],
    [
        "Register with a GP and go to my check-up",
        "Walk for 20 minutes, three times a week",
    ],
    [
        "Cook a proper meal most days",
        "Open my post and deal with it each week",
    ],
];

pub(super) const THEMES: [&str; 10] = [
    "isolation",
    "housing",
    "money worries",
    "medication",
    "feeling listened to",
    "family",
    "work",
    "physical health",
    "loneliness",
    "confidence",
];
pub(super) const T_ISOLATION: usize = 0;
pub(super) const T_HOUSING: usize = 1;
pub(super) const T_LISTENED: usize = 4;
pub(super) const T_LONELINESS: usize = 8;
pub(super) const T_CONFIDENCE: usize = 9;
/// Themes drawn for positive, neutral and negative feedback, as indices into [`THEMES`].
pub(super) const THEMES_BY_MOOD: [&[usize]; 3] =
    [&[4, 9, 5, 6, 3], &[2, 3, 7, 5, 1, 6], &[0, 8, 2, 7, 1, 5]];

pub(super) const SOURCES: [&str; 3] = ["person", "staff", "carer"];
pub(super) const CHANGES: [&str; 3] = ["better", "same", "worse"];
/// Feedback text by source (person, staff, carer) and mood (positive, neutral, negative).
pub(super) const FEEDBACK_TEXT: [[&[&str]; 3]; 3] = [
    [
        &[
            "Things feel more manageable now. I know who to ring if it gets bad.",
            "My coordinator actually listens, and I don't feel rushed.",
            "I've started going to the \"Tuesday walk\" group again.",
            "Sleeping better, eating better, and back in touch with my sister.",
            "Still hard some days, but I can see a way forward.",
        ],
        &[
            "Some weeks are good, some aren't.",
            "Not much has changed, but I keep coming.",
            "Waiting to hear about the flat, which is stressful.",
            "The new tablets help a bit, I think.",
        ],
        &[
            "I feel on my own most of the time.",
            "Everyone says I'm \"doing well\", but I don't feel it.",
            "I still don't go out much, and the evenings are long.",
            "The questionnaires look better than I feel.",
            "Nobody has asked me what I actually want.",
        ],
    ],
    [
        &[
            "Engaging well; attended every session this month.",
            "Making steady progress, and has started volunteering.",
            "Using the crisis plan well, with fewer calls to the duty line.",
        ],
        &[
            "Mixed month. Attendance patchy but keen to continue.",
            "Plan reviewed; goals still relevant.",
        ],
        &[
            "Mood lower this month; safety plan reviewed.",
            "Hard to reach by phone, three missed visits.",
        ],
    ],
    [
        &[
            "He seems calmer at home.",
            "She's going out more, which is lovely to see.",
        ],
        &["About the same as before, really."],
        &[
            "Worried, as they've stopped answering the phone.",
            "Spends most days in their room.",
        ],
    ],
];
/// Plan adjustments after positive feedback, and after neutral or negative feedback.
pub(super) const PLAN_ADJUSTMENTS: [&[&str]; 2] = [
    &[
        "Reduced contact, as planned, ahead of discharge",
        "Agreed a new goal about daily routine",
    ],
    &[
        "Increased contact to weekly",
        "Added peer support group",
        "Referred to benefits advice",
        "Medication review requested with GP",
        "Joint visit with housing officer arranged",
    ],
];

pub(super) const EVENT_TYPES: [&str; 10] = [
    "crisis_contact",
    "ed_attendance",
    "admission",
    "bed_day",
    "missed_appointment",
    "attended_appointment",
    "police_contact",
    "ambulance_callout",
    "safeguarding_concern",
    "incident",
];
pub(super) const CRISIS: usize = 0;
pub(super) const ADMISSION: usize = 2;
pub(super) const BED_DAY: usize = 3;
pub(super) const MISSED: usize = 4;
pub(super) const ATTENDED: usize = 5;
pub(super) const SAFEGUARDING: usize = 8;
pub(super) const INCIDENT: usize = 9;
pub(super) const CRISIS_FOLLOW_UPS: [&str; 5] = [
    "Crisis plan reviewed with care coordinator",
    "Safety plan updated, copy given to person",
    "Same-day call back from duty worker",
    "Referred to home treatment team",
    "GP informed; medication review booked",
];
pub(super) const INCIDENT_FOLLOW_UPS: [&str; 3] = [
    "Debrief held with staff team",
    "Risk assessment updated",
    "Reported to safeguarding lead, no further action",
];
pub(super) const SAFEGUARDING_FOLLOW_UPS: [&str; 4] = [
    "Referred to housing support",
    "Referred to adult social care",
    "Discussed at team meeting; monitoring agreed",
    "Police asked to do a \"safe and well\" check",
];

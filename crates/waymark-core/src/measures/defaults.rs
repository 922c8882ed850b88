//! The catalogue's default measures, each value with its source: a data table in code.

use super::*;
use crate::stats::change::Direction;

/// The ten areas of the Mental Health Recovery Star (Triangle Consulting / Mental Health
/// Providers Forum), each rated 1-10. Its area measures in the catalogue are named
/// "Recovery Star: <area>".
pub const RECOVERY_STAR_AREAS: [&str; 10] = [
    "Managing mental health",
    "Physical health and self-care",
    "Living skills",
    "Social networks",
    "Work",
    "Relationships",
    "Addictive behaviour",
    "Responsibilities",
    "Identity and self-esteem",
    "Trust and hope",
];

/// The measure key of a Recovery Star area.
pub fn star_area_measure(area: &str) -> String {
    format!("Recovery Star: {area}")
}

// ---------------------------------------------------------------------------------------
// Defaults. Each value's source is stated; `estimate: true` marks the values that could not
// be confirmed against a primary or authoritative secondary source while building this
// catalogue (docs/methods.md, "Outcome measures: the catalogue and its defaults").
// ---------------------------------------------------------------------------------------

fn text(s: &str) -> String {
    s.to_string()
}

fn note(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn aliases(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

const TALKING_THERAPIES_SOURCE: &str = "NHS Talking Therapies (formerly IAPT) definitions, NHS England manual and NHS Digital; confirmed in MindStep evaluation, BMC Psychiatry 2018, doi:10.1186/s12888-018-1987-1, Table 1";

/// SWEMWBS raw total (7–35) to metric score, Warwick scoring guidance.
const SWEMWBS_METRIC: [(f64, f64); 29] = [
    (7.0, 7.00),
    (8.0, 9.51),
    (9.0, 11.25),
    (10.0, 12.40),
    (11.0, 13.33),
    (12.0, 14.08),
    (13.0, 14.75),
    (14.0, 15.32),
    (15.0, 15.84),
    (16.0, 16.36),
    (17.0, 16.88),
    (18.0, 17.43),
    (19.0, 17.98),
    (20.0, 18.59),
    (21.0, 19.25),
    (22.0, 19.98),
    (23.0, 20.73),
    (24.0, 21.54),
    (25.0, 22.35),
    (26.0, 23.21),
    (27.0, 24.11),
    (28.0, 25.03),
    (29.0, 26.02),
    (30.0, 27.03),
    (31.0, 28.13),
    (32.0, 29.31),
    (33.0, 30.70),
    (34.0, 32.55),
    (35.0, 35.00),
];

pub(super) fn default_measures() -> Vec<MeasureDefinition> {
    let mut measures = vec![
        phq9(),
        gad7(),
        core10(),
        core_om(),
        wemwbs(),
        swemwbs(),
        reqol10(),
        dialog(),
        recovery_star(),
        goal_based_outcomes(),
    ];
    measures.extend(
        RECOVERY_STAR_AREAS
            .iter()
            .map(|area| recovery_star_area(area)),
    );
    measures
}

fn phq9() -> MeasureDefinition {
    MeasureDefinition {
        key: text("PHQ-9"),
        name: text("Patient Health Questionnaire-9"),
        aliases: aliases(&[
            "PHQ9",
            "PHQ 9",
            "Patient Health Questionnaire",
            "Patient Health Questionnaire 9",
        ]),
        min: 0.0,
        max: 27.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606-613: nine items scored 0-3"),
        sd: Some(StandardDeviation {
            value: 5.5,
            population: text("clinical (approximate)"),
            source: text("working value with no confirmed source (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed against a published sample; prefer the local baseline SD."),
        }),
        reliability: Some(Reliability {
            value: 0.84,
            kind: ReliabilityKind::TestRetest,
            source: text("Kroenke, Spitzer & Williams (2001)"),
            estimate: true,
            note: note("Test-retest value not re-checked against the paper; internal consistency alpha 0.89 is confirmed there."),
        }),
        caseness: Some(Caseness {
            cutoff: PHQ9_CASENESS,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinical range for depression (NHS Talking Therapies caseness); Kroenke et al. 2001: >= 10 had 88% sensitivity and specificity for major depression"),
            source: text("Kroenke, Spitzer & Williams (2001); NHS Talking Therapies"),
            estimate: false,
            note: None,
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: PHQ9_RELIABLE_CHANGE },
            source: text(TALKING_THERAPIES_SOURCE),
            estimate: false,
            note: note("The NHS Talking Therapies manual itself was not retrieved; the value is confirmed in the secondary source named."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("Severity bands 5/10/15/20 (Kroenke et al. 2001)."),
        origin: MeasureOrigin::Default,
    }
}

fn gad7() -> MeasureDefinition {
    MeasureDefinition {
        key: text("GAD-7"),
        name: text("Generalised Anxiety Disorder Assessment-7"),
        aliases: aliases(&[
            "GAD7",
            "GAD 7",
            "Generalized Anxiety Disorder 7",
            "Generalised Anxiety Disorder 7",
            "Generalised Anxiety Disorder Assessment",
        ]),
        min: 0.0,
        max: 21.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med 166:1092-1097: seven items scored 0-3"),
        sd: Some(StandardDeviation {
            value: 4.5,
            population: text("clinical (approximate)"),
            source: text("working value with no confirmed source (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed against a published sample; prefer the local baseline SD."),
        }),
        reliability: Some(Reliability {
            value: 0.83,
            kind: ReliabilityKind::TestRetest,
            source: text("Spitzer et al. (2006), test-retest intraclass correlation"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        caseness: Some(Caseness {
            cutoff: GAD7_CASENESS,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinical range for anxiety (NHS Talking Therapies caseness)"),
            source: text(TALKING_THERAPIES_SOURCE),
            estimate: false,
            note: note("Spitzer et al. (2006) use 10 to screen for generalised anxiety disorder; NHS Talking Therapies uses 8."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: GAD7_RELIABLE_CHANGE },
            source: text(TALKING_THERAPIES_SOURCE),
            estimate: false,
            note: note("The NHS Talking Therapies manual itself was not retrieved; the value is confirmed in the secondary source named."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("Severity bands 5/10/15 (Spitzer et al. 2006)."),
        origin: MeasureOrigin::Default,
    }
}

fn core10() -> MeasureDefinition {
    const MANUAL: &str = "CORE-10 user manual (Connell & Barkham 2007) and Barkham et al. (2013), Counselling and Psychotherapy Research 13:3-13; confirmed via the NovoPsych CORE-10 summary";
    MeasureDefinition {
        key: text("CORE-10"),
        name: text("Clinical Outcomes in Routine Evaluation-10"),
        aliases: aliases(&["CORE10", "CORE 10", "Clinical Outcomes in Routine Evaluation 10"]),
        min: 0.0,
        max: 40.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Barkham et al. (2013): ten items scored 0-4, total 0-40"),
        sd: Some(StandardDeviation {
            value: 7.7,
            population: text("clinical: primary care counselling (n = 1835, mean 19.7)"),
            source: text(MANUAL),
            estimate: false,
            note: None,
        }),
        reliability: Some(Reliability {
            value: 0.90,
            kind: ReliabilityKind::Alpha,
            source: text(MANUAL),
            estimate: false,
            note: None,
        }),
        caseness: Some(Caseness {
            cutoff: 11.0,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinically significant psychological distress"),
            source: text(MANUAL),
            estimate: false,
            note: None,
        }),
        norms: Some(CriterionNorms {
            clinical_mean: 19.7,
            clinical_sd: 7.7,
            normal_mean: 4.7,
            normal_sd: 4.8,
            source: text("CORE-10 user manual (Connell & Barkham 2007): primary care counselling n = 1835; general population n = 535"),
            estimate: false,
            note: None,
        }),
        // The published reliable change index is the default. Jacobson & Truax from the
        // manual's clinical SD and alpha (1.96 x 7.7 x sqrt(2 x (1 - 0.90)) = 6.75) is an
        // option: `reliable_change = { method = "jacobson_truax" }` in the measure's override.
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: CORE10_RELIABLE_CHANGE },
            source: text("Barkham et al. (2013), Counselling and Psychotherapy Research 13:3-13: reliable change index of 6 points"),
            estimate: false,
            note: note("Jacobson & Truax (1991) from the manual's clinical SD 7.7 and alpha .90 gives 6.75; choose it with reliable_change = { method = \"jacobson_truax\" } in a measure override."),
        }),
        conversion: ScoreConversion::Identity,
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

fn core_om() -> MeasureDefinition {
    MeasureDefinition {
        key: text("CORE-OM"),
        name: text("Clinical Outcomes in Routine Evaluation - Outcome Measure (clinical score)"),
        aliases: aliases(&[
            "COREOM",
            "CORE OM",
            "CORE-OM clinical score",
            "Clinical Outcomes in Routine Evaluation Outcome Measure",
        ]),
        min: 0.0,
        max: 40.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Connell et al. (2007), Br J Psychiatry 190:69-74: clinical score = mean item score x 10, 0-40"),
        sd: Some(StandardDeviation {
            value: 7.5,
            population: text("clinical (approximate)"),
            source: text("Evans et al. 2002; Connell et al. 2007, value not confirmed in either (docs/methods.md, \"The defaults\")"),
            estimate: true,
            note: note("Not confirmed against either paper."),
        }),
        reliability: Some(Reliability {
            value: 0.94,
            kind: ReliabilityKind::Alpha,
            source: text("Evans et al. (2002), Br J Psychiatry 180:51-60"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        caseness: Some(Caseness {
            cutoff: 10.0,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinical population (cut-off 9.9 between general population and clinical samples)"),
            source: text("Connell et al. (2007), Br J Psychiatry 190:69-74"),
            estimate: false,
            note: note("Published cut-off 9.9 on the 0-40 scale, used as 10."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::JacobsonTruax,
            source: text("computed by Jacobson & Truax (1991) from the SD and alpha above"),
            estimate: true,
            note: note("Methods-reference gives about 5 (check); the inputs are unconfirmed. Prefer the local baseline SD."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("Scores must be the clinical score (0-40). A mean item score (0-4) must be multiplied by 10 first."),
        origin: MeasureOrigin::Default,
    }
}

fn wemwbs() -> MeasureDefinition {
    MeasureDefinition {
        key: text("WEMWBS"),
        name: text("Warwick-Edinburgh Mental Wellbeing Scale"),
        aliases: aliases(&[
            "Warwick Edinburgh Mental Wellbeing Scale",
            "Warwick-Edinburgh Mental Well-being Scale",
            "WEMWBS 14",
        ]),
        min: 14.0,
        max: 70.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Warwick Medical School WEMWBS scoring guidance: 14 items scored 1-5, total 14-70"),
        sd: Some(StandardDeviation {
            value: 8.79,
            population: text("general population (Scotland)"),
            source: text("Tennant et al. (2007), Health Qual Life Outcomes 5:63"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        reliability: Some(Reliability {
            value: 0.89,
            kind: ReliabilityKind::Alpha,
            source: text("Tennant et al. (2007)"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        caseness: Some(Caseness {
            cutoff: 40.0,
            rule: CasenessRule::AtOrBelow,
            meaning: text("probable depression"),
            source: text("working value, not confirmed (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed. Another published screening cut-off is 43.5 against the CES-D (Bianco 2012, University of Bologna thesis)."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::JacobsonTruax,
            source: text("computed by Jacobson & Truax (1991) from the SD and alpha above"),
            estimate: true,
            note: note("Consistent with Maheswaran et al. (2012), Health Qual Life Outcomes 10:156: SEM 2.4-3.1, individual threshold 2.77 x SEM = 6.6-8.6 points. The often-quoted 3 points is about one SEM, not a 95% reliable change."),
        }),
        conversion: ScoreConversion::Identity,
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

fn swemwbs() -> MeasureDefinition {
    MeasureDefinition {
        key: text("SWEMWBS"),
        name: text("Short Warwick-Edinburgh Mental Wellbeing Scale (metric score)"),
        aliases: aliases(&[
            "Short Warwick Edinburgh Mental Wellbeing Scale",
            "Short Warwick-Edinburgh Mental Well-being Scale",
            "SWEMWBS 7",
            "S-WEMWBS",
        ]),
        min: 7.0,
        max: 35.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Stewart-Brown et al. (2009), Health Qual Life Outcomes 7:15; Warwick scoring guidance: seven items scored 1-5, raw total 7-35 converted to a metric score 7.00-35.00"),
        sd: Some(StandardDeviation {
            value: 3.921,
            population: text("clinical: adults starting cognitive hypnotherapy (n = 172, baseline mean 19.28)"),
            source: text("Shah et al. (2018), Health Qual Life Outcomes 16:239"),
            estimate: false,
            note: None,
        }),
        reliability: Some(Reliability {
            value: 0.84,
            kind: ReliabilityKind::Alpha,
            source: text("working value, not confirmed (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed. Shah et al. (2018) report 1 SEM = 1.03 points with baseline SD 3.921, which implies a reliability near 0.93 in that sample."),
        }),
        caseness: Some(Caseness {
            cutoff: 17.0,
            rule: CasenessRule::AtOrBelow,
            meaning: text("probable depression (metric score)"),
            source: text("working value, not confirmed (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed against the Warwick guidance."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: 2.87 },
            source: text("Shah et al. (2018), Health Qual Life Outcomes 16:239: 2.77 x SEM = 2.87 points"),
            estimate: false,
            note: note("Distribution-based threshold from one clinical sample; 1 SEM = 1.03 points."),
        }),
        conversion: ScoreConversion::Table {
            name: text("SWEMWBS raw total to metric score"),
            points: SWEMWBS_METRIC
                .iter()
                .map(|&(raw, converted)| ConversionPoint { raw, converted })
                .collect(),
            source: text("Warwick Medical School SWEMWBS scoring guidance (Rasch-based conversion table)"),
            estimate: false,
            note: note("The Warwick page confirms raw totals must be converted; the table was cross-checked against an independent transcription and the Health Survey for England median of 23.2 (Ng Fat et al. 2017), a table value. Confirm against the Warwick user guide before publication. If an export already holds metric scores, override conversion to identity."),
        },
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

fn reqol10() -> MeasureDefinition {
    MeasureDefinition {
        key: text("ReQoL-10"),
        name: text("Recovering Quality of Life-10"),
        aliases: aliases(&["ReQoL10", "ReQoL 10", "ReQoL", "Recovering Quality of Life"]),
        min: 0.0,
        max: 40.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Keetharuth et al. (2018), Br J Psychiatry 212:42-49: ten items scored 0-4, total 0-40"),
        sd: None,
        reliability: Some(Reliability {
            value: 0.85,
            kind: ReliabilityKind::TestRetest,
            source: text("Keetharuth et al. (2018): test-retest reliability above 0.85"),
            estimate: true,
            note: note("The paper reports > 0.85; 0.85 is used as a lower bound (which slightly enlarges the threshold)."),
        }),
        caseness: Some(Caseness {
            cutoff: 24.0,
            rule: CasenessRule::Below,
            meaning: text("clinical range (24 and above is the general-population range)"),
            source: text("ReQoL scoring guidance as tabulated by Franklin et al. (2021), Qual Life Res, doi:10.1007/s11136-021-02833-1"),
            estimate: false,
            note: None,
        }),
        norms: None,
        reliable_change: None,
        conversion: ScoreConversion::Identity,
        notes: note("No published reliable-change value or SD was confirmed: with at least 30 baseline scores the local SD gives a Jacobson-Truax threshold; otherwise enter one."),
        origin: MeasureOrigin::Default,
    }
}

fn dialog() -> MeasureDefinition {
    MeasureDefinition {
        key: text("DIALOG"),
        name: text("DIALOG scale: subjective quality of life (mean of the eight life-domain items)"),
        aliases: aliases(&[
            "DIALOG scale",
            "DIALOG SQOL",
            "DIALOG quality of life",
            "DIALOG mean score",
        ]),
        min: 1.0,
        max: 7.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("East London NHS Foundation Trust DIALOG scale page (dialog.elft.nhs.uk): eight life domains rated 1-7, score = mean; below 4 dissatisfied, 4 neutral"),
        sd: Some(StandardDeviation {
            value: 1.1,
            population: text("routine community mental health care, East London (5646 patients; life-domain mean 4.65)"),
            source: text("Routine measurement of satisfaction with life and treatment aspects in mental health patients - the DIALOG scale in East London, BMC Health Serv Res 2020, doi:10.1186/s12913-020-05840-z"),
            estimate: false,
            note: None,
        }),
        reliability: Some(Reliability {
            value: 0.71,
            kind: ReliabilityKind::Alpha,
            source: text("Priebe et al. (2012), BMC Psychiatry 12:113"),
            estimate: false,
            note: None,
        }),
        caseness: None,
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::HalfSd,
            source: text("Norman, Sloan & Wyrwich (2003) half-SD rule; no reliable-change value is published for DIALOG"),
            estimate: true,
            note: note("Distribution-based; the Jacobson-Truax value with alpha 0.71 would be about 1.64."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("The three treatment-satisfaction items form a separate score and are not this measure."),
        origin: MeasureOrigin::Default,
    }
}

fn recovery_star() -> MeasureDefinition {
    MeasureDefinition {
        key: text("Recovery Star"),
        name: text("Mental Health Recovery Star (total of ten areas)"),
        aliases: aliases(&["Mental Health Recovery Star", "MHRS", "RecoveryStar"]),
        min: 10.0,
        max: 100.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Mental Health Recovery Star (Triangle Consulting; Mental Health Providers Forum): ten areas each rated 1-10"),
        sd: None,
        reliability: None,
        caseness: None,
        norms: None,
        reliable_change: None,
        conversion: ScoreConversion::Identity,
        notes: note("Killaspy et al. (2012), Br J Psychiatry 201:65-70: good test-retest but inadequate inter-rater reliability; not recommended as a routine outcome tool. Movement between stages per area is the usual summary. A local half-SD threshold is available with at least 30 baseline totals."),
        origin: MeasureOrigin::Default,
    }
}

/// One area of the Recovery Star, as a Star export records it (one column per area): read from
/// wide files as its own measure, so movement per area can be followed.
fn recovery_star_area(area: &str) -> MeasureDefinition {
    MeasureDefinition {
        key: star_area_measure(area),
        name: format!("Mental Health Recovery Star: {} (one area)", area.to_lowercase()),
        aliases: Vec::new(),
        min: 1.0,
        max: 10.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Mental Health Recovery Star (Triangle Consulting; Mental Health Providers Forum): each area rated 1-10 through five stages of change"),
        sd: None,
        reliability: None,
        caseness: None,
        norms: None,
        reliable_change: None,
        conversion: ScoreConversion::Identity,
        notes: note("Killaspy et al. (2012), Br J Psychiatry 201:65-70: inadequate inter-rater reliability. A local half-SD threshold is available with at least 30 baseline ratings."),
        origin: MeasureOrigin::Default,
    }
}

fn goal_based_outcomes() -> MeasureDefinition {
    MeasureDefinition {
        key: text("GBO"),
        name: text("Goal-based outcomes (progress towards a goal, per goal)"),
        aliases: aliases(&["Goal Based Outcomes", "Goal-based outcome", "Goals based outcomes", "GBOs"]),
        min: 0.0,
        max: 10.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Law & Jacob (2015), Goals and Goal Based Outcomes (CAMHS Press); CORC: progress rated 0-10"),
        sd: None,
        reliability: None,
        caseness: None,
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: 2.45 },
            source: text("Edbrooke-Childs et al. (2015), as cited by CORC"),
            estimate: true,
            note: note("The paper was not retrieved in this build (docs/methods.md, \"Notes on individual measures\"). Ratings are whole numbers, so a move of 3 or more is reliable."),
        }),
        conversion: ScoreConversion::Identity,
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

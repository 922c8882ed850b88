//! The report pack's settings, entered once and saved with the other settings: the cover
//! (service, provider, period, date), whether people's own words may be quoted, the window for
//! "reviews leading to action", and which commissioning priority each indicator and measure
//! speaks to. Applying them analyses again, so the report and every figure agree.

use super::value::Reanalyse;
use super::ViewProps;
use chrono::NaiveDate;
use waymark_core::config::Config;
use waymark_core::report::settings::{Priority, ReportSettings};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the user typed, kept as text so a refused value stays beside its message.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub service_name: String,
    pub provider: String,
    pub period_label: String,
    pub report_date: String,
    pub include_quotes: bool,
    pub action_window_days: String,
    pub priority_names: Vec<String>,
    /// Each indicator key or measure name with the index of its priority (`None`: none).
    pub assignment: Vec<(String, Option<usize>)>,
}

/// The longest window that still reads as a response to the event (a year).
const MAX_ACTION_WINDOW_DAYS: u32 = 365;

impl Draft {
    /// The settings as they stand, for every indicator and measure the data have (and any the
    /// settings name that the data lack, so nothing is dropped on the way back).
    pub fn from_settings(settings: &ReportSettings, items: &[String]) -> Draft {
        let mut assignment: Vec<(String, Option<usize>)> = items
            .iter()
            .map(|item| {
                let found = settings.priorities.iter().position(|p| {
                    p.indicators.contains(item)
                        || p.measures.iter().any(|m| m.eq_ignore_ascii_case(item))
                });
                (item.clone(), found)
            })
            .collect();
        for (n, p) in settings.priorities.iter().enumerate() {
            for item in p.indicators.iter().chain(&p.measures) {
                if !assignment.iter().any(|(i, _)| i.eq_ignore_ascii_case(item)) {
                    assignment.push((item.clone(), Some(n)));
                }
            }
        }
        Draft {
            service_name: settings.service_name.clone(),
            provider: settings.provider.clone(),
            period_label: settings.period_label.clone(),
            report_date: settings
                .report_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            include_quotes: settings.include_quotes,
            action_window_days: settings.action_window_days.to_string(),
            priority_names: settings.priorities.iter().map(|p| p.name.clone()).collect(),
            assignment,
        }
    }

    /// The settings, or the problems by field id. `measures` tells measure names from
    /// indicator keys.
    pub fn settings(
        &self,
        measures: &[String],
    ) -> Result<ReportSettings, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let report_date = match self.report_date.trim() {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => {
                    errors.push((
                        "report-date",
                        format!("\"{text}\" is not a date: use the date picker or YYYY-MM-DD."),
                    ));
                    None
                }
            },
        };
        let window = match self.action_window_days.trim().parse::<u32>() {
            Ok(days) if (1..=MAX_ACTION_WINDOW_DAYS).contains(&days) => Some(days),
            _ => {
                errors.push((
                    "action-window",
                    format!(
                        "\"{}\" cannot be used: give a whole number of days from 1 to {MAX_ACTION_WINDOW_DAYS}.",
                        self.action_window_days.trim()
                    ),
                ));
                None
            }
        };
        if self.priority_names.iter().any(|n| n.trim().is_empty()) {
            errors.push(("priority-names", "Every priority needs a name.".to_string()));
        }
        let Some(window) = window.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        let priorities = self
            .priority_names
            .iter()
            .enumerate()
            .map(|(n, name)| {
                let mine = self.assignment.iter().filter(|(_, p)| *p == Some(n));
                let (measure, indicator): (Vec<_>, Vec<_>) = mine
                    .map(|(item, _)| item.clone())
                    .partition(|item| measures.iter().any(|m| m.eq_ignore_ascii_case(item)));
                Priority {
                    name: name.trim().to_string(),
                    indicators: indicator,
                    measures: measure,
                }
            })
            .collect();
        Ok(ReportSettings {
            service_name: self.service_name.trim().to_string(),
            provider: self.provider.trim().to_string(),
            period_label: self.period_label.trim().to_string(),
            report_date,
            include_quotes: self.include_quotes,
            action_window_days: window,
            priorities,
        })
    }
}

#[function_component(ReportSettingsForm)]
pub fn report_settings_form(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let reanalyse = use_context::<Reanalyse>();
    let direction = loaded.report().direction_of_travel.as_ref();
    let measures: Vec<String> = direction
        .map(|d| d.measures.iter().map(|m| m.measure.clone()).collect())
        .unwrap_or_default();
    // Each item with the name the user knows it by.
    let items: Vec<(String, String)> = direction
        .map(|d| {
            d.service
                .indicators
                .iter()
                .map(|i| (i.key.clone(), i.title.clone()))
                .chain(d.measures.iter().map(|m| {
                    (
                        m.measure.clone(),
                        format!("{} (change per person)", m.measure),
                    )
                }))
                .collect()
        })
        .unwrap_or_default();
    let keys: Vec<String> = items.iter().map(|(k, _)| k.clone()).collect();
    let draft = {
        let settings = loaded.config.report.clone();
        let keys = keys.clone();
        use_state(move || Draft::from_settings(&settings, &keys))
    };
    // New settings from elsewhere (restored from a file): start again from them.
    {
        let draft = draft.clone();
        let settings = loaded.config.report.clone();
        use_effect_with(settings, move |settings| {
            draft.set(Draft::from_settings(settings, &keys));
        });
    }
    let errors = use_state(Vec::<(&'static str, String)>::new);
    let text = |edit: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*draft).clone();
                edit(&mut next, input.value());
                draft.set(next);
            }
        })
    };
    let on_quotes = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*draft).clone();
                next.include_quotes = input.checked();
                draft.set(next);
            }
        })
    };
    let on_apply = {
        let draft = draft.clone();
        let errors = errors.clone();
        let config = loaded.config.clone();
        let measures = measures.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match draft.settings(&measures) {
                Err(problems) => errors.set(problems),
                Ok(report) => {
                    errors.set(Vec::new());
                    if let Some(reanalyse) = &reanalyse {
                        reanalyse.0.emit(Config {
                            report,
                            ..(*config).clone()
                        });
                    }
                }
            }
        })
    };
    let error_for = |id: &str| {
        errors
            .iter()
            .find(|(field, _)| *field == id)
            .map(|(_, m)| html! { <p class="field-error" id={format!("{id}-error")} role="alert">{ m.clone() }</p> })
    };
    let d = (*draft).clone();
    html! {
        <details class="nhsuk-details report-settings" data-testid="report-settings">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{ "Report cover, quotes and priorities" }</span></summary>
            <form class="nhsuk-details__text value-settings" onsubmit={on_apply} novalidate=true>
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{ "Cover" }</legend>
                    { text_field("service-name", "Service name", &d.service_name, text(|d, v| d.service_name = v)) }
                    { text_field("provider", "Provider", &d.provider, text(|d, v| d.provider = v)) }
                    { text_field("period-label", "Period (leave empty to state the data's dates)", &d.period_label, text(|d, v| d.period_label = v)) }
                    <div class="nhsuk-form-group setting">
                        <label class="nhsuk-label" for="report-date">{ "Report date (leave empty for the analysis date)" }</label>
                        <input class="nhsuk-input" id="report-date" type="date" value={d.report_date.clone()} oninput={text(|d, v| d.report_date = v)} />
                        { for error_for("report-date") }
                    </div>
                </fieldset>
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{ "Content" }</legend>
                    <div class="nhsuk-checkboxes nhsuk-checkboxes--small"><div class="nhsuk-checkboxes__item">
                        <input class="nhsuk-checkboxes__input" id="include-quotes" type="checkbox" checked={d.include_quotes} onchange={on_quotes} />
                        <label class="nhsuk-label nhsuk-checkboxes__label" for="include-quotes">{ "Include people's own words (feedback quotes, never with an ID); free text can identify people, so read them first" }</label>
                    </div></div>
                    <div class="nhsuk-form-group setting">
                        <label class="nhsuk-label" for="action-window">{ "Reviews leading to action: a plan adjustment counts within (days)" }</label>
                        <input class="nhsuk-input nhsuk-input--width-3" id="action-window" inputmode="numeric" value={d.action_window_days.clone()} oninput={text(|d, v| d.action_window_days = v)} />
                        { for error_for("action-window") }
                    </div>
                </fieldset>
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{ "Priorities: the report groups its evidence under them" }</legend>
                    { for d.priority_names.iter().enumerate().map(|(n, name)| {
                        let draft = draft.clone();
                        let oninput = Callback::from(move |e: InputEvent| {
                            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                                let mut next = (*draft).clone();
                                next.priority_names[n] = input.value();
                                draft.set(next);
                            }
                        });
                        text_field(&format!("priority-{n}"), &format!("Priority {}", n + 1), name, oninput)
                    }) }
                    { for error_for("priority-names") }
                    <table class="nhsuk-table priority-assignment">
                        <caption class="nhsuk-table__caption">{ "Which priority each indicator and measure speaks to" }</caption>
                        <thead><tr><th scope="col">{ "Indicator or measure" }</th><th scope="col">{ "Priority" }</th></tr></thead>
                        <tbody>{ for d.assignment.iter().enumerate().map(|(row, (key, chosen))| {
                            let label = items.iter().find(|(k, _)| k == key).map_or(key.clone(), |(_, t)| t.clone());
                            let id = format!("assign-{row}");
                            let draft = draft.clone();
                            let onchange = Callback::from(move |e: Event| {
                                if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                                    let mut next = (*draft).clone();
                                    next.assignment[row].1 = select.value().parse::<usize>().ok();
                                    draft.set(next);
                                }
                            });
                            html! {
                                <tr>
                                    <th scope="row"><label class="nhsuk-label" for={id.clone()}>{ label }</label></th>
                                    <td><select class="nhsuk-select" id={id} {onchange}>
                                        <option value="" selected={chosen.is_none()}>{ "None" }</option>
                                        { for d.priority_names.iter().enumerate().map(|(n, name)| html! {
                                            <option value={n.to_string()} selected={*chosen == Some(n)}>{ name.clone() }</option>
                                        }) }
                                    </select></td>
                                </tr>
                            }
                        }) }</tbody>
                    </table>
                </fieldset>
                if !errors.is_empty() {
                    <p class="field-error" role="status">{ "Some settings cannot be used: see the messages beside them. Nothing has been applied." }</p>
                }
                <div class="settings-actions">
                    <button type="submit" class="nhsuk-button" id="apply-report-settings">{ "Apply to the report" }</button>
                    <span class="note">{ "Saved with \"Save settings\"; no data are saved." }</span>
                </div>
            </form>
        </details>
    }
}

fn text_field(id: &str, label: &str, value: &str, oninput: Callback<InputEvent>) -> Html {
    html! {
        <div class="nhsuk-form-group setting">
            <label class="nhsuk-label" for={id.to_string()}>{ label.to_string() }</label>
            <input class="nhsuk-input" id={id.to_string()} type="text" value={value.to_string()} {oninput} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<String> {
        vec![
            "crisis_rate".into(),
            "engagement".into(),
            "PHQ-9".into(),
            "new_one".into(),
        ]
    }

    /// The default settings come back unchanged through the form.
    #[test]
    fn the_defaults_round_trip_through_the_form() {
        let defaults = ReportSettings::default();
        let draft = Draft::from_settings(&defaults, &items());
        assert_eq!(draft.assignment[3], ("new_one".to_string(), None));
        let measures = [
            "PHQ-9".to_string(),
            "GAD-7".to_string(),
            "CORE-10".to_string(),
            "WEMWBS".to_string(),
            "SWEMWBS".to_string(),
            "ReQoL-10".to_string(),
        ];
        let back = draft.settings(&measures).unwrap();
        for (a, b) in back.priorities.iter().zip(&defaults.priorities) {
            let mut a_items: Vec<_> = a.indicators.iter().chain(&a.measures).collect();
            let mut b_items: Vec<_> = b.indicators.iter().chain(&b.measures).collect();
            a_items.sort();
            b_items.sort();
            assert_eq!((a.name.as_str(), a_items), (b.name.as_str(), b_items));
        }
    }

    /// Cover fields are trimmed; a moved item changes priority; bad values are refused by
    /// field, and nothing is applied.
    #[test]
    fn edits_apply_and_bad_values_are_refused_beside_their_field() {
        let defaults = ReportSettings::default();
        let mut draft = Draft::from_settings(&defaults, &items());
        draft.service_name = "  North Community Team ".into();
        draft.report_date = "2026-07-15".into();
        draft.assignment[1].1 = Some(0);
        let measures = ["PHQ-9".to_string()];
        let settings = draft.settings(&measures).unwrap();
        assert_eq!(settings.service_name, "North Community Team");
        assert_eq!(settings.report_date, NaiveDate::from_ymd_opt(2026, 7, 15));
        assert!(settings.priorities[0]
            .indicators
            .contains(&"engagement".to_string()));
        assert!(settings.priorities[2]
            .measures
            .contains(&"PHQ-9".to_string()));
        draft.action_window_days = "0".into();
        draft.report_date = "15/07/2026".into();
        draft.priority_names[1] = " ".into();
        let errors = draft.settings(&measures).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["report-date", "action-window", "priority-names"]);
    }
}

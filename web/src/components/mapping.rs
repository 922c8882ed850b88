//! The mapping step: for each file, the table it was read as, its encoding, delimiter, date order and
//! which column feeds which field, all changeable, beside a preview of its first rows; plus named mapping profiles kept in this browser
//! (localStorage: settings only, never data) and export/import as a JSON file.

use crate::download::{download_text, Download};
use std::collections::BTreeMap;
use std::rc::Rc;
use waymark_core::ingest::decode::TextEncoding;
use waymark_core::ingest::formats::{ExportFormat, FormatMatch};
use waymark_core::ingest::mapping::{file_mapping_from_summary, FileMapping, MappingConfig};
use waymark_core::ingest::value_map::{
    code_targets, MeaningFrom, ValueCount, ValueMapping, EVENT_TYPES, NOT_COUNTED,
};
use waymark_core::ingest::values::DateOrder;
use waymark_core::{FilePreview, TableKind, ValidationReport};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const PROFILES_KEY: &str = "waymark.mapping-profiles";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Saved profiles: name to mapping.
fn load_profiles() -> BTreeMap<String, MappingConfig> {
    storage()
        .and_then(|s| s.get_item(PROFILES_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_profiles(profiles: &BTreeMap<String, MappingConfig>) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(profiles)) {
        let _ = storage.set_item(PROFILES_KEY, &text);
    }
}

#[derive(Properties)]
pub struct MappingEditorProps {
    pub validation: Rc<ValidationReport>,
    /// Each file's header and first rows, as read (person-level: shown here only).
    pub previews: Rc<Vec<FilePreview>>,
    pub on_apply: Callback<MappingConfig>,
    /// The keys of the measure catalogue in force, for the measure names' dropdowns.
    pub measures: Rc<Vec<String>>,
    /// The worst-to-best order of each status indicator in force, for the status values'
    /// dropdowns.
    pub status_orders: Rc<BTreeMap<String, Vec<String>>>,
    /// The format profile in force, if any.
    pub format: Option<ExportFormat>,
}

impl PartialEq for MappingEditorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.validation, &other.validation)
    }
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

/// The encodings a user may choose (UTF-8 with or without a byte-order mark is one choice).
const ENCODINGS: [(TextEncoding, &str); 4] = [
    (TextEncoding::Utf8, "UTF-8"),
    (
        TextEncoding::Windows1252,
        "Windows-1252 (Excel \"CSV\" on Windows)",
    ),
    (TextEncoding::Utf16le, "UTF-16 little-endian"),
    (TextEncoding::Utf16be, "UTF-16 big-endian"),
];

fn encoding_value(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => "utf8",
        TextEncoding::Windows1252 => "windows1252",
        TextEncoding::Utf16le => "utf16le",
        TextEncoding::Utf16be => "utf16be",
    }
}

/// The delimiters a file may use, as (value, label).
const DELIMITERS: [(char, &str); 4] = [
    (',', "comma ( , )"),
    (';', "semicolon ( ; )"),
    ('\t', "tab"),
    ('|', "pipe ( | )"),
];

/// A file's first rows as read, so the user can see whether the columns and dates make sense.
fn preview_table(preview: &FilePreview) -> Html {
    if preview.header.is_empty() && preview.rows.is_empty() {
        return html! { <p class="note">{ "Nothing could be read from this file to preview." }</p> };
    }
    let label = format!("First rows of {}", preview.file);
    html! {
        <div class="preview" role="region" aria-label={label.clone()} tabindex="0" data-testid="preview">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption">{ format!("{label}, as read (shown here only, never exported)") }</caption>
                <thead><tr>{ for preview.header.iter().map(|h| html! { <th scope="col">{ h.clone() }</th> }) }</tr></thead>
                <tbody>{ for preview.rows.iter().map(|row| html! {
                    <tr>{ for row.iter().map(|cell| html! { <td>{ cell.clone() }</td> }) }</tr>
                }) }</tbody>
            </table>
        </div>
    }
}

/// The user's choices for one column, value as written to target.
fn choices(values: &BTreeMap<(String, String), String>, field: &str) -> BTreeMap<String, String> {
    values
        .iter()
        .filter(|((f, _), _)| f == field)
        .map(|((_, value), to)| (value.clone(), to.clone()))
        .collect()
}

/// Recognised export formats, shown above the data-quality summary: each offered when its
/// profile is not in force (`on_choose` reads the files again with it), said when it is.
pub fn format_offers(
    formats: &[FormatMatch],
    in_force: Option<ExportFormat>,
    on_choose: &Callback<Option<ExportFormat>>,
) -> Html {
    let offer = |found: &FormatMatch| {
        let title = found.format.title();
        let chosen = in_force == Some(found.format);
        let n = found.files.len();
        let files = if n == 1 {
            "This file".to_string()
        } else {
            format!("These {n} files")
        };
        let choose = |format: Option<ExportFormat>| on_choose.reform(move |_: MouseEvent| format);
        html! {
            <div class="nhsuk-inset-text format-offer" data-testid="format-offer" data-format={found.format.key()} data-in-force={chosen.to_string()}>
                if chosen {
                    <p>{ format!("{files} were read with the {title} profile.") }</p>
                } else {
                    <p>{ format!("{files} look like {title}. Its profile reads them into Waymark's tables.") }</p>
                }
                <details class="nhsuk-details">
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{ "Which file is which, and where the profile comes from" }</span></summary>
                    <div class="nhsuk-details__text">
                        <ul>{ for found.files.iter().map(|(file, what)| html! { <li>{ format!("{file}: {what}") }</li> }) }</ul>
                        <p class="source">{ format!("Built from: {}.", found.format.source()) }</p>
                    </div>
                </details>
                if chosen {
                    <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={choose(None)}>{ "Read without the profile" }</button>
                } else {
                    <button type="button" class="nhsuk-button nhsuk-button--small" data-testid="use-format" onclick={choose(Some(found.format))}>{ format!("Read them as {}", found.format.short_title()) }</button>
                }
            </div>
        }
    };
    formats.iter().map(offer).collect::<Html>()
}

/// What a column of values is called on screen, and the words for "no meaning" in its dropdown.
fn field_words(field: &str) -> (String, &'static str) {
    let name = match field {
        "event_type" => "Event types".to_string(),
        "measure" => "Measure names".to_string(),
        "stage" => "Assessment stages".to_string(),
        "source" => "Feedback sources".to_string(),
        "functioning_change" => "Changes in functioning".to_string(),
        "plan_changed" => "Plan changed values".to_string(),
        "severity" => "Event severities".to_string(),
        "baseline_severity" => "Severities at baseline".to_string(),
        "cohort" => "Cohorts".to_string(),
        "indicator" => "Status indicators".to_string(),
        other => match other.strip_prefix("status.") {
            Some(indicator) => format!("Values of the {indicator} status"),
            None => other.to_string(),
        },
    };
    let none = match field {
        "measure" => "Not a known measure (kept unchecked)",
        "indicator" => "As written (no order of values)",
        "event_type" => "Not counted",
        f if f.starts_with("status.") => "Not counted (kept without a place in the order)",
        _ => "Not counted (left blank)",
    };
    (name, none)
}

/// The meanings a column's values can be given, as (value to store, words shown).
fn field_options(
    field: &str,
    found: &[&ValueCount],
    measures: &[String],
    orders: &BTreeMap<String, Vec<String>>,
) -> Vec<(String, String)> {
    let pairs = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(k, w)| (k.to_string(), w.to_string()))
            .collect()
    };
    match field {
        "event_type" => pairs(&EVENT_TYPES),
        "measure" => measures.iter().map(|m| (m.clone(), m.clone())).collect(),
        "indicator" => orders.keys().map(|k| (k.clone(), k.clone())).collect(),
        other => match other.strip_prefix("status.") {
            // Worst first, as the order is defined.
            Some(indicator) => match orders.get(indicator) {
                Some(order) => order
                    .iter()
                    .enumerate()
                    .map(|(n, v)| {
                        (
                            v.clone(),
                            format!("{v} ({} of {}, worst first)", n + 1, order.len()),
                        )
                    })
                    .collect(),
                None => found
                    .iter()
                    .filter_map(|v| v.meaning.clone())
                    .map(|m| (m.clone(), m))
                    .collect(),
            },
            None => code_targets(other)
                .iter()
                .map(|(k, w, _)| (k.to_string(), w.to_string()))
                .collect(),
        },
    }
}

/// A file's values as written in its coded columns (event types, measure names, stages,
/// status values...), one table per column, with their rows and what Waymark reads each as;
/// each choice is changed with a dropdown and applied with the rest of the mapping.
fn value_tables(
    idx: usize,
    found: &[ValueCount],
    values: &UseStateHandle<BTreeMap<(String, String), String>>,
    measures: &[String],
    orders: &BTreeMap<String, Vec<String>>,
) -> Html {
    let mut fields: Vec<&str> = Vec::new();
    for v in found {
        if !fields.contains(&v.field.as_str()) {
            fields.push(&v.field);
        }
    }
    let tables = fields.into_iter().map(|field| {
        let rows: Vec<&ValueCount> = found.iter().filter(|v| v.field == field).collect();
        let (name, none) = field_words(field);
        let options = field_options(field, &rows, measures, orders);
        html! {
            <table class="nhsuk-table event-types" data-testid="value-mapping" data-field={field.to_string()}>
                <caption class="nhsuk-table__caption">{ format!("{name} found, and what Waymark reads each as") }</caption>
                <thead><tr><th scope="col">{ "As written" }</th><th scope="col">{ "Rows" }</th><th scope="col">{ "Read as" }</th></tr></thead>
                <tbody>{ for rows.iter().enumerate().map(|(n, v)| value_row(idx, n, v, values, &options, none)) }</tbody>
            </table>
        }
    });
    tables.collect::<Html>()
}

fn value_row(
    idx: usize,
    n: usize,
    v: &ValueCount,
    values: &UseStateHandle<BTreeMap<(String, String), String>>,
    options: &[(String, String)],
    none: &'static str,
) -> Html {
    let id = format!("value-{idx}-{}-{n}", v.field);
    let key = (v.field.clone(), v.value.clone());
    let chosen = values
        .get(&key)
        .cloned()
        .or_else(|| v.meaning.clone())
        .unwrap_or_else(|| NOT_COUNTED.to_string());
    // A meaning from the user's own settings that is not among the options is offered as it
    // stands.
    let own = (!options.iter().any(|(k, _)| *k == chosen) && chosen != NOT_COUNTED)
        .then(|| chosen.clone());
    let onchange = {
        let values = values.clone();
        Callback::from(move |e: Event| {
            if let Some(choice) = select_value(&e) {
                let mut next = (*values).clone();
                next.insert(key.clone(), choice);
                values.set(next);
            }
        })
    };
    html! {
        <tr data-value={v.value.clone()}>
            <th scope="row"><label class="nhsuk-label" for={id.clone()}>{ &v.value }</label></th>
            <td class="number">{ v.rows.to_string() }</td>
            <td><select class="nhsuk-select" id={id} {onchange}>
                { for options.iter().map(|(key, words)| html! { <option value={key.clone()} selected={chosen == *key}>{ words.clone() }</option> }) }
                if let Some(own) = own { <option value={own.clone()} selected=true>{ format!("{own} (your settings)") }</option> }
                <option value={NOT_COUNTED} selected={chosen == NOT_COUNTED}>{ none }</option>
            </select></td>
        </tr>
    }
}

/// The value mapping the editor's choices make. "No meaning" for a measure name or an
/// indicator means no choice: it stays as written.
fn value_mapping(values: &BTreeMap<(String, String), String>) -> ValueMapping {
    let as_written = |field: &str| -> BTreeMap<String, String> {
        choices(values, field)
            .into_iter()
            .filter(|(_, to)| to != NOT_COUNTED)
            .collect()
    };
    let mut mapping = ValueMapping {
        event_type: choices(values, "event_type"),
        measure: as_written("measure"),
        indicator: as_written("indicator"),
        stage: choices(values, "stage"),
        source: choices(values, "source"),
        functioning_change: choices(values, "functioning_change"),
        plan_changed: choices(values, "plan_changed"),
        severity: choices(values, "severity"),
        baseline_severity: choices(values, "baseline_severity"),
        cohort: choices(values, "cohort"),
        status: BTreeMap::new(),
    };
    for ((field, value), to) in values {
        if let Some(indicator) = field.strip_prefix("status.") {
            mapping
                .status
                .entry(indicator.to_string())
                .or_default()
                .insert(value.clone(), to.clone());
        }
    }
    mapping
}

#[function_component(MappingEditor)]
pub fn mapping_editor(props: &MappingEditorProps) -> Html {
    let files = use_state(|| {
        props
            .validation
            .files
            .iter()
            .map(file_mapping_from_summary)
            .collect::<Vec<FileMapping>>()
    });
    // The value choices in force: those the last reading applied from the user's mapping.
    let values = use_state(|| {
        props
            .validation
            .files
            .iter()
            .flat_map(|f| &f.values)
            .filter(|v| v.from == MeaningFrom::Mapping)
            .map(|v| {
                (
                    (v.field.clone(), v.value.clone()),
                    v.meaning.clone().unwrap_or_else(|| NOT_COUNTED.to_string()),
                )
            })
            .collect::<BTreeMap<(String, String), String>>()
    });
    let profiles = use_state(load_profiles);
    let profile_name = use_state(String::new);
    let headers: Vec<Vec<String>> = props
        .validation
        .files
        .iter()
        .map(|f| f.columns.iter().map(|c| c.header.clone()).collect())
        .collect();

    let update = |idx: usize, change: Rc<dyn Fn(&mut FileMapping, String)>| {
        let files = files.clone();
        Callback::from(move |e: Event| {
            if let Some(value) = select_value(&e) {
                let mut next = (*files).clone();
                if let Some(file) = next.get_mut(idx) {
                    change(file, value);
                }
                files.set(next);
            }
        })
    };
    let mapping = MappingConfig {
        files: (*files).clone(),
        values: value_mapping(&values),
        format: props.format,
        ..MappingConfig::default()
    };
    let import_error = use_state(|| None::<String>);
    let import_reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let on_import = {
        let on_apply = props.on_apply.clone();
        let import_error = import_error.clone();
        let import_reader = import_reader.clone();
        Callback::from(move |e: Event| {
            let Some(file) = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|list| list.get(0))
                .map(gloo::file::File::from)
            else {
                return;
            };
            let on_apply = on_apply.clone();
            let import_error = import_error.clone();
            let reader = gloo::file::callbacks::read_as_text(&file, move |result| {
                match result.map_err(|e| e.to_string()).and_then(|text| {
                    serde_json::from_str::<MappingConfig>(&text).map_err(|e| e.to_string())
                }) {
                    Ok(mapping) => match mapping.check_values() {
                        Ok(()) => {
                            import_error.set(None);
                            on_apply.emit(mapping);
                        }
                        Err(errors) => import_error.set(Some(
                            errors
                                .into_iter()
                                .map(|e| e.message)
                                .collect::<Vec<_>>()
                                .join("; "),
                        )),
                    },
                    Err(err) => {
                        import_error.set(Some(format!("This file is not a Waymark mapping: {err}")))
                    }
                }
            });
            *import_reader.borrow_mut() = Some(reader);
        })
    };
    let on_apply = {
        let mapping = mapping.clone();
        let on_apply = props.on_apply.clone();
        Callback::from(move |_: MouseEvent| on_apply.emit(mapping.clone()))
    };
    let on_export = {
        let mapping = mapping.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(text) = serde_json::to_string_pretty(&mapping) {
                download_text("waymark-mapping.json", &text, Download::Json);
            }
        })
    };
    let on_name = {
        let profile_name = profile_name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                profile_name.set(input.value());
            }
        })
    };
    let on_save_profile = {
        let mapping = mapping.clone();
        let profiles = profiles.clone();
        let profile_name = profile_name.clone();
        Callback::from(move |_: MouseEvent| {
            let name = profile_name.trim().to_string();
            if name.is_empty() {
                return;
            }
            let mut next = (*profiles).clone();
            next.insert(name, mapping.clone());
            save_profiles(&next);
            profiles.set(next);
        })
    };
    let on_use_profile = {
        let profiles = profiles.clone();
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: Event| {
            if let Some(name) = select_value(&e) {
                if let Some(mapping) = profiles.get(&name) {
                    on_apply.emit(mapping.clone());
                }
            }
        })
    };

    html! {
        <section aria-labelledby="mapping-heading" data-testid="mapping">
            <h2 id="mapping-heading">{ "How your files are mapped" }</h2>
            <p>{ "Waymark recognised each file and column below. Change anything that is wrong, then apply: the files are read again with your choices. Columns left as \"not used\" are ignored." }</p>
            { for files.iter().enumerate().map(|(idx, file)| {
                let table = file.table;
                let fields: Vec<&'static str> = table.map(|t| t.fields().iter().map(|f| f.name).collect()).unwrap_or_default();
                html! {
                    <fieldset class="file-mapping" data-file={file.name.clone()}>
                        <legend>{ &file.name }</legend>
                        <div class="nhsuk-form-group setting">
                            <label for={format!("table-{idx}")}>{ "Read as table" }</label>
                            <select class="nhsuk-select" id={format!("table-{idx}")} onchange={update(idx, Rc::new(|f: &mut FileMapping, v: String| { f.table = TableKind::from_name(&v); f.columns.clear(); }))}>
                                <option value="" selected={table.is_none()}>{ "not recognised: choose a table" }</option>
                                { for TableKind::ALL.iter().map(|t| html! { <option value={t.name()} selected={table == Some(*t)}>{ t.name() }</option> }) }
                            </select>
                        </div>
                        <div class="nhsuk-form-group setting">
                            <label for={format!("encoding-{idx}")}>{ "Text encoding" }</label>
                            <select class="nhsuk-select" id={format!("encoding-{idx}")} onchange={update(idx, Rc::new(|f: &mut FileMapping, v: String| {
                                f.encoding = ENCODINGS.iter().map(|(e, _)| *e).find(|e| encoding_value(*e) == v);
                            }))}>
                                <option value="" selected={file.encoding.is_none()}>{ "as detected" }</option>
                                { for ENCODINGS.iter().map(|(e, label)| html! { <option value={encoding_value(*e)} selected={file.encoding.map(encoding_value) == Some(encoding_value(*e))}>{ *label }</option> }) }
                            </select>
                        </div>
                        <div class="nhsuk-form-group setting">
                            <label for={format!("delimiter-{idx}")}>{ "Columns are separated by" }</label>
                            <select class="nhsuk-select" id={format!("delimiter-{idx}")} onchange={update(idx, Rc::new(|f: &mut FileMapping, v: String| {
                                f.delimiter = DELIMITERS.iter().map(|(c, _)| *c).find(|c| c.to_string() == v);
                            }))}>
                                <option value="" selected={file.delimiter.is_none()}>{ "as detected" }</option>
                                { for DELIMITERS.iter().map(|(c, label)| html! { <option value={c.to_string()} selected={file.delimiter == Some(*c)}>{ *label }</option> }) }
                            </select>
                        </div>
                        <div class="nhsuk-form-group setting">
                            <label for={format!("dates-{idx}")}>{ "Dates are written" }</label>
                            <select class="nhsuk-select" id={format!("dates-{idx}")} onchange={update(idx, Rc::new(|f: &mut FileMapping, v: String| {
                                f.date_order = match v.as_str() { "day_first" => Some(DateOrder::DayFirst), "month_first" => Some(DateOrder::MonthFirst), _ => None };
                            }))}>
                                <option value="" selected={file.date_order.is_none()}>{ "as detected" }</option>
                                <option value="day_first" selected={file.date_order == Some(DateOrder::DayFirst)}>{ "day first (31/12/2025)" }</option>
                                <option value="month_first" selected={file.date_order == Some(DateOrder::MonthFirst)}>{ "month first (12/31/2025)" }</option>
                            </select>
                        </div>
                        { for props.previews.iter().filter(|p| p.file == file.name).take(1).map(preview_table) }
                        <table class="nhsuk-table columns">
                            <caption class="nhsuk-table__caption">{ format!("Columns of {}", file.name) }</caption>
                            <thead><tr><th scope="col">{ "Column in the file" }</th><th scope="col">{ "Waymark field" }</th></tr></thead>
                            <tbody>
                                { for headers.get(idx).into_iter().flatten().enumerate().map(|(c, header)| {
                                    let current = file.columns.get(header).cloned();
                                    let header_for_change = header.clone();
                                    let onchange = update(idx, Rc::new(move |f: &mut FileMapping, v: String| {
                                        if v.is_empty() { f.columns.remove(&header_for_change); } else { f.columns.insert(header_for_change.clone(), v); }
                                    }));
                                    let id = format!("column-{idx}-{c}");
                                    html! {
                                        <tr>
                                            <th scope="row"><label class="nhsuk-label" for={id.clone()}>{ header }</label></th>
                                            <td><select class="nhsuk-select" id={id} {onchange}>
                                                <option value="" selected={current.is_none()}>{ "not used" }</option>
                                                { for fields.iter().map(|f| html! { <option value={*f} selected={current.as_deref() == Some(*f)}>{ *f }</option> }) }
                                            </select></td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                        { value_tables(idx, props.validation.files.get(idx).map_or(&[][..], |f| f.values.as_slice()), &values, &props.measures, &props.status_orders) }
                    </fieldset>
                }
            }) }
            <div class="settings-actions">
                <button type="button" class="nhsuk-button" id="apply-mapping" onclick={on_apply}>{ "Apply this mapping" }</button>
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_export}>{ "Export mapping (JSON)" }</button>
            </div>
            <div class="settings-actions">
                <label class="nhsuk-label" for="profile-name">{ "Save as a named profile in this browser" }</label>
                <input class="nhsuk-input" id="profile-name" type="text" value={(*profile_name).clone()} oninput={on_name} />
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_save_profile}>{ "Save profile" }</button>
                <label class="nhsuk-label" for="mapping-import">{ "Use a mapping file (JSON) someone shared" }</label>
                <input class="nhsuk-file-upload" id="mapping-import" type="file" accept=".json,application/json" onchange={on_import} />
                if let Some(error) = (*import_error).clone() {
                    <p class="nhsuk-error-message" role="alert">{ error }</p>
                }
                if !profiles.is_empty() {
                    <label class="nhsuk-label" for="profile-use">{ "Use a saved profile" }</label>
                    <select class="nhsuk-select" id="profile-use" onchange={on_use_profile}>
                        <option value="" selected=true>{ "Choose…" }</option>
                        { for profiles.keys().map(|name| html! { <option value={name.clone()}>{ name }</option> }) }
                    </select>
                }
            </div>
        </section>
    }
}

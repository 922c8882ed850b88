//! Runs the core's pipeline for the app: ingest files, analyse, report. Kept apart from the
//! components so that re-running with a new filter or restored settings is one call.

use crate::state::Loaded;
use std::rc::Rc;
use waymark_core::config::{analyse_dataset, Config};
use waymark_core::{ingest, Dataset, InputFile, ValidationReport};

/// Named file contents, kept for the demo data so a new mapping can be applied at once; empty
/// for the user's own files, which are streamed and not kept.
pub type Files = Rc<Vec<(String, Vec<u8>)>>;

fn measure_errors(errors: Vec<waymark_core::measures::MeasureConfigError>) -> String {
    format!(
        "The measure settings are not valid: {}",
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// Reads, validates and analyses the files with the given settings.
pub fn load(source: String, files: Files, config: Config) -> Result<Loaded, String> {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let ingested = ingest(&inputs, &config.mapping);
    from_ingested(source, files.clone(), ingested, config)
}

/// Analyses files already read (by the streaming loader, or by [`load`]).
pub fn from_ingested(
    source: String,
    files: Files,
    ingested: waymark_core::Ingested,
    config: Config,
) -> Result<Loaded, String> {
    analysed(
        source,
        files,
        Rc::new(ingested.dataset),
        Rc::new(ingested.report),
        config,
    )
}

/// The one step from an ingested dataset to what the views show: every path (a new load, a
/// new filter or settings, a widget) goes through it.
pub fn analysed(
    source: String,
    files: Files,
    dataset: Rc<Dataset>,
    validation: Rc<ValidationReport>,
    config: Config,
) -> Result<Loaded, String> {
    let evidence =
        analyse_dataset(&dataset, (*validation).clone(), &config).map_err(measure_errors)?;
    Ok(Loaded {
        source,
        report: Rc::new(evidence.report),
        validation,
        analysis: evidence.analysis.map(Rc::new),
        value: evidence.value.and_then(Result::ok).map(Rc::new),
        dataset,
        files,
        handles: Rc::new(Vec::new()),
        config: Rc::new(config),
    })
}

/// Re-runs the analysis with new settings, re-reading the files only when the mapping changed.
pub fn reanalyse(loaded: &Loaded, config: Config) -> Result<Loaded, String> {
    if config.mapping != loaded.config.mapping {
        if loaded.files.is_empty() {
            return Err("These settings map the files differently: apply them from the Data quality view, which reads your files again.".to_string());
        }
        return load(loaded.source.clone(), loaded.files.clone(), config);
    }
    let next = analysed(
        loaded.source.clone(),
        loaded.files.clone(),
        loaded.dataset.clone(),
        loaded.validation.clone(),
        config,
    )?;
    Ok(Loaded {
        handles: loaded.handles.clone(),
        ..next
    })
}

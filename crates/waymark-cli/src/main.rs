//! `waymark`: CSV exports in, validation, the report and the governance pack out.
//!
//! A thin shell over `waymark-core`: it reads files, calls the core, writes results, and maps
//! outcomes to exit codes (0 when the verdict is ready or ready with problems, 1 when the data
//! cannot be analysed, 2 usage or file-system problems).

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use waymark_core::config::{analyse_and_report, Config, Evidence};
use waymark_core::demo::{self, DemoParams};
use waymark_core::ingest::formats::ExportFormat;
use waymark_core::ingest::value_map::MeaningFrom;
use waymark_core::ingest::workbook::is_workbook;
use waymark_core::ingest::{IngestRules, IngestSession};
use waymark_core::{Ingested, MappingConfig};

#[derive(Parser)]
#[command(
    name = "waymark",
    version,
    about = "Turn community mental health exports into commissionable evidence, on your own machine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check CSV exports and list every issue with its file, line and column
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Mapping file (TOML): tables, column names, date order
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Configuration file (TOML): its measures are used for score ranges, its analysis
        /// settings for the event types and indicators counted; its [mapping] section is
        /// used unless --mapping is given
        #[arg(long)]
        config: Option<PathBuf>,
        /// Read the files with a format profile (mhsds_v6, outcomes_star), as `format` in the
        /// mapping does
        #[arg(long, value_parser = parse_profile)]
        profile: Option<ExportFormat>,
    },
    /// Build the report (data summary and validation) as JSON or HTML
    Report {
        #[command(flatten)]
        input: AnalysisInput,
        #[arg(long, value_enum)]
        format: Format,
        /// Output file; standard output when absent
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Build the governance pack (per team and per care coordinator: caseload, crisis and
    /// engagement trends, overdue reviews, early warnings, static plans, reviews leading to
    /// action), always under disclosure control
    Governance {
        #[command(flatten)]
        input: AnalysisInput,
        #[arg(long, value_enum, default_value_t = Format::Html)]
        format: Format,
        /// Output file; standard output when absent
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write the synthetic demo dataset (six CSV files) into a directory
    Demo {
        out_dir: PathBuf,
        #[arg(long, default_value_t = 300)]
        people: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// What every analysing command reads: the data and the settings.
#[derive(Args)]
struct AnalysisInput {
    /// CSV files, or directories standing for the .csv files in them
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Configuration file (TOML); its [mapping] section is a mapping file
    #[arg(long)]
    config: Option<PathBuf>,
    /// Mapping file (TOML), instead of the config's [mapping] section
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// The date the analysis treats as today (YYYY-MM-DD)
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Read the files with a format profile (mhsds_v6, outcomes_star), as `format` in the
    /// mapping does
    #[arg(long, value_parser = parse_profile)]
    profile: Option<ExportFormat>,
}

fn parse_profile(key: &str) -> std::result::Result<ExportFormat, String> {
    ExportFormat::ALL
        .into_iter()
        .find(|f| f.key() == key.trim().replace('-', "_"))
        .ok_or_else(|| {
            let keys: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.key()).collect();
            format!(
                "not a format profile Waymark knows; use one of {}",
                keys.join(", ")
            )
        })
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Html,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("waymark: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The configuration file (or the defaults), with a mapping file's mapping in place of its own.
fn load_config(
    config: Option<PathBuf>,
    mapping: Option<PathBuf>,
    profile: Option<ExportFormat>,
) -> Result<Config> {
    let mut config = match config {
        Some(path) => read_toml::<Config>(&path)?,
        None => Config::default(),
    };
    if let Some(path) = mapping {
        config.mapping = read_mapping(Some(&path))?;
    }
    if profile.is_some() {
        config.mapping.format = profile;
    }
    // A value choice naming nothing Waymark knows would otherwise be read as "as written".
    if let Err(errors) = config.mapping.check_values() {
        let messages: Vec<String> = errors.into_iter().map(|e| e.message).collect();
        bail!("the mapping cannot be used:\n  {}", messages.join("\n  "));
    }
    Ok(config)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Validate {
            files,
            mapping,
            config,
            profile,
        } => {
            let config = load_config(config, mapping, profile)?;
            let ingested = ingest_paths(&files, &config)?;
            print_validation(&ingested);
            Ok(usable_code(&ingested))
        }
        Command::Report {
            input,
            format,
            output,
        } => {
            let (evidence, code) = run_pipeline(input)?;
            let text = match format {
                Format::Json => evidence.report.to_json(),
                Format::Html => evidence.report.to_html(),
            };
            write_output(output, text)?;
            Ok(code)
        }
        Command::Governance {
            input,
            format,
            output,
        } => {
            let (evidence, code) = run_pipeline(input)?;
            let Some(pack) = evidence.governance else {
                bail!("no governance pack: the data have no people to analyse");
            };
            let text = match format {
                Format::Json => pack.to_json(),
                Format::Html => pack.to_html(),
            };
            write_output(output, text)?;
            Ok(code)
        }
        Command::Demo {
            out_dir,
            people,
            seed,
        } => {
            let params = DemoParams {
                n_people: people,
                seed,
                ..DemoParams::default()
            };
            let dataset = demo::generate(&params);
            std::fs::create_dir_all(&out_dir)
                .with_context(|| format!("cannot create {}", out_dir.display()))?;
            for file in &dataset.files {
                let path = out_dir.join(file.name);
                std::fs::write(&path, &file.csv)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                println!("wrote {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads the files and runs the one pipeline; the exit code says whether the data are usable.
fn run_pipeline(input: AnalysisInput) -> Result<(Evidence, ExitCode)> {
    let mut config = load_config(input.config, input.mapping, input.profile)?;
    if input.as_of.is_some() {
        config.analysis.reference_date = input.as_of;
    }
    let ingested = ingest_paths(&input.files, &config)?;
    let code = usable_code(&ingested);
    let evidence = analyse_and_report(ingested, &config).map_err(|errors| {
        anyhow::anyhow!(
            "the configuration is not valid:\n  {}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n  ")
        )
    })?;
    Ok((evidence, code))
}

/// Each directory replaced by the `.csv` files directly in it, in name order.
fn expand_dirs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                p.is_file() && (name.to_ascii_lowercase().ends_with(".csv") || is_workbook(&name))
            })
            .collect();
        if found.is_empty() {
            bail!(
                "{} holds no .csv or workbook (.xlsx, .xlsm, .xls, .ods) files",
                path.display()
            );
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

fn write_output(output: Option<PathBuf>, text: String) -> Result<()> {
    match output {
        Some(path) => {
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        // A reader that stops early (`| head`) is not an error.
        None => match writeln!(std::io::stdout().lock(), "{text}") {
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            result => result.context("cannot write to standard output"),
        },
    }
}

/// 0 when the verdict is ready or ready with problems, 1 when the data cannot be analysed.
fn usable_code(ingested: &Ingested) -> ExitCode {
    if ingested.report.can_be_analysed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let original = match toml::from_str(&text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    // A TOML date written bare (`period_to = 2026-03-31`) arrives as a TOML datetime, not the
    // text the settings read: try again with every datetime as text. The first error (with its
    // line and column) is the one reported if that fails too.
    toml::from_str::<toml::Value>(&text)
        .ok()
        .map(datetimes_as_text)
        .and_then(|value| T::deserialize(value).ok())
        .ok_or(original)
        .with_context(|| format!("{} is not a valid configuration file", path.display()))
}

fn datetimes_as_text(value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Datetime(date) => toml::Value::String(date.to_string()),
        toml::Value::Array(items) => {
            toml::Value::Array(items.into_iter().map(datetimes_as_text).collect())
        }
        toml::Value::Table(table) => toml::Value::Table(
            table
                .into_iter()
                .map(|(key, value)| (key, datetimes_as_text(value)))
                .collect(),
        ),
        other => other,
    }
}

fn read_mapping(path: Option<&Path>) -> Result<MappingConfig> {
    path.map_or_else(|| Ok(MappingConfig::default()), read_toml)
}

/// Reads each file in slices into one ingestion session, so no file is ever held whole. The
/// configuration's measures set the score ranges checked.
/// A directory stands for the `.csv` files directly in it (see [`expand_dirs`]).
fn ingest_paths(paths: &[PathBuf], config: &Config) -> Result<Ingested> {
    let mut session =
        IngestSession::with_rules(config.mapping.clone(), IngestRules::from_config(config));
    let mut buffer = vec![0u8; 1 << 20];
    for path in &expand_dirs(paths)? {
        let mut file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        session.begin_file(&name, size);
        loop {
            let read = file
                .read(&mut buffer)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if read == 0 {
                break;
            }
            session.push(&buffer[..read]);
        }
        session.end_file();
    }
    Ok(session.finish())
}

fn print_validation(ingested: &Ingested) {
    let report = &ingested.report;
    println!("{}", report.verdict.headline);
    if !report.problems.is_empty() {
        println!();
        println!("Problems that change the results:");
        for problem in &report.problems {
            println!("  - {}", problem.message);
        }
    }
    println!();
    for file in &report.files {
        match (file.table, file.readable) {
            (Some(table), true) => println!(
                "{}: {} table, {}, {}-separated, header on line {}; {} rows read, {} accepted, {} rejected",
                file.name,
                table.name(),
                file.encoding.map_or("?", |e| e.label()),
                file.delimiter.as_deref().unwrap_or("?"),
                file.header_line.unwrap_or(0),
                file.rows_read,
                file.rows_accepted,
                file.rows_rejected
            ),
            (None, true) => println!(
                "{}: read to look things up, {} rows; no table of its own (see the notes below)",
                file.name, file.rows_read
            ),
            _ => println!("{}: not read (see the errors below)", file.name),
        }
        // Each value as written in a coded column, and what it counts as (the value mapping's
        // view).
        for value in &file.values {
            let rows = if value.rows == 1 { "row" } else { "rows" };
            let from = match value.from {
                MeaningFrom::Mapping => " (your mapping)",
                MeaningFrom::Profile => " (the format profile)",
                MeaningFrom::BuiltIn => "",
            };
            let what = value.field.replace('_', " ");
            match &value.meaning {
                Some(meaning) => println!(
                    "    {what} \"{}\" ({} {rows}): counted as {meaning}{from}",
                    value.value, value.rows
                ),
                None => println!(
                    "    {what} \"{}\" ({} {rows}): not counted{from}",
                    value.value, value.rows
                ),
            }
        }
    }
    println!();
    for table in &report.tables {
        if table.rows > 0 {
            println!("{:>9} {} rows", table.table.name(), table.rows);
        }
    }
    if !report.issues.is_empty() {
        println!();
        for issue in &report.issues {
            println!("{issue}");
        }
    }
    println!();
    println!(
        "{} error(s), {} warning(s), {} note(s)",
        report.n_errors, report.n_warnings, report.n_notes
    );
    // Repeated at the end, where a long list of issues leaves the reader.
    println!("{}", report.verdict.headline);
}

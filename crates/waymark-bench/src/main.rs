//! `waymark-bench`: measures ingestion on the generated 1M-row events file (natively).
//!
//! Throughput is file bytes divided by the median wall time of several runs; peak memory is
//! the allocator's high-water mark during one run, minus what was live before it, so it
//! counts the decoded text (if any), staging and the final columns, but not the input bytes
//! the caller already held. Figures are written to docs/performance.md by hand.
//!
//! Two ways in are measured: `ingest` on whole files, and an `IngestSession` fed 1 MiB
//! slices copied into one reused buffer, as the web app reads a large file. For the
//! streaming case the peak is also given without that buffer: the session alone, which is
//! what a browser holds besides the slice it has just read.

#![allow(unsafe_code)] // a counting global allocator must implement the unsafe GlobalAlloc trait

use clap::Parser;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use waymark_core::analysis::{analyse, AnalysisConfig};
use waymark_core::demo::{self, DemoParams};
use waymark_core::ingest::IngestSession;
use waymark_core::measures::MeasureCatalogue;
use waymark_core::report::Report;
use waymark_core::value::{cost_avoidance, ValueConfig};
use waymark_core::{ingest, Ingested, InputFile, MappingConfig};

/// Counts live heap bytes and their peak; delegates the allocation itself to the system.
struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_ptr = unsafe { System.realloc(ptr, layout, new_size) };
        if !new_ptr.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new_ptr
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[derive(Parser)]
#[command(about = "Benchmark Waymark ingestion on generated data")]
struct Args {
    /// Event rows to generate (the people needed are derived from this)
    #[arg(long, default_value_t = 1_000_000)]
    event_rows: usize,
    /// Timed runs; the median is reported
    #[arg(long, default_value_t = 5)]
    runs: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also write the generated files here (for the WebAssembly benchmark)
    #[arg(long)]
    write_dir: Option<std::path::PathBuf>,
}

fn main() {
    let args = Args::parse();
    // The generator's rows per person is an average: scale once so the file has at least the
    // rows asked for.
    let mut people = demo::people_for_event_rows(args.event_rows);
    let mut data = demo::generate(&DemoParams {
        n_people: people,
        seed: args.seed,
        ..DemoParams::default()
    });
    let rows = data
        .file("events.csv")
        .map_or(0, |f| f.csv.lines().count().saturating_sub(1));
    if rows < args.event_rows && rows > 0 {
        people = people * args.event_rows / rows + 1;
        data = demo::generate(&DemoParams {
            n_people: people,
            seed: args.seed,
            ..DemoParams::default()
        });
    }
    if let Some(dir) = &args.write_dir {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
        for file in &data.files {
            std::fs::write(dir.join(file.name), &file.csv)
                .unwrap_or_else(|err| panic!("cannot write {}: {err}", file.name));
        }
    }
    let events = data
        .file("events.csv")
        .map(|f| f.csv.as_bytes())
        .unwrap_or_default();
    let all = data.input_files();
    let all_bytes: usize = all.iter().map(|f| f.bytes.len()).sum();

    println!(
        "generated {people} people; events.csv {:.1} MB; all six files {:.1} MB",
        mb(events.len()),
        mb(all_bytes)
    );
    let events_alone = [InputFile {
        name: "events.csv",
        bytes: events,
    }];
    for (label, files) in [
        ("events.csv alone", &events_alone[..]),
        ("all six files (with cross-table checks)", &all[..]),
    ] {
        let whole = measure(files, args.runs, |files| {
            ingest(files, &MappingConfig::default())
        });
        whole.print(&format!("{label}, whole"), None);
        let streamed = measure(files, args.runs, stream);
        streamed.print(&format!("{label}, streamed in 1 MiB slices"), Some(CHUNK));
    }
    time_engines(&all, args.runs);
}

/// Median wall time of each engine on the ingested six files (ingestion excluded): the
/// direction-of-travel analysis (which includes the pathway comparison), cost avoidance with
/// its 1,000 bootstrap resamples, and building the disclosure-controlled report.
fn time_engines(files: &[InputFile<'_>], runs: usize) {
    let ingested = ingest(files, &MappingConfig::default());
    let catalogue = MeasureCatalogue::defaults();
    let analysis_config = AnalysisConfig {
        reference_date: Some(DemoParams::default().reference_date),
        ..AnalysisConfig::default()
    };
    let median = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let (mut direction, mut value, mut report) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let analysis = analyse(&ingested.dataset, &analysis_config, &catalogue);
        direction.push(start.elapsed().as_secs_f64());
        let value_config = ValueConfig {
            reference_date: analysis_config.reference_date,
            ..ValueConfig::default()
        };
        let start = Instant::now();
        let cost = cost_avoidance(&ingested.dataset, &value_config).map_err(|e| e.to_string());
        value.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let built = Report::build(
            &ingested.dataset,
            &ingested.report,
            analysis.as_ref(),
            Some(&cost),
            waymark_core::disclosure::Disclosure::Controlled,
            &Default::default(),
            &Default::default(),
        );
        std::hint::black_box(built.to_json());
        report.push(start.elapsed().as_secs_f64());
    }
    println!(
        "engines on {} event rows (median of {}): direction of travel incl. pathways {:.3} s; cost avoidance with {} bootstrap resamples {:.3} s; report built and serialised {:.3} s",
        ingested.dataset.events.person.len(),
        runs.max(1),
        median(direction),
        ValueConfig::default().bootstrap_resamples,
        median(value),
        median(report)
    );
}

/// The slice size the web app reads a large file in.
const CHUNK: usize = 1 << 20;

/// Feeds each file to a session in slices copied into one reused buffer, as a browser would.
fn stream(files: &[InputFile<'_>]) -> Ingested {
    let mut session = IngestSession::new(MappingConfig::default());
    let mut slice = Vec::with_capacity(CHUNK);
    for file in files {
        session.begin_file(file.name, Some(file.bytes.len() as u64));
        for chunk in file.bytes.chunks(CHUNK) {
            slice.clear();
            slice.extend_from_slice(chunk);
            session.push(&slice);
        }
        session.end_file();
    }
    session.finish()
}

struct Measured {
    bytes: usize,
    rows: usize,
    times: Vec<f64>,
    /// Heap high-water mark above what was live before the run.
    peak_extra: usize,
}

fn measure(
    files: &[InputFile<'_>],
    runs: usize,
    run: impl Fn(&[InputFile<'_>]) -> Ingested,
) -> Measured {
    let mut measured = Measured {
        bytes: files.iter().map(|f| f.bytes.len()).sum(),
        rows: 0,
        times: Vec::with_capacity(runs),
        peak_extra: 0,
    };
    for _ in 0..runs.max(1) {
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let ingested = run(files);
        measured.times.push(start.elapsed().as_secs_f64());
        measured.peak_extra = PEAK.load(Ordering::Relaxed) - before;
        measured.rows = ingested.dataset.events.person.len();
        assert_eq!(ingested.report.n_errors, 0, "generated data must be clean");
    }
    measured.times.sort_by(f64::total_cmp);
    measured
}

impl Measured {
    /// `slice`: the reused read buffer counted in the peak, given separately.
    fn print(&self, label: &str, slice: Option<usize>) {
        let median = self.times[self.times.len() / 2];
        let bytes = self.bytes as f64;
        let ratio = |extra: usize| extra as f64 / bytes;
        println!(
            "{label}: {} event rows, {:.1} MB in {:.3} s (median of {}; fastest {:.3} s) = {:.0} MB/s",
            self.rows,
            mb(self.bytes),
            median,
            self.times.len(),
            self.times[0],
            mb(self.bytes) / median,
        );
        println!(
            "    peak memory {:.1} MB above the input = {:.2}x the file, {:.2}x counting the input bytes",
            mb(self.peak_extra),
            ratio(self.peak_extra),
            ratio(self.peak_extra + self.bytes),
        );
        if let Some(slice) = slice {
            let session = self.peak_extra.saturating_sub(slice);
            println!(
                "    the session alone {:.1} MB = {:.2}x the file; with one {:.0} MiB slice {:.2}x",
                mb(session),
                ratio(session),
                slice as f64 / f64::from(1 << 20),
                ratio(session + slice),
            );
        }
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

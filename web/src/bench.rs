//! Measurement for the benchmarks (`tests/bench/app-load.mjs`), kept out of the product: built
//! only with the `bench` cargo feature (`WAYMARK_WEB_FEATURES=bench scripts/build-web`). Without
//! it every function here does nothing and nothing is measured; the engine's protocol
//! (`engine::protocol`), the snapshot and the page carry no timings either way.
//!
//! With the feature, the engine times each load (reading, of which parsing, and analysing) and
//! notes its WebAssembly memory; from a worker it posts them to the page on a channel of their
//! own (a plain object `{waymarkBench: [...]}`, never a `Response`), sent just before the
//! analysis they measure. The page times its decoding of each analysis and writes the figures
//! on `<main id="main">`, for the benchmark to read:
//!
//! - `data-engine-seconds`: "READ PARSE ANALYSE DECODE", seconds;
//! - `data-engine-bytes`: the engine's WebAssembly memory (its high-water mark);
//! - `data-wasm-bytes`: the page's WebAssembly memory.

/// The clock of one load: when reading began and how long parsing took, in milliseconds.
#[derive(Debug, Default, Clone, Copy)]
pub struct LoadClock {
    #[cfg(feature = "bench")]
    started_ms: f64,
    #[cfg(feature = "bench")]
    parse_ms: f64,
}

impl LoadClock {
    /// Reading begins now.
    pub fn start() -> LoadClock {
        LoadClock {
            #[cfg(feature = "bench")]
            started_ms: js_sys::Date::now(),
            #[cfg(feature = "bench")]
            parse_ms: 0.0,
        }
    }

    /// Runs `parse`, counting its time as parsing.
    pub fn parsing<T>(&mut self, parse: impl FnOnce() -> T) -> T {
        #[cfg(feature = "bench")]
        {
            let started = js_sys::Date::now();
            let out = parse();
            self.parse_ms += js_sys::Date::now() - started;
            out
        }
        #[cfg(not(feature = "bench"))]
        parse()
    }

    /// Seconds reading (so far) and, of those, parsing.
    pub fn read_and_parse_seconds(&self) -> (f64, f64) {
        #[cfg(feature = "bench")]
        {
            let now = js_sys::Date::now();
            ((now - self.started_ms) / 1000.0, self.parse_ms / 1000.0)
        }
        #[cfg(not(feature = "bench"))]
        (0.0, 0.0)
    }
}

/// A moment, in milliseconds (0 without the feature).
pub fn now_ms() -> f64 {
    #[cfg(feature = "bench")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "bench"))]
    0.0
}

/// Size of this module's WebAssembly memory (it never shrinks, so after a load it is the
/// high-water mark).
#[cfg(feature = "bench")]
fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map_or(0.0, |b| f64::from(b.byte_length()))
        })
        .unwrap_or(0.0)
}

/// The engine has analysed a load (`read_parse`: from [`LoadClock`], zero when nothing was
/// read; `analyse_started_ms`: from [`now_ms`]): posts the figures to the page, or writes
/// them when the engine runs in the page. Call before sending the analysis.
pub fn engine_measured(read_parse: (f64, f64), analyse_started_ms: f64) {
    #[cfg(feature = "bench")]
    {
        use wasm_bindgen::JsCast;
        let analyse = (js_sys::Date::now() - analyse_started_ms) / 1000.0;
        let figures = [read_parse.0, read_parse.1, analyse, wasm_memory_bytes()];
        match js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
            Ok(scope) => {
                let message = js_sys::Object::new();
                let values = js_sys::Float64Array::from(&figures[..]);
                let _ = js_sys::Reflect::set(&message, &"waymarkBench".into(), &values);
                let _ = scope.post_message(&message);
            }
            Err(_) => show_engine(figures),
        }
    }
    #[cfg(not(feature = "bench"))]
    let _ = (read_parse, analyse_started_ms);
}

/// A message from the worker on the benchmark's channel: shown, and `true`; `false` for any
/// other message (and always without the feature).
pub fn received(data: &wasm_bindgen::JsValue) -> bool {
    #[cfg(feature = "bench")]
    {
        use wasm_bindgen::JsCast;
        let Some(values) = js_sys::Reflect::get(data, &"waymarkBench".into())
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Float64Array>().ok())
        else {
            return false;
        };
        let v = values.to_vec();
        if let [read, parse, analyse, memory] = v[..] {
            show_engine([read, parse, analyse, memory]);
        }
        true
    }
    #[cfg(not(feature = "bench"))]
    {
        let _ = data;
        false
    }
}

/// The page has decoded a message (`analysis`: an analysis, which took since `started_ms`).
pub fn page_decoded(analysis: bool, started_ms: f64) {
    #[cfg(feature = "bench")]
    PAGE.with(|page| {
        let mut page = page.borrow_mut();
        if analysis {
            page.decode = (js_sys::Date::now() - started_ms) / 1000.0;
        }
        write(&page);
    });
    #[cfg(not(feature = "bench"))]
    let _ = (analysis, started_ms);
}

#[cfg(feature = "bench")]
#[derive(Default)]
struct Page {
    read: f64,
    parse: f64,
    analyse: f64,
    decode: f64,
    engine_bytes: f64,
}

#[cfg(feature = "bench")]
thread_local! {
    static PAGE: std::cell::RefCell<Page> = std::cell::RefCell::new(Page::default());
}

#[cfg(feature = "bench")]
fn show_engine([read, parse, analyse, engine_bytes]: [f64; 4]) {
    PAGE.with(|page| {
        let mut page = page.borrow_mut();
        (page.read, page.parse, page.analyse, page.engine_bytes) =
            (read, parse, analyse, engine_bytes);
        write(&page);
    });
}

#[cfg(feature = "bench")]
fn write(page: &Page) {
    let Some(main) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
    else {
        return;
    };
    let seconds = format!(
        "{:.3} {:.3} {:.3} {:.3}",
        page.read, page.parse, page.analyse, page.decode
    );
    let _ = main.set_attribute("data-engine-seconds", &seconds);
    let _ = main.set_attribute("data-engine-bytes", &page.engine_bytes.to_string());
    let _ = main.set_attribute("data-wasm-bytes", &wasm_memory_bytes().to_string());
}

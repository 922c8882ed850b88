//! "How your data is protected": the live Content-Security-Policy of this page, read from the
//! page itself, and how to check in the browser's developer tools that nothing is sent.

use yew::prelude::*;

fn live_policy() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[http-equiv='Content-Security-Policy']")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_else(|| "(no policy found in this page)".to_string())
}

#[function_component(Privacy)]
pub fn privacy() -> Html {
    let policy = live_policy();
    html! {
        <section aria-labelledby="view-heading" data-testid="privacy">
            <ul>
                <li>{ "Your files are read and analysed inside this browser tab, by code that was downloaded with the page. Nothing you load is sent anywhere: there is no server to send it to." }</li>
                <li>{ "The analysis runs in a background worker of this same tab (so the page stays responsive). The worker is this page's own script; the files go to it inside the browser, never over the network." }</li>
                <li>{ "The page has no analytics, no fonts or scripts from other sites, and no tracking." }</li>
                <li>{ "The browser enforces this with the Content-Security-Policy below: it forbids connections to any other site, inline scripts and code evaluation." }</li>
                <li>{ "Exports (CSV, SVG, the report) suppress counts of 1 to 7 and round other counts to the nearest 5. Person-level lists stay on screen." }</li>
            </ul>
            <h3>{ "The policy in force on this page" }</h3>
            <pre class="policy" data-testid="live-policy">{ policy }</pre>
            <h3>{ "Check it yourself" }</h3>
            <ol>
                <li>{ "Open the developer tools (F12, or Ctrl+Shift+I; on a Mac, Cmd+Option+I) and choose the Network tab." }</li>
                <li>{ "Tick \"Preserve log\", then load your files or the demo data and visit every view." }</li>
                <li>{ "Every request listed is to this page's own address, for its own files (the page, its scripts, including worker.js, its WebAssembly and its style sheet). None carries your data." }</li>
                <li>{ "You can also disconnect from the network after the page has loaded: everything keeps working." }</li>
            </ol>
        </section>
    }
}

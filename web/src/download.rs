//! Saving files the user asked for, made in the page (a Blob URL): nothing goes over the network.

use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub enum Download {
    Svg,
    Json,
    /// UTF-8 with a byte-order mark, so Excel reads accents correctly.
    Csv,
}

/// Offers `text` as a file download; failures are ignored (the page stays as it was).
pub fn download_text(name: &str, text: &str, kind: Download) {
    let (mime, body) = match kind {
        Download::Svg => ("image/svg+xml", text.to_string()),
        Download::Json => ("application/json", text.to_string()),
        Download::Csv => ("text/csv;charset=utf-8", format!("\u{feff}{text}")),
    };
    let _ = try_download(name, &body, mime);
}

fn try_download(name: &str, body: &str, mime: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}

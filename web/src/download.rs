//! Saving files the user asked for, made in the page (a Blob URL): nothing goes over the network.

use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub enum Download {
    Svg,
    Json,
    Html,
    /// UTF-8 with a byte-order mark, so Excel reads accents correctly.
    Csv,
}

/// Offers `text` as a file download; failures are ignored (the page stays as it was).
pub fn download_text(name: &str, text: &str, kind: Download) {
    let (mime, body) = match kind {
        Download::Svg => ("image/svg+xml", text.to_string()),
        Download::Json => ("application/json", text.to_string()),
        Download::Html => ("text/html;charset=utf-8", text.to_string()),
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

/// The width and height in a chart's `viewBox="0 0 W H"`.
fn view_box(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("viewBox=\"")? + "viewBox=\"".len();
    let end = start + svg[start..].find('"')?;
    let numbers: Vec<f64> = svg[start..end]
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 => Some((*w, *h)),
        _ => None,
    }
}

/// Offers a chart as a PNG at twice its drawn size: the SVG is drawn onto a canvas in the page
/// (an image from a data: URL) and saved from there; nothing leaves the browser.
pub fn download_svg_as_png(name: &str, svg: &str) {
    let _ = try_png(name, svg);
}

fn try_png(name: &str, svg: &str) -> Option<()> {
    use wasm_bindgen::closure::Closure;
    let (w, h) = view_box(svg)?;
    let sized = svg.replacen(
        "width=\"100%\"",
        &format!("width=\"{w}\" height=\"{h}\""),
        1,
    );
    let document = web_sys::window()?.document()?;
    let image: web_sys::HtmlImageElement = document.create_element("img").ok()?.dyn_into().ok()?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").ok()?.dyn_into().ok()?;
    let scale = 2.0;
    canvas.set_width((w * scale) as u32);
    canvas.set_height((h * scale) as u32);
    let name = name.to_string();
    let drawn_image = image.clone();
    let onload = Closure::once_into_js(move || {
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        let Some(context) = context else { return };
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, w * scale, h * scale);
        let _ = context.draw_image_with_html_image_element_and_dw_and_dh(
            &drawn_image,
            0.0,
            0.0,
            w * scale,
            h * scale,
        );
        let on_blob = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
            let Some(blob) = blob else { return };
            let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
                return;
            };
            let anchor = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.create_element("a").ok())
                .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
            if let Some(anchor) = anchor {
                anchor.set_href(&url);
                anchor.set_download(&name);
                anchor.click();
            }
            let _ = web_sys::Url::revoke_object_url(&url);
        });
        let _ = canvas.to_blob(on_blob.unchecked_ref());
    });
    image.set_onload(Some(onload.unchecked_ref()));
    let encoded = js_sys::encode_uri_component(&sized);
    image.set_src(&format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(encoded)
    ));
    Some(())
}

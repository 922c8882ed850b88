#!/usr/bin/env python3
"""Assembles the offline single-file build: one HTML page with the app's script, its
WebAssembly (base64) and its style sheets inlined, for use opened from disk with the network
off. Called by scripts/build-web after the no-modules build.

    python3 scripts/build-offline.py DIST_DIR  ->  DIST_DIR/waymark-offline.html

The page keeps a strict Content-Security-Policy: no 'unsafe-inline' and no 'unsafe-eval';
each inline script and the style sheet are allowed by their SHA-256 hash, WebAssembly by
'wasm-unsafe-eval', and connect-src is 'none' (the page needs no network at all). A page opened
from disk cannot start a web worker from a file, so `data-engine="inline"` asks the app to run
its engine in the page (the worker's protocol, without the worker).
"""
import base64
import hashlib
import sys
from pathlib import Path


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def main() -> None:
    dist = Path(sys.argv[1])
    app_js = (dist / "embed-app.js").read_text(encoding="utf-8")
    wasm_js = (dist / "embed-wasm.js").read_text(encoding="utf-8")
    # The NHS.UK frontend styles first, then the app's own, as in index.html.
    styles = [(dist / name).read_text(encoding="utf-8") for name in ("nhsuk.css", "style.css")]
    boot = (
        "(function(){var d=atob(self.WAYMARK_WASM_BASE64);var b=new Uint8Array(d.length);"
        "for(var i=0;i<d.length;i++)b[i]=d.charCodeAt(i);"
        "wasm_bindgen({module_or_path:b});})();"
    )
    scripts = [app_js, wasm_js, boot]
    policy = (
        "default-src 'none'; script-src " + " ".join(sha256(s) for s in scripts) + " 'wasm-unsafe-eval'; "
        "style-src " + " ".join(sha256(s) for s in styles) + "; img-src data: blob:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    # Written as text, never through an HTML parser: a "</script" inside would end the element.
    for text in scripts:
        assert "</script" not in text.lower(), "an inlined script contains </script"
    for text in styles:
        assert "</style" not in text.lower(), "an inlined style sheet contains </style"
    page = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n<title>Waymark (offline)</title>\n'
        + "".join(f"<style>{s}</style>\n" for s in styles)
        + "</head>\n"
        '<body data-waymark="app" data-engine="inline">\n<noscript>Waymark needs JavaScript and WebAssembly to analyse your files inside this browser.</noscript>\n'
        + "".join(f"<script>{s}</script>\n" for s in scripts)
        + "</body>\n</html>\n"
    )
    out = dist / "waymark-offline.html"
    out.write_text(page, encoding="utf-8")
    print(f"[build-offline] {out.name}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()

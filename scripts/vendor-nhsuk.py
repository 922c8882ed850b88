#!/usr/bin/env python3
"""Vendors the NHS.UK frontend style sheet into the app's build, served from the app itself.

    python3 scripts/vendor-nhsuk.py PACKAGE_DIR OUT_CSS

PACKAGE_DIR is the npm package nhsuk-frontend (web/node_modules/nhsuk-frontend, pinned in
web/package.json and installed by scripts/setup). The package's minified CSS asks for two
things from other hosts or paths the app does not serve:

- the Frutiger web font from assets.nhs.uk: those @font-face rules are dropped, so text falls
  back to Arial as the design system intends when the font is absent (no request may leave the
  app's origin, and the font's licence covers nhs.uk services only);
- icons at /assets/images/*.svg: each is inlined as a data: URI (the app's CSP allows data:
  images), so the style sheet works from any path and in the offline single-file build.

The build fails if any url() left points anywhere but a data: URI.
"""
import base64
import json
import re
import sys
from pathlib import Path

FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
URL = re.compile(r"url\(\s*([\"']?)([^)\"']*)\1\s*\)")


def main() -> None:
    package, out = Path(sys.argv[1]), Path(sys.argv[2])
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    dist = package / "dist" / "nhsuk"
    css = (dist / "nhsuk-frontend.min.css").read_text(encoding="utf-8")

    dropped = len(FONT_FACE.findall(css))
    css = FONT_FACE.sub(lambda m: "" if "://" in m.group(0) else m.group(0), css)

    def inline(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith("data:"):
            return match.group(0)
        if not target.startswith("/assets/images/") or not target.endswith(".svg"):
            sys.exit(f"[vendor-nhsuk] ERROR: unexpected url({target}) in nhsuk-frontend {version}")
        svg = (dist / "assets" / "images" / Path(target).name).read_bytes()
        return 'url("data:image/svg+xml;base64,' + base64.b64encode(svg).decode() + '")'

    css = URL.sub(inline, css)
    outside = [m.group(2) for m in URL.finditer(css) if not m.group(2).startswith("data:")]
    if outside or "@import" in css or re.search(r"https?://", css):
        sys.exit(f"[vendor-nhsuk] ERROR: the style sheet still refers outside the app: {outside[:3]}")
    header = (
        f"/* NHS.UK frontend {version} (MIT licence, npm package nhsuk-frontend), vendored by "
        "scripts/vendor-nhsuk.py: web-font rules dropped (text falls back to Arial), icons "
        "inlined as data: URIs. */\n"
    )
    out.write_text(header + css, encoding="utf-8")
    print(f"[vendor-nhsuk] {out.name}: nhsuk-frontend {version}, {dropped} font rules dropped, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()

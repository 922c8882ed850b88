#!/usr/bin/env python3
"""Checks a Waymark JSON report against docs/report-schema.json.

    python3 tests/reference/check_report_schema.py REPORT.json [SCHEMA.json]

REPORT.json is the output of `waymark report --format json`. SCHEMA.json defaults to
docs/report-schema.json in this repository. The script prints the jsonschema version it used,
then either "ok" or every violation with its JSON path. Exit codes: 0 valid, 1 invalid,
2 usage error or missing jsonschema package (install it with `pip install jsonschema`).

Formats are asserted ("date" must be a real calendar date), which jsonschema does not do
by default.
"""

import json
import sys
from importlib import metadata
from pathlib import Path

DEFAULT_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "report-schema.json"


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("check_report_schema: the jsonschema package is missing (pip install jsonschema)",
              file=sys.stderr)
        return 2
    print(f"jsonschema {metadata.version('jsonschema')}")

    report_path = Path(argv[1])
    schema_path = Path(argv[2]) if len(argv) == 3 else DEFAULT_SCHEMA
    try:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        print(f"check_report_schema: {err}", file=sys.stderr)
        return 2

    validator_class = jsonschema.Draft202012Validator
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    if not errors:
        print(f"ok: {report_path} matches {schema_path.name}")
        return 0
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        print(f"{report_path}: at {where}: {error.message}")
    print(f"{len(errors)} violation(s)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

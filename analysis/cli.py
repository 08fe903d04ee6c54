"""Command line: ``python -m analysis themes FILE.csv --column NAME``.

Errors a user can make (missing file or column, empty or non-UTF-8 file) give a one-line
message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from .model import ThemeModel
from .report import text_report


class InputError(Exception):
    """A problem with the user's input, reported without a traceback."""


def read_column(path: str, column: str, extra_columns=()) -> tuple[list[str], dict]:
    """Read one column (and optional others) of a UTF-8 CSV file."""
    csv.field_size_limit(10_000_000)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise InputError(f"{path} is empty: expected a header row")
            missing = [c for c in (column, *extra_columns) if c and c not in reader.fieldnames]
            if missing:
                raise InputError(
                    f"column {missing[0]!r} not found in {path}; "
                    f"columns are: {', '.join(reader.fieldnames)}"
                )
            rows = list(reader)
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text: save it as CSV UTF-8 and retry") from None
    except csv.Error as exc:
        raise InputError(f"{path} is not a readable CSV file: {exc}") from None
    texts = [row.get(column) or "" for row in rows]
    extras = {c: [row.get(c) or None for row in rows] for c in extra_columns if c}
    return texts, extras


def _positions(values):
    out = []
    for v in values:
        try:
            out.append(int(float(v)))
        except (TypeError, ValueError):
            out.append(None)
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Theme analysis of free-text answers.")
    sub = parser.add_subparsers(dest="command", required=True)
    themes = sub.add_parser("themes", help="find themes in one column of a CSV file")
    themes.add_argument("file", help="CSV file (UTF-8, with a header row)")
    themes.add_argument("--column", required=True, help="column holding the answers")
    themes.add_argument("--k", type=int, default=None, help="number of themes (default: auto)")
    themes.add_argument("--format", choices=("json", "text"), default="json")
    themes.add_argument("--output", help="write here instead of standard output")
    themes.add_argument("--segment-column", help="column with respondent segment")
    themes.add_argument("--position-column", help="column with trade-off position (-3..3)")
    themes.add_argument("--random-state", type=int, default=0)
    themes.add_argument("--no-subthemes", action="store_true", help="skip sub-themes")
    return parser


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.k is not None and args.k < 1:
            raise InputError("--k must be a positive whole number")
        texts, extras = read_column(args.file, args.column,
                                    (args.segment_column, args.position_column))
        if not texts:
            raise InputError(f"{args.file} has a header but no rows")
        segments = extras.get(args.segment_column) if args.segment_column else None
        positions = (_positions(extras[args.position_column]) if args.position_column
                     else None)
        model = ThemeModel(n_themes=args.k, random_state=args.random_state,
                           subthemes=not args.no_subthemes)
        model.fit(texts, segments=segments, positions=positions)
        if args.format == "json":
            out = json.dumps(model.to_dict(), indent=2, ensure_ascii=False) + "\n"
        else:
            out = text_report(model, source=args.file, column=args.column)
        if args.output:
            try:
                with open(args.output, "w", encoding="utf-8") as handle:
                    handle.write(out)
            except OSError as exc:
                raise InputError(f"cannot write {args.output}: {exc.strerror}") from None
        else:
            sys.stdout.write(out)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0

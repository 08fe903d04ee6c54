"""Command line: ``python -m analysis themes FILE.csv --column NAME``.

Errors a user can make (a file that is missing or cannot be read, a missing column, an empty,
non-UTF-8 or semicolon-separated file) give a one-line message on stderr and exit status 2,
never a traceback.

Trade-off positions (``--position-column``) are whole numbers from -3 to 3.  A blank cell is
no position; any other value that is not such a number ("I don't know", "2.5", "99", "inf") is
ignored like a blank, as the web app does, and the output says which rows were ignored (the
text report in a line, the JSON as ``positions_ignored``, and a warning on stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import textwrap

from .model import ThemeModel
from .report import text_report

#: Trade-off positions, as the survey's scale has them.
POSITIONS = range(-3, 4)
#: Ignored positions named one by one in the report; the rest are counted.
SHOWN_IGNORED = 5


class InputError(Exception):
    """A problem with the user's input, reported without a traceback."""


def _shown(path: str) -> str:
    """A file name as it can be shown on one line."""
    return path if path.isprintable() else repr(path)


def _semicolons(fieldnames) -> bool:
    """Whether a header read as comma-separated looks like one separated by semicolons."""
    return sum(name.count(";") for name in fieldnames if name) > len(fieldnames) - 1


def read_column(path: str, column: str, extra_columns=()) -> tuple[list[str], dict]:
    """Read one column (and optional others) of a UTF-8 CSV file.

    Extra columns given as None are skipped; an empty name is a column like any other (and is
    not found unless the header has an unnamed column).
    """
    csv.field_size_limit(10_000_000)
    extra_columns = [c for c in extra_columns if c is not None]
    name = _shown(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise InputError(f"{name} is empty: expected a header row")
            missing = [c for c in (column, *extra_columns) if c not in reader.fieldnames]
            if missing and _semicolons(reader.fieldnames):
                raise InputError(
                    f"column {missing[0]!r} not found in {name}: the file seems to use "
                    "semicolons between columns; save it as comma-separated CSV (CSV UTF-8) "
                    "and retry"
                )
            if missing:
                raise InputError(
                    f"column {missing[0]!r} not found in {name}; "
                    f"columns are: {', '.join(reader.fieldnames)}"
                )
            rows = list(reader)
    except FileNotFoundError:
        raise InputError(f"file not found: {name}") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a directory, not a CSV file") from None
    except PermissionError:
        raise InputError(f"cannot read {name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text: save it as CSV UTF-8 and retry") from None
    except csv.Error as exc:
        raise InputError(f"{name} is not a readable CSV file: {exc}") from None
    texts = [row.get(column) or "" for row in rows]
    extras = {c: [row.get(c) or None for row in rows] for c in extra_columns}
    return texts, extras


def _position(value) -> int | None:
    """A cell as a trade-off position: a whole number from -3 to 3 ("2", "+2", "2.0"), else
    None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not number.is_integer() or int(number) not in POSITIONS:  # also NaN and infinities
        return None
    return int(number)


def _positions(values) -> tuple[list[int | None], list[int]]:
    """Positions of the cells, and the rows (0-based) of cells that are not blank but hold no
    position: those are ignored, as blanks are, and reported."""
    out, ignored = [], []
    for row, value in enumerate(values):
        position = _position(value)
        out.append(position)
        if position is None and value is not None and value.strip():
            ignored.append(row)
    return out, ignored


def _ignored_note(column: str, rows: list[int], values) -> str:
    """One line naming the rows whose position was ignored (row 1 of the file is the header)."""
    def cell(row):
        short = textwrap.shorten(values[row], 30, placeholder="...") or values[row][:30]
        return json.dumps(short, ensure_ascii=False)

    shown = ", ".join(f"row {row + 2} ({cell(row)})" for row in rows[:SHOWN_IGNORED])
    more = f" and {len(rows) - SHOWN_IGNORED} more" if len(rows) > SHOWN_IGNORED else ""
    answers = "1 answer" if len(rows) == 1 else f"{len(rows)} answers"
    return (f"Positions in {column!r} ignored for {answers}, not a whole number from -3 to 3: "
            f"{shown}{more} (row 1 is the header).")


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
            raise InputError(f"{_shown(args.file)} has a header but no rows")
        segments = extras[args.segment_column] if args.segment_column is not None else None
        positions, ignored, notes = None, [], []
        if args.position_column is not None:
            positions, ignored = _positions(extras[args.position_column])
            if ignored:
                notes.append(_ignored_note(args.position_column, ignored,
                                           extras[args.position_column]))
                print(f"warning: {notes[-1]}", file=sys.stderr)
        model = ThemeModel(n_themes=args.k, random_state=args.random_state,
                           subthemes=not args.no_subthemes)
        model.fit(texts, segments=segments, positions=positions)
        if args.format == "json":
            result = model.to_dict()
            if positions is not None:
                result["positions_ignored"] = ignored
            out = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        else:
            out = text_report(model, source=args.file, column=args.column, notes=notes)
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

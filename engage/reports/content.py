"""What the report says, as a list of simple blocks that the DOCX and PDF renderers both draw.

Keeping the words here means the two formats cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from surveys.report_data import Report, ThemeSection

from . import charts
from .style import agreement_words, clean, count_text, lower_first, percent, plural

SUBTITLE = "Theme summary report"


@dataclass
class Title:
    title: str
    subtitle: str
    facts: list[str]
    note: str


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Para:
    text: str
    lead: str = ""  # bold words before the text
    muted: bool = False


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Quote:
    text: str


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    #: Relative column widths.
    widths: list[float]
    #: Columns of numbers, aligned right.
    numeric: set[int] = field(default_factory=set)


@dataclass
class Figure:
    chart: charts.Chart
    caption: str


@dataclass
class PageBreak:
    pass


@dataclass
class Keep:
    """Blocks kept on one page (a heading with its chart)."""

    blocks: list


Block = Title | Heading | Para | Bullets | Quote | Table | Figure | PageBreak | Keep


def _date(d) -> str:
    return f"{d.day} {d:%B %Y}"


def build(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Title(clean(report.consultation_title), SUBTITLE, [
            _date(report.generated),
            f"{plural(report.responses, 'response')} · {plural(report.written_answers, 'written answer')}",
            f"{plural(len(report.themes), 'theme')}",
        ], f"Analysis {report.run_id}. Every quote in this report has had personal details removed. "
           f"No group of fewer than {report.minimum} people is broken down."),
        PageBreak(),
    ]
    blocks += _summary(report)
    blocks += _method(report)
    blocks += _themes(report)
    blocks += _tradeoffs(report)
    return blocks


def _summary(report: Report) -> list[Block]:
    out: list[Block] = [Heading("Summary")]
    shown = [t for t in report.themes if t.size > 0]
    if not shown:
        return [*out, Para("No answers were placed in a theme.")]
    biggest = shown[:3]
    names = ", ".join(f"“{clean(t.label)}” ({plural(t.size, 'answer')})" for t in biggest)
    out.append(Para(
        f"{plural(report.responses, 'person', 'people')} took part and wrote "
        f"{plural(report.written_answers, 'answer')} to the questions analysed. We found "
        f"{plural(len(report.themes), 'theme')} in what they wrote. The largest "
        f"{'was' if len(biggest) == 1 else 'were'} {names}."))
    seg_names = [s.name for s in report.segments]
    header = ["Theme", "Answers", "Share", *seg_names]
    rows = [[clean(t.label), f"{t.size:,}", percent(t.share),
             *[count_text(t.segments.get(s.key), report.minimum) for s in report.segments]]
            for t in report.themes]
    widths = [2.7, 0.95, 0.8, *[1.25] * len(seg_names)]
    out += [
        Heading("Themes at a glance", 2),
        Para(f"Share is of the {report.placed:,} answers placed in a theme. The last columns show who "
             f"wrote the answers; “fewer than {report.minimum}” hides groups small enough to single "
             f"someone out.", muted=True),
        Table(header, rows, widths, numeric=set(range(1, len(header)))),
        Figure(charts.theme_sizes(report.themes), "Number of answers in each theme"),
    ]
    return out


def _method(report: Report) -> list[Block]:
    k = len(report.themes)
    out: list[Block] = [
        Heading("How we did this"),
        Para(f"{plural(report.responses, 'person', 'people')} sent in their answers. We analysed "
             f"{plural(report.written_answers, 'written answer')} to "
             f"{'this question' if len(report.questions) == 1 else 'these questions'}:"),
        Bullets([clean(q) for q in report.questions]),
        Para("Before any analysis, personal details such as names, phone numbers and email addresses "
             "were removed from every answer and replaced with a placeholder. Only these redacted "
             "answers were analysed, and every quote in this report is redacted.",
             lead="Personal details removed. "),
        Para("A computer program grouped answers that say similar things into themes. It learns which "
             "words are used in the same way from the answers themselves, so that “wait” and “delay” "
             "count as close, weighs the words that set an answer apart, and then gathers similar "
             "answers together (clustering). The analysis ran inside Engage; no answers were sent to "
             f"an outside company. It placed {report.placed:,} of the {report.written_answers:,} answers in "
             f"{plural(k, 'theme')}."
             + (f" The other {report.unplaced:,} were empty, said nothing to analyse (such as “no "
                "comment”), or did not fit any theme." if report.unplaced else ""),
             lead="Themes found automatically. "),
    ]
    if report.reviewed == k and k:
        reviewed = f"All {k} themes were marked as reviewed."
    elif report.reviewed:
        reviewed = f"{report.reviewed} of the {k} themes were marked as reviewed."
    else:
        reviewed = (f"None of the {k} themes has been marked as reviewed yet, so treat them as a "
                    "first draft.")
    out.append(Para("A facilitator then checked the themes, renaming them, merging them and moving "
                    f"answers where the computer got it wrong. {reviewed}",
                    lead="Checked by a person. "))
    ev = report.evaluation
    if ev is not None:
        out.append(Para(
            f"A facilitator sorted a random sample of {plural(ev.n, 'answer')} into themes without "
            f"seeing the computer's choices. Their choices and the automatic themes agreed "
            f"{'only ' if ev.kappa <= 0.4 else ''}to a {agreement_words(ev.kappa)} degree "
            f"(Cohen's kappa {ev.kappa:.2f}, where 1 is perfect agreement and 0 is no better than chance)."
            if ev.kappa > 0 else
            f"A facilitator sorted a random sample of {plural(ev.n, 'answer')} into themes without "
            f"seeing the computer's choices. Their choices agreed with the automatic themes no better "
            f"than chance (Cohen's kappa {ev.kappa:.2f}), so read the themes with care.",
            lead="Blind check. "))
    else:
        out.append(Para("No blind check was done for this analysis: nobody sorted a sample of answers "
                        "independently to measure how well the automatic themes match a person's "
                        "judgement.", lead="Blind check. "))
    out.append(Para(
        f"A theme's size is the number of answers in it. Someone who answered more than one question can "
        f"appear in more than one theme. To protect privacy we never break down a group of fewer than "
        f"{report.minimum} people: the report says “fewer than {report.minimum}” instead.",
        lead="Reading the numbers. "))
    return out


def _themes(report: Report) -> list[Block]:
    out: list[Block] = [PageBreak(), Heading("The themes")]
    for n, theme in enumerate(report.themes, 1):
        out += _theme(report, n, theme)
    return out


def _theme(report: Report, n: int, t: ThemeSection) -> list[Block]:
    status = "Reviewed by a facilitator" if t.reviewed else "Not yet reviewed"
    if t.feeling:
        status += f". How the answers feel: {t.feeling}"
    out: list[Block] = [
        Heading(f"{n}. {clean(t.label)}", 2),
        Para(f"{plural(t.size, 'answer')} ({percent(t.share)} of answers placed in a theme). {status}.",
             muted=True),
    ]
    if t.description:
        out.append(Para(clean(t.description)))
    if t.broken_down:
        # Groups are named by the segment question's labels, which may be sentences: "; " between.
        split = "; ".join(f"{s.name} {count_text(t.segments.get(s.key), report.minimum)}"
                          for s in report.segments if s.key != "not-said" or t.segments.get(s.key))
        out.append(Para(split[:1].upper() + split[1:] + ".", lead="Who wrote these answers: "))
    else:
        out.append(Para(f"This theme has fewer than {report.minimum} answers, so we do not break it "
                        f"down by group.", lead="Who wrote these answers: "))
    if t.keywords:
        out.append(Para(", ".join(clean(k) for k in t.keywords), lead="Key words: "))
    if t.subthemes:
        out.append(Para("; ".join(clean(s) for s in t.subthemes), lead="Smaller themes within it: "))
    if t.quotes:
        out.append(Para("", lead="What people said:"))
        out += [Quote(clean(q)) for q in t.quotes]
    if t.stances:
        out.append(Para(" ".join(clean(s) for s in t.stances), lead="Where its people stand: "))
    if t.positions:
        out.append(Para("how the answers in this theme lean on each trade-off whose reasons they gave, "
                        "towards the first or the second of the two things named.",
                        lead="Where they stand: "))
        rows = []
        for pos in t.positions:
            d = pos.distribution
            if d.shown:
                rows.append([clean(pos.name), percent(d.left), percent(d.middle), percent(d.right),
                             f"{d.total:,}"])
            else:
                rows.append([clean(pos.name), "", "", "", f"fewer than {report.minimum}"])
        out.append(Table(["Trade-off", "First", "Both", "Second", "Answers"], rows,
                         [4.6, 0.9, 0.9, 0.9, 1.2], numeric={1, 2, 3, 4}))
    return out


def _tradeoffs(report: Report) -> list[Block]:
    if not report.tradeoffs:
        return []
    out: list[Block] = [
        PageBreak(), Heading("Where people stand on the trade-offs"),
        Para("Each question asked people to choose a point on a seven-point scale between two things. "
             "Bars to the left of the centre line lean towards the first, bars to the right towards the "
             "second, and “both equally” straddles the line. Numbers in brackets are how many answered. "
             "Patients, carers and the public are shown next to NHS staff."),
    ]
    for item in report.tradeoffs:
        keep = [Heading(f"{clean(item.left)} or {lower_first(clean(item.right))}", 2),
                Para(clean(item.prompt), muted=True)]
        if item.before:
            keep.append(Para("This question was asked at the start and again at the end, after people "
                             "had read the briefings, so the chart shows both."))
        keep.append(Figure(charts.tradeoff(item, report.minimum), ""))
        out.append(Keep(keep))
        lines = ([("Before: " if item.before else "") + charts.lean_sentence(
                     d, item.left, item.right, item.middle, report.minimum) for d in (item.before or [])]
                 + [("After: " if item.before else "") + charts.lean_sentence(
                     d, item.left, item.right, item.middle, report.minimum) for d in item.groups])
        out.append(Bullets(lines))
    return out

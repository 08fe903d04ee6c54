"""What the report says, as a list of simple blocks that the DOCX and PDF renderers both draw.

Keeping the words here means the two formats cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.dates import format_date

from surveys.evaluation import agreement_band, agreement_strength
from surveys.quotes import short_quote
from surveys.report_data import NOT_SAID, Report, ThemeSection, later_sentence
from surveys.wording import N_, lower_first, ngettext
from surveys.wording import gettext as _

from . import charts
from .style import clean, count_text, language, number, percent

#: The report's name (translate it where it is shown: ``_(SUBTITLE)``).
SUBTITLE = N_("Theme summary report")


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
    #: It introduces what follows (quotes, a table): kept on the same page as it.
    with_next: bool = False


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
    """29 November 2026, 29 Tachwedd 2026."""
    return format_date(d, "d MMMM y", locale=language())


def _people(n: int) -> str:
    return ngettext("%(num)s person", "%(num)s people", n, num=number(n))


def _answers(n: int) -> str:
    return ngettext("%(num)s answer", "%(num)s answers", n, num=number(n))


def _written(n: int) -> str:
    return ngettext("%(num)s written answer", "%(num)s written answers", n, num=number(n))


def _themes_count(n: int) -> str:
    return ngettext("%(num)s theme", "%(num)s themes", n, num=number(n))


def _responses(n: int) -> str:
    return ngettext("%(num)s response", "%(num)s responses", n, num=number(n))


def build(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Title(clean(report.consultation_title), _(SUBTITLE), [
            _date(report.generated),
            f"{_responses(report.responses)} · {_written(report.written_answers)}",
            _themes_count(len(report.themes)),
        ], _("Analysis %(run)s. Every quote in this report has had personal details removed. "
             "No group of fewer than %(minimum)s people is broken down.",
             run=report.run_id, minimum=report.minimum)),
        PageBreak(),
    ]
    blocks += _summary(report)
    blocks += _method(report)
    blocks += _themes(report)
    blocks += _tradeoffs(report)
    return blocks


def _summary(report: Report) -> list[Block]:
    out: list[Block] = [Heading(_("Summary"))]
    shown = [t for t in report.themes if t.size > 0]
    if not shown:
        return [*out, Para(_("No answers were placed in a theme."))]
    biggest = shown[:3]
    names = ", ".join(f"“{clean(t.label)}” ({_answers(t.size)})" for t in biggest)
    largest = (_("The largest was %(names)s.", names=names) if len(biggest) == 1
               else _("The largest were %(names)s.", names=names))
    if report.writers == report.responses:
        took_part = _("%(people)s took part and wrote %(answers)s to the questions analysed. We found "
                      "%(themes)s in what they wrote.", people=_people(report.responses),
                      answers=_answers(report.written_answers), themes=_themes_count(len(report.themes)))
    else:  # "73 people … wrote 361 answers" when 71 wrote them (2 answered after the analysis)
        took_part = _("%(people)s took part, and %(writers)s of them wrote the %(answers)s analysed here. "
                      "We found %(themes)s in what they wrote.", people=_people(report.responses),
                      writers=number(report.writers), answers=_answers(report.written_answers),
                      themes=_themes_count(len(report.themes)))
    out.append(Para(took_part + " " + largest))
    seg_names = [s.name for s in report.segments]
    # People beside answers: a group's counts are of people (the small-group rule is about
    # people), and they add up to the theme's people, not its answers.
    header = [_("Theme"), _("Answers"), _("Share"), _("People"), *seg_names]
    rows = [[clean(t.label), f"{t.size:,}", percent(t.share), f"{t.people:,}",
             *[count_text(t.segments.get(s.key)) for s in report.segments]]
            for t in report.themes]
    widths = [2.6, 0.95, 0.8, 0.9, *[1.2] * len(seg_names)]
    note = (_("Share is of the %(placed)s answers placed in a theme. People is how many people wrote a "
              "theme's answers (one person may have several); the last columns count those people by "
              "group. “Not shown” hides a group of fewer than %(minimum)s people, and one more where the "
              "first could otherwise be worked out from the totals.",
              placed=number(report.placed), minimum=report.minimum) if seg_names
            else _("Share is of the %(placed)s answers placed in a theme. People is how many people wrote "
                   "a theme's answers (one person may have several).", placed=number(report.placed)))
    out += [
        Heading(_("Themes at a glance"), 2),
        Para(note, muted=True),
        Table(header, rows, widths, numeric=set(range(1, len(header)))),
        Figure(charts.theme_sizes(report.themes), _("Number of answers in each theme")),
    ]
    return out


#: What a facilitator did to the themes, by kind of edit in the run's edit log, in the order the
#: report lists them. Marking a theme reviewed is said by the sentence on reviews instead.
EDITS = {
    "rename": N_("renamed themes"),
    "merge": N_("merged themes"),
    "broaden": N_("grouped themes into fewer, broader ones"),
    "narrow": N_("split broad themes into narrower ones"),
    "split": N_("split themes"),
    "move": N_("moved answers from one theme to another"),
    "create": N_("created themes of their own"),
    "update": N_("added answers sent in after the analysis, which the computer placed in the themes"),
    "accept": N_("added themes the computer proposed for answers sent in after the analysis"),
    "place": N_("put answers that fitted no theme in the nearest themes"),
}
#: An edit of a kind the report has no words for (logged by a later version).
OTHER_EDIT = N_("changed the themes in other ways")


def _checked(report: Report) -> list[Block]:
    """What a person did to the automatic themes, from the run's edit log: only the kinds of edit
    made (and not undone), and plainly that there were none."""
    k = len(report.themes)
    if not k:  # with no themes there was nothing to check ("None of the 0 themes...")
        return []
    done = [_(words) for action, words in EDITS.items() if action in report.edits]
    if report.edits - set(EDITS) - {"review"}:
        done.append(_(OTHER_EDIT))
    if report.reviewed == k:
        reviewed = _("All %(num)s themes were marked as reviewed.", num=k)
    elif report.reviewed:
        reviewed = _("%(reviewed)s of the %(num)s themes were marked as reviewed.",
                     reviewed=report.reviewed, num=k)
    else:
        reviewed = _("None of the %(num)s themes has been marked as reviewed yet, so treat them as a "
                     "first draft.", num=k)
    if not done:
        lead = _("Checked by a person.") if report.reviewed else _("Not checked by a person.")
        return [Para(_("Nobody has edited the themes: they are as the computer made them.") + " " + reviewed,
                     lead=lead + " ")]
    if k != report.automatic_themes:
        reviewed = _("There are now %(themes)s.", themes=_themes_count(k)) + " " + reviewed
    return [Para(_("A facilitator then:"), lead=_("Checked by a person.") + " ", with_next=True),
            Bullets(done), Para(reviewed)]


def _method(report: Report) -> list[Block]:
    analysed = (_("%(people)s sent in their answers. We analysed %(written)s to this question:",
                  people=_people(report.responses), written=_written(report.written_answers))
                if len(report.questions) == 1 else
                _("%(people)s sent in their answers. We analysed %(written)s to these questions:",
                  people=_people(report.responses), written=_written(report.written_answers)))
    # The themes the computer found, not those left after a facilitator merged or split them.
    found = _("A computer program grouped answers that say similar things into themes. It learns which "
              "words are used in the same way from the answers themselves, so that “wait” and “delay” "
              "count as close, weighs the words that set an answer apart, and then gathers similar "
              "answers together (clustering). The analysis ran inside Engage; no answers were sent to "
              "an outside company. It placed %(placed)s of the %(written)s answers in %(themes)s.",
              placed=number(report.placed), written=number(report.written_answers),
              themes=_themes_count(report.automatic_themes))
    if report.unplaced:
        found += " " + _("The other %(unplaced)s were empty, said nothing to analyse (such as “no "
                         "comment”), or did not fit any theme.", unplaced=number(report.unplaced))
    out: list[Block] = [
        Heading(_("How we did this")),
        Para(analysed),
        Bullets([clean(q) for q in report.questions]),
        *([Para(later_sentence(report.later_answers))] if report.later_answers else []),
        Para(_("Before any analysis, personal details such as names, phone numbers and email addresses "
               "were removed from every answer and replaced with a placeholder. Only these redacted "
               "answers were analysed, and every quote in this report is redacted."),
             lead=_("Personal details removed.") + " "),
        Para(found, lead=_("Themes found automatically.") + " "),
        *_checked(report),
    ]
    ev = report.evaluation
    blind = _("Blind check.") + " "
    if ev is not None:
        sample = _("A facilitator sorted a random sample of %(answers)s into themes without seeing the "
                   "computer's choices.", answers=_answers(ev.n))
        kappa = f"{ev.kappa:.2f}"
        if agreement_band(ev.kappa) == 0:
            agreed = _("Their choices agreed with the automatic themes no better than chance (Cohen's "
                       "kappa %(kappa)s), so read the themes with care.", kappa=kappa)
        elif agreement_band(ev.kappa) <= 2:
            agreed = _("Their choices and the automatic themes agreed only to a %(degree)s degree "
                       "(Cohen's kappa %(kappa)s, where 1 is perfect agreement and 0 is no better than "
                       "chance).", degree=agreement_strength(ev.kappa), kappa=kappa)
        else:
            agreed = _("Their choices and the automatic themes agreed to a %(degree)s degree (Cohen's "
                       "kappa %(kappa)s, where 1 is perfect agreement and 0 is no better than chance).",
                       degree=agreement_strength(ev.kappa), kappa=kappa)
        out.append(Para(f"{sample} {agreed}", lead=blind))
    else:
        out.append(Para(_("No blind check was done for this analysis: nobody sorted a sample of answers "
                          "independently to measure how well the automatic themes match a person's "
                          "judgement."), lead=blind))
    out.append(Para(
        _("A theme's size is the number of answers in it. Someone who answered more than one question "
          "can appear in more than one theme, or more than once in the same theme, so a theme's groups "
          "are counted in people, not answers. To protect privacy we never give a count of fewer than "
          "%(minimum)s people: the report says “not shown” instead, and hides one more count where "
          "the first could otherwise be worked out from the totals.",
          minimum=report.minimum),
        lead=_("Reading the numbers.") + " "))
    return out


def _themes(report: Report) -> list[Block]:
    if not report.themes:
        return []  # the summary says no answer was placed in a theme: no page with only a heading
    out: list[Block] = [PageBreak(), Heading(_("The themes"))]
    for n, theme in enumerate(report.themes, 1):
        out += _theme(report, n, theme)
    return out


def _theme(report: Report, n: int, t: ThemeSection) -> list[Block]:
    status = _("Reviewed by a facilitator") if t.reviewed else _("Not yet reviewed")
    if t.feeling:
        status = _("%(status)s. How the answers feel: %(feeling)s", status=status, feeling=t.feeling)
    out: list[Block] = [
        Heading(f"{n}. {clean(t.label)}", 2),
        Para(_("%(answers)s (%(share)s of answers placed in a theme). %(status)s.",
               answers=_("%(answers)s from %(people)s", answers=_answers(t.size), people=_people(t.people)),
               share=percent(t.share), status=status), muted=True,
             with_next=True),  # a theme's heading never ends a page on its own
    ]
    if t.description:
        out.append(Para(clean(t.description)))
    who = _("Who wrote these answers:") + " "
    if not report.segments:
        pass  # nobody was asked their group: there is nothing to break down
    elif t.broken_down:
        # Groups are named by the segment question's labels, which may be sentences: "; " between.
        split = "; ".join(_group_people(s.name, t.segments.get(s.key))
                          # "Not said" left out only where it is a shown 0: left out when hidden,
                          # it would read as 0 and give away the other hidden count.
                          for s in report.segments if s.key != NOT_SAID or t.segments.get(s.key) != 0)
        out.append(Para(split[:1].upper() + split[1:] + ".", lead=who))
    elif t.people < report.minimum:
        out.append(Para(_("This theme's answers are from fewer than %(minimum)s people, so we do not break "
                          "it down by group.", minimum=report.minimum), lead=who))
    else:
        out.append(Para(_("Showing this theme's groups separately could single someone out, so we do not "
                          "break it down by group."), lead=who))
    if t.keywords:
        out.append(Para(", ".join(clean(k) for k in t.keywords), lead=_("Key words:") + " "))
    if t.subthemes:
        out.append(Para("; ".join(clean(s) for s in t.subthemes), lead=_("Smaller themes within it:") + " "))
    if t.quotes:
        out.append(Para("", lead=_("What people said:"), with_next=True))
        out += [Quote(clean(short_quote(q))) for q in t.quotes]  # a board paper's quotes, cut short
    if t.stances:
        # One sentence: the related trade-off on which this theme's people differ most from everyone.
        # (A sentence saying they are too few to tell stands alone.)
        out.append(Para(" ".join(clean(s) for s in t.stances),
                        lead=_("Where they differ most from everyone:") + " " if t.stance_divides else ""))
    if t.positions:
        # People, as the sentence above counts them (it is one of these rows), never answers.
        out.append(Para(_("how the people with an answer in this theme lean on each trade-off it relates "
                          "to, towards the first or the second of the two things named. Like the sentence "
                          "above, it counts people, not answers."),
                        lead=_("Table of their trade-offs:") + " ", with_next=True))
        rows = []
        for pos in t.positions:
            d = pos.distribution
            if d.shown:
                # Each side as the stance sentence says it: no side of 1 to minimum - 1 people.
                rows.append([clean(pos.name), *[count_text(None) if share is None else percent(share)
                                                for share in d.side_shares(report.minimum)], f"{d.total:,}"])
            else:
                fewer = _("fewer than %(minimum)s", minimum=report.minimum)
                rows.append([clean(pos.name), "", "", "", fewer])
        out.append(Table([_("Trade-off"), _("First"), _("Both"), _("Second"), _("People")], rows,
                         [4.6, 0.9, 0.9, 0.9, 1.2], numeric={1, 2, 3, 4}))
    return out


def _group_people(name: str, people: int | None) -> str:
    """"Carers (12 people)", or "Carers (not shown)" where the count could single someone out."""
    if people is None:
        return f"{name} ({count_text(None)})"
    return ngettext("%(group)s (%(num)s person)", "%(group)s (%(num)s people)", people, group=name,
                    num=number(people))


def _tradeoffs(report: Report) -> list[Block]:
    if not report.tradeoffs:
        return []
    out: list[Block] = [
        PageBreak(), Heading(_("Where people stand on the trade-offs")),
        Para(_("Each question asked people to choose a point on a seven-point scale between two things. "
               "Bars to the left of the centre line lean towards the first, bars to the right towards the "
               "second, and “both equally” straddles the line. Numbers in brackets are how many answered. "
               "Patients, carers and the public are shown next to NHS staff.")),
    ]
    for item in report.tradeoffs:
        keep = [Heading(_("%(left)s or %(right)s", left=clean(item.left),
                          right=lower_first(clean(item.right))), 2),
                Para(clean(item.prompt), muted=True)]
        if item.before:
            keep.append(Para(_("This question was asked at the start and again at the end, after people "
                               "had read the briefings, so the chart shows both.")))
        if any(d.sides for d in [*item.groups, *(item.before or [])]):
            keep.append(Para(_("Too few people chose some points of the scale to show them without "
                               "singling someone out, so the chart joins the seven points into three: "
                               "leaning towards the first, the middle, and leaning towards the second.")))
        keep.append(Figure(charts.tradeoff(item, report.minimum), ""))
        out.append(Keep(keep))
        lines = ([charts.when_sentence(charts.lean_sentence(
                     d, item.left, item.right, item.middle, report.minimum), "before" if item.before else "")
                  for d in (item.before or [])]
                 + [charts.when_sentence(charts.lean_sentence(
                     d, item.left, item.right, item.middle, report.minimum), "after" if item.before else "")
                    for d in item.groups])
        out.append(Bullets(lines))
    return out

"""Charts for the report, drawn with matplotlib's Agg canvas into PNG bytes in memory.

No pyplot: figures are built directly, so drawing is thread-safe and needs no display.
"""

from __future__ import annotations

import io
import struct
import textwrap
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before anything could pick an interactive backend

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from surveys.report_data import POINTS, Distribution, ThemeSection, Tradeoff  # noqa: E402
from surveys.wording import gettext as _  # noqa: E402
from surveys.wording import lower_first  # noqa: E402

from . import style  # noqa: E402

WIDTH_IN = 6.7  # the text width of an A4 page with 2 cm margins
DPI = 200


@dataclass(frozen=True)
class Chart:
    png: bytes
    width_px: int
    height_px: int
    alt: str

    @property
    def aspect(self) -> float:
        return self.height_px / self.width_px


def _font_family() -> str:
    path = style.font_files()["regular"]
    font_manager.fontManager.addfont(path)
    for b in (style.font_files()["bold"], style.font_files()["italic"]):
        font_manager.fontManager.addfont(b)
    return font_manager.FontProperties(fname=path).get_name()


def _figure(height_in: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure, alt: str) -> Chart:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    data = buf.getvalue()
    width, height = struct.unpack(">II", data[16:24])  # the PNG header's IHDR chunk
    return Chart(data, width, height, alt)


@contextmanager
def _rc():
    """Report styling. Words are given through ``style.drawable``; a glyph still missing from the
    font would be drawn as a box, quietly."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        with matplotlib.rc_context(_rc_params()):
            yield


def _rc_params() -> dict:
    return {
        "font.family": _font_family(), "font.size": 9, "axes.edgecolor": style.NHS_MID_GREY,
        "axes.labelcolor": style.NHS_BLACK, "xtick.color": style.NHS_DARK_GREY,
        "ytick.color": style.NHS_BLACK, "text.color": style.NHS_BLACK,
        "text.parse_math": False,  # a "$" in a theme name is a dollar sign, not mathematics
    }


def theme_sizes(themes: list[ThemeSection]) -> Chart:
    """Horizontal bars, largest theme at the top, each labelled with its number of answers."""
    themes = [t for t in themes if t.size > 0]
    with _rc():
        # A row per theme as close as the labels allow: a taller chart is shrunk to fit the page,
        # and 28 themes at 0.34 in a row left labels of 5 points on paper.
        fig = _figure(0.9 + 0.24 * max(1, len(themes)))
        ax = fig.add_subplot()
        labels = [textwrap.shorten(style.drawable(t.label), 48, placeholder="…") for t in themes][::-1]
        sizes = [t.size for t in themes][::-1]
        bars = ax.barh(range(len(sizes)), sizes, color=style.NHS_BLUE, height=0.72)
        ax.set_yticks(range(len(sizes)), labels)
        top = max(sizes, default=1)
        for bar, n in zip(bars, sizes, strict=True):
            ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, f"{n:,}",
                    va="center", ha="left", fontsize=8.5, color=style.NHS_BLACK)
        ax.set_xlim(0, top * 1.1)
        ax.set_xlabel(_("Number of answers"))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.grid(True, color=style.NHS_PALE_GREY, linewidth=0.8)
        ax.set_axisbelow(True)
        fig.tight_layout()
        alt = _("Bar chart of the number of answers in each theme: %(themes)s.",
                themes="; ".join(f"{t.label} {t.size}" for t in themes))
        return _png(fig, alt)


def _rows(item: Tradeoff) -> list[tuple[float, str, Distribution]]:
    """Bar rows as (y, label, distribution), top to bottom, with a half-row gap between groups."""
    if not item.before:
        pairs = [[(d.group, d)] for d in item.groups]
    else:
        pairs = [[(_("%(group)s: before", group=b.group), b), (_("%(group)s: after", group=a.group), a)]
                 for b, a in zip(item.before, item.groups, strict=False)]
    rows, y = [], 0.0
    for group in pairs:
        for label, dist in group:
            rows.append((y, label, dist))
            y -= 1
        y -= 0.5 if item.before else 0
    return rows


def tradeoff(item: Tradeoff, minimum: int) -> Chart:
    """Diverging stacked bars: leaning left of the centre line or right of it, per group."""
    rows = _rows(item)
    span = rows[0][0] - rows[-1][0] + 1
    left_title = textwrap.fill(f"← {item.left}", 30)
    right_title = textwrap.fill(f"{item.right} →", 30)
    title_lines = max(left_title.count("\n"), right_title.count("\n")) + 1
    with _rc():
        height = 0.75 + 0.16 * title_lines + 0.38 * span
        fig = _figure(height)
        ax = fig.add_subplot()
        for y, _label, dist in rows:
            if not dist.shown:
                ax.text(0, y, _("Not shown, so that no one can be singled out") if dist.protected
                        else _("Fewer than %(minimum)s answered, so not shown", minimum=minimum),
                        ha="center", va="center",
                        fontsize=8.5, color=style.NHS_DARK_GREY, style="italic")
                continue
            shares = {p: dist.counts[p] / dist.total for p in POINTS}
            start = -(shares[-3] + shares[-2] + shares[-1] + shares[0] / 2)
            for p in POINTS:
                width = shares[p]
                if width <= 0:
                    continue
                ax.barh(y, width, left=start, color=style.SCALE_COLOURS[p], height=0.72,
                        edgecolor="white", linewidth=0.6)
                if width >= 0.095:
                    dark = p in (-3, -2, 3)
                    # The middle label sits on the centre line: give it a backing so it stays legible.
                    backing = {"facecolor": style.SCALE_COLOURS[0], "edgecolor": "none", "pad": 0.6}
                    ax.text(start + width / 2, y, style.percent(width), ha="center", va="center",
                            fontsize=7.5, color="white" if dark else style.NHS_BLACK, zorder=5,
                            bbox=backing if p == 0 else None)
                start += width
        ax.set_yticks([y for y, _, _ in rows],
                      [style.drawable(f"{label} ({d.total:,})" if (d.shown or d.protected) and d.total_shown
                                      else label) for _, label, d in rows])
        ax.set_ylim(rows[-1][0] - 0.6, 0.6)
        ax.set_xlim(-1, 1)
        ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100%", "50%", "0", "50%", "100%"])
        ax.axvline(0, color=style.NHS_BLACK, linewidth=0.9)
        ax.xaxis.grid(True, color=style.NHS_PALE_GREY, linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", labelsize=8)
        ax.text(0, 1.03, style.drawable(left_title), transform=ax.transAxes, ha="left", va="bottom",
                fontsize=9.5, fontweight="bold", color=style.NHS_DARK_BLUE, linespacing=1.15)
        ax.text(1, 1.03, style.drawable(right_title), transform=ax.transAxes, ha="right", va="bottom",
                fontsize=9.5, fontweight="bold", color="#8a4c00", multialignment="right", linespacing=1.15)
        if any(d.sides for _, _, d in rows):  # three sides: too few at some point to show seven
            legend = [Patch(facecolor=style.SCALE_COLOURS[-2], label=_("Leaning towards the first")),
                      Patch(facecolor=style.SCALE_COLOURS[0], label=item.middle),
                      Patch(facecolor=style.SCALE_COLOURS[2], label=_("Leaning towards the second"))]
        else:
            legend = [Patch(facecolor=style.SCALE_COLOURS[p],
                            label=_(style.SCALE_WORDS[p]) if p else item.middle) for p in POINTS]
        fig.legend(handles=legend, loc="lower center", bbox_to_anchor=(0.5, 0.01), ncol=len(legend),
                   frameon=False, fontsize=7.5, handlelength=1.2, columnspacing=1.0)
        fig.tight_layout(rect=(0, 0.3 / height, 1, 1 - 0.03 / height))
        return _png(fig, tradeoff_alt(item, minimum))


def lean_sentence(dist: Distribution, left: str, right: str, middle: str, minimum: int) -> str:
    if dist.protected and not dist.total_shown:
        return _("%(group)s: not shown, so that no one can be singled out.", group=dist.group)
    if dist.protected:
        return _("%(group)s (%(total)s): not shown, so that no one can be singled out.", group=dist.group,
                 total=style.number(dist.total))
    if not dist.shown:
        return _("%(group)s: fewer than %(minimum)s answered, so not shown.", group=dist.group,
                 minimum=minimum)
    low = lower_first
    return _("%(group)s (%(total)s): %(left_share)s lean towards %(left)s, %(middle_share)s %(middle)s, "
             "%(right_share)s lean towards %(right)s.", group=dist.group, total=style.number(dist.total),
             left_share=style.percent(dist.left), left=low(left), middle_share=style.percent(dist.middle),
             middle=low(middle), right_share=style.percent(dist.right), right=low(right))


def when_sentence(sentence: str, when: str) -> str:
    """A lean sentence said of the start ("before") or the end ("after") of a repeated question."""
    if when == "before":
        return _("Before: %(sentence)s", sentence=sentence)
    if when == "after":
        return _("After: %(sentence)s", sentence=sentence)
    return sentence


def tradeoff_alt(item: Tradeoff, minimum: int) -> str:
    parts = [_("Chart of where people stand between %(left)s and %(right)s.", left=item.left,
               right=item.right)]
    if item.before:
        parts += [when_sentence(lean_sentence(d, item.left, item.right, item.middle, minimum), "before")
                  for d in item.before]
        parts += [when_sentence(lean_sentence(d, item.left, item.right, item.middle, minimum), "after")
                  for d in item.groups]
    else:
        parts += [lean_sentence(d, item.left, item.right, item.middle, minimum) for d in item.groups]
    return " ".join(parts)

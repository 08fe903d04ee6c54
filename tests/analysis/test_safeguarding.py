"""Safeguarding detection: real phrasing is flagged, idioms with the same words are not."""

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import mentions_safeguarding, safeguarding_concerns

DATA = Path(__file__).resolve().parents[1] / "data"


def read_set(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.partition(" | ")[2] or line for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("text", [
    "I feel like ending it all", "I want to die", "I do not want to live any more",
    "my husband hits me", "I took too many pills", "I cut myself",
    "I dont want to be here anymore", "My partner beats me", "im going to kill myself",
    "He won't let me see my family", "The children are left alone for days",
    "I'm going to stab someone", "Mr Jones hit me again", "Dr. Patel touched me",
])
def test_disclosures_from_the_review_are_flagged(text):
    assert mentions_safeguarding(text)


@pytest.mark.parametrize("text", [
    "the wait was killing me", "the surgeon cut out the tumour", "I'd die for a cup of tea",
    "My back hurts", "I had a panic attack and they were lovely", "The phone line went dead",
    "The food was to die for", "The app has been a hit", "Beat the queues by booking online",
    "Staff should not have to put up with abuse from patients",
])
def test_idioms_with_risky_words_are_not_flagged(text):
    assert not mentions_safeguarding(text)


@pytest.mark.parametrize("text, kind", [
    ("I'm going to take all my pills tonight", "suicide"),
    ("Going to swallow all my tablets tonight", "suicide"),
    ("there's no point living", "suicide"), ("Theres no point living anymore", "suicide"),
    ("I can't go on", "suicide"), ("I just cant go on anymore.", "suicide"), ("i want 2 die", "suicide"),
    ("my neighbour threatens to stab me", "domestic abuse"), ("I'm scared he'll kill me", "domestic abuse"),
    ("they'll kill me if I tell anyone", "domestic abuse"), ("I don't feel safe at home", "domestic abuse"),
    ("I feel unsafe at home", "domestic abuse"), ("I feel so unsafe around him", "domestic abuse"),
])
def test_plain_disclosures_the_review_found_missed_are_flagged(text, kind):
    assert kind in safeguarding_concerns(text)


@pytest.mark.parametrize("text", [
    "I can't go on waiting this long", "no point ringing, nobody answers",
    "there's no point in going to the GP",
    "staff threaten to discharge you if you complain", "They threatened to discharge me",
    "she'll kick me off the list", "they will kill us with these waiting times",
    "The doctor said it will hurt me a little",
    "I take all my tablets as prescribed", "I will take all my tablets with food",
    "I'll take all my medicines to my GP appointment", "I don't feel safe with the new system",
    "I feel unsafe walking to the car park at night", "I couldn't go on the website", "I have 2 children",
])
def test_ordinary_feedback_in_the_same_words_is_not_flagged(text):
    assert not mentions_safeguarding(text)


@pytest.mark.parametrize("text, kind", [
    ("Dw i eisiau marw", "suicide"), ("Dw i wedi meddwl am ladd fy hun", "suicide"),
    ("Dw i ddim eisiau byw rhagor", "suicide"), ("Mae gen i feddyliau hunanladdol", "suicide"),
    ("Rydw i'n hunan-niweidio", "self-harm"), ("Dw i wedi torri fy hun eto", "self-harm"),
    ("Mae fy ngŵr yn fy nharo", "domestic abuse"), ("Rwy'n cael fy ngham-drin gartref", "domestic abuse"),
    ("Mae gen i ofn mynd adref", "domestic abuse"), ("Cefais fy nhreisio", "sexual abuse"),
    ("Mae'r plant yn cael eu hesgeuluso", "neglect"), ("Dw i'n mynd i ladd rhywun", "threats to others"),
])
def test_disclosures_in_welsh_are_flagged(text, kind):
    """NHS Wales consultations are answered in Welsh: a disclosure in Welsh reaches the leads too
    (none of these was flagged before)."""
    assert kind in safeguarding_concerns(text)


@pytest.mark.parametrize("text", [
    "Roedd yr aros yn fy lladd i",  # the wait was killing me
    "Byddwn i'n marw am baned",  # I'd die for a cuppa
    "Dw i eisiau marw am baned",
    "Mae staff yn wynebu cam-drin gan gleifion",  # staff face abuse from patients
    "Torrodd y llawfeddyg y tiwmor allan", "Roedd hi'n poeni am farw", "Roedd y staff yn wych",
])
def test_welsh_idioms_with_risky_words_are_not_flagged(text):
    assert not mentions_safeguarding(text)


def test_concerns_are_named():
    assert safeguarding_concerns("My husband hits me and I want to die") == ["suicide", "domestic abuse"]
    assert safeguarding_concerns("") == []


@pytest.mark.parametrize("suffix", ["", "_heldout"])
def test_recall_and_false_flags_on_both_halves(suffix):
    disclosures = read_set(f"safeguarding_disclosures{suffix}.txt")
    innocent = read_set(f"safeguarding_innocent{suffix}.txt")
    assert len(disclosures) >= 100 and len(innocent) >= 90
    recall = sum(map(mentions_safeguarding, disclosures)) / len(disclosures)
    false_flags = sum(map(mentions_safeguarding, innocent)) / len(innocent)
    assert recall >= 0.90
    assert false_flags <= 0.10


def test_importable_without_scikit_learn():
    code = ("import sys, analysis.safeguarding, analysis.redact; "
            "assert 'sklearn' not in sys.modules, 'scikit-learn was loaded'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


# The screen (analysis.safeguarding._screens) only skips patterns that cannot match: the flags are
# exactly those of the patterns alone.
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analysis import safeguarding  # noqa: E402

PATTERNS = [(kind, p) for kind, patterns in safeguarding._PATTERNS.items() for p in patterns]


def unscreened(text):
    return safeguarding._unscreened_concerns(safeguarding._normalise(text)) if text else []


def test_every_kind_has_a_screen():
    first, by_kind = safeguarding._screens()
    assert first is not None
    assert set(by_kind) == set(safeguarding._PATTERNS) and None not in by_kind.values()


@pytest.mark.parametrize("name", [
    "safeguarding_disclosures.txt", "safeguarding_disclosures_heldout.txt",
    "safeguarding_innocent.txt", "safeguarding_innocent_heldout.txt",
])
def test_screened_flags_equal_the_patterns_on_the_test_sets(name):
    texts = read_set(name)
    flagged = [safeguarding_concerns(t) for t in texts]
    assert flagged == [unscreened(t) for t in texts]
    if "disclosures" in name:
        assert sum(map(bool, flagged)) >= 0.9 * len(texts)  # the sets do exercise the patterns


@pytest.mark.parametrize(("kind", "pattern"), PATTERNS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(PATTERNS)])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_text_a_pattern_matches_always_passes_its_screen(kind, pattern, data):
    text = data.draw(st.from_regex(pattern))
    first, by_kind = safeguarding._screens()
    if safeguarding._COMPILED[kind].search(text):
        assert by_kind[kind].search(text), (kind, text)
        assert first.search(text), (kind, text)


WORDS = sorted({w for _, p in PATTERNS for w in __import__("re").findall(r"[a-z']{2,}", p)}
               | {"I", "my", "dont", "im", "cant", "the", "wait", "staff"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [" ", ".", ",", "!", "\u2019", "\n", "  "]), max_size=25)
       .map(" ".join))
def test_screened_flags_equal_the_patterns_on_texts_of_their_words(text):
    assert safeguarding_concerns(text) == unscreened(text)


def test_the_screens_are_built_once_when_many_threads_ask_at_once(monkeypatch):
    """A web worker's threads all check their first answers at once: one builds the screens, the
    rest wait for it (each building its own copy was a fifth of a second of CPU apiece)."""
    import threading

    builds = []
    original = safeguarding.required_strings

    def counted(pattern, *args):
        builds.append(pattern)
        return original(pattern, *args)

    monkeypatch.setattr(safeguarding, "required_strings", counted)
    safeguarding._built_screens.cache_clear()
    start = threading.Barrier(4)
    found = []

    def check():
        start.wait()
        found.append(safeguarding_concerns("I want to end my life"))

    threads = [threading.Thread(target=check) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    safeguarding._built_screens.cache_clear()  # the next test builds them unobserved
    assert found == [["suicide"]] * 4
    assert len(builds) == len(safeguarding._COMPILED)

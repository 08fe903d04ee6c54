"""Fixtures for the analysis tests: a small synthetic consultation with known topics."""

from __future__ import annotations

import random

import pytest

# Each answer joins a random subject and a random comment of its topic, so answers of one
# topic share words in many combinations (as real answers do) rather than repeating templates.
TOPICS = {
    "waiting": (["the waiting time", "the wait in A&E", "waiting for a referral",
                 "the wait on the phone", "waiting {n} hours"],
                ["was far too long", "took {n} hours", "was longer than I could wait",
                 "meant a long wait", "should be shorter"]),
    "staff": (["the nurses", "the staff", "reception staff", "the nurse", "all the staff"],
              ["were kind and caring", "were so friendly", "were caring and listened",
               "were kind and friendly", "were friendly and caring"]),
    "parking": (["car parking", "the car park", "parking at the hospital",
                 "finding a parking space", "parking charges"],
                ["is expensive and full", "was full again", "costs too much for patients",
                 "needs more spaces", "took {n} minutes in the car park"]),
    "app": (["the NHS App", "booking through the app", "the online app",
             "the app for prescriptions", "using the app"],
            ["keeps logging me out of the app", "was quick and easy on my phone",
             "should show my records in the app", "crashes a lot on my phone",
             "saves time with the app"]),
}
NON_ANSWERS = ["nothing", "n/a", "No comment.", "", "  ", "None", "-"]
SUFFIXES = ["", ".", "!", " really", " to be honest", " overall", " again"]


def make_corpus(n_per_topic=40, seed=0, non_answers=True):
    """Texts, their true topic (None for non-answers), segments and positions."""
    rng = random.Random(seed)
    texts, topics = [], []
    for topic, templates in TOPICS.items():
        for _ in range(n_per_topic):
            subjects, comments = templates
            text = f"{rng.choice(subjects)} {rng.choice(comments)}".format(n=rng.randint(2, 9))
            texts.append(text[0].upper() + text[1:] + rng.choice(SUFFIXES))
            topics.append(topic)
    if non_answers:
        for value in NON_ANSWERS:
            texts.append(value)
            topics.append(None)
    order = list(range(len(texts)))
    rng.shuffle(order)
    texts = [texts[i] for i in order]
    topics = [topics[i] for i in order]
    segments = [rng.choice(["patient", "staff", None]) for _ in texts]
    positions = [rng.choice([-3, -2, -1, 0, 1, 2, 3, None]) for _ in texts]
    return texts, topics, segments, positions


@pytest.fixture(scope="session")
def corpus():
    return make_corpus()


@pytest.fixture(scope="session")
def fitted(corpus):
    from analysis import ThemeModel

    texts, _, segments, positions = corpus
    return ThemeModel(random_state=0).fit(texts, segments=segments, positions=positions)

"""Fixtures for the analysis tests: a small synthetic consultation with known topics."""

from __future__ import annotations

import random

import pytest

TOPICS = {
    "waiting": [
        "waited {n} hours in A&E before anyone saw me",
        "the waiting time for an appointment was far too long",
        "waiting {n} weeks for a referral is not acceptable",
        "long waits on the phone before anyone answered",
        "shorter waiting times please, {n} hours is too long to wait",
    ],
    "staff": [
        "the nurses were kind, friendly and caring",
        "staff were lovely and so friendly to my mum",
        "very kind and caring staff who listened",
        "friendly reception staff, always polite and kind",
        "the staff were caring and friendly throughout",
    ],
    "parking": [
        "car parking at the hospital is expensive and full",
        "could not find a parking space, the car park was full",
        "parking charges are too high for patients",
        "the car park needs more spaces for disabled drivers",
        "parking was a nightmare, I drove round the car park for {n} minutes",
    ],
    "app": [
        "the NHS App is hard to use and keeps logging me out",
        "booking through the app was quick and easy",
        "I would like to see my records in the app",
        "the online booking system and app crash a lot",
        "an app for repeat prescriptions would save time",
    ],
}
NON_ANSWERS = ["nothing", "n/a", "No comment.", "", "  ", "None", "-"]
SUFFIXES = ["", ".", "!", " really", " to be honest", " overall", " again"]


def make_corpus(n_per_topic=40, seed=0, non_answers=True):
    """Texts, their true topic (None for non-answers), segments and positions."""
    rng = random.Random(seed)
    texts, topics = [], []
    for topic, templates in TOPICS.items():
        for i in range(n_per_topic):
            text = templates[i % len(templates)].format(n=rng.randint(2, 9))
            texts.append(text + rng.choice(SUFFIXES))
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

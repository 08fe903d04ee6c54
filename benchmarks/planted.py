"""Answers with a planted number of topics, for checking that a theme count is found.

Each topic has its own words; every answer takes a few words from one topic, mixed with words
shared by all topics and with stop words, in random order.  The words are made up (letters
drawn at random), so no data file is needed and nothing can leak from the development data.
The human themes of real feedback overlap and shade into each other; these do not, so this
checks the other side: when there are separate groups, their number is what is reported.
"""

from __future__ import annotations

import numpy as np

_STOP = ("the a and i was to it is of my in for very with they were that have be had not but "
         "this on at").split()


def _words(rng, n: int) -> list[str]:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(letters, rng.randint(5, 9))))
    return sorted(out)


def planted_topics(k: int, n: int, seed: int = 0, topic_words: int = 10,
                   shared_words: int = 300) -> tuple[list[str], list[int]]:
    """``n`` answers from ``k`` topics: texts and each text's topic."""
    rng = np.random.RandomState(seed)
    words = list(rng.permutation(_words(rng, k * topic_words + shared_words)))
    topics = [words[i * topic_words:(i + 1) * topic_words] for i in range(k)]
    shared = words[k * topic_words:]
    texts, codes = [], []
    for _ in range(n):
        topic = rng.randint(k)
        tokens = (list(rng.choice(topics[topic], rng.randint(2, 5)))
                  + list(rng.choice(shared, rng.randint(1, 4)))
                  + list(rng.choice(_STOP, rng.randint(2, 6))))
        rng.shuffle(tokens)
        texts.append(" ".join(tokens))
        codes.append(topic)
    return texts, codes

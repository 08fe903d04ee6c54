"""A consultation offered in English and Welsh with one required question of every type, so every
question page (and its errors) can be rendered."""

from __future__ import annotations

SLUG = "every-type"
OPTIONS = [{"key": "waits", "label": "Shorter waits"}, {"key": "kindness", "label": "Kind staff"},
           {"key": "records", "label": "Shared records"}]
DEFINITION = {
    "slug": SLUG, "title": "Every kind of question", "summary": "One of each kind.",
    "audience": "Anyone", "languages": ["en", "cy"],
    "consent_text": "## Before you start\n\nYou choose whether to take part.",
    "min_group_size": 1, "show_results": True, "retention_days": 30,
    "pages": [
        {"key": "about", "title": "About you", "kind": "questions", "questions": [
            {"key": "role", "type": "choice", "prompt": "Who are you?", "segment": True, "required": True,
             "config": {"options": [{"key": "patient", "label": "A patient"},
                                    {"key": "staff", "label": "NHS staff"}], "other": True}}]},
        {"key": "briefing", "title": "Read this first", "kind": "briefing",
         "body": "Some **context** before the questions.\n\n- one side\n- the other side"},
        {"key": "scale", "title": "Where you stand", "kind": "questions", "questions": [
            {"key": "connection", "type": "tradeoff", "prompt": "What matters more?", "required": True,
             "config": {"left": "Human connection", "right": "Speed of diagnosis", "ask_reason": True}},
            {"key": "agree", "type": "likert", "prompt": "Technology helps.", "required": True,
             "config": {"dont_know": True}}]},
        {"key": "lists", "title": "Choose from lists", "kind": "questions", "questions": [
            {"key": "several", "type": "multi", "prompt": "Which do you use?", "required": True,
             "config": {"options": OPTIONS, "max_choices": 2, "other": True}},
            {"key": "order", "type": "rank", "prompt": "Put these in order", "required": True,
             "config": {"options": OPTIONS}},
            {"key": "budget", "type": "allocate", "prompt": "Share the money", "required": True,
             "config": {"options": OPTIONS, "total": 100}}]},
        {"key": "pairs", "title": "Which matters more", "kind": "questions", "questions": [
            {"key": "matters", "type": "pairwise", "prompt": "Which matters more to you?", "required": True,
             "config": {"options": OPTIONS, "pairs": 2}}]},
        {"key": "words", "title": "In your words", "kind": "questions", "questions": [
            {"key": "why", "type": "text", "prompt": "Why does it matter?", "required": True,
             "hint": "A sentence or two."}]},
    ],
}

#: A valid answer for each page (the pairwise page is answered from the pairs it shows).
ANSWERS = {
    "about": {"q-role": "patient"},
    "scale": {"q-connection": "-1", "q-connection-why": "I like people", "q-agree": "2"},
    "lists": {"q-several": ["waits", "kindness"], "q-order-waits": "1", "q-order-kindness": "2",
              "q-order-records": "3", "q-budget-waits": "50", "q-budget-kindness": "30",
              "q-budget-records": "20"},
    "words": {"q-why": "Because people matter"},
}

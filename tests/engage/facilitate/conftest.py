"""Workspace fixtures: staff of each kind signed in, and the builder driven through its forms."""

from __future__ import annotations

import pytest

from surveys.types import get_type

from ..auth.conftest import sign_in, staff  # noqa: F401  (fixture re-exported)


@pytest.fixture
def facilitator_client(client, staff):  # noqa: F811
    u = staff("builder@example.nhs.uk", "facilitator")
    sign_in(client, u.email)
    client.user = u
    return client


def rows_data(name: str, labels: list[str], keys: list[str] | None = None) -> dict:
    """A rows editor as the browser sends it: a box per row, and each option's hidden key."""
    data = {f"{name}-rows": "1"}
    for i, label in enumerate(labels):
        data[f"{name}-{i}-label"] = label
        if keys is not None:
            data[f"{name}-{i}-key"] = keys[i]
    return data


def question_data(q: dict, keys: bool = True) -> dict:
    """The builder's question form, filled in from a definition's question (``keys``: with the
    file's option keys in the rows' hidden boxes, as when editing; else new rows, keys made)."""
    data = {"key": q["key"], "prompt": q["prompt"], "hint": q.get("hint", ""),
            "repeat_of": q.get("repeat_of", "")}
    if q.get("required"):
        data["required"] = "y"
    if q.get("segment"):
        data["is_segment"] = "y"
    config = q.get("config") or {}
    for setting in get_type(q["type"]).settings:
        key, kind = setting.key, setting.kind
        value = config.get(key)
        if kind == "bool":
            if value:
                data["cfg_" + key] = "y"
        elif kind == "options":
            data.update(rows_data("cfg_" + key, [o["label"] for o in value or []],
                                  [o["key"] for o in value or []] if keys else None))
        elif kind == "lines":
            data.update(rows_data("cfg_" + key, list(value or [])))
        elif value is not None:
            data["cfg_" + key] = str(value)
    return data


def build_through_forms(client, definition: dict) -> str:
    """Create a whole consultation with the builder's forms only; returns its slug."""
    slug = definition["slug"]
    settings = {k: definition.get(k, "") for k in ("slug", "title", "summary", "audience", "consent_text")}
    settings.update(retention_days=definition.get("retention_days", 365),
                    min_group_size=definition.get("min_group_size", 5))
    if definition.get("show_results"):
        settings["show_results"] = "y"
    r = client.post("/manage/new", data=settings)
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    for page in definition["pages"]:
        rule = page.get("show_if") or {}
        r = client.post(f"/manage/c/{slug}/pages/new?kind={page['kind']}", data={
            "key": page["key"], "title": page["title"], "body": page.get("body", ""),
            "show_if_question": rule.get("question", ""),
            "show_if_in": [f"{rule['question']}:{a}" for a in rule.get("in", [])]})
        assert r.status_code == 302, _errors(r)
        for q in page.get("questions") or []:
            r = client.post(f"/manage/c/{slug}/pages/{page['key']}/questions/new?type={q['type']}",
                            data=question_data(q))
            assert r.status_code == 302, (q["key"], _errors(r))
    return slug


def _errors(response) -> str:
    import re

    text = response.get_data(as_text=True)
    found = re.findall(r'nhsuk-error-message">\s*<span[^>]*>[^<]*</span>\s*([^<]+)', text)
    return " | ".join(found) or text[:2000]

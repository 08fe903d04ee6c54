"""Every theme edit and its undo; update keeps edits; blind evaluation; the theme × group matrix."""

import re
from collections import Counter
from html import unescape

import pytest
from sqlmodel import func, select

from engage.sample_responses import add_sample_responses
from surveys import theme_tally
from surveys.evaluation import agreement, summary
from surveys.models import AnalysisRun, Answer, EvaluationCode, Respondent, Theme, ThemeAssignment

from .helpers import analysed, split_by_word, untouched_forms
from .test_stance import docx_text


@pytest.fixture
def run(app, session, client):
    return analysed(app, session, client, 60)


def themes(session, run):
    session.expunge_all()
    return session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                        .order_by(Theme.position)).all()


def placement(session, run):
    session.expunge_all()
    return dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                             .where(ThemeAssignment.run_id == run.id)).all())


def fresh(session, model, key):
    session.expire_all()
    return session.get(model, key)


def undo(client, run):
    response = client.post(f"{run.base}/edit", data={"action": "undo"})
    assert response.status_code == 302, response.data[:500]


def test_rename_and_undo(client, session, run):
    t = themes(session, run)[0]
    original = t.label
    client.post(f"{run.base}/t/{t.id}", data={"action": "rename", "rename-label": "New name",
                                              "rename-description": ""})
    assert fresh(session, Theme, t.id).label == "New name"
    undo(client, run)
    assert themes(session, run)[0].label == original


@pytest.mark.parametrize("typed", ["taken", "   "])
def test_a_name_refused_is_said_at_the_top_and_beside_the_field_with_what_was_typed(client, session, run,
                                                                                  typed):
    """A name another theme has gave a bare error page with a link home, the typed name lost; a
    blank one reloaded the long page with no summary at the top, as if nothing had happened."""
    first, second = themes(session, run)[:2]
    name = second.label if typed == "taken" else typed
    response = client.post(f"{run.base}/t/{first.id}", data={"action": "rename", "rename-label": name,
                                                             "rename-description": "Kept"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "<title>Error:" in page and "There is a problem" in page
    summary = page.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#rename-label"' in summary
    assert 'id="rename-label-error"' in page and ">Kept</textarea>" in page
    if typed == "taken":
        assert f'value="{second.label}"' in page
    assert fresh(session, Theme, first.id).label == first.label


def test_merge_and_undo_restores_answers(client, session, run):
    first, second = themes(session, run)[:2]
    second_label = second.label
    before = placement(session, run)
    client.post(f"{run.base}/t/{second.id}", data={"action": "merge", "merge-target": str(first.id)})
    after = placement(session, run)
    assert second.id not in after.values()
    undo(client, run)
    restored = placement(session, run)
    labels = {t.id: t.label for t in themes(session, run)}
    # Every answer is back with a theme of the merged theme's name.
    assert {labels[restored[a]] for a, th in before.items() if th == second.id} == {second_label}
    assert len(themes(session, run)) == len(labels)


def test_move_and_undo(client, session, run):
    first, second = themes(session, run)[:2]
    answer = next(a for a, th in placement(session, run).items() if th == second.id)
    client.post(f"{run.base}/t/{second.id}", data={"action": "move", "move-answer": str(answer),
                                                   "move-target": str(first.id)})
    assert placement(session, run)[answer] == first.id
    undo(client, run)
    assert placement(session, run)[answer] == second.id


def test_move_or_merge_pressed_without_choosing_a_theme_changes_nothing_and_says_why(client, session, run):
    """Each answer's "Move this answer to" list (and "Merge this theme into") starts with no theme
    chosen. Before, it was set to the first other theme, so pressing "Move" without looking moved
    the answer there."""
    first, second = themes(session, run)[:2]
    before = placement(session, run)
    url = f"{run.base}/t/{second.id}"
    forms = untouched_forms(client.get(url).get_data(as_text=True))
    move = next(f for f in forms if f.get("action") == "move")
    assert move["move-target"] == ""  # "Choose a theme"
    answer = move["move-answer"]
    response = client.post(url, data=move)
    assert response.status_code == 400
    assert placement(session, run) == before  # nobody's answer moved
    page = unescape(response.get_data(as_text=True))
    summary = page[page.index("nhsuk-error-summary"):].split("</ul>")[0]
    assert f'href="#move-target-{answer}"' in summary and "Choose a theme to move this answer to" in summary
    # The message is on that answer's list, and on no other answer's.
    assert page.count("Choose a theme to move this answer to") == 2
    field = page[page.index(f'id="answer-{answer}"'):].split("</form>")[0]
    assert "nhsuk-form-group--error" in field
    assert "Error: </span>Choose a theme to move this answer to" in field

    merge = next(f for f in forms if f.get("action") == "merge")
    assert merge["merge-target"] == ""
    response = client.post(url, data=merge)
    assert response.status_code == 400 and "Choose a theme to merge into" in response.get_data(as_text=True)
    assert {t.id for t in themes(session, run)} >= {first.id, second.id}
    assert placement(session, run) == before


def test_board_cards_say_how_many_people_a_themes_answers_are_from(client, session, run):
    """One person can have answers to several questions in one theme: each card says "N answers
    from M people", and the page says why the two differ, rather than giving two bare numbers."""
    board = client.get(run.base).get_data(as_text=True)
    assert "A theme can have more answers than people" in board
    rows = session.exec(select(ThemeAssignment.theme_id, Answer.respondent_id)
                        .join(Answer, Answer.id == ThemeAssignment.answer_id)
                        .where(ThemeAssignment.run_id == run.id)).all()
    counted = {}
    for t in themes(session, run):
        card = board[board.index(f'{run.base}/t/{t.id}"'):].split("</li>")[0]
        said = re.search(r"<strong>(\d+) answers? from (\d+) (?:people|person)</strong>", card)
        who = [r for theme_id, r in rows if theme_id == t.id]
        assert said and tuple(map(int, said.groups())) == (len(who), len(set(who))), (t.label, card[:300])
        counted[t.id] = (len(who), len(set(who)))
    assert any(answers > people for answers, people in counted.values())  # the case worth saying


def test_split_and_undo(client, session, run):
    biggest = max(themes(session, run), key=lambda t: list(placement(session, run).values()).count(t.id))
    count = before = len(themes(session, run))
    assert split_by_word(client, session, run, biggest.id).status_code == 302
    count = len(themes(session, run))
    assert count == before + 1
    undo(client, run)
    assert len(themes(session, run)) == before
    assert list(placement(session, run).values()).count(biggest.id) >= 6


def test_create_review_and_undo(client, session, run):
    client.post(f"{run.base}/edit", data={"action": "create", "label": "Parking"})
    created = [t for t in themes(session, run) if t.label == "Parking"]
    assert len(created) == 1 and created[0].source == "facilitator"
    undo(client, run)
    assert not [t for t in themes(session, run) if t.label == "Parking"]
    t = themes(session, run)[0]
    client.post(f"{run.base}/t/{t.id}", data={"action": "review"})
    assert fresh(session, Theme, t.id).reviewed is True
    undo(client, run)
    assert themes(session, run)[0].reviewed is False


def test_nothing_to_undo_is_explained(client, session, run):
    response = client.post(f"{run.base}/edit", data={"action": "undo"})
    assert response.status_code == 400 and "nothing to undo" in response.data.decode()


def test_update_places_new_answers_and_keeps_edits(client, session, run):
    first = themes(session, run)[0]
    client.post(f"{run.base}/t/{first.id}", data={"action": "rename", "rename-label": "Kept name",
                                                  "rename-description": ""})
    old = placement(session, run)
    session.expunge_all()
    add_sample_responses(session, run.consultation, 20, seed=99)
    session.commit()
    response = client.post(f"{run.base}/edit", data={"action": "update"})
    assert response.status_code == 302
    new = placement(session, run)
    assert len(new) > len(old)
    assert all(new[a] == th for a, th in old.items())  # nobody's answer moved
    assert fresh(session, Theme, first.id).label == "Kept name"
    # Running it again places nothing more.
    client.post(f"{run.base}/edit", data={"action": "update"})
    assert placement(session, run) == new


def test_agreement_on_hand_made_case():
    pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("b", "a"), ("c", "c"),
             ("none", "c")]
    result = agreement(pairs)
    assert result["n"] == 8 and result["agreement"] == pytest.approx(5 / 8)
    # Cohen's kappa by hand: po = 5/8; pe = sum(p_h * p_m) over labels.
    pe = (3 / 8) * (3 / 8) + (3 / 8) * (3 / 8) + (1 / 8) * (2 / 8) + (1 / 8) * 0
    assert result["kappa"] == pytest.approx((5 / 8 - pe) / (1 - pe))
    assert result["per_theme"]["a"] == {"facilitator": 3, "model": 3, "both": 2, "agreement": 0.5}
    assert result["per_theme"]["c"]["agreement"] == 0.5


def test_blind_check_through_the_pages(client, session, run):
    client.post(f"{run.base}/check", data={"action": "start", "size": "20"})
    page = client.get(f"{run.base}/check").data.decode()
    assert "Which theme does this answer belong to?" in page
    placed = placement(session, run)
    codes = session.exec(select(EvaluationCode).where(EvaluationCode.run_id == run.id)).all()
    assert len(codes) == 20
    # The page must not reveal the model's choice.
    assert "Engage put this answer" in page and 'checked' not in page
    # Agree with the model on every answer but the first.
    for i, c in enumerate(sorted(codes, key=lambda c: c.position)):
        choice = str(placed[c.answer_id]) if c.answer_id in placed and i else "none"
        if i == 0 and c.answer_id not in placed:
            choice = str(themes(session, run)[0].id)
        client.post(f"{run.base}/check", data={"code": str(c.id), "theme": choice})
    result_page = client.get(f"{run.base}/check").data.decode()
    assert "Agreement on 20 answers" in result_page and "95%" in result_page
    session.expunge_all()
    assert summary(session, fresh(session, AnalysisRun, run.id))["agreement"] == pytest.approx(0.95)
    assert "(agreement: kappa " in client.get(run.base).get_data(as_text=True)


def test_matrix_shows_groups_and_suppresses_small_ones(client, session, run):
    page = client.get(f"{run.base}/matrix").data.decode()
    # Groups are named by the segment question's labels.
    assert "I am a patient or have been one recently (" in page and "I work for the NHS (" in page
    assert "fewer than 5" in page  # some theme/group cells are small with 60 responses
    assert "How views changed after reading the briefings" in page
    assert "moved towards human connection" in page
    moved = re.search(r"the average moved from\s+(\S+) to\s+(\S+)\.", page)
    assert moved and all(re.fullmatch(r"[+\u2212]\d\.\d|0\.0", m) for m in moved.groups()), moved
    n = session.exec(select(func.count()).select_from(Respondent)).one()
    assert n == 60


def test_the_matrix_says_its_counts_are_people(client, session, run):
    """The matrix once headed a group "(627)" when 300 people took part, then counted answers; the
    smallest-group rule is about people, so its counts are people: a person with answers to several
    questions in one theme is one of its people."""
    page = unescape(client.get(f"{run.base}/matrix").data.decode())
    assert "how many of that group's people have an answer in the theme" in page
    head = re.search(r"<thead.*?</thead>", page, re.S).group(0)
    totals = {name: int(n) for name, n in re.findall(r">\s*([^<>]+?) \((\d+) people\)", head)}
    people = dict(session.exec(select(Respondent.segment, func.count(Answer.respondent_id.distinct()))
                               .select_from(ThemeAssignment)
                               .join(Answer, Answer.id == ThemeAssignment.answer_id)
                               .join(Respondent, Respondent.id == Answer.respondent_id)
                               .where(ThemeAssignment.run_id == run.id, Respondent.segment.is_not(None))
                               .group_by(Respondent.segment)).all())
    names = {"carer": "I look after someone who uses the NHS (a carer)",
             "public": "I am a member of the public",
             "patient": "I am a patient or have been one recently", "staff": "I work for the NHS"}
    # (A group too small to count is named without its number: not shown here.)
    assert len(totals) >= 2
    assert totals == {names[k]: n for k, n in people.items() if names[k] in totals}
    assert sum(totals.values()) > sum(people.values()) / 2


def test_no_hidden_count_can_be_worked_out_and_board_matrix_and_report_agree(client, session, run):
    """A count of 1 to 4 people is never given, nor one that the theme's size or the group's total
    would give away: with one count hidden in a theme, the next is hidden too, and likewise down
    each group. The board, the matrix and the report hide the same counts and never call a hidden
    count "fewer than 5" (it may be 5 or more). Before, the board hid only counts under 5, so
    "patients 46%, carers fewer than 5, NHS 38%" of 13 gave the carers as 2, and the report hid
    an NHS count of 5 as "fewer than 5"."""
    counts = session.exec(select(ThemeAssignment.theme_id, Respondent.segment,
                                 func.count(Answer.respondent_id.distinct()))
                          .join(Answer, Answer.id == ThemeAssignment.answer_id)
                          .join(Respondent, Respondent.id == Answer.respondent_id)
                          .where(ThemeAssignment.run_id == run.id)
                          .group_by(ThemeAssignment.theme_id, Respondent.segment)).all()
    names = {"carer": "I look after someone who uses the NHS (a carer)",
             "public": "I am a member of the public",
             "patient": "I am a patient or have been one recently", "staff": "I work for the NHS"}
    board = unescape(client.get(run.base).get_data(as_text=True))
    report = docx_text(client.get(f"{run.base}/report.docx").data)
    hidden, shown = set(), set()
    for theme_id, segment, n in counts:
        link = f"/themes/{run.id}/t/{theme_id}\""
        if segment not in names or link not in board:
            continue
        card = board[board.index(link):].split("</li>")[0]
        found = re.search(re.escape(names[segment]) + r": (\d+%|not shown)", card)
        if found is None:  # no group of this theme shown at all
            assert "Groups not shown, so that no one can be singled out" in card
            assert names[segment] not in card
        (hidden if found is None or found.group(1) == "not shown" else shown).add((theme_id, segment, n))
    assert all(n >= 5 for _, _, n in shown) and any(n < 5 for _, _, n in hidden)
    assert any(n >= 5 for _, _, n in hidden), "the fixture has a count hidden to protect another"
    for line in (0, 1):  # never one hidden count alone in a theme or in a group
        alone = Counter(cell[line] for cell in hidden)
        shown_in = Counter(cell[line] for cell in shown)
        assert not [k for k, c in alone.items() if c == 1 and shown_in[k]], (line, hidden)
    labels = dict(session.exec(select(Theme.id, Theme.label).where(Theme.run_id == run.id)).all())
    themes_part = report.split("\nThe themes\n")[-1]
    for theme_id, segment, n in hidden | shown:
        section = themes_part[themes_part.index(f". {labels[theme_id]}\n"):]
        who = next(line for line in section.splitlines() if line.startswith("Who wrote these answers:"))
        assert "fewer than" not in who or "answers are from fewer than 5 people" in who, who
        said = f"{names[segment]} (not shown)" in who or "so we do not break it down by group" in who
        assert said == ((theme_id, segment, n) in hidden), (theme_id, segment, n, who)
    matrix = unescape(client.get(f"{run.base}/matrix").get_data(as_text=True))
    for theme_id, segment, n in hidden | shown:
        row = matrix[matrix.index(f"/themes/{run.id}/t/{theme_id}\""):].split("</tr>")[0]
        cell = row[row.index(names[segment]):].split("</td>")[0]
        assert ("not shown" in cell) == ((theme_id, segment, n) in hidden), (theme_id, segment, n, cell)

def test_blind_check_matches_by_theme_not_by_name(client, session, run):
    first, second = themes(session, run)[:2]
    # Two themes with one name (as older runs could have): choosing one where Engage put the other
    # is a disagreement.
    second.label = first.label
    session.add(second)
    session.commit()
    client.post(f"{run.base}/check", data={"action": "start", "size": "50"})
    page = client.get(f"{run.base}/check").data.decode()
    assert f"{first.label} (" in page  # the two are told apart on the coding page
    placed = placement(session, run)
    codes = session.exec(select(EvaluationCode).where(EvaluationCode.run_id == run.id)).all()
    swap = {first.id: second.id, second.id: first.id}
    crossed = 0
    for c in codes:
        model = placed.get(c.answer_id)
        choice = swap.get(model, model)
        crossed += model in swap
        client.post(f"{run.base}/check", data={"code": str(c.id), "theme": str(choice) if choice else "none"})
    assert crossed > 0
    result_page = client.get(f"{run.base}/check").data.decode()
    expected = (len(codes) - crossed) / len(codes)
    session.expunge_all()
    assert summary(session, fresh(session, AnalysisRun, run.id))["agreement"] == pytest.approx(expected)
    assert f"{round(100 * expected)}%" in result_page


def test_the_start_analysis_form_names_no_two_questions_alike(client, run):
    """The trade-off asked at the start and again at the end were listed twice under one name;
    they are told apart as the exports tell them apart."""
    page = unescape(client.get(run.base.rsplit("/", 1)[0] + "/").get_data(as_text=True))
    labels = [text.strip() for attributes, text in re.findall(r"<label([^>]*)>([^<]*)</label>", page)
              if "nhsuk-checkboxes__label" in attributes]
    assert len(labels) == len(set(labels)) > 1, labels
    # one pair of brackets: "(reasons) (at the start)" read as two afterthoughts
    assert [label for label in labels if label.endswith("(reasons given at the start)")]
    assert [label for label in labels if label.endswith("(reasons given at the end)")]
    assert not [label for label in labels if ") (" in label]


def test_the_matrix_quotes_an_answer_without_placeholders_where_the_group_has_one(client, session, run):
    """Each cell quoted its group's first answer, "Contact me on [phone number]…" included, though
    the same group in that theme had answers with nothing taken out."""
    matrix = unescape(client.get(f"{run.base}/matrix").get_data(as_text=True))
    cells = session.exec(select(ThemeAssignment.theme_id, Respondent.segment, Answer.id)
                         .join(Answer, Answer.id == ThemeAssignment.answer_id)
                         .join(Respondent, Respondent.id == Answer.respondent_id)
                         .where(ThemeAssignment.run_id == run.id).order_by(Answer.id)).all()
    by_cell: dict = {}
    for theme_id, segment, answer_id in cells:
        by_cell.setdefault((theme_id, segment), []).append(answer_id)
    quoted = [ids for ids in by_cell.values() if len(ids) >= 5
              and session.get(Answer, ids[0]).text_redacted[:60] in matrix]
    assert quoted, "the fixture has a cell that quotes its first answer"
    first, second = (session.get(Answer, i) for i in quoted[0][:2])
    first.text_redacted = "Contact me on [phone number] or [email] about the waiting times."
    second.text_redacted = "Waiting times for a first appointment are far too long here."
    session.add_all([first, second])
    theme_tally.forget_run(session, run.id)  # texts changed here, behind the app: counted again
    session.commit()
    matrix = unescape(client.get(f"{run.base}/matrix").get_data(as_text=True))
    assert "Waiting times for a first appointment are far too long here." in matrix
    assert "[phone number]" not in matrix and "[email]" not in matrix


def test_a_split_leaves_the_theme_only_keywords_its_answers_still_use(client, session, run):
    # After a merge and a split the theme left showed (and the report printed) keywords of the
    # answers that had gone: "able, able book" on a theme none of whose answers said "book".
    first, second = themes(session, run)[:2]
    merged = list(second.keywords)
    client.post(f"{run.base}/t/{second.id}", data={"action": "merge", "merge-target": str(first.id)})
    word = re.findall(r"[a-z]+", merged[0].lower())[-1]
    after_merge = fresh(session, Theme, first.id).keywords
    assert client.post(f"{run.base}/t/{first.id}/split", data={"phrase": word}).status_code == 302
    left = fresh(session, Theme, first.id)
    texts = session.exec(
        select(Answer.text_redacted).join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
        .where(ThemeAssignment.theme_id == first.id)).all()
    used = {w for text in texts for w in re.findall(r"[^\W\d_]+", text.casefold())}
    assert used and left.keywords
    assert all(set(re.findall(r"[^\W\d_]+", k.casefold())) <= used for k in left.keywords), left.keywords
    page = unescape(client.get(f"{run.base}/t/{first.id}").get_data(as_text=True))
    assert word not in " ".join(left.keywords) and ", ".join(left.keywords[:3]) in page
    undo(client, run)  # and undo puts them back
    assert fresh(session, Theme, first.id).keywords == after_merge

"""Unit tests of the pipeline steps: normalise, non-answers, tokenise, vectorise, cluster,
label, quotes, sentiment, breakdowns."""

import numpy as np
import pytest

from analysis import ThemeModel, is_non_answer, mentions_safeguarding, sentiment_scores
from analysis.cluster import SphericalKMeans, candidate_counts
from analysis.label import (
    make_label,
    natural_phrase,
    surface_form,
    theme_term_scores,
    top_terms,
    unique_labels,
    written_phrase,
    written_phrases,
)
from analysis.nonanswers import duplicate_groups, non_answer_mask
from analysis.normalise import match_key, normalise
from analysis.prepare import prepare
from analysis.pretrained import answer_vectors, dimensions
from analysis.quotes import select_quotes
from analysis.text import StemAnalyzer, tokenise
from analysis.theme import crosstab
from analysis.vectorise import (
    LSAVectoriser,
    WordVectoriser,
    cooccurrence,
    negation_fold,
    ppmi_word_vectors,
)


def test_normalise_cleans_typography_and_space():
    assert normalise("  It\u2019s\u00a0fine \u2014 really\n\n ") == "It's fine - really"
    assert normalise(None) == ""


def test_match_key_ignores_case_and_punctuation():
    assert match_key("N/A") == match_key(" n.a. ") == "n a"
    assert match_key("Don't KNOW!") == "dont know"
    assert match_key("Café") == "cafe"


@pytest.mark.parametrize("text", ["", "   ", "nothing", "Nothing.", "N/A", "n/a", "No comment",
                                  "no comments!", "None", "Don't know", "nothing really",
                                  "...", "-", "Nothing, thank you.", "Did not answer"])
def test_non_answers_are_recognised(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["Nothing, the staff were great", "None of the nurses listened",
                                  "No parking spaces", "Not enough staff", "waiting times"])
def test_real_answers_are_not_non_answers(text):
    assert not is_non_answer(text)


def test_non_answer_mask():
    assert non_answer_mask(["n/a", "long waits"]).tolist() == [True, False]


def test_duplicate_groups_map_back():
    keys = ["a", "b", "a", "c", "b"]
    first, inverse = duplicate_groups(keys)
    assert first.tolist() == [0, 1, 3]
    assert [keys[first[g]] for g in inverse] == keys


def test_prepare_groups_duplicates_and_redacts():
    from analysis import Redactor

    prep = prepare(["Long wait!", "long wait", "n/a", "ring 07700 900123"], Redactor())
    assert len(prep.texts) == 3
    assert prep.counts.tolist() == [2, 1, 1]
    assert prep.non_answer.tolist() == [False, True, False]
    assert prep.texts[2] == "ring [phone number]"


def test_an_answer_of_nothing_but_personal_data_is_a_non_answer():
    # Found by the property test: "0000000000" (a phone number, so "[phone number]") was
    # given a sentiment, though nothing of what it said was left to score.
    texts = ["0000000000", "07700 900123, jo@example.com", "Call me on 07700 900123",
             "The wait was far too long", "Staff were kind and caring"]
    model = ThemeModel(random_state=0).fit(texts)
    sentiment = model.to_dict()["sentiment"]
    assert sentiment[:2] == [None, None] and model.labels_[:2].tolist() == [-1, -1]
    assert None not in sentiment[2:]


def test_tokenise_and_stem():
    assert tokenise("Don't WAIT, 4 hours!") == ["dont", "wait", "hours"]
    analyzer = StemAnalyzer()
    feats = analyzer("The nurses were not listening to me")
    assert "nurs" in feats and "not_listen" in feats and "nurs not_listen" in feats
    assert analyzer.surface("not_listen") == "not listening"


def test_a_hyphenated_word_is_one_word_in_features_and_keywords():
    # Split at the hyphen, "Wi-Fi" gave the keywords "fi, wi" and "face-to-face" gave "face face".
    assert tokenise("Wi-Fi, follow-up and face-to-face - not 10-am") == [
        "wi-fi", "follow-up", "and", "face-to-face", "not", "am"]
    analyzer = StemAnalyzer()
    assert analyzer("The Wi-Fi is poor") == analyzer("the wifi is poor") == ["wifi", "poor", "wifi poor"]
    assert analyzer("e-mail me") == []  # "email" is a stop word however it is written
    wifi = ["The Wi-Fi never works", "Wi-Fi that works please", "Fix the Wi-Fi on the ward",
            "Wi-Fi is poor on the ward", "Better Wi-Fi please"] * 4
    food = ["Hot food on the ward", "Better food choices", "The food was cold",
            "Food menus for diets", "Food came late"] * 4
    model = ThemeModel(n_themes=2, random_state=0, subthemes=False).fit(wifi + food)
    words = [w for theme in model.themes_ for k in theme.keywords for w in k.lower().split()]
    assert "wi-fi" in words and not {"wi", "fi"} & set(words)


def test_a_and_e_is_one_word_however_it_is_spaced():
    # Split, "A&E" was the stop word "a" and the letter "e": answers about it shared no word.
    assert tokenise("Waited in A&E, then A & E again; A&E's triage. Aye, a&eb") == [
        "waited", "in", "a&e", "then", "a&e", "again", "a&e", "s", "triage", "aye", "a", "eb"]
    analyzer = StemAnalyzer()
    assert analyzer("Long wait in A & E") == analyzer("long wait in a&e") == [
        "long", "wait", "a&e", "long wait", "wait a&e"]


def test_a_label_keeps_a_and_e_and_acronyms_written_around_a_dropped_number():
    texts = ["Waited 9 hours in A&E with my dad", "waited 4 hours in A&E with my dad",
             "A&E staff were kind", "Long waits in A & E", "Saw my GP after 3 weeks"]
    # "A&E" opening an answer is an acronym, not a capital that starts a sentence.
    assert surface_form("a&e staff were kind", texts) == "A&E staff were kind"
    assert surface_form("long waits in a&e", texts) == "long waits in A & E"  # as written
    # The label left out the numbers, so the words are found one by one.
    assert surface_form("waited hours in a&e with my dad", texts) == "waited hours in A&E with my dad"
    assert surface_form("saw my gp after weeks", texts) == "saw my GP after weeks"
    emergency = ["Waited 9 hours in A&E with my dad", "The wait in A&E was far too long",
                 "A&E was overcrowded and we waited hours", "Long waits in A & E, no seats",
                 "A&E staff were kind but the wait was long"] * 4
    parking = ["Parking at the hospital costs too much", "Car parking is expensive",
               "Could not find a parking space", "Parking charges are too high"] * 5
    model = ThemeModel(n_themes=2, random_state=0, subthemes=False).fit(emergency + parking)
    keywords = {theme.label: theme.keywords for theme in model.themes_}
    assert any("a&e" in words[:3] for words in keywords.values()), keywords
    assert not any(label.startswith("E ") or " a e" in label.lower() for label in keywords), keywords


def test_stop_words_and_placeholders_are_not_features():
    feats = StemAnalyzer()("the [phone number] and the [name] were there")
    assert feats == []


def test_a_word_blanked_out_before_it_reached_us_is_no_keyword_nor_label_word():
    # "Paramedics were amazing, xxxx" was a sub-theme label: the data blanks names and swear words.
    blanked = ["Nothing, your xxxx amazing", "Paramedics were amazing xxxx", "xxxx staff amazing",
               "Amazing paramedics, xxxx", "The XXXX crew amazing"] * 4
    food = ["Hot food on the ward", "Better food choices", "The food was cold",
            "Food menus for diets", "Food came late"] * 4
    model = ThemeModel(n_themes=2, random_state=0, subthemes=False).fit(blanked + food)
    said = " ".join(theme.label + " " + " ".join(theme.keywords) for theme in model.themes_).lower()
    assert "amazing" in said and "xxxx" not in said
    phrases = written_phrases(["amazing", "xxxx", "paramedics"], ["Paramedics were amazing xxxx staff"] * 5)
    assert phrases and not any("xxxx" in p.lower() for p in phrases)


@pytest.mark.parametrize("opener", ["Honestly,", "Personally,", "Basically,", "Obviously,",
                                    "Literally"])
def test_how_people_open_a_sentence_is_no_keyword(opener):
    # "Honestly," opened a fifth of the demo's answers and was a sub-theme's keyword.
    food = ["Hot food on the ward", "Better food choices", "The food was cold",
            "Food menus for diets", "Food came late"] * 8
    parking = ["Parking costs too much", "The car park is full", "Parking spaces are few",
               "Parking near the door", "More disabled parking"] * 8
    texts = [f"{opener} {text[0].lower()}{text[1:]}" if i % 2 else text
             for i, text in enumerate(food)] + parking
    model = ThemeModel(n_themes=2, random_state=0, min_theme_size=4).fit(texts)
    themes = model.themes_ + [sub for theme in model.themes_ for sub in theme.subthemes]
    said = " ".join(theme.label + " " + " ".join(theme.keywords) for theme in themes).lower()
    assert "food" in said and "parking" in said
    assert opener.strip(",").lower() not in said, said


def test_vectoriser_shapes_and_unit_rows():
    texts = ["long wait in A&E", "waiting far too long", "kind nurses", "nurses were kind",
             "parking costs", "parking is expensive"] * 5
    vec = LSAVectoriser(n_components=3, random_state=0)
    X = vec.fit_transform(texts)
    assert X.shape == (30, 3)
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-5)
    assert np.allclose(vec.transform(texts[:2]), X[:2], atol=1e-5)
    assert not vec.transform(["zzzz qqqq"]).any()  # unknown words give a zero row


def test_vectoriser_copes_with_tiny_vocabulary():
    X = LSAVectoriser().fit_transform(["pain", "pain"])
    assert X.shape[0] == 2
    for texts in (["pain", "pain"], ["!!!", "A"], ["pain relief", "back pain"]):
        X = WordVectoriser().fit_transform(texts)
        assert X.shape[0] == len(texts)
        assert np.isfinite(X).all()


def test_word_vectors_put_words_used_alike_together():
    # "delay" and "wait" never meet, but both come with "hours" and "clinic"; "parking"
    # keeps other company.
    texts = (["wait hours clinic", "delay hours clinic", "wait hours", "delay clinic"] * 10
             + ["parking cost car", "parking car full", "car cost"] * 10)
    # The answers' own vectors alone (the pretrained ones know these words already).
    vec = WordVectoriser(n_components=3, random_state=0, pretrained_weight=0)
    X = vec.fit_transform(texts)
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-5)
    assert np.allclose(vec.transform(texts[:3]), X[:3], atol=1e-5)
    wait, delay, park = vec.transform(["wait", "delay", "parking"])
    assert wait @ delay > wait @ park + 0.5
    assert not vec.transform(["zzzz qqqq"]).any()


def test_pretrained_vectors_know_words_alike_before_any_answer_is_read():
    nurse, doctor, app, website, parking = answer_vectors(["nurse", "doctor", "app", "website",
                                                           "parking"])
    assert np.allclose([np.linalg.norm(v) for v in (nurse, app, parking)], 1, atol=1e-5)
    assert nurse @ doctor > nurse @ parking + 0.3 and app @ website > app @ parking + 0.3
    # Only what an answer is about: stop words, negations and redaction placeholders have no
    # vector, so an answer of nothing else has none; a hyphen is looked past.
    assert not answer_vectors(["it was not the", "[name] [phone number]"]).any()
    assert np.allclose(*answer_vectors(["A check-up", "checkup"]), atol=1e-6)
    # The same text, the same vector, however many come with it (nothing is fitted).
    assert np.array_equal(answer_vectors(["long wait"])[0], answer_vectors(["car", "long wait"])[1])


def test_answers_that_share_no_words_but_mean_the_same_come_closer_with_pretrained_vectors():
    # Few answers: "nurse" and "doctor" never meet, and share no company the answers show.
    texts = ["the nurse was lovely", "my doctor listened", "parking was full",
             "parking costs too much", "nurse came quickly", "doctor explained everything"] * 4
    own = WordVectoriser(n_components=3, random_state=0, pretrained_weight=0).fit(texts)
    both = WordVectoriser(n_components=3, random_state=0).fit(texts)

    def closeness(vec):
        nurse, doctor, parking = vec.transform(["nurse", "doctor", "parking"])
        return nurse @ doctor - nurse @ parking

    assert closeness(both) > closeness(own) + 0.1
    X = both.transform(texts)
    assert X.shape[1] == own.transform(texts).shape[1] + dimensions()
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-5)
    # A text with no word the answers use stays unplaceable ("too unlike the others"), even
    # though the pretrained vectors know its words.
    assert not both.transform(["zeppelins overhead"]).any()


def test_what_every_answers_pretrained_vector_shares_is_taken_off():
    # Summed over many words, long answers on different things point the same way (the
    # average of all words people use) and made one theme of their own; that shared part
    # is learnt at fit and taken off every answer's, as fitted state a kept model carries.
    texts = ["The nurse was kind but the wait was long and parking cost too much",
             "Doctors explained my treatment though the letters came late and the food was cold",
             "Booking on the app was quick", "parking was full", "the nurse was kind"] * 5
    vec = WordVectoriser(n_components=3, random_state=0).fit(texts)
    raw = answer_vectors(texts)
    assert np.allclose(vec.pretrained_mean_, raw.mean(axis=0), atol=1e-6)
    part = vec.transform(texts)[:, -dimensions():]
    assert np.linalg.norm(part.mean(axis=0)) < 0.5 * np.linalg.norm(raw.mean(axis=0)) / np.sqrt(2)
    first, second = vec.transform(texts[:2])[:, -dimensions():]
    plain_first, plain_second = raw[:2]
    assert first @ second / (first @ first) < plain_first @ plain_second


def test_ppmi_word_vectors_shape_and_empty():
    from scipy import sparse

    present = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], float))
    assert ppmi_word_vectors(present, 2, random_state=0).shape == (3, 2)
    lonely = sparse.csr_matrix(np.eye(3))  # no two words ever together
    assert not ppmi_word_vectors(lonely, 2, random_state=0).any()


def test_cooccurrence_weights_a_long_answer_by_its_words_not_its_pairs():
    from scipy import sparse

    # One answer of 2 words and one of 41 words (820 pairs).
    present = np.zeros((2, 43))
    present[0, [0, 1]] = 1
    present[1, 2:] = 1
    co = cooccurrence(sparse.csr_matrix(present)).toarray()
    off = co - np.diag(np.diag(co))
    assert off[0, 1] == pytest.approx(1.0)
    assert off[2, 3] == pytest.approx(1 / 40)
    # Each word of each answer spreads one unit over its companions.
    assert off.sum(axis=1) == pytest.approx(np.ones(43))
    plain = cooccurrence(sparse.csr_matrix(present), length_weighting=False).toarray()
    assert plain[2, 3] == 1.0 and plain[0, 1] == 1.0


def test_negation_fold_maps_negated_word_to_plain_word():
    fold = negation_fold(["listen", "not_listen", "not_rude", "wait"]).toarray()
    assert fold.shape == (4, 4)
    assert fold[1].argmax() == 0 and fold[1].sum() == 1  # "not_listen" -> "listen"
    assert fold[2].argmax() == 2  # no plain "rude": keeps its own column
    assert (fold.sum(axis=1) == 1).all()


def test_negated_answer_shares_topic_with_plain_answer():
    texts = (["staff listened carefully", "doctor listened", "nurses listened well"] * 10
             + ["doctor never listened", "staff not listening"]
             + ["parking cost car", "parking car full", "car cost"] * 10)
    vec = WordVectoriser(n_components=3, random_state=0)
    vec.fit(texts)
    # "not_listen" is in two answers, too few for a word vector of its own: it takes "listen"'s.
    not_listened, listened, parking = vec.transform(["not listened", "listened", "parking"])
    assert not_listened @ listened > 0.9
    assert not_listened @ listened > not_listened @ parking + 0.5


def test_candidate_counts():
    assert candidate_counts(1000, 10, 40)[0] == 2
    assert max(candidate_counts(1000, 10, 40)) == 40
    assert candidate_counts(3, 5, 40) == [1]
    assert max(candidate_counts(100_000, 500, 60, n_distinct=2000)) == 60
    assert max(candidate_counts(1000, 10, 40, n_distinct=8)) == 7


def _blobs(seed=0):
    rng = np.random.RandomState(seed)
    centres = np.eye(6)[:3]
    X = np.vstack([c + 0.1 * rng.randn(30, 6) for c in centres])
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.repeat([0, 1, 2], 30)


def test_spherical_kmeans_finds_the_number_of_clusters():
    from sklearn.metrics import adjusted_rand_score

    X, y = _blobs()
    model = SphericalKMeans(min_size=5, random_state=0).fit(X)
    assert model.n_clusters_ == 3
    assert adjusted_rand_score(y, model.labels_) == 1.0
    assert (model.predict(X) == model.labels_).all()


def test_spherical_kmeans_without_structure_lets_the_size_limits_decide():
    # Points spread evenly on the sphere: no count has a real silhouette.
    rng = np.random.RandomState(0)
    X = rng.randn(400, 20)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    model = SphericalKMeans(min_size=5, max_clusters=12, random_state=0).fit(X)
    assert model.criterion_ == "size"
    assert max(model.scores_.values()) < 0.25
    assert model.n_clusters_ == 12
    # Clear groups are still found by gap or silhouette.
    blobs, _ = _blobs()
    model = SphericalKMeans(min_size=5, max_clusters=12, random_state=0).fit(blobs)
    assert model.criterion_ in ("gap", "silhouette") and model.n_clusters_ == 3


def test_spherical_kmeans_fixed_count_and_small_clusters():
    X, _ = _blobs()
    assert SphericalKMeans(n_clusters=2, random_state=0).fit(X).n_clusters_ == 2
    model = SphericalKMeans(n_clusters=None, min_size=35, random_state=0).fit(X)
    assert np.bincount(model.labels_).min() >= 35 or model.n_clusters_ == 1


@pytest.mark.parametrize("seed", range(4))
def test_silhouettes_of_nested_cuts_are_sklearns(seed):
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist
    from sklearn.metrics import silhouette_score

    from analysis.cluster import nested_silhouettes

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(300, 20)).astype(np.float32)
    X[:40] = X[0]  # duplicates (distance 0) and, cut finely, lone points
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    distances = np.clip(1.0 - X @ X.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(pdist(X.astype(np.float64)), method="ward")
    cuts = {k: fcluster(tree, k, criterion="maxclust") for k in (2, 3, 7, 30, 120, 250)}
    got = nested_silhouettes(distances, cuts)
    assert list(got) == list(cuts)
    # The same numbers, not merely close: the chosen count must not move.
    assert got == {k: float(silhouette_score(distances, labels, metric="precomputed"))
                   for k, labels in cuts.items()}
    assert nested_silhouettes(distances, {}) == {}


def test_distances_for_wards_tree_are_pdists_and_cut_the_same():
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    from analysis.cluster import euclidean_distances

    X, _ = _blobs()
    X = np.vstack([X, X[:10]]).astype(np.float32)  # repeated answers: distance 0
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    exact = pdist(X.astype(np.float64))
    fast = euclidean_distances(X)
    assert fast.shape == exact.shape and fast.dtype == np.float64
    assert np.abs(fast - exact).max() < 1e-7 and (fast >= 0).all()
    ours, theirs = linkage(fast, method="ward"), linkage(exact, method="ward")
    for k in range(2, 40):
        assert (fcluster(ours, k, criterion="maxclust") == fcluster(theirs, k, criterion="maxclust")).all()


def test_weighted_centres_are_those_of_adding_each_member_in_turn():
    from sklearn.preprocessing import normalize

    from analysis.cluster import _centres

    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 30)).astype(np.float32)
    labels, weight = rng.integers(0, 7, 500), rng.random(500) * 4
    labels[labels == 5] = 6  # a centre with no member stays zero
    each = np.zeros((7, 30))
    np.add.at(each, labels, X * weight[:, None])
    got = _centres(X, labels, weight, 7)
    assert np.array_equal(got, normalize(each)) and not got[5].any()


def test_theme_term_scores_prefer_distinctive_terms():
    from scipy import sparse

    tfidf = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1]], float))
    scores = theme_term_scores(tfidf, np.array([0, 0, 1, 1]), 2)
    assert scores[0].argmax() == 1 and scores[1].argmax() == 2
    assert scores[0, 0] < scores[0, 1]


def test_top_terms_and_label():
    names = np.array(["wait", "wait time", "time", "park"])
    terms = top_terms(np.array([0.9, 1.0, 0.5, 0.0]), names, lambda f: f.replace("wait",
                                                                                 "waiting"))
    assert terms == ["waiting time"]
    assert make_label([]) == "Other answers"


def test_label_prefers_a_leading_phrase():
    assert make_label(["waiting time", "hours"]) == "Waiting time"
    assert make_label(["arrived", "ambulance", "ambulance arrived", "crew"]) == "Ambulance arrived"
    # A phrase far down the list does not lead; then the leading words do.
    assert make_label(["friendly", "helpful", "kind", "staff", "crew", "friendly helpful"]) \
        == "Friendly, helpful"
    # A negated phrase reads badly as a label and is passed over.
    assert make_label(["transport", "not problem", "patient"]) == "Transport, patient"


def test_label_never_repeats_a_word():
    # "quicker" is not said twice; "waiting" is "wait" again (same stem).
    keywords = ["app", "quicker", "waiting", "wait", "quicker test", "not app", "test"]
    assert make_label(keywords, max_terms=4) == "App, quicker, waiting, test"
    assert make_label(["quicker", "quick", "app"]) == "Quicker, app"
    assert make_label(["wait", "waiting", "hours"]) == "Wait, hours"
    for label in unique_labels([["app", "quicker", "quicker test"], ["time", "times", "face"]]):
        words = label.lower().replace(",", "").split()
        assert len(words) == len(set(words)), label


def test_labels_are_unique_across_themes():
    keywords = [["good service", "pleased"], ["good service", "provide", "good"],
                ["good service"], ["good", "service", "good service"]]
    labels = unique_labels(keywords)
    assert labels[0] == "Good service"
    assert labels[1] == "Good service, provide"  # the next keyword with a new word
    assert labels[2] == "Good service (2)"  # nothing left to add
    assert len({label.lower() for label in labels}) == len(labels)


def test_label_phrase_is_written_as_people_wrote_it():
    texts = ["I was treated with respect", "Treated with respect and dignity",
             "they treated me with respect", "treated respect"]
    assert natural_phrase("treated respect", texts) == "treated with respect"
    assert natural_phrase("waiting time", ["the waiting time. Time waiting"]) == "waiting time"
    # The words must be in one clause, with only small words between them.
    assert natural_phrase("staff rude", ["staff, rude", "staff were not rude"]) == "staff rude"
    labels = unique_labels([["treated respect", "dignity"], ["person spoke"]],
                           [texts, ["the person i spoke to"]])
    assert labels == ["Treated with respect", "Person I spoke"]


def test_label_keeps_capitals_and_hyphenated_words_as_written():
    texts = ["Wi-Fi that works on the ward.", "wi-fi that works please", "AI helping doctors",
             "I think AI helping is good", "Ai helping", "My GP seeing me", "Treated with respect"]
    assert surface_form("fi that works", texts) == "wi-fi that works"
    assert surface_form("ai helping", texts) == "AI helping"
    assert surface_form("gp seeing", texts) == "GP seeing"
    assert surface_form("treated with respect", texts) == "treated with respect"  # sentence start
    assert surface_form("parking", texts) == "parking"
    assert surface_form("pain", ["Painful", "in pain-relief"]) == "pain-relief"
    labels = unique_labels([["fi works", "ward"], ["ai helping"]], [texts[:2], texts[2:5]])
    assert labels == ["Wi-fi that works", "AI helping"]


def test_a_keyword_added_to_tell_two_labels_apart_is_written_as_people_wrote_it():
    """"Keeping my data safe and private, gp": the keyword that tells a sub-theme from its theme
    was added as the engine keeps it, in lower case."""
    labels = unique_labels([["data safe"], ["data safe", "gp"]],
                           [["data safe", "Data safe"], ["data safe, said my GP", "GP: data safe"]])
    assert labels == ["Data safe", "Data safe, GP"], labels


def test_quotes_are_representative_and_different():
    texts = ["the wait was long and slow", "the wait was long and slow!", "long wait again today",
             "waiting too long for a bed here", "unrelated words about parking"]
    vectors = np.array([[1, 0], [1, 0], [0.95, 0.31], [0.9, 0.44], [0, 1]], float)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    quotes = select_quotes(texts, vectors, np.array([1.0, 0.0]), n=3)
    assert len(quotes) == 3
    assert quotes[0] == texts[0]
    assert texts[1] not in quotes  # same words as an earlier quote
    assert select_quotes([], np.zeros((0, 2)), np.zeros(2)) == []


def test_sentiment_scores():
    scores = sentiment_scores(["The staff were wonderful and kind", "Terrible, rude and awful",
                               ""])
    assert scores[0] > 0.5 and scores[1] < -0.5 and scores[2] == 0


def test_safeguarding_mentions():
    assert mentions_safeguarding("I was hit by another patient")
    assert not mentions_safeguarding("lovely staff")


def test_crosstab_counts_per_theme():
    table = crosstab(np.array([0, 0, 1, -1]), ["staff", None, "patient", "staff"], 2)
    assert table == [{"staff": 1}, {"patient": 1}]
    assert crosstab(np.array([0]), None, 1) == [{}]


def test_stability_measures():
    from analysis.evaluate import agreement, matched_themes, stay_together

    before = np.array([0, 0, 0, 1, 1, 1, -1])
    assert stay_together(before, before) == 1.0 and matched_themes(before, before) == 1.0
    split = np.array([0, 0, 2, 1, 1, 1, 0])
    assert stay_together(before, split) == pytest.approx(4 / 6)
    assert matched_themes(before, split) == 1.0  # theme 0 keeps 2 of 3: Jaccard 2/3
    shuffled = np.array([0, 1, 2, 0, 1, 2, 0])
    assert matched_themes(before, shuffled) == 0.0
    assert agreement([0, 0, 1, 1], [5, 5, 7, 7]) == {"nmi": 1.0, "ari": 1.0}


def test_text_keys_are_stable_and_sampling_is_weighted():
    from analysis.sampling import text_keys, weighted_sample

    keys = text_keys(["a", "b", "c"], seed=1)
    assert ((keys > 0) & (keys < 1)).all()
    assert text_keys(["c", "a"], seed=1).tolist() == [keys[2], keys[0]]  # by text, not position
    assert text_keys(["a"], seed=2)[0] != keys[0]
    many = text_keys([str(i) for i in range(4000)], seed=0)
    weight = np.where(np.arange(4000) < 2000, 9.0, 1.0)
    picked = weighted_sample(many, weight, 400)
    assert len(picked) == 400 and (np.diff(picked) > 0).all()
    assert (picked < 2000).mean() > 0.8  # heavy items are picked about 9 times as often


def test_unique_label_never_repeats_an_existing_label():
    from analysis.label import unique_label

    assert unique_label("Waiting times", ["Parking"]) == "Waiting times"
    assert unique_label("Waiting times", ["waiting  times"], ["waiting", "phone"]) == \
        "Waiting times: phone"
    assert unique_label("GP seeing", ["GP seeing", "GP seeing (2)"]) == "GP seeing (3)"
    labels = []
    for _ in range(5):
        labels.append(unique_label("Same", labels, ["same"]))
    assert len({x.lower() for x in labels}) == 5


def test_quotes_avoid_placeholders_and_fragments():
    from analysis.quotes import select_quote_indices

    texts = ["My NHS number is [NHS number] and my phone is [phone number] please call",
             "Call me on [phone number] about the long wait for my appointment",
             "The wait for an appointment was far too long",
             "wait",
             "Waiting weeks for an appointment is not acceptable"]
    vectors = np.tile([1.0, 0.0], (len(texts), 1))
    picked = select_quote_indices(texts, vectors, np.array([1.0, 0.0]), n=5)
    assert 0 not in picked  # two placeholders: never quoted
    assert picked[:2] == [2, 4]  # whole sentences without placeholders first
    assert set(picked) == {1, 2, 3, 4}


def test_labels_are_phrases_people_wrote():
    respect = ["I was treated with respect.", "Staff treated me with respect and kindness",
               "Always treated with respect", "They treated me with dignity", "Respect shown"]
    wifi = ["The Wi-Fi never works", "Wi-Fi that works please", "Fix the Wi-Fi on the ward",
            "no wifi", "Better Wi-Fi"]
    waits = ["Waiting too long for appointments", "Waiting too long for appointments again",
             "I was waiting too long", "Long waits", "waiting too long for a call back"]
    labels = unique_labels([["treated", "respect", "kindness"], ["wi-fi", "works", "ward"],
                            ["waiting", "long", "appointments"]], [respect, wifi, waits])
    assert labels[0] == "Treated with respect"
    assert "Wi-Fi" in labels[1] and "fi, wi" not in labels[1].lower()
    assert labels[2].lower().startswith("waiting too long")
    assert len(set(labels)) == 3


def test_a_phrase_used_once_is_not_a_label():
    texts = ["Staff were kind", "Nurses kind", "kind people", "Very kind doctor"]
    assert written_phrase(["kind", "staff"], texts) is None


def test_a_label_keeps_the_apostrophes_people_wrote():
    texts = ["One shared record so I don't repeat my story", "Please don't repeat my story",
             "I don't repeat my story any more", "shared records"]
    assert unique_labels([["not repeat", "story", "shared"]], [texts]) == ["Don't repeat my story"]


def test_a_label_is_the_whole_phrase_not_its_tail():
    # With phrases of at most five words this theme was labelled "Works on the ward".
    texts = ["Wi-Fi that works on the ward.", "Honestly, Wi-Fi that works on the ward. Things are slow.",
             "Please focus on Wi-Fi that works on the ward and help for people who are not online.",
             "What matters most is Wi-Fi that works on the ward.", "I think Wi-Fi that works on the ward."]
    assert unique_labels([["ward", "wi-fi", "wi-fi works", "works ward"]], [texts]) == [
        "Wi-Fi that works on the ward"]


def test_a_phrase_that_doubles_a_word_is_said_whole():
    # The demo's theme was labelled "Face appointments for anything serious": a phrase could not
    # say "face" twice, so the label began after "face to".
    texts = ["Face to face appointments for anything serious.",
             "What matters most is face to face appointments for anything serious.",
             "I think face to face appointments for anything serious and kindness.",
             "Please focus on face to face appointments for anything serious. Staff are stretched."]
    assert unique_labels([["face", "face appointments", "appointments"]], [texts]) == [
        "Face to face appointments for anything serious"]
    # A word said twice otherwise still makes no label ("care and better care").
    texts = ["Care and better care for my mum.", "We need care and better care now.",
             "Care and better care please."]
    assert written_phrases(["care", "better care"], texts) == ["better care"]


def test_a_label_may_say_phone_but_never_a_placeholders_words():
    # "phone" groups no answers (redaction writes "[phone number]"), and labels could not say it:
    # a theme of the development data was "Answer phone quicker", made of its keywords.
    texts = ["Answer the phone quicker please.", "They never answer the phone.",
             "Nobody would answer the phone", "Please answer the phone when I ring",
             "Could not get them to answer the phone for hours"]
    assert written_phrase(["answer", "answer phone", "quicker"], texts) == "answer the phone"
    # No label runs across a placeholder: "Ring phone number booking line" was one.
    texts = ["Ring [phone number] booking line", "Please ring [phone number] booking line",
             "Ring [phone number] booking line today"]
    assert written_phrases(["ring", "booking", "line"], texts) == ["booking line"]


def test_a_label_does_not_end_mid_phrase():
    # Seven words are too many for a label, and the six-word head "Hospital and GP seeing" ends
    # on a participle that every answer continues: the label follows it to the words it is about.
    texts = ["Hospital and GP seeing the same notes.", "I think hospital and GP seeing the same notes.",
             "Please focus on hospital and GP seeing the same notes and quicker test results.",
             "What matters most is hospital and GP seeing the same notes.", "Shared notes"]
    label = unique_labels([["hospital", "gp", "gp seeing", "notes"]], [texts])[0]
    assert label == "GP seeing the same notes"


def test_a_label_is_followed_to_where_its_answers_wording_ends():
    # "... so I don't repeat" is followed by "my story" in every answer: the label is the
    # end of that wording, not its head.
    texts = ["One shared record so I don't repeat my story.",
             "I think one shared record so I don't repeat my story.",
             "Honestly, one shared record so I don't repeat my story. Staff are stretched.",
             "Shared record please"]
    # The wording (nine words) is cut at "so": either side is a whole phrase, and the one with
    # the theme's leading keywords is the label.
    label = unique_labels([["not repeat", "story", "record"]], [texts])[0]
    assert label == "Don't repeat my story"
    label = unique_labels([["shared record", "record", "repeat", "story"]], [texts])[0]
    assert label == "One shared record"
    # "... so the doctor can look at me" is too long: the label stops before "so", not in the
    # middle ("AI scribes so the doctor", which the answers go on from).
    texts = ["AI scribes so the doctor can look at me.", "I think AI scribes so the doctor can look at me.",
             "AI scribes so the doctor can look at me and quicker test results."]
    assert written_phrase(["ai", "scribes", "doctor"], texts) == "ai scribes"


def test_a_participle_label_is_kept_when_its_answers_go_on_differently():
    texts = ["Kept waiting for hours", "Waiting for the doctor", "waiting too long", "Kept waiting",
             "Stop the waiting please", "kept waiting again"]
    assert written_phrase(["kept", "waiting"], texts) == "kept waiting"
    # A time people wrote is part of the phrase: the label does not stop at "ringing at" and
    # keeps six words by dropping "getting a".
    texts = ["Getting a GP appointment without ringing at 8am.",
             "Getting a GP appointment without ringing at 8am",
             "I think getting a GP appointment without ringing at 8am."]
    assert written_phrase(["appointment", "ringing", "gp"], texts) == \
        "gp appointment without ringing at 8am"
    # Other numbers are dropped, as the tokeniser drops them: "waited 3 hours" and "waited 10
    # hours" are one phrase.
    texts = ["Waited 3 hours for an ambulance", "waited 10 hours", "We waited 5 hours in pain",
             "Ambulance was late"]
    assert written_phrase(["waited", "hours"], texts) == "waited hours"


def test_a_label_looks_back_to_the_start_of_its_phrase():
    # Every answer has "making" before "sure it works for disabled people": the label is the
    # whole phrase (seven words, as the seventh brings two keywords), not its tail.
    texts = ["Making sure it works for disabled people.", "I think making sure it works for disabled people.",
             "Please focus on making sure it works for disabled people.", "Disabled access"]
    assert unique_labels([["disabled", "disabled people", "making", "making sure"]], [texts]) == [
        "Making sure it works for disabled people"]
    # A phrase that starts after a preposition is the tail of a longer one: not a label.
    assert written_phrase(["disabled people", "disabled"], texts) != "disabled people"


def test_a_label_can_end_on_a_small_word_that_completes_it():
    # "... does more" ends on a stop word, but not one that needs a word after it: the label
    # is the whole phrase, not "App that actually".
    texts = ["An NHS App that actually does more.", "I think an NHS App that actually does more.",
             "Please focus on an NHS App that actually does more. Staff are stretched.",
             "Repeat prescriptions in the app"]
    assert unique_labels([["app", "actually", "app actually", "prescriptions"]], [texts]) == [
        "NHS App that actually does more"]


def test_a_label_keeps_the_polarity_of_its_answers():
    # "Nothing could be better" is not a use of "could be better": the label says what most
    # answers say, not the opposite ("Food could be better").
    texts = ["Nothing could be better.", "Honestly nothing could be better", "Food could be better",
             "The food could be better", "Nothing could be better, thank you"]
    assert written_phrase(["better"], texts) == "nothing could be better"
    # Uses after "not" do not count for the plain phrase either.
    texts = ["I was not kept waiting", "Never kept waiting at all", "Was not kept waiting long",
             "Kept waiting for hours", "kept waiting again", "Staff were lovely"]
    assert written_phrase(["waiting", "kept"], texts) == "not kept waiting"


def test_a_label_is_what_most_answers_say_in_any_wording():
    # "Kind staff" is written word for word more often, but more answers say the staff were
    # helpful, in several wordings: the label says that.
    texts = ["Kind staff", "kind staff", "Kind staff there", "Helpful staff", "helpful staff",
             "The staff were helpful", "staff were helpful", "staff so helpful", "Staff, helpful",
             "Parking"]
    label = written_phrase(["staff", "helpful", "kind"], texts)
    assert "helpful" in label and "staff" in label and "kind" not in label


def test_very_and_one_word_is_a_label_only_for_a_theme_that_is_that_word():
    texts = ["Very good", "very good thank you", "Very good.", "All very good", "Good",
             "good thank you", "Excellent, very good", "The nurse was good"]
    assert written_phrase(["good", "good thank"], texts) == "very good"
    texts = ["Very good", "very good", "Parking was hard", "Parking is hard to find",
             "parking hard to find", "hard parking", "The parking"]
    assert written_phrase(["parking", "good", "hard"], texts) != "very good"


def test_a_theme_whose_phrase_is_taken_gets_its_next_phrase():
    # A sub-theme whose best phrase is its parent's gets its own next phrase, not the parent's
    # label with a keyword added ("Fewer passwords and systems for staff, mean").
    texts = ["Fewer passwords and systems for staff. Staff are stretched already.",
             "Fewer passwords and systems for staff. Staff are stretched already!",
             "I think fewer passwords and systems for staff. Staff are stretched already."]
    keywords = [["fewer", "fewer passwords", "staff", "stretched"]]
    assert unique_labels(keywords, [texts]) == ["Fewer passwords and systems for staff"]
    assert unique_labels(keywords, [texts], taken=["Fewer passwords and systems for staff"]) == [
        "Staff are stretched already"]


def test_the_first_quote_says_what_the_label_says():
    from analysis.label import agrees_with, content_keys
    from analysis.quotes import select_quote_indices

    assert content_keys("No problems") == {"not_problem"}
    assert content_keys("Just listening to my problems") == {"listen", "problem"}
    texts = ["Just listening to my problems.", "Nothing could have been better.",
             "No problems at all, thank you.", "No problems with the crew."]
    vectors = np.array([[1, 0], [0.99, 0.14], [0.9, 0.44], [0.8, 0.6]], float)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centre = np.array([1.0, 0.0])
    assert select_quote_indices(texts, vectors, centre, n=3)[0] == 0
    picked = select_quote_indices(texts, vectors, centre, n=3, agrees=agrees_with("No problems"))
    assert picked[0] == 2 and len(picked) == 3
    # "Could be better" is not what "Nothing could have been better" says... but its words
    # are all there; a label with no answer that holds its words keeps the usual order.
    assert select_quote_indices(texts, vectors, centre, n=2,
                                agrees=agrees_with("Waiting time"))[0] == 0

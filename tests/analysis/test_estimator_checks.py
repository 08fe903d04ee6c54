"""scikit-learn's own checks of the clustering estimator (validation, fitted state, pickling,
determinism, n_features_in_, sparse and non-finite input refused with a message...)."""

import warnings

from sklearn.exceptions import SkipTestWarning
from sklearn.utils.estimator_checks import check_estimator

from analysis.cluster import SphericalKMeans

# Ward's tree is built once per distinct point: a point given weight 2 is one leaf, a point
# repeated twice is two.  k-means after it honours the weights, but the starting partition can
# differ, so weights are not exactly equivalent to repeats.  (Duplicates are grouped and
# weighted before clustering on purpose: it is faster, and the same answer given twice should
# not pull a theme twice as hard as the tree is built.)
EXPECTED = {
    "check_sample_weight_equivalence_on_dense_data":
        "Ward's tree has one leaf per distinct point, whatever its weight",
}


def test_scikit_learn_checks():
    # Checks for inputs not installed here (pandas, the array API) are reported as skipped.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkipTestWarning)
        results = check_estimator(SphericalKMeans(random_state=0), on_fail=None,
                                  expected_failed_checks=EXPECTED)
    failed = [(r["check_name"], str(r["exception"])[:300]) for r in results if r["status"] == "failed"]
    assert failed == []
    assert sum(r["status"] == "passed" for r in results) >= 45
    # The one known difference still shows: if it is ever fixed, EXPECTED should go.
    assert {r["check_name"] for r in results if r["status"] == "xfail"} == set(EXPECTED)

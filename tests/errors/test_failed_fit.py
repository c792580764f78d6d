"""A fit that raises leaves the estimator exactly as it was: nothing half-written."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder
from skdsa.metrics import ProcrustesVectorFieldMetric

CASES = [
    (HankelEmbedder(n_delays=5), lambda X: X, lambda X: X[:, :3], "transform"),
    (DMDRegressor(rank=2), lambda X: X, lambda X: X[:, :, :1], "transform"),
    (DSA(rank=2), lambda X: [X, X[::-1]], lambda X: [X, X[:, :, :1]], "transform"),
    (GeometricDistance(), lambda X: [X, X[::-1]], lambda X: [X, [X[0], X[1, :20]]],
     "transform"),
]


@pytest.mark.parametrize("estimator, good, bad, method", CASES,
                         ids=lambda value: type(value).__name__)
def test_failed_fit_leaves_no_trace(series, estimator, good, bad, method):
    with pytest.raises(ValueError):
        estimator.fit(bad(series))
    with pytest.raises(NotFittedError):
        getattr(estimator, method)(good(series))
    estimator.fit(good(series))
    before = {k: v for k, v in vars(estimator).items()}
    with pytest.raises(ValueError):
        estimator.fit(bad(series))
    assert vars(estimator).keys() == before.keys()
    assert all(vars(estimator)[k] is v for k, v in before.items())


def test_failed_metric_fit_keeps_the_previous_result():
    metric = ProcrustesVectorFieldMetric(random_state=0).fit(np.eye(3), np.eye(3))
    with pytest.raises(ValueError, match="different sizes"):
        metric.fit(np.eye(3), np.eye(2))
    assert metric.score_ == 0.0 and metric.C_.shape == (3, 3)

"""Other operator models as the per-system model of DSA."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, HankelEmbedder


def linear_series(seed, n_timepoints=200, noise=0.0):
    rng = np.random.default_rng(seed)
    blocks = [0.97 * np.array([[np.cos(w), -np.sin(w)], [np.sin(w), np.cos(w)]])
              for w in (0.2, 0.5)]
    M = np.block([[blocks[0], np.zeros((2, 2))], [np.zeros((2, 2)), blocks[1]]])
    x = np.empty((n_timepoints, 4))
    x[0] = rng.normal(size=4)
    for t in range(n_timepoints - 1):
        x[t + 1] = M @ x[t]
    rotation = np.linalg.qr(rng.normal(size=(6, 6)))[0][:4]  # orthonormal rows
    return x @ rotation + noise * rng.normal(size=(n_timepoints, 6)), M


class LeastSquaresOperator(BaseEstimator):
    """A minimal model of one's own: full least-squares operator, no truncation."""

    def fit(self, X, y=None):
        X = np.asarray(X)
        self.operator_ = np.linalg.lstsq(X[:-1], X[1:], rcond=None)[0].T
        return self


def test_any_estimator_with_a_square_operator_is_a_dsa_model():
    rng = np.random.default_rng(5)
    x = linear_series(0)[0]
    systems = [x @ np.linalg.qr(rng.normal(size=(6, 6)))[0] for _ in range(3)]
    D = DSA(model=LeastSquaresOperator(), random_state=0).fit_transform(systems)
    # The same dynamics in three coordinate systems: conjugate operators.
    assert D.shape == (3, 3) and D.max() < 1e-6

    class NoOperator(BaseEstimator):
        def fit(self, X, y=None):
            return self

    with pytest.raises(TypeError, match="NoOperator has no operator_ after fit"):
        DSA(model=NoOperator()).fit(systems)


@pytest.mark.filterwarnings("ignore:Input data condition number")  # 4 dims in 6 features
@pytest.mark.parametrize("model_name", ["DMD", "BOPDMD"])
def test_pydmd_models_give_the_native_eigenvalues(model_name, optional_import):
    pydmd = optional_import("pydmd")
    from skdsa.adapters import PyDMDModel

    x, M = linear_series(0)
    native = DMDRegressor(rank=4).fit(x)
    adapter = PyDMDModel(getattr(pydmd, model_name)(svd_rank=4)).fit(x)
    expected = np.sort_complex(np.linalg.eigvals(M))
    np.testing.assert_allclose(np.sort_complex(native.eigenvalues_), expected, atol=1e-8)
    np.testing.assert_allclose(np.sort_complex(adapter.eigenvalues_), expected, atol=1e-6)
    assert adapter.operator_.dtype == np.float64 and adapter.operator_.shape == (4, 4)


def test_pydmd_model_in_a_dsa_pipeline_and_its_errors(optional_import):
    pydmd = optional_import("pydmd")
    from skdsa.adapters import PyDMDModel

    systems = [linear_series(seed, noise=0.01)[0] for seed in range(3)]
    model = Pipeline([("hankel", HankelEmbedder(3)), ("dmd", PyDMDModel(pydmd.DMD(svd_rank=4)))])
    D = DSA(model=model, random_state=0).fit_transform(systems)
    assert D.max() < 0.05
    with pytest.raises(ValueError, match="fits one trajectory, but X has 2 trials"):
        PyDMDModel(pydmd.DMD(svd_rank=2)).fit(np.stack(systems[:2]))

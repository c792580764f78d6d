"""Bad input to the driven models and to InputDSA: one test per class of mistake."""

import numpy as np
import pytest

from skdsa import (
    DMDcRegressor,
    DrivenRecording,
    HankelEmbedder,
    InputDSA,
    SubspaceDMDcRegressor,
)
from skdsa.datasets import make_driven_linear
from skdsa.metrics import DrivenProcrustesMetric


@pytest.fixture
def recording():
    return make_driven_linear(n_trials=3, n_timepoints=60, random_state=0)


def collection(recording, bad):
    return {"good": recording, "the bad one": bad}


def test_inputs_of_another_length_name_the_system_and_both_shapes(recording):
    bad = DrivenRecording(recording.states, recording.inputs[:, :50])
    with pytest.raises(ValueError, match=r"System the bad one: The inputs do not match the "
                                         r"states in their timepoints per trial: states are "
                                         r"an array of shape \(3, 60, 4\), inputs are an "
                                         r"array of shape \(3, 50, 2\)"):
        InputDSA().fit(collection(recording, bad))


def test_inputs_with_another_trial_count(recording):
    bad = DrivenRecording(recording.states, recording.inputs[:2])
    with pytest.raises(ValueError, match=r"System the bad one: .*in their trials: states are "
                                         r"an array of shape \(3, 60, 4\), inputs are an "
                                         r"array of shape \(2, 60, 2\)"):
        InputDSA().fit(collection(recording, bad))


def test_ragged_inputs_that_do_not_follow_ragged_states(recording):
    states = [recording.states[0], recording.states[1, :40]]
    inputs = [recording.inputs[0], recording.inputs[1, :45]]
    with pytest.raises(ValueError, match=r"states are a list of 2 trials of lengths \[60, 40\], "
                                         r"inputs are a list of 2 trials of lengths \[60, 45\]"):
        DMDcRegressor().fit(DrivenRecording(states, inputs))


def test_nan_in_the_inputs_names_the_system_and_its_place(recording):
    inputs = recording.inputs.copy()
    inputs[2, 7, 1] = np.nan
    with pytest.raises(ValueError, match=r"System the bad one: Input u \(the inputs\) contains "
                                         r"NaN or infinity: trial 2, timepoint 7, feature 1"):
        InputDSA().fit(collection(recording, DrivenRecording(recording.states, inputs)))


def test_inputs_missing_where_a_driven_model_needs_them(recording):
    with pytest.raises(ValueError, match=r"System the bad one: DMDcRegressor fits states driven "
                                         r"by inputs, but got an array of shape \(3, 60, 4\) "
                                         r"without inputs. Pass DrivenRecording"):
        InputDSA().fit(collection(recording, recording.states))
    with pytest.raises(ValueError, match="SubspaceDMDcRegressor fits states driven by inputs"):
        SubspaceDMDcRegressor().fit(recording.states)


def test_n_inputs_that_leaves_no_state(recording):
    with pytest.raises(ValueError,
                       match=r"n_inputs=4 leaves no state feature: X has 4 feature\(s\)"):
        DMDcRegressor(n_inputs=4).fit(recording.states)


def test_a_different_number_of_inputs_at_predict(recording):
    model = DMDcRegressor().fit(recording)
    other = DrivenRecording(recording.states, recording.inputs[..., :1])
    with pytest.raises(ValueError, match="The inputs have 1 features, but DMDcRegressor was "
                                         "fitted with 2 inputs"):
        model.score(other)


def test_subspace_windows_longer_than_the_trials(recording):
    with pytest.raises(ValueError, match=r"n_past=40 and n_future=30 need trials of at least "
                                         r"n_past \+ n_future \+ 1 = 71 timepoints; the longest "
                                         r"has 60 sample"):
        SubspaceDMDcRegressor(n_past=40, n_future=30).fit(recording)
    embedded = HankelEmbedder(3).fit_transform(recording)
    with pytest.raises(ValueError, match="without a HankelEmbedder"):
        SubspaceDMDcRegressor().fit(embedded)


def test_a_model_without_an_input_operator(recording):
    from skdsa import DMDRegressor

    with pytest.raises(TypeError, match="has no operator_ and input_operator_"):
        InputDSA(model=DMDRegressor()).fit({"a": recording.states, "b": recording.states})


def test_metric_input_operators_of_the_wrong_shape_or_channels():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 3))
    with pytest.raises(ValueError, match=r"Input operator B of Y must be a real array of shape "
                                         r"\(n, m\) with n = 3 rows"):
        DrivenProcrustesMetric().fit((A, rng.normal(size=(3, 2))), (A, rng.normal(size=(4, 2))))
    with pytest.raises(ValueError, match=r"different numbers of inputs \[1, 2\]; "
                                         r"mode='joint' compares inputs as the same"):
        DrivenProcrustesMetric(mode="joint").fit((A, rng.normal(size=(3, 2))),
                                                 (A, rng.normal(size=(3, 1))))
    # The state comparison does not use B: different input counts are fine.
    state = DrivenProcrustesMetric().fit((A, rng.normal(size=(3, 2))), (A, np.ones((3, 1))))
    assert state.score_ < 1e-12

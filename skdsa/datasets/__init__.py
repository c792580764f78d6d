"""Seeded generators of example systems, driven systems and tasks, and the RNN zoo loader.

Every generator uses numpy only and draws every random number from
``random_state``.
"""

from ..tasks import (
    NEUROGYM_TASKS,
    RULES,
    TASKS,
    TaskTrials,
    make_context_decision_making,
    make_context_integration,
    make_delay_comparison,
    make_delay_match_sample,
    make_flip_flop,
    make_interval_discrimination,
    make_multisensory_integration,
    make_perceptual_decision_making,
    make_rule_decision,
    make_sine_generation,
    task_accuracy,
)
from ._compositional import (
    LORENZ_MOTIFS,
    MIXING_LEVELS,
    MIXING_NOISE,
    MIXING_PATTERNS,
    join_motifs,
    make_compositional_lorenz,
    make_lorenz_mixing,
    make_lorenz_motifs,
    shared_motifs,
)
from ._compositional_rnns import load_compositional_rnns, pair_checkpoints_with_master
from ._driven import INPUT_KINDS, make_driven_linear, make_driven_rnn, make_inputs
from ._learning_rule_observables import (
    LAYER_OBSERVABLES,
    TRAINING_RULES,
    layer_observables,
    make_learning_rule_observables,
)
from ._learning_rules import LEARNING_RULES, make_learning_trajectories
from ._rnn_zoo import load_rnn_zoo
from ._systems import (
    make_coupled_spirals,
    make_double_well,
    make_fig3_trio,
    make_line_attractor,
    make_lorenz,
    make_point_line_saddle,
    make_ring_attractor,
    make_rnn,
    make_stable_spiral,
    make_van_der_pol,
    random_observation,
)

__all__ = [
    "INPUT_KINDS",
    "LAYER_OBSERVABLES",
    "LEARNING_RULES",
    "LORENZ_MOTIFS",
    "MIXING_LEVELS",
    "MIXING_NOISE",
    "MIXING_PATTERNS",
    "NEUROGYM_TASKS",
    "RULES",
    "TASKS",
    "TRAINING_RULES",
    "TaskTrials",
    "join_motifs",
    "layer_observables",
    "load_compositional_rnns",
    "load_rnn_zoo",
    "make_compositional_lorenz",
    "make_context_decision_making",
    "make_context_integration",
    "make_coupled_spirals",
    "make_delay_comparison",
    "make_delay_match_sample",
    "make_double_well",
    "make_driven_linear",
    "make_driven_rnn",
    "make_fig3_trio",
    "make_flip_flop",
    "make_inputs",
    "make_interval_discrimination",
    "make_learning_rule_observables",
    "make_learning_trajectories",
    "make_line_attractor",
    "make_lorenz",
    "make_lorenz_mixing",
    "make_lorenz_motifs",
    "make_multisensory_integration",
    "make_perceptual_decision_making",
    "make_point_line_saddle",
    "make_rule_decision",
    "make_ring_attractor",
    "make_rnn",
    "make_sine_generation",
    "make_stable_spiral",
    "make_van_der_pol",
    "pair_checkpoints_with_master",
    "random_observation",
    "shared_motifs",
    "task_accuracy",
]

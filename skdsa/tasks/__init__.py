"""Task trial generators: the inputs and targets that the zoo's networks are trained on.

Re-exported by :mod:`skdsa.datasets`, where users find them.
"""

from ._compositional_tasks import RULES, make_rule_decision
from ._neurogym_tasks import (
    NEUROGYM_TASKS,
    make_context_decision_making,
    make_delay_comparison,
    make_delay_match_sample,
    make_interval_discrimination,
    make_multisensory_integration,
    make_perceptual_decision_making,
)
from ._task_trials import TaskTrials
from ._tasks import (
    TASKS,
    make_context_integration,
    make_flip_flop,
    make_sine_generation,
    task_accuracy,
)

__all__ = [
    "NEUROGYM_TASKS",
    "RULES",
    "TASKS",
    "TaskTrials",
    "make_context_decision_making",
    "make_context_integration",
    "make_delay_comparison",
    "make_delay_match_sample",
    "make_flip_flop",
    "make_interval_discrimination",
    "make_multisensory_integration",
    "make_perceptual_decision_making",
    "make_rule_decision",
    "make_sine_generation",
    "task_accuracy",
]

"""A zoo of recurrent networks trained on neuroscience tasks, and how to rebuild it.

The trained weights ship with skdsa (``skdsa/zoo/data/``, see ``ZOOS``);
:func:`skdsa.datasets.load_rnn_zoo` runs them and returns their hidden states.
``python -m skdsa build-zoo`` retrains every network from its seed. The
compositional test case of Guilhot et al. (:func:`build_compositional_zoo`)
groups networks by what they were pretrained on, for RNNs and for small
selective state-space models (``"selective_ssm"``).
:func:`find_fixed_points` finds a network's fixed points (with
:func:`network_map`, starting from :func:`network_states`) and linearises it there.
"""

from ._compositional import (
    COMPOSED_TASK,
    COMPOSITIONAL_SPECS,
    GROUPS,
    CompositionalSpec,
    build_compositional_zoo,
    train_compositional_group,
)
from ._fixed_points import FixedPoints, find_fixed_points, network_map, network_states
from ._networks import ARCHITECTURES, init_network, run_network
from ._training import train_network
from ._zoo import COMPOSITIONAL_ZOOS, ZOOS, ZooSpec, build_zoo, network_name, zoo_path

__all__ = ["ARCHITECTURES", "COMPOSED_TASK", "COMPOSITIONAL_SPECS", "COMPOSITIONAL_ZOOS",
           "GROUPS", "ZOOS", "CompositionalSpec",
           "FixedPoints", "ZooSpec", "build_compositional_zoo", "build_zoo",
           "find_fixed_points", "init_network", "network_map", "network_name",
           "network_states", "run_network",
           "train_compositional_group", "train_network", "zoo_path"]

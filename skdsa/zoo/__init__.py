"""A zoo of recurrent networks trained on neuroscience tasks, and how to rebuild it.

The trained weights ship with skdsa (``skdsa/zoo/data/``, see ``ZOOS``);
:func:`skdsa.datasets.load_rnn_zoo` runs them and returns their hidden states.
``python -m skdsa build-zoo`` retrains every network from its seed.
:func:`find_fixed_points` finds a network's fixed points (with
:func:`network_map`) and linearises it there.
"""

from ._fixed_points import FixedPoints, find_fixed_points, network_map
from ._networks import ARCHITECTURES, init_network, run_network
from ._training import train_network
from ._zoo import ZOOS, ZooSpec, build_zoo, network_name, zoo_path

__all__ = ["ARCHITECTURES", "ZOOS", "FixedPoints", "ZooSpec", "build_zoo",
           "find_fixed_points", "init_network", "network_map", "network_name", "run_network",
           "train_network", "zoo_path"]

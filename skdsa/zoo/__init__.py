"""A zoo of recurrent networks trained on neuroscience tasks, and how to rebuild it.

The trained weights ship with skdsa (``skdsa/zoo/data/rnn_zoo.npz``);
:func:`skdsa.datasets.load_rnn_zoo` runs them and returns their hidden states.
``python -m skdsa build-zoo`` retrains every network from its seed.
"""

from ._networks import ARCHITECTURES, init_network, run_network
from ._training import train_network
from ._zoo import ZOO_PATH, ZooSpec, build_zoo, network_name

__all__ = ["ARCHITECTURES", "ZOO_PATH", "ZooSpec", "build_zoo", "init_network",
           "network_name", "run_network", "train_network"]

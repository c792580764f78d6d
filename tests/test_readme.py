"""The README's code runs as printed and shows what it claims."""

import re
from pathlib import Path

import pytest
from sklearn.metrics import adjusted_rand_score

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def namespaces():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert len(blocks) == 2
    results = []
    for block in blocks:
        namespace = {}
        exec(compile(block, str(README), "exec"), namespace)
        results.append(namespace)
    return results


def test_clustering_snippet_recovers_the_three_dynamics(namespaces):
    snippet = namespaces[0]
    assert adjusted_rand_score(snippet["labels"], snippet["groups"]) == 1.0


def test_tuning_snippet_forecasts_held_out_trials(namespaces):
    search = namespaces[1]["search"]
    assert search.best_params_["hankel__n_delays"] in (5, 10, 20)
    assert search.best_score_ > 0.9

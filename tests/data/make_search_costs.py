"""Write the costs the installed skdsa's search reaches on tests/test_search.py's pairs.

tests/data/search_costs_a3bedf4.json holds those of commit a3bedf4 (the search
before the batched one). To rebuild it, from the repository root:

    git worktree add /tmp/skdsa-a3bedf4 a3bedf4
    PYTHONPATH=/tmp/skdsa-a3bedf4 python tests/data/make_search_costs.py \
        tests/data/search_costs_a3bedf4.json
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from test_search import sample_pairs  # noqa: E402

from skdsa.metrics import procrustes_vector_field_distance  # noqa: E402


def main(path):
    costs = {name: procrustes_vector_field_distance(A, B, random_state=0,
                                                    return_result=True).cost
             for name, A, B in sample_pairs()}
    Path(path).write_text(json.dumps(costs, indent=1) + "\n")
    print(f"{len(costs)} costs written by the skdsa at {sys.modules['skdsa'].__file__}")


if __name__ == "__main__":
    main(sys.argv[1])

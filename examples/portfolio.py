"""Evaluate a folder of scenarios in process, then on a 2-worker Dask LocalCluster: the same table.

The folder examples/portfolio/ holds four illustrative variants of the demo scenario
(invented companies and prices) with different study sizes, enrolment times and budget
ceilings. Run with ``python examples/portfolio.py``; needs ``pip install 'crokit[dask]'``
for the cluster half.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from crokit.portfolio import evaluate_portfolio, render_portfolio

FOLDER = Path(__file__).resolve().parent / "portfolio"
SEED = 2027


def main() -> None:
    here = evaluate_portfolio(FOLDER, seed=SEED)
    print(render_portfolio(here, "text"))

    try:
        import distributed
    except ImportError:
        print("dask.distributed is not installed: pip install 'crokit[dask]' to run the cluster half")
        return
    # The cluster and its client are closed by the with-blocks, even on an error:
    # no worker process outlives the example.
    local_cluster: Any = distributed.LocalCluster
    client_of: Any = distributed.Client
    with (
        local_cluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        ) as cluster,
        client_of(cluster) as client,
    ):
        on_dask = evaluate_portfolio(FOLDER, seed=SEED, client=client)
    assert on_dask == here, "the cluster's table differs from the in-process one"
    print(f"On a 2-worker LocalCluster: the same {len(on_dask)} rows, seed for seed.")


if __name__ == "__main__":
    main()

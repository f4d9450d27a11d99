"""Cost of drawing the goal-conflict map, per bundled catalogue.

    python benchmarks/figure.py [--runs 20] [FILE.yaml ...]

For each catalogue (default: every bundled one in ``data/``) it times, as the median of N runs:

* ``load``: read + parse + validate the YAML (``load_catalogue``);
* ``graph``: ``build_graph``;
* ``metrics``: ``node_metrics``;
* ``layout``: ``compute_layout``;
* ``figure``: ``build_figure`` (Swedish, nothing selected);
* ``highlight``: ``build_figure`` with an interaction highlighted and the rest dimmed;
* ``to_json``: serialising the figure (what Streamlit does on every rerun);

and reports the figure's JSON size. The last line of output is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from conflicts.catalogue import bundled_catalogues, load_catalogue  # noqa: E402
from conflicts.figure import build_figure  # noqa: E402
from conflicts.graph import build_graph  # noqa: E402
from conflicts.layout import compute_layout  # noqa: E402
from conflicts.metrics import node_metrics  # noqa: E402

STEPS = ("load", "graph", "metrics", "layout", "figure", "highlight", "to_json")


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``fn()`` over ``runs`` runs (after one warm-up), in ms."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench(path: Path, runs: int) -> dict:
    cat = load_catalogue(path)
    G = build_graph(cat)
    pos = compute_layout(cat)
    fig = build_figure(cat, G, pos)
    strongest = max(cat.interactions, key=lambda x: abs(x.score), default=None)
    highlight = strongest.id if strongest else None
    ms = {
        "load": median_ms(lambda: load_catalogue(path), runs),
        "graph": median_ms(lambda: build_graph(cat), runs),
        "metrics": median_ms(lambda: node_metrics(G), runs),
        "layout": median_ms(lambda: compute_layout(cat), runs),
        "figure": median_ms(lambda: build_figure(cat, G, pos), runs),
        "highlight": median_ms(
            lambda: build_figure(cat, G, pos, highlight=highlight, dim_others=True), runs
        ),
        "to_json": median_ms(fig.to_json, runs),
    }
    return {
        "catalogue": path.stem,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "traces": len(fig.data),
        "json_bytes": len(fig.to_json().encode("utf-8")),
        "ms": {k: round(v, 2) for k, v in ms.items()},
        "ms_total": round(sum(v for k, v in ms.items() if k != "highlight"), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per step (median)")
    parser.add_argument("files", nargs="*", type=Path, help="catalogues (default: bundled)")
    args = parser.parse_args(argv)

    paths = args.files or list(bundled_catalogues().values())
    if not paths:
        print("no catalogues found in data/", file=sys.stderr)
        return 1
    results = [bench(p, args.runs) for p in paths]

    head = f"{'catalogue':<14}{'nodes':>6}{'edges':>6}" + "".join(f"{s:>10}" for s in STEPS)
    head += f"{'total':>9}{'JSON KB':>9}"
    print(f"median of {args.runs} runs, ms (total excludes 'highlight')")
    print(head)
    print("-" * len(head))
    for r in results:
        row = f"{r['catalogue']:<14}{r['nodes']:>6}{r['edges']:>6}"
        row += "".join(f"{r['ms'][s]:>10.2f}" for s in STEPS)
        row += f"{r['ms_total']:>9.1f}{r['json_bytes'] / 1024:>9.1f}"
        print(row)
    print(
        json.dumps(
            {
                "benchmark": "figure",
                "runs": args.runs,
                "python": platform.python_version(),
                "results": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

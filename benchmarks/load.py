"""Load test: N phones (plain HTTP clients of the JSON API) join a workshop and vote.

    python benchmarks/load.py --participants 500 [--think 2:8]          # free, the default
    python benchmarks/load.py --scenario burst --participants 1000 --rounds 3 --window 10
    python benchmarks/load.py --scenario idle --participants 1000 --seconds 30

The scenarios, their options and figures are documented in :mod:`benchmarks.burst`
(``python benchmarks/load.py --help``). This file is the command's stable name: the issue's
figures and the README refer to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import burst  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run one scenario of :mod:`benchmarks.burst`; the exit code of its ``main``."""
    return burst.main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())

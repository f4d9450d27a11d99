"""No function in ``conflicts/`` above cyclomatic complexity 25 (radon's measure).

A long function with many branches hides its seams: split it where its own comments mark them.
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

LIMIT = 25
PACKAGE = Path(__file__).resolve().parent.parent / "conflicts"


def _too_complex() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            # cc_visit lists classes with their methods inside, and top-level functions.
            for fn in [block, *getattr(block, "methods", [])]:
                if fn.complexity > LIMIT:
                    rel = path.relative_to(PACKAGE.parent)
                    found.append(f"{rel}:{fn.lineno} {fn.name} ({fn.complexity})")
    return found


def test_no_function_above_the_complexity_limit():
    assert _too_complex() == []


def test_the_measure_sees_a_complex_function():
    # The check must be able to fail: 26 independent branches give complexity 27.
    body = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(26))
    (fn,) = cc_visit(f"def f(x):\n{body}\n    return -1\n")
    assert fn.complexity > LIMIT

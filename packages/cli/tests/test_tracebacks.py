"""An endless loop ends as a timeout, not as pytest's INTERNALERROR, on every version."""

from __future__ import annotations

from pathlib import Path

from handbook.cli.runner import run_tests

from .conftest import PYPROJECT

# On 3.11 the jump back to the top of this loop has no line number; a timeout signal
# landing there gave pytest a traceback entry it could not format.
LOOP = """
def test_loop() -> None:
    x = 0
    for i in range(10**12):
        if i % 2:
            x += 1
"""


def test_an_endless_loop_with_an_if_is_reported_as_a_timeout(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "test_loop.py").write_text(LOOP)
    for _ in range(3):  # the signal lands on a lineless jump in most runs, not all
        ids = ["test_loop.py::test_loop"]
        result = run_tests(tmp_path, tmp_path, "test_loop", ids, timeout=0.3)
        assert "INTERNALERROR" not in result.output
        assert [(o.status, o.kind) for o in result.outcomes] == [("failed", "timeout")]

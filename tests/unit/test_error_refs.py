"""Every error our code logs carries a reference code, the one a user is shown when they are
told something went wrong; an operator finds the line from the ref a user quotes."""

from __future__ import annotations

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def error_log_calls() -> list[tuple[str, int, str]]:
    found = []
    for package in ("bot", "handlers", "storage"):
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("error", "exception", "critical")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "log"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    relative = str(path.relative_to(REPO_ROOT))
                    found.append((relative, node.lineno, str(node.args[0].value)))
    return found


def test_every_error_log_line_has_a_reference_code():
    calls = error_log_calls()
    assert len(calls) >= 4  # the check finds them: errors.py, background.py, actions, match
    assert [c for c in calls if "(ref %s)" not in c[2]] == []

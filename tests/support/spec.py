"""Read-only access to Slack's reference data in ``shared/slack-spec`` beside the repo.

The data is never copied into the repository; tests read it in place. ``SPEC_DIR`` is the
one place that knows where it lives. Parsed files are cached per directory, so every
``FakeSlack`` in a test run shares one parse.

Two generations of Slack's method docs are combined:

* ``slack-api-ref/docs.slack.dev/methods/`` (current): the allow-list (``methods.json``),
  each method's ``args.required`` and documented ``errors``.
* ``slack-api-ref/methods/<family>/<method>.json`` (older scrape): ``arg_groups``, the
  "one of these" rules (text/blocks/attachments/markdown_text, trigger_id/interactivity_pointer)
  that ``args.required`` cannot express.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SPEC_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "slack-spec"

PAYLOADS_SUBDIR = Path("bolt-python", "extracted-payloads")
_DOCS_METHODS_SUBDIR = Path("slack-api-ref", "docs.slack.dev", "methods")
_LEGACY_METHODS_SUBDIR = Path("slack-api-ref", "methods")


@dataclass(frozen=True)
class ArgGroup:
    """A set of arguments of which at least one (``required``) and/or at most one
    (``mutually_exclusive``) may be given."""

    args: tuple[str, ...]
    required: bool
    mutually_exclusive: bool


@dataclass(frozen=True)
class MethodRules:
    name: str
    required: frozenset[str]
    arg_groups: tuple[ArgGroup, ...]
    errors: frozenset[str]

    @property
    def needs_token(self) -> bool:
        return "token" in self.required


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def payload_path(name: str, spec_dir: Path = SPEC_DIR) -> Path:
    """Path of one file in ``bolt-python/extracted-payloads`` (e.g. ``block_actions.json``)."""
    return spec_dir / PAYLOADS_SUBDIR / name


@cache
def method_rules(spec_dir: Path = SPEC_DIR) -> Mapping[str, MethodRules]:
    """Every Web API method Slack documents, keyed by name (``chat.postMessage``)."""
    docs_dir = spec_dir / _DOCS_METHODS_SUBDIR
    groups = _legacy_arg_groups(spec_dir / _LEGACY_METHODS_SUBDIR)
    rules = {}
    for entry in read_json(docs_dir / "methods.json"):
        name = entry["name"]
        doc = read_json(docs_dir / f"{name}.json")
        rules[name] = MethodRules(
            name=name,
            required=frozenset(doc.get("args", {}).get("required", ())),
            arg_groups=groups.get(name, ()),
            errors=frozenset(doc.get("errors", {})),
        )
    return rules


def _legacy_arg_groups(legacy_dir: Path) -> dict[str, tuple[ArgGroup, ...]]:
    groups = {}
    for path in sorted(legacy_dir.glob("*/*.json")):
        doc = read_json(path)
        if doc.get("arg_groups"):
            groups[doc["name"]] = tuple(_arg_group(raw) for raw in doc["arg_groups"])
    return groups


def _arg_group(raw: Mapping[str, Any]) -> ArgGroup:
    return ArgGroup(
        args=tuple(raw["args"]),
        required=raw.get("required", True),
        mutually_exclusive=raw.get("mutually_exclusive", False),
    )

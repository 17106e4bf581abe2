"""The app manifest, and whether its scopes cover the Web API methods the bot calls."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tests.support.spec import SPEC_DIR, read_json

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST_PATH = REPO_ROOT / "manifest.yml"
MANIFEST_SCHEMA = SPEC_DIR / "manifest-schema" / "schemas" / "manifest.schema.1.0.0.json"
METHOD_DOCS = SPEC_DIR / "slack-api-ref" / "docs.slack.dev" / "methods"


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def bot_scopes(manifest: dict[str, Any] | None = None) -> frozenset[str]:
    manifest = manifest or load_manifest()
    return frozenset(manifest.get("oauth_config", {}).get("scopes", {}).get("bot", ()))


@cache
def bot_scopes_for(method: str) -> frozenset[str]:
    """The bot scopes any one of which lets a bot token call `method` (empty: none needed)."""
    doc = read_json(METHOD_DOCS / f"{method}.json")
    return frozenset((doc.get("scope") or {}).get("bot", ()))


def uncovered_methods(methods: Iterable[str], scopes: frozenset[str]) -> dict[str, frozenset[str]]:
    """Methods the scopes do not allow, each with the scopes that would."""
    missing = {}
    for method in sorted(set(methods)):
        needed = bot_scopes_for(method)
        if needed and not needed & scopes:
            missing[method] = needed
    return missing

"""manifest.yml is a valid Slack app manifest, and its scopes cover what the bot calls."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema

from bot.domain.commands import SUBCOMMANDS
from handlers.ids import SlashCommand
from handlers.oauth import BOT_SCOPES
from tests.support.manifest import (
    MANIFEST_SCHEMA,
    bot_scopes,
    bot_scopes_for,
    load_manifest,
    uncovered_methods,
)
from tests.support.spec import SPEC_DIR, read_json

REPO_ROOT = Path(__file__).resolve().parents[2]


def schema_errors(manifest: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(read_json(MANIFEST_SCHEMA))
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(manifest)]


def test_manifest_validates_against_slacks_schema():
    assert schema_errors(load_manifest()) == []


def test_the_schema_check_catches_an_unknown_setting():
    broken = load_manifest()
    broken["settings"]["bad_param"] = True
    assert schema_errors(broken)


def test_mentor_is_declared_with_a_usage_hint_and_escaped_mentions():
    [command] = load_manifest()["features"]["slash_commands"]
    assert command["command"] == SlashCommand.MENTOR.value
    assert command["should_escape"] is True
    assert "help" in command["usage_hint"]


def test_home_and_messages_tabs_and_interactivity_are_on():
    manifest = load_manifest()
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_subscribed_events_exist_and_their_scopes_are_granted():
    events_file = SPEC_DIR / "slack-api-ref" / "docs.slack.dev" / "events" / "events.json"
    scopes_by_event = {
        event["name"]: set(event.get("scopes", [])) for event in read_json(events_file)
    }
    manifest = load_manifest()
    subscribed = manifest["settings"].get("event_subscriptions", {}).get("bot_events", [])

    assert set(subscribed) <= set(scopes_by_event)
    for event in subscribed:
        needed = scopes_by_event[event]
        assert not needed or needed & bot_scopes(manifest), f"{event} needs one of {needed}"


def test_scope_check_reports_a_method_the_scopes_do_not_allow():
    assert uncovered_methods(["users.info", "auth.test"], bot_scopes()) == {}
    assert uncovered_methods(["chat.postMessage"], frozenset({"users:read"})) == {
        "chat.postMessage": frozenset({"chat:write"})
    }


def test_help_examples_fit_in_the_usage_hint_vocabulary():
    hint = load_manifest()["features"]["slash_commands"][0]["usage_hint"]
    available = [spec.name.value for spec in SUBCOMMANDS if spec.available]
    assert all(name in hint for name in available)


def test_the_manifest_asks_only_for_scopes_the_code_uses():
    """Every bot scope is needed by a Web API method the code calls, an event it subscribes
    to, or its slash command; none is there "just in case"."""
    calls = set()
    for package in ("bot", "handlers"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            calls |= set(re.findall(r"client\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text()))
    methods = set()
    for call in calls:
        if call == "files_upload_v2":  # slack_sdk's external upload flow
            methods |= {"files.getUploadURLExternal", "files.completeUploadExternal"}
        else:
            methods.add(call.replace("_", ".", 1))
    events_file = SPEC_DIR / "slack-api-ref" / "docs.slack.dev" / "events" / "events.json"
    scopes_by_event = {e["name"]: set(e.get("scopes", [])) for e in read_json(events_file)}
    manifest = load_manifest()
    needed = [bot_scopes_for(method) for method in methods]
    needed += [
        scopes_by_event[e] for e in manifest["settings"]["event_subscriptions"]["bot_events"]
    ]
    needed.append({"commands"})  # the /mentor slash command

    granted = bot_scopes(manifest)
    assert all(not need or need & granted for need in needed)
    unused = {scope for scope in granted if not any(scope in need for need in needed)}
    assert unused == set(), f"scopes no code needs: {sorted(unused)}"


def test_the_oauth_install_asks_for_the_manifests_scopes_and_redirects_to_our_route():
    manifest = load_manifest()
    assert set(BOT_SCOPES) == bot_scopes(manifest)
    assert [url.rsplit("/", 2)[-2:] for url in manifest["oauth_config"]["redirect_urls"]] == [
        ["slack", "oauth_redirect"]
    ]


def test_uninstall_and_revocation_events_are_subscribed():
    events = load_manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)

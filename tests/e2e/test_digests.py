"""Teams and progress digests as leads and admins meet them in Slack, over signed HTTP, against
four weeks of seeded check-ins and goals: the team commands and CSV import, a lead's digest
(ephemeral, with the trend chart uploaded through the external upload flow), the weekly DM at
Monday 09:00 in the lead's zone sent once by `mentor-bot tick --at`, an admin's whole-program
digest, a non-lead refused, private words absent and shared words present, and the CSV."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.profiles import ProgramRole
from bot.services import Services
from handlers.commands.digest import ACK_BUDGET_SECONDS
from tests.e2e.test_matching import dms_to, shown
from tests.services.test_digest_service import MONDAY_NINE_SEOUL, PEOPLE, seed_history
from tests.support.process import clean_env, mentor_bot
from tests.support.program import pair, profile, store
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET, HttpAnswer, RunningBot

LA_MONDAY_NINE = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"


@dataclass
class _Harness:
    """What the service tests' seeding needs: the services."""

    services: Services


@pytest.fixture
def bot(running_bot: RunningBot) -> RunningBot:
    fake = running_bot.fake_slack
    fake.add_user("UADMIN", tz="Asia/Seoul", locale="en-US")
    fake.add_user("ULEAD", tz="America/Los_Angeles", tz_offset=-28800, locale="en-US")
    for user_id in (*PEOPLE, "UM"):
        fake.add_user(user_id, tz="Asia/Seoul", locale="en-US")
    services = running_bot.container.services
    clock = running_bot.clock
    clock.set(datetime(2026, 9, 27, 7, 0, tzinfo=UTC))
    store(
        services,
        *(profile(user_id) for user_id in PEOPLE),
        profile("UM", ProgramRole.MENTOR),
        profile("ULEAD", ProgramRole.MENTOR, timezone="America/Los_Angeles"),
    )
    pair(services, "UM", "UA")
    assert command(running_bot, "team create Search lead <@ULEAD>", "UADMIN").json["text"] == (
        "Created team *Search*, led by <@ULEAD>. Add people: `/mentor team add Search @a @b`."
    )
    added = command(running_bot, "team add Search <@UA> <@UB> <@UC> <@UD>", "UADMIN")
    assert added.json["text"] == ("Added <@UA>, <@UB>, <@UC>, <@UD> to *Search* (now 4 members).")
    seed_history(_Harness(services), clock)
    clock.set(MONDAY_NINE_SEOUL)
    return running_bot


def command(bot: RunningBot, text: str, user_id: str) -> HttpAnswer:
    answer = bot.command(text, user_id=user_id)
    assert answer.status == 200
    bot.wait_for_follow_ups()
    return answer


def cli(bot: RunningBot, database_url: str, tmp_path: Path, *args: str):
    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=bot.fake_slack.url,
        DATABASE_URL=database_url,
        MENTOR_BOT_ADMINS="UADMIN",
    )
    return mentor_bot(*args, env=env, cwd=tmp_path)


def uploads_shared_to(bot: RunningBot, user_id: str) -> list[dict[str, Any]]:
    """Files completed into the person's DM, with their bytes."""
    channel = bot.fake_slack.dm_channel(user_id)
    found = []
    for call in bot.fake_slack.calls_to("files.completeUploadExternal"):
        if call.args.get("channel_id") != channel:
            continue
        for entry in json.loads(call.args["files"]):
            found.append({**bot.fake_slack.uploads[entry["id"]], "call": call.args})
    return found


# The lead's digest


def test_a_lead_gets_the_digest_ephemerally_with_the_seeded_numbers_and_a_chart(bot):
    answer = command(bot, "digest", "ULEAD")

    assert answer.json.get("response_type", "ephemeral") == "ephemeral"
    text = answer.shown_text
    assert "Search" in text
    assert "*Check-ins this week:* 75% answered (3 of 4) · no change from last week" in text
    assert "Shipped the retriever" in text and "Demo" in text
    for private in ("My secret doubts", "Private again", "Slow week", "Doubts"):
        assert private not in json.dumps(answer.json)
    assert "<@UB>" in text and "missed 2 check-ins in a row" in text
    assert "confidence dropped from 4 to 2" in text
    assert "goal 1 is blocked" in text

    [chart] = uploads_shared_to(bot, "ULEAD")
    assert chart["name"] == "trend.png" and chart["data"].startswith(PNG)
    assert chart["length"] == len(chart["data"])
    assert [c.method for c in bot.fake_slack.calls if c.method.startswith("files.")] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


def test_a_non_lead_is_refused_and_learns_nothing_about_teams(bot):
    answers = {
        command(bot, f"digest {name}".strip(), "UA").json["text"]
        for name in ("", "Search", "No such team")
    }

    assert answers == {
        "Digests are for team leads and program admins. If you lead a team, ask a program admin "
        "to add you as its lead."
    }
    assert uploads_shared_to(bot, "UA") == []


def test_an_admin_gets_the_whole_program_and_any_team(bot):
    program = command(bot, "digest", "UADMIN")
    team = command(bot, "digest search weeks 8", "UADMIN")

    assert "Whole program" in program.shown_text
    assert "Search" in program.shown_text  # its line among the program's teams
    assert "2026-W41" in team.shown_text and "2026-W48" in team.shown_text


def test_bad_digest_requests_say_what_is_wrong(bot):
    assert "weeks 8" in command(bot, "digest weeks many", "ULEAD").json["text"]
    assert command(bot, "digest Nope", "UADMIN").json["text"] == (
        "There is no team called “Nope”. `/mentor team list` shows them."
    )


# The weekly digest


def test_the_weekly_digest_reaches_the_lead_once_at_monday_nine_in_their_zone(
    bot, database_url, tmp_path
):
    def digests_received() -> list[dict[str, Any]]:
        return [
            m
            for m in dms_to(bot, "ULEAD")
            if (m.get("text") or "").startswith("Progress digest for Search")
        ]

    for at in (
        MONDAY_NINE_SEOUL,
        LA_MONDAY_NINE,
        LA_MONDAY_NINE,
        datetime(2026, 12, 1, tzinfo=UTC),
    ):
        result = cli(bot, database_url, tmp_path, "tick", "--at", at.isoformat())
        assert result.returncode == 0, result.stdout + result.stderr
        if at == MONDAY_NINE_SEOUL:
            assert digests_received() == []  # still Sunday in Los Angeles

    [digest] = digests_received()
    assert "75%" in shown(digest) and "Shipped the retriever" in shown(digest)
    assert "My secret doubts" not in shown(digest)
    [chart] = [u for u in uploads_shared_to(bot, "ULEAD") if u["name"] == "trend.png"]
    assert chart["data"].startswith(PNG)
    assert chart["call"].get("thread_ts") == digest["ts"]


# CSV


def test_the_csv_has_the_same_numbers(bot, database_url, tmp_path):
    answer = command(bot, "digest Search csv", "ULEAD")
    assert "CSV" in answer.json["text"]

    [sent] = [u for u in uploads_shared_to(bot, "ULEAD") if u["name"].endswith(".csv")]
    rows = list(csv.reader(io.StringIO(sent["data"].decode())))
    assert rows[0][:5] == ["person", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    by_person = {row[0]: row for row in rows[1:]}
    assert by_person["UB"][1:5] == ["answered", "answered", "missed", "missed"]
    assert by_person["all"][1:5] == ["100%", "100%", "75%", "75%"]
    assert "secret" not in sent["data"].decode()

    exported = cli(bot, database_url, tmp_path, "export-digest", "--name", "Search")
    assert exported.returncode == 0, exported.stderr
    assert list(csv.reader(io.StringIO(exported.stdout)))[1:] == rows[1:]


# Teams


def test_team_commands_are_for_admins_and_list_the_teams(bot):
    refused = command(bot, "team add Search <@UM>", "UA")
    assert refused.json["text"] == "Only program admins can manage teams."

    command(bot, "team channel Search <#C0SEARCH|search-leads>", "UADMIN")
    lead = command(bot, "team lead Search <@UM>", "UADMIN")
    assert lead.json["text"] == "*Search* is now led by <@ULEAD>, <@UM>."
    assert command(bot, "team remove Search <@UM>", "UADMIN").json["text"] == (
        "Done. *Search* now has leads <@ULEAD> and 4 members."
    )
    listed = command(bot, "team list", "UADMIN")

    assert "*Search*: leads <@ULEAD> · 4 members · digest to <#C0SEARCH>" in listed.shown_text
    assert (
        "Name the team and its lead(s)" in command(bot, "team create Lonely", "UADMIN").json["text"]
    )


def test_teams_import_from_csv_reports_bad_lines(bot, database_url, tmp_path):
    teams_csv = tmp_path / "teams.csv"
    teams_csv.write_text(
        "team,user_id,role\nPlatform,UM,lead\nPlatform,UB,member\nPlatform,nobody,member\n",
        encoding="utf-8",
    )

    result = cli(bot, database_url, tmp_path, "import-teams", str(teams_csv))

    assert result.returncode == 1
    assert "line 4: user_id 'nobody' is not a Slack user id" in result.stdout
    assert "1 teams created, 2 people added, 1 rows not imported" in result.stdout
    listed = command(bot, "team list", "UADMIN").shown_text
    assert "*Platform*: leads <@UM> · 1 member · " in listed


def test_a_digest_slower_than_slacks_three_seconds_arrives_by_dm(bot, monkeypatch):
    digests = bot.container.services.digests
    build = digests.for_viewer

    def slow(*args, **kwargs):
        time.sleep(ACK_BUDGET_SECONDS + 0.5)  # a very large program, as far as the ack can tell
        return build(*args, **kwargs)

    monkeypatch.setattr(digests, "for_viewer", slow)

    answer = command(bot, "digest", "ULEAD")

    assert answer.json["text"] == (
        "The digest is taking a moment to build; I will send it to you by DM."
    )
    [dm] = [m for m in dms_to(bot, "ULEAD") if m["text"].startswith("Progress digest for Search")]
    assert "*Check-ins this week:* 75% answered (3 of 4)" in shown(dm)
    [chart] = uploads_shared_to(bot, "ULEAD")
    assert chart["call"].get("thread_ts") == dm["ts"]

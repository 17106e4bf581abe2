"""`/mentor export` and `/mentor delete-my-data` over signed HTTP: the file arrives in the DM
with her data; deleting asks first, then erases, and the mentor is told the match ended."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.domain.checkins import CheckinAnswer
from bot.domain.profiles import ProgramRole
from handlers.ids import PrivacyAction
from tests.e2e.test_goals import as_message, press, responses_to
from tests.e2e.test_matching import buttons, dms_to
from tests.support.program import TEAM, pair, person, profile, store


def test_the_export_arrives_in_her_dm_as_json(running_bot):
    services = running_bot.container.services
    store(services, profile("UMINJI"))
    member = person("UMINJI")
    checkin = services.checkins.current(member)
    services.checkins.answer(member, checkin.id, CheckinAnswer(progress="RAG evals"))

    answer = running_bot.command("export", user_id="UMINJI")
    running_bot.wait_for_follow_ups()

    assert answer.json["text"] == (
        "I am sending you a file with everything I store about you, in a direct message."
    )
    [call] = running_bot.fake_slack.calls_to("files.completeUploadExternal")
    assert call.args["channel_id"] == running_bot.fake_slack.dm_channel("UMINJI")
    [entry] = json.loads(call.args["files"])
    upload = running_bot.fake_slack.uploads[entry["id"]]
    assert upload["name"] == "mentor-bot-UMINJI.json"
    data = json.loads(upload["data"])
    assert data["user"] == "UMINJI"
    assert [c["progress"] for c in data["checkins"]] == ["RAG evals"]


def test_deleting_asks_first_then_erases_and_tells_the_mentor(running_bot):
    services = running_bot.container.services
    running_bot.clock.set(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    store(services, profile("UMINJI"), profile("UMENTOR", ProgramRole.MENTOR))
    pair(services, "UMENTOR", "UMINJI")

    asked = running_bot.command("delete-my-data", user_id="UMINJI")
    assert "This cannot be undone." in asked.json["text"]
    message = as_message(asked)
    assert set(buttons(message)) == {PrivacyAction.DELETE_CONFIRM, PrivacyAction.DELETE_CANCEL}

    url = press(running_bot, "UMINJI", message, PrivacyAction.DELETE_CANCEL, value="keep")
    assert [r["text"] for r in responses_to(running_bot, url)] == ["Nothing was deleted."]
    assert services.profiles.draft_for(person("UMINJI")) is not None
    with services.deliveries._uow() as uow:
        assert uow.profiles.get(TEAM, "UMINJI") is not None

    url = press(running_bot, "UMINJI", message, PrivacyAction.DELETE_CONFIRM, value="delete")
    [done] = responses_to(running_bot, url)
    assert done["text"].startswith("Done: everything I stored about you is deleted (")
    with services.deliveries._uow() as uow:
        assert uow.profiles.get(TEAM, "UMINJI") is None
        assert uow.matches.open_for(TEAM, "UMENTOR") == []
    services.dispatcher.dispatch_due()
    assert any("ended" in (m.get("text") or "") for m in dms_to(running_bot, "UMENTOR"))

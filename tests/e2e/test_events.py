"""Events Slack sends about people."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import create_session_factory
from storage.models import MemberRow
from tests.support.slack_requests import event_callback_body


def user_change(user_id: str, **fields: object) -> dict:
    user = {
        "id": user_id,
        "team_id": "T111",
        "name": "minji",
        "deleted": False,
        "is_bot": False,
        "tz": "Asia/Seoul",
        "tz_offset": 32400,
        "profile": {"display_name": "Minji"},
    }
    return {"type": "user_change", "user": {**user, **fields}, "event_ts": "1700000000.000100"}


def stored(bot, user_id: str) -> MemberRow:
    with create_session_factory(bot.container.engine)() as session:
        return session.scalars(select(MemberRow).where(MemberRow.user_id == user_id)).one()


def poll(condition, timeout: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.02)


def test_user_change_records_a_deactivation(running_bot):
    answer = running_bot.post(
        event_callback_body(user_change("U111", deleted=True), event_id="Ev1")
    )

    assert answer.status == 200
    poll(lambda: _exists(running_bot, "U111") and stored(running_bot, "U111").is_deleted)
    row = stored(running_bot, "U111")
    assert (row.tz, row.display_name) == ("Asia/Seoul", "Minji")


def test_user_change_moves_a_person_to_their_new_time_zone(running_bot):
    running_bot.post(event_callback_body(user_change("U222", tz="Europe/Berlin"), event_id="Ev2"))

    poll(lambda: _exists(running_bot, "U222") and stored(running_bot, "U222").tz == "Europe/Berlin")


def _exists(bot, user_id: str) -> bool:
    with create_session_factory(bot.container.engine)() as session:
        return (
            session.scalars(select(MemberRow).where(MemberRow.user_id == user_id)).first()
            is not None
        )

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from bot.domain.errors import InvalidInput
from bot.domain.members import SlackUser
from bot.services.members import MemberService
from storage.db import create_session_factory
from storage.models import MemberRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.clock import FakeClock


class RecordingDirectory:
    """A SlackDirectory port that answers from a dict and counts lookups."""

    def __init__(self, users: dict[str, SlackUser]) -> None:
        self.users = users
        self.lookups: list[str] = []

    def fetch_user(self, team_id: str, user_id: str) -> SlackUser:
        self.lookups.append(user_id)
        return self.users[user_id]


MINJI = SlackUser(
    user_id="U111",
    tz="Asia/Seoul",
    locale="ko-KR",
    is_deleted=False,
    is_bot=False,
    display_name="Minji",
)


@pytest.fixture
def directory() -> RecordingDirectory:
    return RecordingDirectory({"U111": MINJI})


@pytest.fixture
def members(engine: Engine, clock: FakeClock, directory: RecordingDirectory) -> MemberService:
    uow = SqlUnitOfWorkFactory(create_session_factory(engine), clock)
    return MemberService(uow, directory, clock, admins=("UADMIN",))


def rows(engine: Engine) -> list[MemberRow]:
    with create_session_factory(engine)() as session:
        return list(session.scalars(select(MemberRow)))


def test_an_unknown_member_is_described_without_writing_anything(members, engine):
    member = members.get_member("T111", "U111")

    assert member.language == "en"
    assert member.timezone == "UTC"
    assert rows(engine) == []


def test_sync_from_slack_stores_time_zone_and_locale_as_aware_utc(members, engine, clock):
    member = members.sync_from_slack("T111", "U111")

    assert (member.tz, member.slack_locale, member.language) == ("Asia/Seoul", "ko-KR", "ko")
    [row] = rows(engine)
    assert (row.team_id, row.user_id, row.tz, row.display_name) == (
        "T111",
        "U111",
        "Asia/Seoul",
        "Minji",
    )
    assert row.slack_synced_at == clock.now()
    assert row.slack_synced_at.utcoffset() == timedelta(0)


def test_sync_from_slack_asks_slack_at_most_once_a_day(members, directory, clock):
    members.sync_from_slack("T111", "U111")
    clock.advance(timedelta(hours=23))
    members.sync_from_slack("T111", "U111")
    assert directory.lookups == ["U111"]

    clock.advance(timedelta(hours=1))
    members.sync_from_slack("T111", "U111")
    assert directory.lookups == ["U111", "U111"]


def test_language_choice_overrides_slack_locale_and_auto_returns_to_it(members):
    members.sync_from_slack("T111", "U111")

    assert members.set_language("T111", "U111", "en").language == "en"
    assert members.get_member("T111", "U111").language == "en"
    assert members.set_language("T111", "U111", " AUTO ").language == "ko"


def test_a_language_we_do_not_speak_is_refused_and_nothing_changes(members, engine):
    members.set_language("T111", "U111", "ko")

    with pytest.raises(InvalidInput) as refused:
        members.set_language("T111", "U111", "klingon")

    assert refused.value.values == {"choice": "klingon"}
    assert [row.language_override for row in rows(engine)] == ["ko"]


def test_members_of_two_workspaces_are_kept_apart(members, engine):
    members.set_language("T111", "U111", "ko")
    members.set_language("T222", "U111", "en")

    assert members.get_member("T111", "U111").language == "ko"
    assert members.get_member("T222", "U111").language == "en"
    assert sorted(row.team_id for row in rows(engine)) == ["T111", "T222"]


def test_admins_from_settings_are_admins_from_the_start(members):
    assert members.get_member("T111", "UADMIN").is_admin
    assert not members.get_member("T111", "U111").is_admin


def test_first_contact_from_several_threads_at_once_never_collides(members, engine):
    from concurrent.futures import ThreadPoolExecutor

    def first_contact(n: int) -> None:
        if n % 2:
            members.set_language("T111", "U111", "ko")
        else:
            members.sync_from_slack("T111", "U111", force=True)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(first_contact, range(40)))  # raises if any upsert collided

    [row] = rows(engine)
    assert (row.language_override, row.tz) == ("ko", "Asia/Seoul")


def test_a_slack_sync_never_overwrites_the_persons_own_language_choice(members):
    members.set_language("T111", "U111", "en")
    members.sync_from_slack("T111", "U111", force=True)

    assert members.get_member("T111", "U111").language == "en"


def test_a_read_racing_a_write_never_caches_the_older_state(members, monkeypatch):
    """A read that started before a write (say a user_change event marking someone deactivated)
    must not put what it read in the cache over what the write put there."""
    from storage.repositories import SqlMemberRepository

    gone = SlackUser("U777", tz="UTC", locale="en-US", is_deleted=True, is_bot=False)
    members.apply_slack_user("T1", SlackUser("U777", "UTC", "en-US", False, False))
    members._cache.clear()  # the next read goes to the database
    original_get = SqlMemberRepository.get
    calls = []

    def get_then_write(repo, team_id, user_id):
        before = original_get(repo, team_id, user_id)
        if not calls:
            calls.append(1)
            members.apply_slack_user(team_id, gone)  # lands while the read is in flight
        return before

    monkeypatch.setattr(SqlMemberRepository, "get", get_then_write)
    read = members.get_member("T1", "U777")

    assert read.is_deleted is True  # the newer state the write cached, not the stale read
    assert members.get_member("T1", "U777").is_deleted is True

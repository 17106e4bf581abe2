"""OAuth installs at rest (both databases): tokens only ever encrypted, key rotation, one-time
states, and what an uninstall does to the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.domain.deliveries import DeliveryKey, DeliveryState, NewDelivery
from bot.domain.installs import REVOKED_REASON, UNINSTALLED_REASON, WorkspaceInstall
from bot.services.workspaces import WorkspaceService
from storage.db import create_session_factory
from storage.installations import SqlInstallations, SqlOAuthStates
from storage.token_cipher import TokenCipher, TokenKeyError
from storage.uow import SqlUnitOfWorkFactory

OLD_KEY = TokenCipher.new_key()
NEW_KEY = TokenCipher.new_key()
TOKEN = "xoxb-1111-2222-very-secret"


def an_install(team_id: str = "T222", token: str = TOKEN, **changes) -> WorkspaceInstall:
    values = {
        "team_id": team_id,
        "bot_token": token,
        "bot_id": "B1",
        "bot_user_id": "UBOT",
        "bot_scopes": ("chat:write", "commands"),
        "installed_at": datetime(2026, 12, 1, tzinfo=UTC),
        "installer_user_id": "U222",
        "team_name": "Seoul AI Guild",
    }
    return WorkspaceInstall(**{**values, **changes})


def registry(engine, keys: str = OLD_KEY) -> SqlInstallations:
    return SqlInstallations(create_session_factory(engine), TokenCipher(keys))


def stored_ciphertexts(engine) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT bot_token_encrypted, user_token_encrypted FROM slack_installations")
        )
        return [value for row in rows for value in row if value]


def test_an_install_comes_back_whole_and_its_tokens_are_stored_only_encrypted(engine):
    installs = registry(engine)
    installs.save(an_install(user_token="xoxp-user-secret", user_scopes=("search:read",)))

    assert installs.find("T222") == an_install(
        user_token="xoxp-user-secret", user_scopes=("search:read",)
    )
    assert installs.find("T999") is None
    ciphertexts = stored_ciphertexts(engine)
    assert len(ciphertexts) == 2
    assert all(TOKEN not in c and "xoxp" not in c and "xoxb" not in c for c in ciphertexts)


def test_installing_again_replaces_the_workspaces_token(engine):
    installs = registry(engine)
    installs.save(an_install())
    installs.save(an_install(token="xoxb-second", installer_user_id="U333"))

    assert installs.team_ids() == ["T222"]
    found = installs.find("T222")
    assert found.bot_token == "xoxb-second" and found.installer_user_id == "U333"


def test_a_new_key_in_front_then_rotation_lets_the_old_key_go(engine):
    registry(engine, OLD_KEY).save(an_install())
    before = stored_ciphertexts(engine)

    both = registry(engine, f"{NEW_KEY},{OLD_KEY}")
    assert both.find("T222").bot_token == TOKEN  # the old key still opens it
    assert both.rotate_keys() == 1

    assert stored_ciphertexts(engine) != before
    assert registry(engine, NEW_KEY).find("T222").bot_token == TOKEN
    with pytest.raises(TokenKeyError, match="no key in MENTOR_BOT_ENCRYPTION_KEY opens"):
        registry(engine, OLD_KEY).find("T222")


def test_a_malformed_key_is_named_by_its_position():
    with pytest.raises(TokenKeyError, match="key 2 is not a Fernet key"):
        TokenCipher(f"{OLD_KEY},short")
    with pytest.raises(TokenKeyError, match="no key given"):
        TokenCipher(" , ")


def test_a_state_is_good_once_and_only_until_it_expires(engine, clock):
    states = SqlOAuthStates(create_session_factory(engine), timedelta(minutes=10))
    now = clock.now()
    first, second = states.issue(now), states.issue(now)

    assert first != second
    assert states.consume(first, now + timedelta(minutes=1))
    assert not states.consume(first, now + timedelta(minutes=1))
    assert not states.consume(second, now + timedelta(minutes=10))
    assert not states.consume("never-issued", now)


@pytest.fixture
def workspaces(engine, clock) -> WorkspaceService:
    sessions = create_session_factory(engine)
    return WorkspaceService(
        SqlUnitOfWorkFactory(sessions, clock),
        clock,
        registry=SqlInstallations(sessions, TokenCipher(OLD_KEY)),
        states=SqlOAuthStates(sessions, timedelta(minutes=10)),
    )


def queue(engine, clock, team_id: str, recipient: str) -> None:
    uow = SqlUnitOfWorkFactory(create_session_factory(engine), clock)
    with uow() as unit:
        unit.deliveries.add_if_absent(
            NewDelivery(
                key=DeliveryKey(team_id, recipient, "announcement", "a1"),
                due_at=clock.now(),
                payload={"text": "hello"},
            ),
            clock.now(),
        )
        unit.commit()


def states_by_team(engine) -> dict[str, tuple[str, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT team_id, state, reason FROM deliveries"))
        return {team: (state, reason) for team, state, reason in rows}


def test_uninstall_forgets_the_token_and_skips_only_that_workspaces_queue(
    workspaces, engine, clock
):
    workspaces.installed(an_install("T222"))
    workspaces.installed(an_install("T333", token="xoxb-other"))
    queue(engine, clock, "T222", "U1")
    queue(engine, clock, "T333", "U1")

    assert workspaces.uninstalled("T222") == 1

    assert workspaces.team_ids() == ["T333"] and workspaces.bot_token("T222") is None
    assert states_by_team(engine) == {
        "T222": (DeliveryState.SKIPPED.value, UNINSTALLED_REASON),
        "T333": (DeliveryState.PENDING.value, None),
    }


def test_a_revoked_user_token_keeps_the_bot_and_a_revoked_bot_token_stops_sending(
    workspaces, engine, clock
):
    workspaces.installed(an_install(user_token="xoxp-user"))
    queue(engine, clock, "T222", "U1")

    assert workspaces.tokens_revoked("T222", bot=False, users=1) == 0
    kept = workspaces.find("T222")
    assert kept is not None and kept.user_token is None and kept.bot_token == TOKEN

    assert workspaces.tokens_revoked("T222", bot=True, users=0) == 1
    assert workspaces.find("T222") is None
    assert states_by_team(engine)["T222"] == (DeliveryState.SKIPPED.value, REVOKED_REASON)

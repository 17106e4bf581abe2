"""Use cases about the people in the workspace: who they are, which language they read."""

from __future__ import annotations

import threading
from dataclasses import replace

from cachetools import TTLCache

from bot.clock import Clock
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.i18n_markers import N_
from bot.domain.members import SUPPORTED_LANGUAGES, Member, SlackUser
from bot.services.ports import SlackDirectory, UnitOfWorkFactory

AUTO_LANGUAGE = "auto"
CACHE_SECONDS = 30
"""How long this process trusts what it last read about a person. Changes made here update the
cache at once; a change made by another replica shows here within this time."""


class MemberService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        directory: SlackDirectory,
        clock: Clock,
        admins: tuple[str, ...] = (),
    ) -> None:
        self._uow = uow
        self._directory = directory
        self._clock = clock
        self._admins = frozenset(admins)
        # The ack path reads the person on every command; the cache keeps that read off the
        # database (see bench/ack.py for what it costs).
        self._cache: TTLCache[tuple[str, str], Member] = TTLCache(maxsize=20_000, ttl=CACHE_SECONDS)
        self._cache_lock = threading.Lock()
        # A read that started before a write to the same person must not cache what it read
        # over what the write cached: each write gets a number, each read notes the last one.
        self._writes = 0
        self._last_write: TTLCache[tuple[str, str], int] = TTLCache(
            maxsize=20_000, ttl=CACHE_SECONDS
        )

    def get_member(self, team_id: str, user_id: str) -> Member:
        """The stored member, or who they would be on first contact (nothing is written)."""
        key = (team_id, user_id)
        with self._cache_lock:
            cached = self._cache.get(key)
            writes_before = self._writes
        if cached is not None:
            return cached
        with self._uow() as uow:
            member = uow.members.get(team_id, user_id) or Member(team_id=team_id, user_id=user_id)
        member = self._with_admin_flag(member)
        with self._cache_lock:
            if self._last_write.get(key, -1) > writes_before:  # written while we read
                return self._cache.get(key, member)
            self._cache[key] = member
        return member

    def needs_slack_sync(self, member: Member) -> bool:
        return member.needs_slack_sync(self._clock.now())

    def set_language(self, team_id: str, user_id: str, choice: str) -> Member:
        choice = choice.strip().lower()
        if choice not in (*SUPPORTED_LANGUAGES, AUTO_LANGUAGE):
            raise InvalidInput(
                N_(
                    "“{choice}” is not a language I speak. Try `/mentor lang ko`, "
                    "`/mentor lang en` or `/mentor lang auto` (follow Slack)."
                ),
                choice=choice[:40],
            )
        language = None if choice == AUTO_LANGUAGE else choice
        with self._uow() as uow:
            member = uow.members.set_language(team_id, user_id, language)
            uow.commit()
        return self._remember(member)

    # Program admins: MENTOR_BOT_ADMINS, plus those added with `/mentor admin add`

    def admins(self, actor: Member) -> tuple[list[str], list[str]]:
        """(configured in MENTOR_BOT_ADMINS, added in Slack), for an admin."""
        _require_admin(actor)
        with self._uow() as uow:
            added = uow.members.admin_ids(actor.team_id)
        return sorted(self._admins), sorted(added - self._admins)

    def set_admin(self, actor: Member, user_id: str, is_admin: bool) -> Member:
        """Only an admin makes or unmakes admins; one from MENTOR_BOT_ADMINS stays one, and the
        program always keeps at least one admin."""
        _require_admin(actor)
        if not is_admin and user_id in self._admins:
            raise InvalidInput(_CONFIGURED_ADMIN, user=user_id)
        with self._uow() as uow:
            if (
                not is_admin
                and not self._admins
                and uow.members.admin_ids(actor.team_id) <= {user_id}
            ):
                raise InvalidInput(_LAST_ADMIN)
            member = uow.members.set_admin(actor.team_id, user_id, is_admin)
            uow.commit()
        return self._remember(member)

    def sync_from_slack(self, team_id: str, user_id: str, *, force: bool = False) -> Member:
        """Refresh time zone, locale and status from Slack when they are unknown or a day old.

        Runs after the ack: it calls the Web API.
        """
        member = self.get_member(team_id, user_id)
        if not force and not self.needs_slack_sync(member):
            return member
        return self.apply_slack_user(team_id, self._directory.fetch_user(team_id, user_id))

    def sync_directory(self, team_id: str) -> int:
        """Refresh everyone from users.list (daily), so deactivated people are known before a
        send: Slack accepts a post to a deactivated account without an error."""
        count = 0
        for user in self._directory.list_users(team_id):
            self.apply_slack_user(team_id, user)
            count += 1
        return count

    def apply_slack_user(self, team_id: str, user: SlackUser) -> Member:
        """Store what Slack says about a person (users.info, users.list, user_change)."""
        with self._uow() as uow:
            member = uow.members.record_slack_user(team_id, user, self._clock.now())
            uow.commit()
        return self._remember(member)

    def forget(self, team_id: str, user_id: str) -> None:
        """Drop what this process cached about a person (their data was just erased)."""
        key = (team_id, user_id)
        with self._cache_lock:
            self._writes += 1
            self._last_write[key] = self._writes
            self._cache.pop(key, None)

    def _remember(self, member: Member) -> Member:
        """Cache what a write stored (newer than any read still in flight)."""
        member = self._with_admin_flag(member)
        key = (member.team_id, member.user_id)
        with self._cache_lock:
            self._writes += 1
            self._last_write[key] = self._writes
            self._cache[key] = member
        return member

    def _with_admin_flag(self, member: Member) -> Member:
        if member.user_id in self._admins and not member.is_admin:
            return replace(member, is_admin=True)
        return member


def _require_admin(member: Member) -> None:
    if not member.is_admin:
        raise NotAllowed(_ADMINS_ONLY)


_ADMINS_ONLY = N_("Only program admins can add or remove admins.")
_CONFIGURED_ADMIN = N_(
    "<@{user}> is an admin through the MENTOR_BOT_ADMINS setting; remove them there."
)
_LAST_ADMIN = N_("The program needs at least one admin; add another before removing this one.")

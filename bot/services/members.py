"""Use cases about the people in the workspace: who they are, which language they read."""

from __future__ import annotations

from dataclasses import replace

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_
from bot.domain.members import SUPPORTED_LANGUAGES, Member, SlackUser
from bot.services.ports import SlackDirectory, UnitOfWorkFactory

AUTO_LANGUAGE = "auto"


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

    def get_member(self, team_id: str, user_id: str) -> Member:
        """The stored member, or who they would be on first contact (nothing is written)."""
        with self._uow() as uow:
            member = uow.members.get(team_id, user_id)
        return self._with_admin_flag(member or Member(team_id=team_id, user_id=user_id))

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
        with self._uow() as uow:
            member = uow.members.get(team_id, user_id) or Member(team_id=team_id, user_id=user_id)
            member = replace(member, language_override=None if choice == AUTO_LANGUAGE else choice)
            uow.members.save(member)
            uow.commit()
        return self._with_admin_flag(member)

    def sync_from_slack(self, team_id: str, user_id: str, *, force: bool = False) -> Member:
        """Refresh time zone, locale and status from Slack when they are unknown or a day old.

        Runs after the ack: it calls the Web API.
        """
        now = self._clock.now()
        with self._uow() as uow:
            member = uow.members.get(team_id, user_id) or Member(team_id=team_id, user_id=user_id)
        if not force and not member.needs_slack_sync(now):
            return self._with_admin_flag(member)
        slack_user = self._directory.fetch_user(team_id, user_id)
        with self._uow() as uow:
            latest = uow.members.get(team_id, user_id) or member
            synced = latest.synced_with(slack_user, now)
            uow.members.save(synced)
            uow.commit()
        return self._with_admin_flag(synced)

    def sync_directory(self, team_id: str) -> int:
        """Refresh everyone from users.list (daily), so deactivated people are known before a
        send: Slack accepts a post to a deactivated account without an error."""
        count = 0
        for user in self._directory.list_users(team_id):
            self.apply_slack_user(team_id, user)
            count += 1
        return count

    def apply_slack_user(self, team_id: str, user: SlackUser) -> Member:
        """Store what Slack says about a person (users.list, the user_change event)."""
        now = self._clock.now()
        with self._uow() as uow:
            member = uow.members.get(team_id, user.user_id) or Member(team_id, user.user_id)
            synced = member.synced_with(user, now)
            uow.members.save(synced)
            uow.commit()
        return synced

    def _with_admin_flag(self, member: Member) -> Member:
        if member.user_id in self._admins and not member.is_admin:
            return replace(member, is_admin=True)
        return member

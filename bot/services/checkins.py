"""Weekly check-ins: the prompt at each person's local time, answers (DM reply or form), the
48-hour reminder, missed weeks and who is told, and pause / skip / resume.

The scheduler's tick calls `queue_due`, `remind_due` and `close_weeks`; each answers from the
database, so a tick run twice for the same instant does nothing twice. Every message goes
through the delivery ledger, keyed by person, kind and week.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import checkin_messages as kinds
from bot.domain import goal_messages
from bot.domain.checkins import (
    MAX_TEXT,
    REMINDER_AFTER,
    Checkin,
    CheckinAnswer,
    CheckinRole,
    CheckinSchedule,
    CheckinState,
    NewCheckin,
    SkipReason,
    missed_streak,
    skip_reason,
    week_end,
)
from bot.domain.deliveries import DeliveryKey, NewDelivery
from bot.domain.errors import InvalidInput
from bot.domain.goals import Goal
from bot.domain.i18n_markers import N_
from bot.domain.local_time import local_week, weekly_occurrence_in_week
from bot.domain.members import Member
from bot.domain.profiles import Profile
from bot.services.deliveries import DeliveryService
from bot.services.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

HISTORY_WEEKS = 8
MENTOR_TOLD_AFTER = 2
ADMINS_TOLD_AFTER = 3
STREAK_LOOKBACK = 6
"""Recent weeks read to count a missed streak (skipped weeks in between included)."""


class ReplyOutcome(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    NO_CHECKIN = "no-checkin"


@dataclass(frozen=True)
class Reply:
    outcome: ReplyOutcome
    checkin: Checkin | None = None


class CheckinService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        deliveries: DeliveryService,
        clock: Clock,
        schedule: CheckinSchedule,
        admins: tuple[str, ...] = (),
        retention: timedelta | None = None,
    ) -> None:
        self._uow = uow
        self._deliveries = deliveries
        self._clock = clock
        self._schedule = schedule
        self._admins = admins
        self._retention = retention

    # The weekly prompt

    def queue_due(self, at: datetime) -> int:
        """Create this local week's check-in for everyone whose prompt time has come, with the
        prompt queued - or recorded as skipped, with the reason. Returns how many were created."""
        created = 0
        with self._uow() as uow:
            for team_id in uow.profiles.team_ids():
                created += self._queue_team(uow, team_id, at)
            uow.commit()
        return created

    def _queue_team(self, uow: UnitOfWork, team_id: str, at: datetime) -> int:
        profiles = uow.profiles.list_for_team(team_id)
        pairs = uow.matches.accepted_pairs(team_id)
        mentors_active = {mentor for mentor, _mentee in pairs}
        gone = uow.members.unreachable_ids(team_id)
        news: list[NewCheckin] = []
        for profile in profiles:
            zone = _zone(profile)
            schedule = self.schedule_for(profile)
            due = weekly_occurrence_in_week(at, schedule.weekday, schedule.at, zone)
            if due > at:
                continue
            role = CheckinRole.MENTEE if profile.is_mentee else CheckinRole.MENTOR
            reason = skip_reason(
                profile,
                at.astimezone(zone).date(),
                deactivated=profile.user_id in gone,
                has_mentee=profile.user_id in mentors_active,
            )
            news.append(
                NewCheckin(
                    team_id=team_id,
                    user_id=profile.user_id,
                    week=local_week(at, zone),
                    role=role,
                    state=CheckinState.SKIPPED if reason else CheckinState.PENDING,
                    due_at=due,
                    week_ends_at=week_end(at, zone),
                    skip_reason=reason,
                )
            )
        weeks = {new.week for new in news}
        existing = uow.checkins.existing(team_id, weeks)
        due_now = {(new.user_id, new.week) for new in news}
        news = [new for new in news if (new.user_id, new.week) not in existing]
        created = uow.checkins.add_all(news, at)
        # Whoever opened this week's form early (`/mentor checkin`) and has not answered still
        # gets the prompt at the usual time; the ledger sends each prompt once.
        early = [
            c
            for c in uow.checkins.unanswered(team_id, weeks)
            if (c.user_id, c.week) in due_now and c.created_at < c.due_at
        ]
        prompted = [c for c in [*created, *early] if c.state is CheckinState.PENDING]
        goals = uow.goals.active_for(team_id, {c.user_id for c in prompted})
        self._deliveries.enqueue_in(uow, [_prompt(c, goals[c.user_id]) for c in prompted])
        for checkin in created:
            if checkin.skip_reason:
                log.info(
                    "check-in %s %s for %s skipped: %s",
                    checkin.week,
                    checkin.team_id,
                    checkin.user_id,
                    checkin.skip_reason.value,
                )
        return len(created)

    # Reminders and missed weeks

    def remind_due(self, at: datetime) -> int:
        """One gentle reminder, 48 hours after an unanswered prompt, while its week runs."""
        with self._uow() as uow:
            due = uow.checkins.due_for_reminder(at - REMINDER_AFTER, at)
            self._deliveries.enqueue_in(
                uow,
                [
                    NewDelivery(
                        key=DeliveryKey(c.team_id, c.user_id, kinds.REMINDER, c.week),
                        due_at=at,
                        payload=kinds.checkin_payload(c),
                        expires_at=c.week_ends_at,
                    )
                    for c in due
                ],
            )
            uow.checkins.mark_reminded([c.id for c in due], at)
            uow.commit()
        return len(due)

    def close_weeks(self, at: datetime) -> int:
        """Unanswered check-ins of ended weeks count as missed. Two in a row: the mentor is
        told; three: the admins are told and the mentee is offered a pause or a new mentor."""
        with self._uow() as uow:
            missed = uow.checkins.close_ended_weeks(at)
            outgoing: list[NewDelivery] = []
            by_team: dict[str, list[Checkin]] = {}
            for checkin in missed:
                by_team.setdefault(checkin.team_id, []).append(checkin)
            for team_id, team_missed in by_team.items():
                # A few queries per workspace, not per person (bench/checkins.py).
                recent = uow.checkins.recent_for(
                    team_id,
                    {c.user_id for c in team_missed},
                    since=at - timedelta(weeks=STREAK_LOOKBACK + 1),
                    limit=STREAK_LOOKBACK,
                )
                mentors_of: dict[str, list[str]] = {}
                for mentor, mentee in uow.matches.accepted_pairs(team_id):
                    mentors_of.setdefault(mentee, []).append(mentor)
                admins: list[str] | None = None
                for checkin in team_missed:
                    states = [c.state for c in recent[checkin.user_id] if c.week <= checkin.week]
                    streak = missed_streak(states[:STREAK_LOOKBACK])
                    if streak == ADMINS_TOLD_AFTER and admins is None:
                        admins = self._admins_of(uow, team_id)
                    outgoing += self._escalation(
                        checkin, streak, mentors_of.get(checkin.user_id, []), admins or [], at
                    )
            self._deliveries.enqueue_in(uow, outgoing)
            uow.commit()
        return len(missed)

    def _admins_of(self, uow: UnitOfWork, team_id: str) -> list[str]:
        return sorted(
            set(self._admins)
            | {m.user_id for m in uow.members.active_humans(team_id) if m.is_admin}
        )

    def _escalation(
        self,
        checkin: Checkin,
        streak: int,
        mentors: list[str],
        admins: list[str],
        at: datetime,
    ) -> list[NewDelivery]:
        payload = {**kinds.checkin_payload(checkin), "streak": streak}
        key = _about(checkin)  # a mentor or admin may hear about several people the same week
        if streak == MENTOR_TOLD_AFTER:
            return [
                NewDelivery(
                    DeliveryKey(checkin.team_id, mentor, kinds.MISSED_TO_MENTOR, key), at, payload
                )
                for mentor in mentors
            ]
        if streak == ADMINS_TOLD_AFTER:
            told = [
                NewDelivery(
                    DeliveryKey(checkin.team_id, admin, kinds.MISSED_TO_ADMINS, key), at, payload
                )
                for admin in admins
            ]
            if checkin.role is CheckinRole.MENTEE:  # "a pause or a new mentor": mentees only
                told.append(
                    NewDelivery(
                        DeliveryKey(
                            checkin.team_id, checkin.user_id, kinds.OFFER_PAUSE, checkin.week
                        ),
                        at,
                        payload,
                    )
                )
            return told
        return []

    def erase_old_words(self, at: datetime) -> int:
        """The retention job: the words of answers whose week ended more than the retention
        period ago are erased (answered or not, and the confidence, stay for the digests)."""
        if not self._retention:
            return 0
        with self._uow() as uow:
            erased = uow.checkins.erase_words(at - self._retention, at)
            uow.commit()
        if erased:
            log.info("erased the words of %d check-in answers past retention", erased)
        return erased

    # Answers

    def current(self, member: Member) -> Checkin:
        """This week's open check-in (for `/mentor checkin`); created now if the prompt has not
        come yet, so a person can answer early."""
        now = self._clock.now()
        with self._uow() as uow:
            checkin = uow.checkins.open_for(member.team_id, member.user_id, now)
            if checkin is not None:
                return checkin
            profile = uow.profiles.get(member.team_id, member.user_id)
            if profile is None:
                raise InvalidInput(_NEEDS_PROFILE)
            zone = _zone(profile)
            schedule = self.schedule_for(profile)
            week = local_week(now, zone)
            existing = uow.checkins.find(member.team_id, member.user_id, week)
            if existing is not None:  # skipped or missed: nothing to answer this week
                raise InvalidInput(_NOTHING_OPEN, week=week)
            role = CheckinRole.MENTEE if profile.is_mentee else CheckinRole.MENTOR
            [created] = uow.checkins.add_all(
                [
                    NewCheckin(
                        team_id=member.team_id,
                        user_id=member.user_id,
                        week=week,
                        role=role,
                        state=CheckinState.PENDING,
                        due_at=weekly_occurrence_in_week(now, schedule.weekday, schedule.at, zone),
                        week_ends_at=week_end(now, zone),
                    )
                ],
                now,
            )
            uow.commit()
        return created

    def answer(self, member: Member, checkin_id: int, answer: CheckinAnswer) -> Checkin:
        """Store the form's answer (a new one, or an edit until the week ends)."""
        now = self._clock.now()
        with self._uow() as uow:
            checkin = uow.checkins.get(member.team_id, checkin_id)
            if checkin is None or checkin.user_id != member.user_id:
                raise InvalidInput(_NOT_YOURS)
            if not checkin.is_open(now):
                raise InvalidInput(_WEEK_OVER, week=checkin.week)
            saved = uow.checkins.save_answer(checkin, answer, now)
            self._deliveries.enqueue_in(uow, self._mentor_summaries(uow, saved, now))
            uow.commit()
        return saved

    def record_reply(self, team_id: str, user_id: str, channel: str, ts: str, text: str) -> Reply:
        """A DM message: this week's answer (added to what she wrote before), once however
        often Slack delivers it."""
        now = self._clock.now()
        if not text.strip():
            return Reply(ReplyOutcome.DUPLICATE)  # nothing written (only a file, say): no answer
        with self._uow() as uow:
            checkin = uow.checkins.open_for(team_id, user_id, now)
            if checkin is None:
                return Reply(ReplyOutcome.NO_CHECKIN)
            if not uow.checkins.add_reply(team_id, channel, ts, checkin.id, now):
                return Reply(ReplyOutcome.DUPLICATE, checkin)
            before = checkin.answer
            progress = "\n".join(part for part in (before.progress, text.strip()) if part)
            answer = CheckinAnswer(
                progress=progress[-MAX_TEXT:],  # the form shows at most this much
                blockers=before.blockers,
                confidence=before.confidence,
                next_steps=before.next_steps,
                share_with_mentor=before.share_with_mentor,
                share_with_lead=before.share_with_lead,
            )
            saved = uow.checkins.save_answer(checkin, answer, now)
            self._deliveries.enqueue_in(uow, self._mentor_summaries(uow, saved, now))
            uow.commit()
        return Reply(ReplyOutcome.STORED, saved)

    def _mentor_summaries(
        self, uow: UnitOfWork, checkin: Checkin, now: datetime
    ) -> list[NewDelivery]:
        """Her mentor hears once per week, when she first answers; only what she shares."""
        if checkin.role is not CheckinRole.MENTEE:
            return []
        payload = kinds.summary_payload(checkin)
        return [
            NewDelivery(
                DeliveryKey(checkin.team_id, mentor, kinds.SUMMARY_TO_MENTOR, _about(checkin)),
                now,
                payload,
            )
            for mentor, mentee in uow.matches.accepted_pairs(checkin.team_id)
            if mentee == checkin.user_id
        ]

    def schedule_for(self, profile: Profile) -> CheckinSchedule:
        """The person's own day and time when they set one, else the program's."""
        weekday = profile.checkin_weekday
        minute = profile.checkin_minute
        return CheckinSchedule(
            weekday=self._schedule.weekday if weekday is None else weekday,
            at=self._schedule.at if minute is None else time(minute // 60, minute % 60),
        )

    def set_time(self, member: Member, weekday: int | None, at: time | None) -> CheckinSchedule:
        """Move one's own check-in (None, None: back to the program's)."""
        minute = None if at is None else at.hour * 60 + at.minute
        with self._uow() as uow:
            if not uow.profiles.set_checkin_time(member.team_id, member.user_id, weekday, minute):
                raise InvalidInput(_NEEDS_PROFILE)
            profile = uow.profiles.get(member.team_id, member.user_id)
            uow.commit()
        assert profile is not None
        return self.schedule_for(profile)

    def prompt_message(self, checkin: Checkin) -> tuple[str, str] | None:
        """Where this week's prompt DM landed (channel, ts), to update it once answered."""
        key = DeliveryKey(checkin.team_id, checkin.user_id, kinds.PROMPT, checkin.week)
        with self._uow() as uow:
            delivery = uow.deliveries.find(key)
        if delivery is None or not delivery.channel or not delivery.ts:
            return None
        return delivery.channel, delivery.ts

    def history(self, member: Member) -> list[Checkin]:
        with self._uow() as uow:
            return uow.checkins.recent(member.team_id, member.user_id, limit=HISTORY_WEEKS)

    # Pause, skip, resume

    def pause(self, member: Member, until: date) -> date:
        with self._uow() as uow:
            if not uow.profiles.set_pause(member.team_id, member.user_id, until):
                raise InvalidInput(_NEEDS_PROFILE)
            uow.commit()
        return until

    def resume(self, member: Member) -> None:
        with self._uow() as uow:
            if not uow.profiles.set_pause(member.team_id, member.user_id, None):
                raise InvalidInput(_NEEDS_PROFILE)
            uow.commit()

    def skip_this_week(self, member: Member) -> str:
        """No check-in this week (answered ones stay answered). Returns the week skipped."""
        now = self._clock.now()
        checkin = self.current(member)
        with self._uow() as uow:
            if checkin.state is CheckinState.ANSWERED:
                raise InvalidInput(_ALREADY_ANSWERED, week=checkin.week)
            uow.checkins.skip(checkin, SkipReason.SKIPPED_BY_PERSON, now)
            uow.commit()
        return checkin.week


def _zone(profile: Profile) -> ZoneInfo:
    return _zone_named(profile.timezone)


@cache
def _zone_named(name: str) -> ZoneInfo:
    """ZoneInfo keeps only a few zones strongly cached: without this every tick re-read the
    tzfile of every person (most of a tick's time in bench/checkins.py)."""
    return ZoneInfo(name)


def _about(checkin: Checkin) -> str:
    """The delivery period of a message to someone else about this check-in: the week and whose
    it is, so a mentor of two mentees (or an admin) gets one message per mentee."""
    return f"{checkin.week}:{checkin.user_id}"


def _prompt(checkin: Checkin, goals: list[Goal]) -> NewDelivery:
    """The prompt carries the person's goals in progress, each drawn with one-tap status
    buttons."""
    return NewDelivery(
        key=DeliveryKey(checkin.team_id, checkin.user_id, kinds.PROMPT, checkin.week),
        due_at=checkin.due_at,
        payload={
            **kinds.checkin_payload(checkin),
            "goals": [goal_messages.checkin_entry(goal) for goal in goals],
        },
        expires_at=checkin.week_ends_at,
    )


_NEEDS_PROFILE = N_("Check-ins start once you have a profile: `/mentor profile`.")
_NOTHING_OPEN = N_("There is no check-in to answer for {week}: it was skipped or is over.")
_NOT_YOURS = N_("That check-in is not yours.")
_WEEK_OVER = N_("The week {week} is over, so its check-in can no longer be changed.")
_ALREADY_ANSWERED = N_(
    "You already answered this week's check-in ({week}), so there is nothing to skip."
)

"""Goals: create (command or form), list, update status / progress / milestones, comment, the
history, one-tap updates from the weekly check-in, and the week-ahead due-date reminder.

Who sees what is decided here, not at the edge: the owner sees and changes everything; their
mentors read shared goals and comment; their manager and program admins see only the status and
progress of shared goals, and so do the leads of a team they are in; anyone else is told it
is not allowed, and nothing more.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import goal_messages as kinds
from bot.domain.deliveries import DeliveryKey, NewDelivery
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.goal_templates import TEMPLATES_BY_KEY
from bot.domain.goals import (
    ACTIVE,
    MAX_ACTIVE_GOALS,
    MAX_COMMENT,
    MAX_GOAL_NUMBER,
    MAX_MILESTONES,
    CheckinGoalUpdate,
    Goal,
    GoalChange,
    GoalDraft,
    GoalEdit,
    GoalEvent,
    GoalEventKind,
    GoalFormInput,
    GoalListing,
    GoalStatus,
    GoalView,
    Milestone,
    ReminderDecision,
    ViewerRole,
    Visibility,
    check_editable,
    check_transition,
    clean_text,
    clean_title,
    diff_goal,
    parse_due,
    parse_goal_edit,
    parse_goal_form,
    reminder_decision,
    reminder_time,
    status_line,
)
from bot.domain.i18n_markers import N_
from bot.domain.local_time import resolve_local
from bot.domain.members import Member
from bot.services.deliveries import DeliveryService
from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.zones import zone_of, zones_of

log = logging.getLogger(__name__)

COMMENTS_SHOWN = 2
"""Latest comments shown under each goal in a list."""


class GoalService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        deliveries: DeliveryService,
        clock: Clock,
        admins: tuple[str, ...] = (),
    ) -> None:
        self._uow = uow
        self._deliveries = deliveries
        self._clock = clock
        self._admins = admins

    def today(self, member: Member) -> date:
        """The person's own today: dates they type are read against it."""
        with self._uow() as uow:
            return self._clock.now().astimezone(zone_of(uow, member.team_id, member.user_id)).date()

    # Creating

    def add(self, member: Member, title: str, typed_due: str | None) -> Goal:
        """`/mentor goal add <title> [due <date>]`."""
        today = self.today(member)
        draft = GoalDraft(title=clean_title(title), due=parse_due(typed_due, today=today))
        return self.add_draft(member, draft)

    def save_form(self, member: Member, form: GoalFormInput) -> Goal:
        """The goal form: a new goal, or every field of one at once; InvalidInput names the
        field that is wrong and nothing is saved."""
        today = self.today(member)
        fields = {
            "title": form.title,
            "why": form.why,
            "due": form.due,
            "milestones": form.milestones,
            "visibility": form.visibility,
            "today": today,
        }
        if form.goal_id is None:
            template = form.template if form.template in TEMPLATES_BY_KEY else None
            return self.add_draft(member, parse_goal_form(**fields, template=template))
        current = self.own_goal(member, goal_id=form.goal_id)
        draft = parse_goal_form(**fields, current=current)
        edit = parse_goal_edit(
            draft=draft, status=form.status, progress=form.progress, current=current
        )
        return self.edit(member, form.goal_id, edit)

    def add_draft(self, member: Member, draft: GoalDraft) -> Goal:
        now = self._clock.now()
        with self._uow() as uow:
            if uow.goals.count_active(member.team_id, member.user_id) >= MAX_ACTIVE_GOALS:
                raise InvalidInput(_TOO_MANY_GOALS, limit=MAX_ACTIVE_GOALS, field="title")
            zone = zone_of(uow, member.team_id, member.user_id)
            remind_at = reminder_time(draft.due, zone) if draft.due else None
            goal = uow.goals.add(member.team_id, member.user_id, draft, now, remind_at)
            changes = [GoalChange(GoalEventKind.CREATED, new=goal.title, note=draft.template)]
            changes += [
                GoalChange(GoalEventKind.MILESTONE_ADDED, new=m.title) for m in goal.milestones
            ]
            uow.goals.add_events(goal, member.user_id, changes, now)
            uow.commit()
        return goal

    # Reading

    def listing(
        self, viewer: Member, owner_id: str | None = None, *, include_archived: bool = False
    ) -> GoalListing:
        """`/mentor goal list [@person] [all]`: what this viewer may see of that person's goals."""
        owner_id = owner_id or viewer.user_id
        with self._uow() as uow:
            role = self._role(uow, viewer, owner_id)
            today = (
                self._clock.now().astimezone(zone_of(uow, viewer.team_id, viewer.user_id)).date()
            )
            goals = uow.goals.list_for(viewer.team_id, owner_id, include_archived=include_archived)
            if role is not ViewerRole.OWNER:
                goals = [g for g in goals if g.visibility is Visibility.MENTOR]
            if role is ViewerRole.LEAD:
                lines = tuple(status_line(goal, today) for goal in goals)
                return GoalListing(owner_id, role, today, status_lines=lines)
            comments = uow.goals.latest_comments(
                viewer.team_id, [g.id for g in goals], per_goal=COMMENTS_SHOWN
            )
        views = tuple(GoalView(goal, comments.get(goal.id, ())) for goal in goals)
        return GoalListing(owner_id, role, today, goals=views)

    def in_progress(self, member: Member) -> list[Goal]:
        """One's own goals in progress, by number (the check-in's one-tap rows)."""
        with self._uow() as uow:
            return uow.goals.active_for(member.team_id, [member.user_id])[member.user_id]

    def own_goal(
        self, member: Member, *, number: int | None = None, goal_id: int | None = None
    ) -> Goal:
        with self._uow() as uow:
            return self._own(uow, member, number=number, goal_id=goal_id)

    def history(
        self, viewer: Member, *, number: int | None = None, goal_id: int | None = None
    ) -> tuple[Goal, list[GoalEvent]]:
        """A goal's every change and comment, for its owner (by number) or a mentor (by id)."""
        with self._uow() as uow:
            goal = self._readable(uow, viewer, number=number, goal_id=goal_id)
            return goal, uow.goals.events(viewer.team_id, goal.id)

    # Changing one's own goal

    def mark_done(
        self, member: Member, *, number: int | None = None, goal_id: int | None = None
    ) -> Goal:
        return self._set_status(member, GoalStatus.DONE, number=number, goal_id=goal_id)

    def archive(
        self, member: Member, *, number: int | None = None, goal_id: int | None = None
    ) -> Goal:
        return self._set_status(member, GoalStatus.ARCHIVED, number=number, goal_id=goal_id)

    def set_status(
        self,
        member: Member,
        status: GoalStatus,
        *,
        number: int | None = None,
        goal_id: int | None = None,
    ) -> Goal:
        return self._set_status(member, status, number=number, goal_id=goal_id)

    def _set_status(
        self, member: Member, status: GoalStatus, *, number: int | None, goal_id: int | None
    ) -> Goal:
        with self._uow() as uow:
            goal = self._own(uow, member, number=number, goal_id=goal_id)
            check_transition(goal, status)
            if status in ACTIVE and not goal.is_active:
                self._check_room(uow, member)
            updated = self._save(uow, member, goal, _with_status(goal, status, self._clock.now()))
            uow.commit()
        return updated

    def set_progress(
        self, member: Member, progress: int | None, *, number: int | None = None
    ) -> Goal:
        """A percentage by hand, or None to follow the milestones again."""
        with self._uow() as uow:
            goal = self._own(uow, member, number=number)
            check_editable(goal)
            if goal.manual_progress == progress:
                raise InvalidInput(_PROGRESS_UNCHANGED, number=goal.number)
            updated = self._save(
                uow, member, goal, dataclasses.replace(goal, manual_progress=progress)
            )
            uow.commit()
        return updated

    def add_milestone(
        self,
        member: Member,
        title: str,
        typed_due: str | None,
        *,
        number: int | None = None,
        goal_id: int | None = None,
    ) -> Goal:
        today = self.today(member)
        milestone = Milestone(
            title=clean_title(title, field_name="milestone"),
            due=parse_due(typed_due, today=today, field_name="milestone_due"),
        )
        with self._uow() as uow:
            goal = self._own(uow, member, number=number, goal_id=goal_id)
            check_editable(goal)
            if len(goal.milestones) >= MAX_MILESTONES:
                raise InvalidInput(
                    _MILESTONES_FULL, number=goal.number, limit=MAX_MILESTONES, field="milestone"
                )
            after = dataclasses.replace(goal, milestones=(*goal.milestones, milestone))
            updated = self._save(uow, member, goal, after)
            uow.commit()
        return updated

    def set_milestones_done(self, member: Member, goal_id: int, done_ids: set[int]) -> Goal:
        """The checklist as ticked in a message: exactly these milestones are done."""
        with self._uow() as uow:
            goal = self._own(uow, member, goal_id=goal_id)
            check_editable(goal)
            milestones = tuple(
                dataclasses.replace(m, done=m.id in done_ids) for m in goal.milestones
            )
            updated = self._save(
                uow, member, goal, dataclasses.replace(goal, milestones=milestones)
            )
            uow.commit()
        return updated

    def edit(self, member: Member, goal_id: int, edit: GoalEdit) -> Goal:
        """The update form: every field at once, one history event per change."""
        draft = edit.draft
        with self._uow() as uow:
            goal = self._own(uow, member, goal_id=goal_id)
            if edit.status is not goal.status:
                check_transition(goal, edit.status)
                if edit.status in ACTIVE and not goal.is_active:
                    self._check_room(uow, member)
            after = dataclasses.replace(
                _with_status(goal, edit.status, self._clock.now()),
                title=draft.title,
                why=draft.why,
                due=draft.due,
                visibility=draft.visibility,
                manual_progress=edit.manual_progress,
                milestones=draft.milestones,
            )
            updated = self._save(uow, member, goal, after)
            uow.commit()
        return updated

    def _save(self, uow: UnitOfWork, member: Member, before: Goal, after: Goal) -> Goal:
        now = self._clock.now()
        changes = diff_goal(before, after)
        if after.due != before.due:
            zone = zone_of(uow, after.team_id, after.user_id)
            after = dataclasses.replace(
                after, remind_at=reminder_time(after.due, zone) if after.due else None
            )
        saved = uow.goals.save(after, now)
        uow.goals.add_events(saved, member.user_id, changes, now)
        return saved

    def _check_room(self, uow: UnitOfWork, member: Member) -> None:
        if uow.goals.count_active(member.team_id, member.user_id) >= MAX_ACTIVE_GOALS:
            raise InvalidInput(_TOO_MANY_GOALS, limit=MAX_ACTIVE_GOALS, field="status")

    # From the weekly check-in

    def tap_from_checkin(
        self, member: Member, checkin_id: int, goal_id: int, status: GoalStatus
    ) -> tuple[Goal, bool]:
        """A status button in the check-in: the goal takes the status (tapping its current one
        confirms it) and, while the week is open, the check-in records it. Returns the goal and
        whether the check-in recorded it."""
        now = self._clock.now()
        with self._uow() as uow:
            goal = self._own(uow, member, goal_id=goal_id)
            if status is not goal.status:
                check_transition(goal, status)
                if status in ACTIVE and not goal.is_active:
                    self._check_room(uow, member)
                goal = self._save(uow, member, goal, _with_status(goal, status, now))
            checkin = uow.checkins.get(member.team_id, checkin_id)
            recorded = (
                checkin is not None and checkin.user_id == member.user_id and checkin.is_open(now)
            )
            if recorded:
                assert checkin is not None
                uow.goals.record_checkin_update(
                    member.team_id,
                    CheckinGoalUpdate(checkin.id, goal.id, goal.status, goal.progress, now),
                )
            uow.commit()
        return goal, recorded

    def checkin_updates(self, member: Member, checkin_id: int) -> list[CheckinGoalUpdate]:
        with self._uow() as uow:
            return uow.goals.checkin_updates(member.team_id, checkin_id)

    # Comments

    def comment(
        self,
        viewer: Member,
        text: str,
        *,
        owner_id: str | None = None,
        number: int | None = None,
        goal_id: int | None = None,
    ) -> Goal:
        """A comment by the owner or a mentor; the other side hears of it by DM."""
        note = clean_text(text, limit=MAX_COMMENT, field_name="comment")
        if not note:
            raise InvalidInput(_EMPTY_COMMENT, field="comment")
        now = self._clock.now()
        with self._uow() as uow:
            goal = self._readable(uow, viewer, number=number, goal_id=goal_id, owner_id=owner_id)
            [event] = uow.goals.add_events(
                goal, viewer.user_id, [GoalChange(GoalEventKind.COMMENT, note=note)], now
            )
            readers = {goal.user_id} | (
                self._mentors_of(uow, goal.team_id, goal.user_id)
                if goal.visibility is Visibility.MENTOR
                else set()
            )
            payload = kinds.comment_payload(goal, event)
            self._deliveries.enqueue_in(
                uow,
                [
                    NewDelivery(
                        DeliveryKey(goal.team_id, reader, kinds.COMMENT, f"comment-{event.id}"),
                        now,
                        payload,
                    )
                    for reader in sorted(readers - {viewer.user_id})
                ],
            )
            uow.commit()
        return goal

    # The week-ahead reminder (a scheduler tick job)

    def remind_due(self, at: datetime) -> int:
        """Queue the reminders whose time has come: a few queries per tick, however many
        goals are due (bench/checkins.py counts them)."""
        with self._uow() as uow:
            candidates = uow.goals.due_for_reminder(at)
            zones = zones_of(uow, {(goal.team_id, goal.user_id) for goal in candidates})
            outgoing: list[NewDelivery] = []
            settled: list[Goal] = []
            for goal in candidates:
                zone = zones[goal.team_id, goal.user_id]
                decision = reminder_decision(goal, at, zone)
                if decision is ReminderDecision.WAIT:
                    continue
                settled.append(goal)
                if decision is ReminderDecision.SEND:
                    outgoing.append(_due_soon(goal, at, zone))
            self._deliveries.enqueue_in(uow, outgoing)
            uow.goals.mark_reminded(settled)
            uow.commit()
        return len(outgoing)

    # Who may do what

    def _own(
        self,
        uow: UnitOfWork,
        member: Member,
        *,
        number: int | None = None,
        goal_id: int | None = None,
    ) -> Goal:
        goal = self._find(uow, member.team_id, member.user_id, number=number, goal_id=goal_id)
        if goal is None or goal.user_id != member.user_id:
            if number is not None:
                raise InvalidInput(_NO_SUCH_GOAL, number=number)
            raise NotAllowed(_NOT_YOUR_GOAL)
        return goal

    def _readable(
        self,
        uow: UnitOfWork,
        viewer: Member,
        *,
        number: int | None,
        goal_id: int | None,
        owner_id: str | None = None,
    ) -> Goal:
        """A goal the viewer may read in full: their own, or a mentee's shared one."""
        owner_id = owner_id or viewer.user_id
        if (
            owner_id != viewer.user_id
            and self._role(uow, viewer, owner_id) is not ViewerRole.MENTOR
        ):
            raise NotAllowed(_ONLY_OWN_AND_MENTEES)
        goal = self._find(uow, viewer.team_id, owner_id, number=number, goal_id=goal_id)
        if goal is not None and goal.user_id != viewer.user_id:
            mentor = goal.user_id in self._mentees_of(uow, viewer.team_id, viewer.user_id)
            if not mentor or goal.visibility is not Visibility.MENTOR:
                goal = None
        if goal is None:
            if owner_id == viewer.user_id and number is not None:
                raise InvalidInput(_NO_SUCH_GOAL, number=number)
            raise NotAllowed(_ONLY_OWN_AND_MENTEES)
        return goal

    def _find(
        self,
        uow: UnitOfWork,
        team_id: str,
        owner_id: str,
        *,
        number: int | None,
        goal_id: int | None,
    ) -> Goal | None:
        if goal_id is not None:
            return uow.goals.get(team_id, goal_id)
        assert number is not None
        if not 1 <= number <= MAX_GOAL_NUMBER:
            return None  # no goal has it, and the database's integer column might not hold it
        return uow.goals.by_number(team_id, owner_id, number)

    def _role(self, uow: UnitOfWork, viewer: Member, owner_id: str) -> ViewerRole:
        if owner_id == viewer.user_id:
            return ViewerRole.OWNER
        if owner_id in self._mentees_of(uow, viewer.team_id, viewer.user_id):
            return ViewerRole.MENTOR
        profile = uow.profiles.get(viewer.team_id, owner_id)
        is_manager = profile is not None and profile.manager_id == viewer.user_id
        leads_them = any(
            owner_id in team.members for team in uow.teams.led_by(viewer.team_id, viewer.user_id)
        )
        if is_manager or leads_them or self._is_admin(uow, viewer):
            return ViewerRole.LEAD
        raise NotAllowed(_ONLY_OWN_AND_MENTEES)

    def _is_admin(self, uow: UnitOfWork, viewer: Member) -> bool:
        if viewer.user_id in self._admins:
            return True
        stored = uow.members.get(viewer.team_id, viewer.user_id)
        return stored is not None and stored.is_admin

    @staticmethod
    def _mentees_of(uow: UnitOfWork, team_id: str, mentor_id: str) -> set[str]:
        return {
            mentee for mentor, mentee in uow.matches.accepted_pairs(team_id) if mentor == mentor_id
        }

    @staticmethod
    def _mentors_of(uow: UnitOfWork, team_id: str, mentee_id: str) -> set[str]:
        return {
            mentor for mentor, mentee in uow.matches.accepted_pairs(team_id) if mentee == mentee_id
        }


_MIDNIGHT = datetime.min.time()


def _with_status(goal: Goal, status: GoalStatus, now: datetime) -> Goal:
    return dataclasses.replace(
        goal, status=status, done_at=now if status is GoalStatus.DONE else None
    )


def _due_soon(goal: Goal, at: datetime, zone: ZoneInfo) -> NewDelivery:
    assert goal.due is not None
    return NewDelivery(
        DeliveryKey(goal.team_id, goal.user_id, kinds.DUE_SOON, kinds.due_soon_period(goal)),
        at,
        {**kinds.goal_payload(goal), "days_left": (goal.due - at.astimezone(zone).date()).days},
        expires_at=resolve_local(goal.due, _MIDNIGHT, zone),  # not once the day has come
    )


_TOO_MANY_GOALS = N_(
    "You have {limit} goals in progress already. Mark one done or archive one first "
    "(`/mentor goal list`)."
)
_PROGRESS_UNCHANGED = N_("Goal {number}'s progress is already set to that.")
_MILESTONES_FULL = N_("Goal {number} has {limit} milestones already, the most a goal can have.")
_EMPTY_COMMENT = N_("Write something to comment.")
_NO_SUCH_GOAL = N_("You have no goal {number}. `/mentor goal list` shows your goals and numbers.")
_NOT_YOUR_GOAL = N_("That goal is not yours, so you cannot change it.")
_ONLY_OWN_AND_MENTEES = N_("You can see only your own goals and those of your mentees.")

"""The Home tab's builder and rules: sections per role, Slack's limits in the worst case, and
the next check-in (or why none comes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.checkins import CheckinSchedule, SkipReason, skip_reason
from bot.domain.goals import Goal, GoalStatus, Visibility
from bot.domain.home import (
    CheckinBlocker,
    CheckinOutlook,
    checkin_outlook,
    profile_completeness,
    profile_gaps,
)
from bot.domain.profiles import ProgramRole
from bot.i18n import translator
from bot.services.home import (
    AdminPanel,
    FailedDelivery,
    HomeSnapshot,
    LedTeam,
    MentorLoad,
    Partner,
    Request,
    StalledMatch,
)
from handlers.blocks.home import MAX_BLOCKS, build_home_view
from handlers.blocks.mrkdwn import SECTION_TEXT
from handlers.ids import HomeAction, HomeBlock, MatchAction
from tests.support.program import profile

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # Friday 16:00 in Seoul
_ = translator("en")


def goal(number: int, title: str = "Ship a RAG demo") -> Goal:
    return Goal(
        id=number,
        team_id="T111",
        user_id="U1",
        number=number,
        title=title,
        why="",
        due=None,
        status=GoalStatus.ON_TRACK,
        visibility=Visibility.MENTOR,
        manual_progress=None,
        milestones=(),
        created_at=NOW,
        updated_at=NOW,
    )


def snapshot(**changes) -> HomeSnapshot:
    base = HomeSnapshot(
        user_id="U1",
        now=NOW.astimezone(SEOUL),
        profile=profile("U1"),
        gaps=(),
        partners=(),
        to_answer=(),
        asked=(),
        goals=(),
        outlook=CheckinOutlook(next_at=datetime(2026, 12, 4, 16, 0, tzinfo=SEOUL)),
        open_checkin_id=None,
        recent_checkins=(),
        led_teams=(),
        admin=None,
    )
    return replace(base, **changes)


def view_of(snap: HomeSnapshot, language: str = "en") -> dict:
    return build_home_view(snap, translator(language)).to_dict()


def texts(view: dict) -> str:
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(view)
    return "\n".join(found)


def block_ids(view: dict) -> set[str]:
    return {b.get("block_id", "") for b in view["blocks"]}


def action_ids(view: dict) -> set[str]:
    return {e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_a_mentee_home_has_profile_matches_goals_and_checkins_but_no_lead_or_admin_parts():
    partner = Partner(1, "UM1", True, NOW.astimezone(SEOUL), (), has_profiles=True)
    view = view_of(snapshot(partners=(partner,), goals=(goal(1),)))

    assert view["type"] == "home"
    assert {HomeBlock.PROFILE, HomeBlock.MATCHES, HomeBlock.GOALS, HomeBlock.CHECKINS} <= (
        block_ids(view)
    )
    assert not block_ids(view) & {HomeBlock.LEAD, HomeBlock.ADMIN}
    text = texts(view)
    assert "<@UM1> is your mentor" in text
    assert "working hours do not overlap" in text
    assert "The next one comes 2026-12-04 16:00 (Asia/Seoul)." in text
    assert HomeAction.RUN_ROUND not in action_ids(view)


def test_requests_have_accept_and_decline_and_leads_and_admins_get_their_parts():
    panel = AdminPanel(("UW1",), (MentorLoad("UM1", 2, 2),), (), ())
    view = view_of(
        snapshot(
            to_answer=(Request(7, "UE2", None),),
            led_teams=(LedTeam("Platform", 4),),
            admin=panel,
        )
    )

    assert {MatchAction.ACCEPT, MatchAction.DECLINE, HomeAction.DIGEST, HomeAction.RUN_ROUND} <= (
        action_ids(view)
    )
    assert {HomeBlock.LEAD, HomeBlock.ADMIN, HomeBlock.ADMIN_CAPACITY} <= block_ids(view)
    assert "<@UM1>: 2 of 2 places taken" in texts(view)


def test_the_worst_case_home_stays_within_100_blocks_and_3000_characters_a_section():
    long = "&<>" * 50  # 150 characters, 600 once escaped
    many = tuple(f"U{n:05d}" for n in range(500))
    panel = AdminPanel(
        waiting=many,
        near_capacity=tuple(MentorLoad(u, 9, 10) for u in many),
        stalled=tuple(StalledMatch(u, u, missed_weeks=3) for u in many)
        + tuple(StalledMatch(u, u, expires_at=NOW) for u in many),
        failed=tuple(FailedDelivery(u, "checkin_prompt", long, NOW) for u in many),
    )
    partners = tuple(
        Partner(n, u, False, NOW, ((NOW, NOW), (NOW, NOW)), True) for n, u in enumerate(many)
    )
    snap = snapshot(
        partners=partners,
        asked=(Request(1, "UM9", NOW),),
        to_answer=tuple(Request(n, u, NOW) for n, u in enumerate(many)),
        goals=tuple(goal(n, long) for n in range(1, 40)),
        gaps=profile_gaps(profile("U1", ProgramRole.BOTH, capacity=0)),
        led_teams=tuple(LedTeam(long, 10) for _n in range(30)),
        admin=panel,
        open_checkin_id=5,
    )

    for language in ("en", "ko"):
        view = view_of(snap, language)
        assert len(view["blocks"]) <= MAX_BLOCKS
        for block in view["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_TEXT
    assert "more not shown" in texts(view_of(snap))


def test_user_text_is_escaped():
    view = view_of(snapshot(goals=(goal(1, "<!channel> & co"),)))

    text = texts(view)
    assert "<!channel>" not in text
    assert "&lt;!channel&gt; &amp; co" in text


def test_a_korean_home_is_in_korean():
    text = texts(view_of(snapshot(), "ko"))

    assert "나의 멘토링 홈" in text
    assert "Your mentoring home" not in text


def test_a_paused_person_is_offered_resume_and_told_when_checkins_come_back():
    paused = CheckinOutlook(
        next_at=datetime(2027, 1, 1, 16, 0, tzinfo=SEOUL), paused_until=date(2026, 12, 25)
    )
    view = view_of(snapshot(outlook=paused))

    assert "Paused until 2026-12-25: no check-ins until then." in texts(view)
    assert HomeAction.RESUME in action_ids(view)
    assert HomeAction.SKIP not in action_ids(view)


# The rules


def test_the_next_checkin_is_this_weeks_until_it_is_due_then_next_weeks():
    schedule = CheckinSchedule(weekday=4, at=time(16, 0))
    mentee = profile("U1")
    before = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)

    assert checkin_outlook(mentee, schedule, before, SEOUL, None, False).next_at == datetime(
        2026, 11, 27, 16, 0, tzinfo=SEOUL
    )
    assert checkin_outlook(mentee, schedule, NOW, SEOUL, None, False).next_at == datetime(
        2026, 12, 4, 16, 0, tzinfo=SEOUL
    )


def test_a_pause_moves_the_next_checkin_past_its_end():
    paused = replace(profile("U1"), paused_until=date(2026, 12, 11))

    outlook = checkin_outlook(paused, CheckinSchedule(), NOW, SEOUL, None, False)

    assert outlook.paused_until == date(2026, 12, 11)
    assert outlook.next_at == datetime(2026, 12, 18, 16, 0, tzinfo=SEOUL)


def test_why_no_checkin_comes():
    schedule = CheckinSchedule()
    mentor = profile("U1", ProgramRole.MENTOR)

    assert checkin_outlook(None, schedule, NOW, SEOUL, None, False).blocker is (
        CheckinBlocker.NO_PROFILE
    )
    assert checkin_outlook(mentor, schedule, NOW, SEOUL, None, False).blocker is (
        CheckinBlocker.NOT_MATCHED
    )
    assert checkin_outlook(mentor, schedule, NOW, SEOUL, None, True).blocker is None
    opted_out = replace(profile("U1"), opted_out=True)
    assert checkin_outlook(opted_out, schedule, NOW, SEOUL, None, False).blocker is (
        CheckinBlocker.OPTED_OUT
    )
    # A pause ends, but an unmatched mentor still gets none: the reason is the lasting one.
    paused_mentor = replace(mentor, paused_until=date(2026, 12, 11))
    outlook = checkin_outlook(paused_mentor, schedule, NOW, SEOUL, None, False)
    assert outlook.blocker is CheckinBlocker.NOT_MATCHED and outlook.next_at is None


def test_the_outlook_and_the_weekly_tick_read_the_same_rule():
    """Whatever the Home promises for a given Friday, `skip_reason` - which the tick records -
    agrees with: a promised prompt is not skipped, and a pause is skipped until it ends."""
    paused = replace(profile("U1"), paused_until=date(2026, 12, 11))
    outlook = checkin_outlook(paused, CheckinSchedule(), NOW, SEOUL, None, False)
    assert outlook.next_at is not None
    promised = outlook.next_at.date()
    assert skip_reason(paused, promised, deactivated=False, has_mentee=False) is None
    week_before = date(2026, 12, 11)
    assert skip_reason(paused, week_before, deactivated=False, has_mentee=False) is (
        SkipReason.PAUSED
    )


def test_profile_completeness_counts_the_parts_that_apply_to_the_role():
    mentee = profile("U1")  # skills wanted and a career move, no intro
    assert profile_completeness(mentee) == 75
    assert profile_completeness(replace(mentee, intro="Hi")) == 100
    assert profile_completeness(profile("U2", ProgramRole.MENTOR, capacity=0)) == 60

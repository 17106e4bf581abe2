"""How check-ins look in Slack: every delivery kind renders valid Block Kit with a notification
text, the mentor's summary keeps unshared words out, Korean reads Korean, the form round-trips."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.domain import checkin_messages as kinds
from bot.domain.checkins import (
    Checkin,
    CheckinAnswer,
    CheckinRole,
    CheckinState,
    SkipReason,
    parse_answer,
)
from bot.i18n import translator
from handlers.blocks import checkins as blocks
from handlers.blocks.deliveries import RENDERERS
from handlers.ids import CheckinAction, CheckinBlock, CheckinShare, CheckinView

EN, KO = translator("en"), translator("ko")
AT = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)

CHECKIN = Checkin(
    id=42,
    team_id="T1",
    user_id="UE1",
    week="2026-W48",
    role=CheckinRole.MENTEE,
    state=CheckinState.PENDING,
    due_at=AT,
    week_ends_at=datetime(2026, 11, 29, 15, 0, tzinfo=UTC),
    answer=CheckinAnswer(),
    created_at=AT,
    updated_at=AT,
)
SECRET = "<!channel> my manager is `the problem`"
ANSWERED = replace(
    CHECKIN,
    state=CheckinState.ANSWERED,
    answer=CheckinAnswer(
        progress=SECRET, blockers="GPU quota", confidence=2, next_steps="Ask for more GPUs"
    ),
)


def payload_for(kind: str, checkin: Checkin = ANSWERED) -> dict:
    if kind == kinds.SUMMARY_TO_MENTOR:
        return kinds.summary_payload(checkin)
    payload = kinds.checkin_payload(checkin)
    if kind in (kinds.MISSED_TO_MENTOR, kinds.MISSED_TO_ADMINS, kinds.OFFER_PAUSE):
        payload["streak"] = 3
    return json.loads(json.dumps(payload))  # as stored: plain JSON


def shown(message) -> str:
    return (
        message.text
        + "\n"
        + "\n".join(json.dumps(b.to_dict(), ensure_ascii=False) for b in message.blocks)
    )


def validate(message) -> None:
    assert message.text
    assert message.blocks
    for block in message.blocks:
        block.validate_json()


@pytest.mark.parametrize("kind", kinds.ALL)
@pytest.mark.parametrize("_", [EN, KO], ids=["en", "ko"])
def test_every_kind_renders_valid_blocks_with_a_text(kind, _):
    assert kind in RENDERERS
    validate(RENDERERS[kind](payload_for(kind), _))


def test_the_prompt_asks_the_questions_and_has_the_form_button():
    message = blocks.build_prompt(payload_for(kinds.PROMPT, CHECKIN), EN)
    text = shown(message)
    assert message.text == "Your weekly check-in (week 2026-W48)"
    for question in ("How did this week go?", "What is blocking you?", "1 to 5", "What's next?"):
        assert question in text
    assert "Just reply here in a message, or use the form." in text
    assert "<!date^" in text  # the week's end, in the reader's own zone
    [button] = [
        e
        for b in message.blocks
        if b.to_dict().get("block_id") == CheckinBlock.ACTIONS
        for e in b.to_dict()["elements"]
    ]
    assert (button["action_id"], button["value"]) == (CheckinAction.OPEN_FORM, "42")


def test_a_mentor_is_asked_about_their_mentees():
    payload = payload_for(kinds.PROMPT, replace(CHECKIN, role=CheckinRole.MENTOR))
    text = shown(blocks.build_prompt(payload, EN))
    assert "How are your mentees doing?" in text
    assert "What is blocking you?" not in text


def test_the_reminder_is_gentle_and_keeps_the_form_button():
    text = shown(blocks.build_reminder(payload_for(kinds.REMINDER, CHECKIN), EN))
    assert "gentle reminder" in text and CheckinAction.OPEN_FORM in text


def test_the_summary_shows_shared_words_escaped():
    message = blocks.build_summary_to_mentor(payload_for(kinds.SUMMARY_TO_MENTOR), EN)
    text = shown(message)
    assert message.text == "<@UE1> answered their check-in for 2026-W48: confidence 2/5."
    assert "GPU quota" in text and "Ask for more GPUs" in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text


def test_the_summary_has_a_button_that_opens_a_dm_with_the_mentee():
    message = blocks.build_summary_to_mentor(payload_for(kinds.SUMMARY_TO_MENTOR), EN)
    [actions] = [b.to_dict() for b in message.blocks if b.to_dict()["type"] == "actions"]
    [button] = actions["elements"]
    assert button["action_id"] == CheckinAction.REPLY_TO_MENTEE
    assert button["url"] == f"slack://user?team={ANSWERED.team_id}&id={ANSWERED.user_id}"


def test_the_summary_hides_the_words_when_not_shared():
    private = replace(
        ANSWERED, answer=replace(ANSWERED.answer, share_with_mentor=False, share_with_lead=True)
    )
    message = blocks.build_summary_to_mentor(payload_for(kinds.SUMMARY_TO_MENTOR, private), EN)
    text = shown(message)
    assert "confidence 2/5" in text
    assert "kept their words private" in text
    for word in ("manager", "GPU quota", "Ask for more"):
        assert word not in text


def test_missed_and_offer_messages():
    to_mentor = shown(blocks.build_missed_to_mentor(payload_for(kinds.MISSED_TO_MENTOR), EN))
    assert "<@UE1> has missed 3 check-ins in a row" in to_mentor
    to_admins = shown(blocks.build_missed_to_admins(payload_for(kinds.MISSED_TO_ADMINS), EN))
    assert "<@UE1> has missed 3 check-ins in a row" in to_admins and "2026-W48" in to_admins
    offer = shown(blocks.build_offer_pause(payload_for(kinds.OFFER_PAUSE), EN))
    assert "No pressure" in offer
    assert CheckinAction.PAUSE_FOUR_WEEKS in offer and CheckinAction.NEW_MENTOR in offer


def test_korean_reads_korean():
    prompt = shown(blocks.build_prompt(payload_for(kinds.PROMPT, CHECKIN), KO))
    assert "주간 체크인" in prompt and "양식으로 답하기" in prompt
    assert "How did this week go?" not in prompt
    summary = shown(blocks.build_summary_to_mentor(payload_for(kinds.SUMMARY_TO_MENTOR), KO))
    assert "체크인에 답했어요" in summary and "자신감 2/5" in summary


def test_the_answered_prompt_shows_the_answer_without_buttons():
    message = blocks.build_answered(ANSWERED, EN)
    validate(message)
    text = shown(message)
    assert "2026-W48 is saved" in text and "GPU quota" in text and "2/5" in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert all(b.to_dict()["type"] != "actions" for b in message.blocks)


def test_history_lists_states_reasons_and_escaped_snippets():
    skipped = replace(
        CHECKIN, id=41, week="2026-W47", state=CheckinState.SKIPPED, skip_reason=SkipReason.PAUSED
    )
    long = replace(ANSWERED, answer=replace(ANSWERED.answer, progress="x" * 500))
    message = blocks.build_history([ANSWERED, skipped, long], EN)
    validate(message)
    text = shown(message)
    assert "*2026-W48* · answered · confidence 2/5 · _&lt;!channel&gt;" in text
    assert "*2026-W47* · skipped (paused)" in text
    assert "x" * 100 not in text
    assert "No check-ins yet" in blocks.build_history([], EN).text


def test_the_form_is_prefilled_and_its_state_parses_back():
    view = blocks.build_form(ANSWERED, {"checkin_id": 42, "channel": "D1", "ts": "1.2"}, EN)
    view.validate_json()
    form = view.to_dict()
    assert form["callback_id"] == CheckinView.FORM
    assert json.loads(form["private_metadata"]) == {"checkin_id": 42, "channel": "D1", "ts": "1.2"}
    by_block = {b.get("block_id"): b for b in form["blocks"]}
    assert by_block[CheckinBlock.PROGRESS]["element"]["initial_value"] == SECRET
    assert by_block[CheckinBlock.CONFIDENCE]["element"]["initial_option"]["value"] == "2"
    sharing = by_block[CheckinBlock.SHARING]["element"]
    assert [o["value"] for o in sharing["initial_options"]] == [CheckinShare.MENTOR]

    state = {
        CheckinBlock.PROGRESS: {CheckinAction.PROGRESS: {"value": "Shipped the demo"}},
        CheckinBlock.BLOCKERS: {CheckinAction.BLOCKERS: {"value": None}},
        CheckinBlock.CONFIDENCE: {CheckinAction.CONFIDENCE: {"selected_option": {"value": "4"}}},
        CheckinBlock.NEXT_STEPS: {CheckinAction.NEXT_STEPS: {"value": "Evals"}},
        CheckinBlock.SHARING: {
            CheckinAction.SHARING: {"selected_options": [{"value": CheckinShare.LEAD}]}
        },
    }
    answer = parse_answer(**blocks.answer_fields_from_state(state))
    assert answer == CheckinAnswer(
        progress="Shipped the demo",
        confidence=4,
        next_steps="Evals",
        share_with_mentor=False,
        share_with_lead=True,
    )


def test_a_new_form_shares_with_the_mentor_by_default_and_korean_labels():
    view = blocks.build_form(CHECKIN, {"checkin_id": 42}, KO)
    view.validate_json()
    form = view.to_dict()
    assert form["title"]["text"] == "주간 체크인"
    sharing = next(b for b in form["blocks"] if b.get("block_id") == CheckinBlock.SHARING)
    assert [o["value"] for o in sharing["element"]["initial_options"]] == [CheckinShare.MENTOR]


def test_every_answer_field_error_lands_on_a_form_block():
    assert set(blocks.FIELD_BLOCKS) == {"progress", "blockers", "confidence", "next_steps"}


# Slack's limits hold however much an answer grows when escaped (`&` is `&amp;`)

WALLED = replace(
    ANSWERED,
    answer=CheckinAnswer(
        progress="&" * 3000, blockers="<" * 3000, confidence=3, next_steps="<>" * 1500
    ),
)
PARTIAL_ENTITY = re.compile(r"&(?!(?:amp|lt|gt);)|<(?![^<>]*>)")


def section_texts(message) -> list[str]:
    return [b.to_dict()["text"]["text"] for b in message.blocks if b.type == "section"]


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(lambda: blocks.build_answered(WALLED, EN), id="answered"),
        pytest.param(
            lambda: blocks.build_summary_to_mentor(
                payload_for(kinds.SUMMARY_TO_MENTOR, WALLED), EN
            ),
            id="summary-to-mentor",
        ),
        pytest.param(lambda: blocks.build_history([WALLED], EN), id="history"),
    ],
)
def test_answers_of_3000_special_characters_fit_a_section_escaped_and_whole(message):
    built = message()
    validate(built)
    for text in section_texts(built):
        assert len(text) <= 3000
        assert PARTIAL_ENTITY.search(text) is None, text


def test_each_answer_shown_back_is_clipped_after_escaping():
    lines = section_texts(blocks.build_answered(WALLED, EN))[1].split("\n")
    progress = lines[0].removeprefix("*Progress:* ")
    assert progress == "&amp;" * ((blocks.SHOWN_BACK - 1) // 5) + "…"  # whole entities only
    assert len(progress) <= blocks.SHOWN_BACK

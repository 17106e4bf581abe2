"""The demo console's Block Kit to text: what a person reads, numbered buttons, lettered
inputs, and the view state filled-in inputs produce."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.demo.render import (
    Field,
    filled_state,
    mrkdwn_to_text,
    render_message,
    render_view,
    state_text,
)

NAMES = {"U1": "jiwoo", "U2": "dan"}


def name_of(user_id: str) -> str:
    return NAMES.get(user_id, user_id)


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def button(text: str, action_id: str, value: str | None = None) -> dict:
    element = {"type": "button", "text": plain(text), "action_id": action_id}
    return element | ({"value": value} if value is not None else {})


def test_mentions_links_dates_and_escapes_read_as_people_would_see_them():
    text = (
        "<@U1> and <@U2|danny> in <#C9|general> &amp; <https://x.test|the docs> "
        "&lt;b&gt; by <!date^1795996800^{date_short_pretty}|2026-11-30 00:00 UTC>"
    )

    assert mrkdwn_to_text(text, name_of) == (
        "@jiwoo and @danny in #general & the docs (https://x.test) <b> by 2026-11-30 00:00 UTC"
    )
    assert mrkdwn_to_text(text, name_of, ZoneInfo("Asia/Seoul")).endswith("2026-11-30 09:00 KST")


def test_a_message_reads_as_header_sections_fields_context_divider_and_numbered_buttons():
    blocks = [
        {"type": "header", "text": plain("Matching round 1")},
        {"type": "section", "text": mrkdwn("*Pairs* <@U1> ← <@U2>"), "fields": [mrkdwn("a")]},
        {"type": "divider"},
        {"type": "context", "elements": [mrkdwn("one"), plain("two")]},
        {
            "type": "actions",
            "block_id": "round",
            "elements": [button("Approve", "approve", "7"), button("Discard", "discard", "7")],
        },
        {
            "type": "section",
            "text": mrkdwn("Ask her?"),
            "accessory": button("Ask", "ask", "U1"),
        },
    ]

    rendered = render_message("fallback", blocks, name_of=name_of, first_button=3)

    assert rendered.text == "\n".join(
        [
            "Matching round 1",
            "================",
            "*Pairs* @jiwoo ← @dan",
            "  a",
            "-" * 40,
            "  one · two",
            "[3] Approve  [4] Discard",
            "Ask her?",
            "  [5] Ask",
        ]
    )
    assert [(b.label, b.action_id, b.value, b.block_id) for b in rendered.buttons] == [
        ("Approve", "approve", "7", "round"),
        ("Discard", "discard", "7", "round"),
        ("Ask", "ask", "U1", ""),
    ]


def test_a_message_without_blocks_reads_as_its_text():
    assert render_message("Hi <@U2>", None, name_of=name_of).text == "Hi @dan"


def test_a_modal_letters_its_inputs_with_choices_and_what_is_filled_in():
    view = {
        "type": "modal",
        "title": plain("Weekly check-in"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            {
                "type": "input",
                "block_id": "progress",
                "label": plain("How did it go?"),
                "optional": True,
                "element": {"type": "plain_text_input", "action_id": "p"},
            },
            {
                "type": "input",
                "block_id": "confidence",
                "label": plain("Confidence"),
                "element": {
                    "type": "static_select",
                    "action_id": "c",
                    "options": [{"text": plain(str(n)), "value": str(n)} for n in (1, 2, 3)],
                    "initial_option": {"text": plain("2"), "value": "2"},
                },
            },
        ],
    }

    rendered = render_view(view, values={"progress": {"p": {"value": "Shipped"}}})

    assert rendered.text == "\n".join(
        [
            "[ Weekly check-in ]",
            "(a) How did it go? (optional)",
            "    = Shipped",
            "(b) Confidence",
            "    1) 1  2) 2  3) 3",
            "    = 2",
            "<Save: type submit> <Cancel: type cancel>",
        ]
    )
    assert [(f.letter, f.block_id, f.action_id, f.kind) for f in rendered.fields] == [
        ("a", "progress", "p", "plain_text_input"),
        ("b", "confidence", "c", "static_select"),
    ]


def test_filled_in_text_and_choices_become_the_view_state_slack_sends():
    select = Field("b", "Confidence", "conf", "c", "static_select", (("4", "Four"), ("5", "Five")))
    boxes = Field("e", "Share", "share", "s", "checkboxes", (("m", "Mentor"), ("l", "Lead")))
    text = Field("a", "Progress", "progress", "p", "plain_text_input")

    assert filled_state(text, "Shipped it") == {"type": "plain_text_input", "value": "Shipped it"}
    by_number, by_label = filled_state(select, "2"), filled_state(select, "four")
    assert by_number["selected_option"]["value"] == "5"
    assert by_label["selected_option"]["value"] == "4"
    both = filled_state(boxes, "1, l")
    assert [o["value"] for o in both["selected_options"]] == ["m", "l"]
    assert state_text(both) == "Mentor, Lead"
    with pytest.raises(ValueError, match="not one of the choices"):
        filled_state(select, "9")

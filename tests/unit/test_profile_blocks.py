"""The profile modal builder, reading its state back, and where field errors land."""

from __future__ import annotations

import pytest

from bot.domain.profile_input import ProfileInvalid, default_fields, parse_profile, profile_fields
from bot.i18n import translator
from bot.services.profiles import ProfileDraft
from handlers.blocks.profile import (
    build_profile_errors,
    build_profile_modal,
    build_profile_saved_blocks,
    profile_fields_from_state,
)

EN, KO = translator("en"), translator("ko")


def test_the_modal_is_valid_block_kit_in_both_languages():
    for _ in (EN, KO):
        view = build_profile_modal(ProfileDraft(default_fields("Asia/Seoul", ["ko"]), False), _)
        view.validate_json()
        assert len(view.blocks) <= 100


def test_free_skills_are_prefilled_beside_the_chosen_ones_and_read_back_merged():
    profile = parse_profile(
        "T1",
        "U1",
        {
            "role": "mentee",
            "background": "backend",
            "track": "nlp",
            "skills_wanted": "rag;korean nlp",
        },
    )
    view = build_profile_modal(ProfileDraft(profile_fields(profile), True), EN).to_dict()
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert [o["value"] for o in blocks["skills_wanted"]["element"]["initial_options"]] == ["rag"]
    assert blocks["skills_wanted_other"]["element"]["initial_value"] == "korean nlp"

    state = {
        "skills_wanted": {
            "a": {"type": "multi_static_select", "selected_options": [{"value": "rag"}]}
        },
        "skills_wanted_other": {"b": {"type": "plain_text_input", "value": "korean nlp, MLflow"}},
        "role": {"c": {"type": "static_select", "selected_option": {"value": "mentee"}}},
        "capacity": {"d": {"type": "number_input", "value": None}},
    }
    assert profile_fields_from_state(state) == {
        "role": "mentee",
        "capacity": "",
        "skills_wanted": ("rag", "korean nlp", "MLflow"),
    }


def test_skill_errors_show_under_the_free_entry_input_and_are_translated():
    with pytest.raises(ProfileInvalid) as invalid:
        parse_profile("T1", "U1", {"role": "mentee", "skills_offered": "x" * 41})
    errors = build_profile_errors(invalid.value, KO)
    assert set(errors) == {"background", "track", "skills_offered_other"}
    assert errors["background"] == "꼭 입력해야 하는 항목이에요."


def test_the_receipt_summarises_the_profile():
    profile = parse_profile(
        "T1",
        "U1",
        {"role": "both", "background": "backend", "track": "mlops", "capacity": "1"},
    )
    blocks = build_profile_saved_blocks(profile, EN)
    for block in blocks:
        block.validate_json()
    text = str([block.to_dict() for block in blocks])
    assert "Mentor and mentee" in text and "*Mentees at once*\\n1" in text

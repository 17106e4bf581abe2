"""`/mentor admin` over signed HTTP: admins add and remove admins; nobody else can; an admin from
MENTOR_BOT_ADMINS is removed in the settings, not in Slack."""

from __future__ import annotations

from tests.support.running_bot import RunningBot


def say(bot: RunningBot, text: str, user_id: str) -> str:
    answer = bot.command(text, user_id=user_id)
    assert answer.status == 200
    return answer.json["text"]


def test_an_admin_adds_and_removes_admins_and_nobody_else_can(running_bot):
    assert say(running_bot, "admin add <@UMINJI|minji>", "UJUN") == (
        "Only program admins can add or remove admins."
    )

    assert say(running_bot, "admin add <@UMINJI|minji>", "UADMIN") == (
        "<@UMINJI> can now run the program."
    )
    assert say(running_bot, "team list", "UMINJI").startswith("No teams yet.")
    assert say(running_bot, "admin list", "UMINJI") == (
        "Program admins: <@UADMIN> (MENTOR_BOT_ADMINS); <@UMINJI> (added in Slack)."
    )
    assert say(running_bot, "admin remove <@UMINJI>", "UADMIN") == (
        "<@UMINJI> is no longer an admin."
    )
    assert say(running_bot, "team list", "UMINJI") == "Only program admins can manage teams."


def test_an_admin_from_the_settings_is_removed_there_and_bad_input_says_what_works(running_bot):
    assert say(running_bot, "admin remove <@UADMIN>", "UADMIN") == (
        "<@UADMIN> is an admin through the MENTOR_BOT_ADMINS setting; remove them there."
    )
    assert say(running_bot, "admin promote <!channel>", "UADMIN") == (
        "Try `/mentor admin list`, `/mentor admin add @minji` or `/mentor admin remove @minji`."
    )

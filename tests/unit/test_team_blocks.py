"""The answers to `/mentor team ...`: counts read right at one, in English and Korean."""

from __future__ import annotations

import pytest

from bot.domain.teams import Team
from bot.i18n import translator
from handlers.blocks.teams import added_text, build_team_list, removed_text, team_line

EN, KO = translator("en"), translator("ko")


def team(*members: str) -> Team:
    return Team(
        id=1, team_id="T1", name="Search", leads=frozenset({"UL"}), members=frozenset(members)
    )


@pytest.mark.parametrize(
    ("members", "english", "korean"),
    [
        (("UA",), "1 member", "멤버 1명"),
        (("UA", "UB"), "2 members", "멤버 2명"),
        ((), "0 members", "멤버 0명"),
    ],
)
def test_member_counts_read_right_at_one_and_many(members, english, korean):
    assert f"leads <@UL> · {english} · digest" in team_line(team(*members), EN)
    assert f"· {korean} ·" in team_line(team(*members), KO)
    assert added_text(team(*members), ["UA"], EN).endswith(f"(now {english}).")
    assert removed_text(team(*members), EN).endswith(f"and {english}.")
    assert f"{korean}이에요." in removed_text(team(*members), KO)


def test_the_list_counts_one_team_and_several():
    assert build_team_list([team()], EN).text == "1 team"
    assert build_team_list([team(), team()], EN).text == "2 teams"
    assert build_team_list([team()], KO).text == "팀 1개"

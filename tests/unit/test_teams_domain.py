"""Team rules: reading `/mentor team list|create|add|remove|channel ...`, cleaning and matching
team names, and who is in a team."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.teams import (
    MAX_NAME,
    Team,
    TeamCommand,
    TeamVerb,
    clean_name,
    name_key,
    parse_team_command,
)

MINJI = "<@U123|minji>"
JUN = "<@U456>"
ENTERPRISE = "<@W789|sora>"


def refused(text: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        parse_team_command(text)
    return raised.value


# list


@pytest.mark.parametrize("text", ["", "   ", "list", "LIST", "  list  ", None])
def test_nothing_or_list_lists_the_teams(text):
    assert parse_team_command(text) == TeamCommand(TeamVerb.LIST)


def test_list_takes_nothing_after_it():
    assert "takes nothing" in refused("list Search").message


# create


def test_create_reads_the_name_and_a_lead():
    assert parse_team_command(f"create Search lead {MINJI}") == TeamCommand(
        TeamVerb.CREATE, name="Search", leads=("U123",)
    )


def test_create_reads_several_leads_in_order_and_a_name_with_spaces():
    assert parse_team_command(f"create Data  Science lead {MINJI} {JUN} {ENTERPRISE}") == (
        TeamCommand(TeamVerb.CREATE, name="Data Science", leads=("U123", "U456", "W789"))
    )


def test_create_also_reads_leads_spelled_in_the_plural():
    assert parse_team_command(f"create Search leads {MINJI} {JUN}") == TeamCommand(
        TeamVerb.CREATE, name="Search", leads=("U123", "U456")
    )


def test_create_splits_at_the_last_lead_so_a_name_may_contain_the_word():
    command = parse_team_command(f"Create Lead Engineers lead {JUN}")
    assert (command.verb, command.name, command.leads) == (
        TeamVerb.CREATE,
        "Lead Engineers",
        ("U456",),
    )


@pytest.mark.parametrize(
    "text",
    [
        "create Search",
        "create Search lead",
        f"create Search {MINJI}",
        "create Search lead minji",
        "create Search lead @minji",
        f"create Search lead {MINJI} and jun",
        f"create Search lead {MINJI} <#C123|search>",
        f"create lead {MINJI}",
    ],
)
def test_create_needs_a_name_then_lead_then_only_mentions(text):
    assert "lead(s)" in refused(text).message


def test_create_reads_lead_whatever_the_spacing_around_it():
    assert parse_team_command(f"create Search   lead   {MINJI}  {JUN} ") == TeamCommand(
        TeamVerb.CREATE, name="Search", leads=("U123", "U456")
    )


@pytest.mark.parametrize("keyword", ["Lead", "LEAD", "Leads"])
def test_create_reads_the_lead_keyword_in_any_case_like_the_other_keywords(keyword):
    # The verb, `none`, `weeks` and `csv` are all read in any case; `lead` should be too.
    assert parse_team_command(f"create Search {keyword} {MINJI}") == TeamCommand(
        TeamVerb.CREATE, name="Search", leads=("U123",)
    )


def test_create_refuses_a_name_with_markup():
    assert "< or >" in refused(f"create Se<arch lead {MINJI}").message


# add and remove


@pytest.mark.parametrize("verb", [TeamVerb.ADD, TeamVerb.REMOVE])
def test_add_and_remove_read_a_name_with_spaces_then_people_in_order(verb):
    assert parse_team_command(f"{verb} Data Science {MINJI} {JUN}") == TeamCommand(
        verb, name="Data Science", people=("U123", "U456")
    )


@pytest.mark.parametrize(
    ("mention", "user_id"),
    [(MINJI, "U123"), (JUN, "U456"), (ENTERPRISE, "W789"), ("<@U1A2B3|>", "U1A2B3")],
)
def test_add_reads_each_form_of_mention(mention, user_id):
    assert parse_team_command(f"add Search {mention}").people == (user_id,)


def test_the_verb_is_read_in_any_case_and_the_name_is_cleaned():
    assert parse_team_command(f"REMOVE   Search   Team  {JUN}") == TeamCommand(
        TeamVerb.REMOVE, name="Search Team", people=("U456",)
    )


@pytest.mark.parametrize("verb", ["add", "remove"])
@pytest.mark.parametrize(
    "tail",
    [
        "Search",
        "Search minji",
        "Search @minji",
        f"Search {MINJI} and {JUN}",
        f"Search {MINJI} jun",
    ],
)
def test_add_and_remove_need_people_and_nothing_but_people_after_the_name(verb, tail):
    error = refused(f"{verb} {tail}")
    assert "then the people" in error.message
    assert error.values == {"verb": verb}


@pytest.mark.parametrize("verb", ["add", "remove"])
def test_add_and_remove_need_a_team_name_before_the_people(verb):
    assert "Give the team a name" in refused(f"{verb} {MINJI}").message


# channel


@pytest.mark.parametrize(
    ("text", "name", "channel_id"),
    [
        ("channel Search <#C123|search-leads>", "Search", "C123"),
        ("channel Data Science <#C0ABC>", "Data Science", "C0ABC"),
        ("channel Search <#G42|private-leads>", "Search", "G42"),
        ("CHANNEL Search  <#C123|x>  ", "Search", "C123"),
    ],
)
def test_channel_reads_the_team_and_a_channel(text, name, channel_id):
    assert parse_team_command(text) == TeamCommand(
        TeamVerb.CHANNEL, name=name, channel_id=channel_id
    )


@pytest.mark.parametrize("none", ["none", "None", "NONE"])
def test_channel_none_takes_the_teams_channel_away(none):
    assert parse_team_command(f"channel Data Science {none}") == TeamCommand(
        TeamVerb.CHANNEL, name="Data Science", channel_id=None
    )


@pytest.mark.parametrize(
    "text",
    [
        "channel",
        "channel Search",
        "channel none",
        "channel Search #search-leads",
        "channel Search search-leads",
        "channel Search <#C123|search> please",
        f"channel Search {MINJI}",
    ],
)
def test_channel_needs_a_team_and_a_channel_or_none(text):
    assert "a channel (or `none`)" in refused(text).message


def test_channel_needs_a_team_name_before_the_channel():
    assert "Give the team a name" in refused("channel <#C123|search>").message


# unknown verbs


def test_an_unknown_verb_is_named_back_clipped():
    error = refused("rename Search Ads")
    assert error.values == {"word": "rename"}
    assert refused("x" * 100).values == {"word": "x" * 40}


# names


def test_a_name_has_its_spaces_collapsed():
    assert clean_name("  Data \t Science\n ") == "Data Science"


def test_a_name_of_the_longest_length_is_kept_and_a_longer_one_refused():
    assert clean_name("n" * MAX_NAME) == "n" * MAX_NAME
    with pytest.raises(InvalidInput) as raised:
        clean_name("n" * (MAX_NAME + 1))
    assert raised.value.values == {"limit": 80, "length": 81}


def test_a_name_is_measured_after_its_spaces_are_collapsed():
    assert clean_name("a" + " " * 100 + "b") == "a b"


@pytest.mark.parametrize("text", ["Search <team>", "a<b", "a>b", "<!channel>"])
def test_a_name_cannot_contain_angle_brackets(text):
    with pytest.raises(InvalidInput) as raised:
        clean_name(text)
    assert "< or >" in raised.value.message


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_a_name_cannot_be_empty(text):
    with pytest.raises(InvalidInput) as raised:
        clean_name(text)
    assert "Give the team a name" in raised.value.message


def test_names_match_whatever_the_case_and_spacing():
    assert name_key("Data  Science") == name_key(" data science ") == name_key("DATA\tSCIENCE")
    assert name_key("Data Science") == "data science"
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("Data Science") != name_key("DataScience")


# who is in a team


def test_everyone_in_a_team_is_its_leads_and_members_each_once():
    team = Team(
        id=1,
        team_id="T1",
        name="Search",
        leads=frozenset({"UL1", "UL2"}),
        members=frozenset({"UM1", "UL2"}),
    )
    assert team.everyone == frozenset({"UL1", "UL2", "UM1"})


def test_a_new_team_has_nobody_and_no_channel():
    team = Team(id=1, team_id="T1", name="Search")
    assert team.everyone == frozenset()
    assert team.channel_id is None

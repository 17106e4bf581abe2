"""FakeSlack's group DMs and response URLs, exercised through real slack_sdk clients over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from tests.support.fake_slack import RESPONSE_URL_LIFETIME_SECONDS, FakeSlack

TOKEN = "xoxb-test"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return excinfo.value.response["error"]


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.url)


# -- group DMs -------------------------------------------------------------------------------


def test_group_dm_gets_one_g_id_per_set_of_users(fake: FakeSlack, client: WebClient) -> None:
    opened = client.conversations_open(users="U1,U2,U3")
    channel = opened["channel"]["id"]

    assert channel.startswith("G")
    assert "already_open" not in opened.data
    assert fake.group_dm_for("U3", "U1", "U2") == channel
    assert fake.group_dm_members(channel) == {"U1", "U2", "U3"}
    reopened = client.conversations_open(users=["U3", "U2", "U1"])
    assert reopened["channel"]["id"] == channel
    assert reopened["no_op"] is True and reopened["already_open"] is True


def test_group_dm_is_not_a_one_to_one_dm_or_another_set(fake: FakeSlack, client: WebClient) -> None:
    pair = client.conversations_open(users="U1,U2")["channel"]["id"]
    trio = client.conversations_open(users="U1,U2,U3")["channel"]["id"]
    dm = client.conversations_open(users="U1")["channel"]["id"]

    assert len({pair, trio, dm}) == 3
    assert dm.startswith("D")
    assert fake.group_dm_for("U1", "U2") == pair
    assert fake.group_dm_for("U1", "U4") is None


def test_bot_user_is_implied_in_a_group_dm(fake: FakeSlack, client: WebClient) -> None:
    channel = client.conversations_open(users="U1,U2")["channel"]["id"]

    with_bot = client.conversations_open(users=f"U1,{fake.bot_user_id},U2")
    assert with_bot["channel"]["id"] == channel
    assert fake.group_dm_members(channel) == {"U1", "U2"}
    assert fake.group_dm_for("U1", "U2", fake.bot_user_id) == channel


def test_group_dm_return_im_describes_an_mpim(client: WebClient) -> None:
    channel = client.conversations_open(users="U1,U2", return_im=True)["channel"]

    assert channel["is_mpim"] is True and channel["is_im"] is False


def test_group_dm_takes_at_most_8_users(fake: FakeSlack, client: WebClient) -> None:
    eight = [f"U{i}" for i in range(1, 9)]
    channel = client.conversations_open(users=eight)["channel"]["id"]
    assert fake.group_dm_members(channel) == set(eight)

    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_open(users=[*eight, "U9"])
    assert slack_error(excinfo) == "too_many_users"
    assert fake.group_dm_for(*eight, "U9") is None


def test_group_dm_with_a_deactivated_user_is_user_disabled(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.add_user("U2", deleted=True)

    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_open(users="U1,U2")
    assert slack_error(excinfo) == "user_disabled"
    assert fake.group_dm_for("U1", "U2") is None


def test_group_dm_accepts_users_the_fake_was_not_told_about(
    fake: FakeSlack, client: WebClient
) -> None:
    """Like a 1:1 DM (``_dm_for``): the user directory is optional set-up, not a gate."""
    fake.add_user("U1")

    channel = client.conversations_open(users="U1,UNKNOWN")["channel"]["id"]
    assert fake.group_dm_members(channel) == {"U1", "UNKNOWN"}


def test_posts_to_a_group_dm_are_its_messages_and_history(
    fake: FakeSlack, client: WebClient
) -> None:
    channel = client.conversations_open(users="U1,U2")["channel"]["id"]

    first = client.chat_postMessage(channel=channel, text="Meet your mentor")
    client.chat_postMessage(channel=channel, text="Say hi", blocks=[section("Say *hi*")])

    assert first["channel"] == channel
    assert texts(fake.messages_to(channel)) == ["Meet your mentor", "Say hi"]
    assert texts(client.conversations_history(channel=channel)["messages"]) == [
        "Say hi",
        "Meet your mentor",
    ]
    assert fake.messages_to("U1") == []  # a user id means their 1:1 DM (and ephemerals)


def test_history_of_an_unknown_group_dm_is_channel_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_history(channel="G404")
    assert slack_error(excinfo) == "channel_not_found"


def test_reset_keeps_group_dm_ids(fake: FakeSlack, client: WebClient) -> None:
    channel = client.conversations_open(users="U1,U2")["channel"]["id"]
    client.chat_postMessage(channel=channel, text="hello")

    fake.reset()
    assert fake.group_dm_for("U1", "U2") == channel
    assert fake.messages_to(channel) == []


# -- response_url ----------------------------------------------------------------------------


def test_response_url_is_served_by_the_fake_outside_the_api(fake: FakeSlack) -> None:
    first = fake.response_url_for(user="U1", channel="C1")
    second = fake.response_url_for(user="U1", channel="C1")

    assert first != second
    assert first.startswith(fake.url.removesuffix("api/"))
    assert not first.startswith(fake.url)


def test_response_defaults_to_an_ephemeral_message(fake: FakeSlack) -> None:
    url = fake.response_url_for(user="U1", channel="C1")

    answer = WebhookClient(url).send(text="Only you see this", blocks=[section("*only* you")])

    assert (answer.status_code, answer.body) == (200, "ok")
    [message] = fake.messages_to("U1")
    assert message["ephemeral"] is True and message["channel"] == "C1"
    assert message["blocks"] == [section("*only* you")]
    assert fake.messages_to("U2") == []
    [response] = fake.responses
    assert response["url"] == url
    assert (response["user"], response["channel"]) == ("U1", "C1")
    assert response["payload"]["text"] == "Only you see this"
    assert (response["effect"], response["ts"], response["error"]) == (
        "posted",
        message["ts"],
        None,
    )


def test_in_channel_response_is_a_normal_message(fake: FakeSlack, client: WebClient) -> None:
    url = fake.response_url_for(user="U1", channel="C1")

    WebhookClient(url).send(text="Everyone sees this", response_type="in_channel")

    [message] = fake.messages_to("C1")
    assert message["ephemeral"] is False and message["user"] is None
    assert texts(client.conversations_history(channel="C1")["messages"]) == ["Everyone sees this"]


def test_response_in_a_users_dm_lands_in_their_dm(fake: FakeSlack) -> None:
    url = fake.response_url_for(user="U1", channel="U1")

    WebhookClient(url).send(text="in your DM", response_type="in_channel")

    assert texts(fake.messages_to(fake.dm_channel("U1") or "")) == ["in your DM"]


def test_response_to_a_group_dm_and_in_a_thread(fake: FakeSlack, client: WebClient) -> None:
    channel = client.conversations_open(users="U1,U2")["channel"]["id"]
    parent = client.chat_postMessage(channel=channel, text="parent")["ts"]
    url = fake.response_url_for(user="U1", channel=channel)

    WebhookClient(url).send_dict(
        {"text": "reply", "response_type": "in_channel", "thread_ts": parent}
    )

    assert [(m["text"], m["thread_ts"]) for m in fake.messages_to(channel)] == [
        ("parent", None),
        ("reply", parent),
    ]


def test_replace_original_replaces_the_button_message(fake: FakeSlack, client: WebClient) -> None:
    original = client.chat_postMessage(channel="C1", text="Pick one", blocks=[section("Pick")])
    url = fake.response_url_for(user="U1", channel="C1", original_ts=original["ts"])

    answer = WebhookClient(url).send(text="Picked", blocks=[section("Done")], replace_original=True)

    assert answer.status_code == 200
    [message] = fake.messages_to("C1")
    assert (message["ts"], message["text"], message["blocks"]) == (
        original["ts"],
        "Picked",
        [section("Done")],
    )
    assert message["ephemeral"] is False
    [response] = fake.responses
    assert (response["effect"], response["ts"]) == ("replaced", original["ts"])


def test_replace_original_of_an_ephemeral_button_message(
    fake: FakeSlack, client: WebClient
) -> None:
    ts = client.chat_postEphemeral(channel="C1", user="U1", text="Pick one")["message_ts"]
    url = fake.response_url_for(user="U1", channel="C1", original_ts=ts)

    WebhookClient(url).send(text="Picked", replace_original=True)

    [message] = fake.messages_to("U1")
    assert (message["ts"], message["text"], message["ephemeral"]) == (ts, "Picked", True)


def test_replace_original_without_an_original_posts_and_then_replaces_that(
    fake: FakeSlack,
) -> None:
    url = fake.response_url_for(user="U1", channel="C1")
    webhook = WebhookClient(url)

    webhook.send(text="Working...", replace_original=True)
    webhook.send(text="Done", replace_original=True)

    [message] = fake.messages_to("U1")
    assert message["text"] == "Done" and message["ephemeral"] is True
    first, second = fake.responses
    assert first["effect"] == second["effect"] == "replaced"
    assert first["ts"] == second["ts"] == message["ts"]


def test_delete_original_removes_the_button_message(fake: FakeSlack, client: WebClient) -> None:
    keep = client.chat_postMessage(channel="C1", text="keep")["ts"]
    original = client.chat_postMessage(channel="C1", text="Pick one")["ts"]
    url = fake.response_url_for(user="U1", channel="C1", original_ts=original)

    answer = WebhookClient(url).send(delete_original=True)

    assert (answer.status_code, answer.body) == (200, "ok")
    assert [m["ts"] for m in fake.messages_to("C1")] == [keep]
    assert [(r["effect"], r["ts"]) for r in fake.responses] == [("deleted", original)]


def test_delete_original_without_an_original_does_nothing(
    fake: FakeSlack, client: WebClient
) -> None:
    client.chat_postMessage(channel="C1", text="keep")
    url = fake.response_url_for(user="U1", channel="C1")

    assert WebhookClient(url).send(delete_original=True).status_code == 200
    assert texts(fake.messages_to("C1")) == ["keep"]
    assert [(r["effect"], r["ts"]) for r in fake.responses] == [("deleted", None)]


def test_invalid_blocks_are_400_and_change_nothing(fake: FakeSlack) -> None:
    url = fake.response_url_for(user="U1", channel="C1")
    bad = section("x" * 3001)

    answer = WebhookClient(url).send(text="x", blocks=[bad])

    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert fake.messages == []
    [response] = fake.responses
    assert (response["status"], response["error"], response["effect"]) == (
        400,
        "invalid_blocks",
        None,
    )


def test_response_without_content_is_no_text(fake: FakeSlack) -> None:
    url = fake.response_url_for(user="U1", channel="C1")

    answer = WebhookClient(url).send(response_type="in_channel")

    assert (answer.status_code, answer.body) == (400, "no_text")
    assert fake.messages == []


def test_unknown_response_url_is_404_no_service(fake: FakeSlack) -> None:
    url = fake.response_url_for(user="U1", channel="C1")

    answer = WebhookClient(url + "-nope").send(text="hello")

    assert (answer.status_code, answer.body) == (404, "no_service")
    [response] = fake.responses
    assert (response["user"], response["channel"], response["error"]) == (None, None, "no_service")


def test_response_url_takes_five_posts(fake: FakeSlack) -> None:
    webhook = WebhookClient(fake.response_url_for(user="U1", channel="C1"))

    statuses = [webhook.send(text=f"post {i}").status_code for i in range(1, 6)]
    sixth = webhook.send(text="post 6")

    assert statuses == [200] * 5
    assert (sixth.status_code, sixth.body) == (404, "used_url")
    assert texts(fake.messages_to("U1")) == [f"post {i}" for i in range(1, 6)]
    assert [r["error"] for r in fake.responses] == [None] * 5 + ["used_url"]


def test_rejected_posts_do_not_use_up_the_response_url(fake: FakeSlack) -> None:
    webhook = WebhookClient(fake.response_url_for(user="U1", channel="C1"))

    assert webhook.send(response_type="ephemeral").status_code == 400
    assert [webhook.send(text="ok").status_code for _ in range(5)] == [200] * 5


def test_response_url_expires_after_30_minutes() -> None:
    now = [1_800_000_000.0]
    with FakeSlack(wall_clock=lambda: now[0]) as fake:
        url = fake.response_url_for(user="U1", channel="C1")
        assert WebhookClient(url).send(text="in time").status_code == 200

        now[0] += RESPONSE_URL_LIFETIME_SECONDS + 1
        late = WebhookClient(url).send(text="too late")

        assert (late.status_code, late.body) == (404, "expired_url")
        assert texts(fake.messages) == ["in time"]


def test_responses_are_copies_and_reset_forgets_them(fake: FakeSlack) -> None:
    url = fake.response_url_for(user="U1", channel="C1")
    WebhookClient(url).send(text="hello")

    fake.responses[0]["payload"]["text"] = "mutated"
    assert fake.responses[0]["payload"]["text"] == "hello"
    fake.reset()
    assert fake.responses == []
    assert WebhookClient(url).send(text="again").status_code == 404


def test_response_url_for_a_deactivated_users_dm_is_refused(fake: FakeSlack) -> None:
    fake.add_user("U1", deleted=True)

    with pytest.raises(ValueError, match="channel_not_found"):
        fake.response_url_for(user="U1", channel="U1")

"""`mentor-bot demo` as a newcomer runs it: a real process, nothing configured, a scripted
console session on standard input; assertions on what the console printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.process import clean_env

SESSION = """\
/mentor match run
press 1
as jiwoo
press 1
as dan
time +1h
reply Shipped my first RAG prototype
home
as grace
/mentor digest
time 2026-11-30T09:00
quit
"""

CHECKIN_FORM = """\
/mentor match run
press 1
as jiwoo
press 1
as dan
time +1h
press 1
fill a Built the retriever
fill c 9
fill c 4
submit
"""


def demo(session: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input=session,
        env=clean_env(**env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def after(output: str, prompt: str) -> str:
    """What the console printed after the prompt line `prompt` (up to the next prompt)."""
    start = output.index(prompt)
    end = output.find("\n[", start + len(prompt))
    return output[start : end if end != -1 else None]


def test_a_scripted_session_matches_answers_a_checkin_and_shows_a_digest(tmp_path):
    # Whatever is configured for a real workspace is ignored: the demo brings its own.
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-real\nDATABASE_URL=bogus\n")
    result = demo(SESSION, tmp_path, SLACK_BOT_TOKEN="not-a-token", DATABASE_URL="nowhere://")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    # The welcome names the people one can act as.
    for name in ("alex", "grace", "jiwoo", "priya", "minho", "dan", "hana", "seojin", "sam"):
        assert f"  {name} " in out
    assert "Fri 27 Nov 2026 15:00 KST" in out

    # The admin's round: the preview explains each pair and has numbered buttons.
    preview = after(out, "alex> /mentor match run")
    assert "I will DM you the preview." in preview
    assert "Matching round 1: preview" in preview
    assert "@jiwoo ← @dan" in preview and "Same track" in preview
    assert "[1] Approve and ask the mentors  [2] Discard" in preview
    assert "Approved by @alex: 4 mentors have been asked to accept." in after(out, "alex> press 1")

    # The mentor (in Korean: her Slack locale) accepts; the mentee meets her in a group DM.
    request = after(out, "alex> as jiwoo")
    assert "@dan 님이 멘토가 되어 주시길 바라고 있어요." in request
    assert "[1] 수락  [2] 거절" in request
    mentee = after(out, "jiwoo> as dan")
    assert "I have asked @jiwoo to be your mentor." in mentee
    assert "in a group DM with you, jiwoo" in mentee
    assert "Meet your mentoring match: @jiwoo (mentor) and @dan (mentee)!" in mentee

    # An hour later it is 16:00 on Friday in Seoul: the weekly check-in arrives; a DM answers it.
    prompt = after(out, "dan> time +1h")
    assert "It is now Fri 27 Nov 2026 16:00 KST for dan." in prompt
    assert "Your weekly check-in (week 2026-W48)" in prompt
    assert "[1] Answer in a form" in prompt
    stored = after(out, "dan> reply Shipped my first RAG prototype")
    assert "Saved as your check-in for 2026-W48." in stored
    assert "in your DM, in a thread" in stored
    home = after(out, "dan> home")
    assert "--- your Home tab ---" in home
    assert "@jiwoo is your mentor · their time 16:00 (Asia/Seoul)" in home
    assert "Last check-ins: 2026-W48: answered" in home
    assert "The next one comes 2026-12-04 16:00 (Asia/Seoul)." in home

    # The team lead's digest on demand, then the weekly one on Monday 09:00 in Seoul.
    asked = after(out, "grace> /mentor digest")
    assert "Progress digest: AI Platform" in asked
    assert "Check-ins this week:* 33% answered (1 of 3)" in asked
    assert "@dan · 🔥 1 week · ✅ answered" in asked
    assert "[file] trend.png" in asked
    monday = after(out, "grace> time 2026-11-30T09:00")
    assert "It is now Mon 30 Nov 2026 09:00 KST for grace." in monday
    assert "Progress digest: AI Platform" in monday
    assert "@hana · ❌ missed" in monday
    assert out.rstrip().endswith("now removed.)")


def test_a_modal_is_filled_and_submitted_and_a_wrong_choice_is_explained(tmp_path):
    result = demo(CHECKIN_FORM, tmp_path)  # and the session ends at end of input, no quit

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    form = after(out, "dan> press 1")
    assert "--- a modal opened ---" in form
    assert "[ Weekly check-in ]" in form
    assert "(a) How did this week go? (optional)" in form
    assert "1) 1  2) 2  3) 3  4) 4  5) 5" in form
    assert "'9' is not one of the choices of (c)" in after(out, "dan> fill c 9")
    saved = after(out, "dan> submit")
    assert "(modal submitted and closed)" in saved
    assert "Thank you! Your check-in for 2026-W48 is saved." in saved
    assert "*Progress:* Built the retriever" in saved
    assert "*Confidence:* 4/5" in saved
    assert "Bye." in out


def test_unknown_input_is_explained_and_the_console_goes_on(tmp_path):
    result = demo("as nobody\npress 7\ntime -1d\nfly away\nhelp\nquit\n", tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "No one is called 'nobody'" in out
    assert "There is no button [7] on screen" in out
    assert "time takes +1d" in out
    assert "I do not know 'fly'" in out
    assert "reply <text>" in out and "press <N>" in out

"""Every id Slack sends back to us: slash commands, action ids, callback ids, block ids."""

from __future__ import annotations

from enum import StrEnum


class SlashCommand(StrEnum):
    MENTOR = "/mentor"


class BlockId(StrEnum):
    OUTCOME = "outcome"
    """What became of a message's buttons once one was used."""
    HELP_COMMANDS = "help-commands"
    HELP_FOOTER = "help-footer"
    NOTICE = "notice"


class ProfileView(StrEnum):
    MODAL = "profile-modal"


class ProfileBlock(StrEnum):
    """Profile modal blocks: the field keys of bot.domain.profile_input, so an error on a field
    lands on its block; free-skill inputs sit beside their select."""

    INTRO_TEXT = "profile-intro-text"
    ROLE = "role"
    BACKGROUND = "background"
    TRACK = "track"
    SKILLS_OFFERED = "skills_offered"
    SKILLS_OFFERED_OTHER = "skills_offered_other"
    SKILLS_WANTED = "skills_wanted"
    SKILLS_WANTED_OTHER = "skills_wanted_other"
    MOVE_FROM = "move_from"
    MOVE_TO = "move_to"
    WORKING_HOURS = "working_hours"
    TIMEZONE = "timezone"
    LANGUAGES = "languages"
    CAPACITY = "capacity"
    INTRO = "intro"
    SAVED_SUMMARY = "profile-saved-summary"


class ProfileAction(StrEnum):
    ROLE = "profile-role"
    BACKGROUND = "profile-background"
    TRACK = "profile-track"
    SKILLS_OFFERED = "profile-skills-offered"
    SKILLS_OFFERED_OTHER = "profile-skills-offered-other"
    SKILLS_WANTED = "profile-skills-wanted"
    SKILLS_WANTED_OTHER = "profile-skills-wanted-other"
    MOVE_FROM = "profile-move-from"
    MOVE_TO = "profile-move-to"
    WORKING_HOURS = "profile-working-hours"
    TIMEZONE = "profile-timezone"
    LANGUAGES = "profile-languages"
    CAPACITY = "profile-capacity"
    INTRO = "profile-intro"


class MatchAction(StrEnum):
    APPROVE_ROUND = "match-approve-round"
    DISCARD_ROUND = "match-discard-round"
    ACCEPT = "match-accept"
    DECLINE = "match-decline"
    ASK_MENTOR = "match-ask-mentor"
    DECLINE_REASON = "match-decline-reason"


class MatchBlock(StrEnum):
    ROUND_SUMMARY = "match-round-summary"
    ROUND_PAIRS = "match-round-pairs"
    ROUND_UNMATCHED = "match-round-unmatched"
    ROUND_ACTIONS = "match-round-actions"
    REQUEST = "match-request"
    REQUEST_REASONS = "match-request-reasons"
    REQUEST_PROFILE = "match-request-profile"
    REQUEST_ACTIONS = "match-request-actions"
    SUGGESTION = "match-suggestion"
    CURRENT = "match-current"
    INTRO_REASONS = "match-intro-reasons"
    INTRO_OVERLAP = "match-intro-overlap"
    INTRO_FIRST_STEP = "match-intro-first-step"
    DECLINE_REASON = "match-decline-reason"


class MatchView(StrEnum):
    DECLINE = "match-decline-modal"


class CheckinAction(StrEnum):
    OPEN_FORM = "checkin-open-form"
    PAUSE_FOUR_WEEKS = "checkin-pause-four-weeks"
    NEW_MENTOR = "checkin-new-mentor"
    REPLY_TO_MENTEE = "checkin-reply-to-mentee"
    PROGRESS = "checkin-progress"
    BLOCKERS = "checkin-blockers"
    CONFIDENCE = "checkin-confidence"
    NEXT_STEPS = "checkin-next-steps"
    SHARING = "checkin-sharing"


class CheckinBlock(StrEnum):
    """Form blocks are named after bot.domain.checkins.parse_answer's fields, so an error on a
    field lands on its block."""

    PROMPT = "checkin-prompt"
    QUESTIONS = "checkin-questions"
    ACTIONS = "checkin-actions"
    ANSWERED = "checkin-answered"
    SUMMARY = "checkin-summary"
    SUMMARY_ACTIONS = "checkin-summary-actions"
    OFFER_ACTIONS = "checkin-offer-actions"
    PROGRESS = "progress"
    BLOCKERS = "blockers"
    CONFIDENCE = "confidence"
    NEXT_STEPS = "next_steps"
    SHARING = "checkin-sharing"


class CheckinView(StrEnum):
    FORM = "checkin-form"


class CheckinShare(StrEnum):
    """Values of the form's sharing checkboxes."""

    MENTOR = "share-with-mentor"
    LEAD = "share-with-lead"


class GoalAction(StrEnum):
    UPDATE = "goal-update"
    ADD_MILESTONE = "goal-add-milestone"
    DONE = "goal-done"
    ARCHIVE = "goal-archive"
    MILESTONES = "goal-milestones"
    """The checklist's checkboxes in `/mentor goal list`."""
    COMMENT = "goal-comment"
    TEMPLATE = "goal-template"
    TAP_PREFIX = "goal-tap-"
    """+ a status: the one-tap buttons in the weekly check-in."""
    TITLE = "goal-title"
    WHY = "goal-why"
    DUE = "goal-due"
    MILESTONE_LINES = "goal-milestone-lines"
    VISIBILITY = "goal-visibility"
    STATUS = "goal-status"
    PROGRESS = "goal-progress"
    MILESTONE = "goal-milestone"
    MILESTONE_DUE = "goal-milestone-due"
    COMMENT_TEXT = "goal-comment-text"


class GoalBlock(StrEnum):
    """Form blocks are named after the fields services report errors on (`field=`)."""

    LIST_HEADER = "goal-list-header"
    GOAL_PREFIX = "goal-"
    """+ the goal id: a goal's line in a list or in the check-in."""
    ACTIONS_PREFIX = "goal-actions-"
    """+ the goal id: its buttons and checklist."""
    DONE_GOALS = "goal-list-done"
    ARCHIVED_GOALS = "goal-list-archived"
    CHECKIN_GOALS = "checkin-goals"
    TEMPLATE = "goal-template"
    TITLE = "title"
    WHY = "why"
    DUE = "due"
    MILESTONES = "milestones"
    VISIBILITY = "visibility"
    STATUS = "status"
    PROGRESS = "progress"
    MILESTONE = "milestone"
    MILESTONE_DUE = "milestone_due"
    COMMENT = "comment"
    HISTORY = "goal-history"
    NOTICE = "goal-notice"


class GoalModal(StrEnum):
    FORM = "goal-form"
    MILESTONE = "goal-milestone-form"
    COMMENT = "goal-comment-form"


class DigestBlock(StrEnum):
    """A list too long for one section continues in sections with "-2", "-3"... appended."""

    HEADER = "digest-header"
    HEADLINE = "digest-headline"
    ATTENTION = "digest-attention"
    PEOPLE = "digest-people"
    PEOPLE_LEGEND = "digest-people-legend"
    GROUPS = "digest-groups"
    SMALL_GROUPS = "digest-small-groups"
    HIGHLIGHTS = "digest-highlights"
    HIGHLIGHTS_NOTE = "digest-highlights-note"
    CHART = "digest-chart"


class PrivacyAction(StrEnum):
    DELETE_CONFIRM = "privacy-delete-confirm"
    DELETE_CANCEL = "privacy-delete-cancel"


class PrivacyBlock(StrEnum):
    DELETE_WARNING = "privacy-delete-warning"
    DELETE_ACTIONS = "privacy-delete-actions"


class HomeAction(StrEnum):
    """Buttons only the Home tab has; the others reuse the ids of the messages they come from
    (accept / decline, one-tap goal status, pause) and are told apart by `view.type`."""

    EDIT_PROFILE = "home-edit-profile"
    RESUME = "home-resume"
    SKIP = "home-skip"
    DIGEST = "home-digest"
    RUN_ROUND = "home-run-round"


class HomeBlock(StrEnum):
    NOTICE = "home-notice"
    HEADER = "home-header"
    PROFILE = "home-profile"
    PROFILE_ACTIONS = "home-profile-actions"
    MATCHES = "home-matches"
    REQUEST_PREFIX = "home-request-"
    """+ the match id: a request to answer, and its buttons (+ "-actions")."""
    GOALS = "home-goals"
    GOAL_PREFIX = "home-goal-"
    """+ the goal id: a goal and its one-tap buttons (+ "-actions")."""
    CHECKINS = "home-checkins"
    CHECKIN_HISTORY = "home-checkin-history"
    CHECKIN_ACTIONS = "home-checkin-actions"
    LEAD = "home-lead"
    LEAD_ACTIONS = "home-lead-actions"
    ADMIN = "home-admin"
    ADMIN_WAITING = "home-admin-waiting"
    ADMIN_CAPACITY = "home-admin-capacity"
    ADMIN_STALLED = "home-admin-stalled"
    ADMIN_FAILED = "home-admin-failed"
    ADMIN_ACTIONS = "home-admin-actions"
    MORE = "home-more"

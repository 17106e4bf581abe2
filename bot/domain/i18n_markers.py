"""Marks strings for translation without translating them (gettext's N_ convention).

The domain names messages; the edge translates them into the reader's language.
"""


def N_(message: str) -> str:
    return message

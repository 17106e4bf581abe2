"""Tokens at rest: Fernet (AES-128-CBC + HMAC-SHA256) from the `cryptography` library.

MENTOR_BOT_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated. The first encrypts;
every one decrypts, so a new key can be put in front, `mentor-bot rotate-tokens` re-encrypts
every stored token with it, and then the old key can be dropped.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class TokenKeyError(ValueError):
    """The key setting is malformed, or no configured key opens a stored token."""


class TokenCipher:
    def __init__(self, keys: str) -> None:
        parts = [part.strip() for part in keys.split(",") if part.strip()]
        if not parts:
            raise TokenKeyError("no key given")
        fernets = []
        for position, part in enumerate(parts, start=1):
            try:
                fernets.append(Fernet(part.encode()))
            except (ValueError, TypeError):
                raise TokenKeyError(
                    f"key {position} is not a Fernet key (32 url-safe base64-encoded bytes)"
                ) from None
        self._fernet = MultiFernet(fernets)

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise TokenKeyError(
                "no key in MENTOR_BOT_ENCRYPTION_KEY opens a stored token "
                "(was a key removed before `mentor-bot rotate-tokens` ran?)"
            ) from None

    def rotate(self, ciphertext: str) -> str:
        """The same token, encrypted again with the first key."""
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken:
            raise TokenKeyError(
                "no key in MENTOR_BOT_ENCRYPTION_KEY opens a stored token"
            ) from None

"""The signed token printed as a QR code on a receipt, and the rule that revokes it.

Layout, before URL-safe base64 without padding:

	version 2 (1 byte) | key hint (1 byte) | issued at (4 bytes, Unix seconds) | id (6 bytes) | name (UTF-8) | tag (16 bytes)

The tag is HMAC-SHA256 over everything before it, truncated to 128 bits, which keeps a
token for "GEC-E-2025-00042" at 59 characters: a small, easily scanned QR code. The key
hint (first byte of a hash of the secret) lets `verify` accept the current secret and
the previous ones while keys rotate, without trying each of them. The token is public:
it proves that the registry issued a receipt for that courrier, it hides nothing.

The id (random) names one token, so that one receipt can be revoked; a revocation without an
id revokes every token of its courrier issued up to its cut-off time. Version 1 tokens, printed
before ids existed (no id field), still verify, and are revoked by the second kind only.
"""

import base64
import hashlib
import hmac
import secrets as random
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from gec_mines.core.errors import DomainError

VERSION = 2
VERSIONS = (1, 2)
TAG_BYTES = 16
ID_BYTES = 6
MIN_SECRET_BYTES = 16
MAX_NAME_BYTES = 140
MAX_TOKEN_CHARS = 4 * (2 + 4 + ID_BYTES + MAX_NAME_BYTES + TAG_BYTES) // 3 + 4
_CONTEXT = b"gec-mines/accuse/"  # a secret shared with other uses never signs a receipt token


@dataclass(frozen=True)
class Jeton:
	name: str  # the courrier's registration number
	issued_at: datetime  # UTC
	id: str | None = None  # hex; None for a version 1 token


@dataclass(frozen=True)
class Revocation:
	"""Revokes the token `id`, or without one every token of `name` issued up to `up_to` (UTC)."""

	name: str
	up_to: datetime
	id: str | None = None


def sign(name: str, secret: bytes, issued_at: datetime | int | float, token_id: bytes | None = None) -> str:
	"""A token for the courrier `name`, issued at `issued_at` (a naive datetime is read as UTC),
	named by `token_id` (random when not given)."""
	_check_secret(secret)
	raw_name = (name or "").encode("utf-8")
	if not raw_name or len(raw_name) > MAX_NAME_BYTES:
		raise DomainError("receipt_token_name_invalid", name=name)
	token_id = random.token_bytes(ID_BYTES) if token_id is None else token_id
	if len(token_id) != ID_BYTES:
		raise DomainError("receipt_token_invalid")
	body = struct.pack(">BBI", VERSION, _hint(secret), _seconds(issued_at)) + token_id + raw_name
	return _encode(body + _tag(secret, body))


def verify(token: str, secrets: bytes | Iterable[bytes]) -> Jeton:
	"""The payload of a token signed with one of `secrets` (the current one first).

	Raises DomainError("receipt_token_invalid") for anything else, altered or forged.
	"""
	keys = [secrets] if isinstance(secrets, bytes | bytearray) else list(secrets)
	for key in keys:
		_check_secret(key)

	raw = _decode(token)
	if raw is None or len(raw) < 2 or raw[0] not in VERSIONS:
		raise DomainError("receipt_token_invalid")
	start = 6 + (ID_BYTES if raw[0] == 2 else 0)
	if len(raw) < start + 1 + TAG_BYTES:
		raise DomainError("receipt_token_invalid")
	body, tag = raw[:-TAG_BYTES], raw[-TAG_BYTES:]
	valid = False
	for key in keys:
		if body[1] == _hint(key):
			valid |= hmac.compare_digest(_tag(key, body), tag)
	if not valid:
		raise DomainError("receipt_token_invalid")

	(seconds,) = struct.unpack(">I", body[2:6])
	try:
		name = body[start:].decode("utf-8")
	except UnicodeDecodeError:
		raise DomainError("receipt_token_invalid")
	return Jeton(
		name=name,
		issued_at=datetime.fromtimestamp(seconds, tz=timezone.utc),
		id=body[6:start].hex() or None,
	)


def revoked(token: Jeton, revocations: Iterable[Revocation]) -> bool:
	"""Whether one of `revocations` covers `token` (a genuine one: `verify` first)."""
	for revocation in revocations:
		if revocation.name != token.name:
			continue
		if revocation.id:
			if revocation.id == token.id:
				return True
		elif token.issued_at <= _utc(revocation.up_to):
			return True
	return False


def first_issue_after(revocations: Iterable[Revocation], now: datetime) -> datetime:
	"""The issue time of a new token: `now`, or just after the latest revocation of its courrier
	when that falls in the same second (token times have one-second resolution)."""
	now = _utc(now)
	cutoffs = [_utc(r.up_to).replace(microsecond=0) for r in revocations if not r.id]
	latest = max(cutoffs, default=None)
	if latest is not None and now.replace(microsecond=0) <= latest:
		return datetime.fromtimestamp(latest.timestamp() + 1, tz=timezone.utc)
	return now


def _utc(moment: datetime) -> datetime:
	return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _tag(secret: bytes, body: bytes) -> bytes:
	return hmac.new(secret, _CONTEXT + body, hashlib.sha256).digest()[:TAG_BYTES]


def _hint(secret: bytes) -> int:
	return hashlib.sha256(_CONTEXT + b"hint/" + secret).digest()[0]


def _check_secret(secret) -> None:
	if not isinstance(secret, bytes | bytearray) or len(secret) < MIN_SECRET_BYTES:
		raise DomainError("receipt_secret_invalid", minimum=MIN_SECRET_BYTES)


def _seconds(issued_at: datetime | int | float) -> int:
	if isinstance(issued_at, datetime):
		issued_at = _utc(issued_at).timestamp()
	seconds = int(issued_at)
	if not 0 <= seconds < 2**32:
		raise DomainError("receipt_token_date_invalid")
	return seconds


def _encode(raw: bytes) -> str:
	return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(token) -> bytes | None:
	"""Strict decoding: the token must be exactly what `_encode` writes, so that no second
	spelling (padding, stray characters, unused low bits of the last character) passes."""
	if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS or not token.isascii():
		return None
	try:
		raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
	except ValueError:
		return None
	return raw if _encode(raw) == token else None

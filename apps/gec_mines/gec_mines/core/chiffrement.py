"""Encryption of sensitive fields and attachments, blind indexes, key rotation, legacy decryption.

Keys
	A master key source is text holding one or more ``kid:key`` entries separated by commas, semicolons,
	spaces or new lines (``#`` starts a comment, so a root-only key file may explain itself). ``kid`` is
	1-16 lower-case letters or digits; ``key`` is 32 random bytes in base64 (standard or URL-safe,
	padding optional). The first entry is the current key: it encrypts; every entry decrypts.
	``generate_key()`` makes a new entry. Rotation = put a new entry first, re-encrypt, drop the old one.

Text envelope (one database value)
	``gec:v1:<kid>:<base64url(nonce[12] ‖ AES-256-GCM ciphertext ‖ tag[16])>`` (ASCII, no padding).
	The associated data binds the header and the caller's ``aad_parts`` (doctype, document name,
	field name): a value copied to another field or document does not decrypt. The prefix makes
	``is_encrypted`` cheap and lets SQL count what a key still covers: ``LIKE 'gec:v1:<kid>:%'``.
	Size: ``envelope_length(n)`` characters for n bytes of UTF-8 plaintext, i.e. 4/3·(n + 28) plus the
	header; ``max_plaintext_bytes(column)`` is the inverse, for sizing columns.

File envelope (bytes at rest)
	``GECENC`` ‖ version 0x02 ‖ kid length (1 byte) ‖ kid ‖ salt[32] ‖ chunks. Each file has its own
	key, HKDF-SHA256(master key, salt, "gec-mines file v2"), from a random salt: no two files share a
	key, so chunk nonces cannot collide across files however many files one master key covers. Each
	chunk holds 64 KiB of plaintext (the last one 0-64 KiB) encrypted with AES-256-GCM under the nonce
	zero[7] ‖ chunk counter (4 bytes, big-endian) ‖ last-chunk flag (1 byte), with the header and
	``aad_parts`` as associated data; reordered, dropped, truncated or appended chunks are refused.
	Overhead: header + 16 bytes per chunk (``encrypted_size``).
	Version 0x01 (still read, never written) had a random nonce prefix[7] instead of the salt and
	encrypted every file under the master key itself; a rotation rewrites such files as version 0x02.

Blind index
	HMAC-SHA256 keyed by HKDF(key, field), over the value normalised as MariaDB's
	``utf8mb4_unicode_ci`` compares plaintext columns: accents removed (NFKD), case folded,
	outer spaces stripped, inner runs of white space collapsed. Truncated to 128 bits (32 hex).
	It reveals which rows share a value in one field, nothing across fields or keys.

Legacy (migration only)
	The Flask GEC stored base64(IV[16] ‖ AES-CBC(PKCS#7(utf-8))) with the raw base64-decoded
	``GEC_MASTER_KEY`` and no MAC, and ``.encrypted`` files as IV ‖ AES-CBC with PKCS#7 padding only
	when the size was not a multiple of 16 (see shared/reference/legacy-gec-flask.md §3.5).
"""

import base64
import binascii
import hashlib
import hmac
import html
import io
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gec_mines.core.errors import DomainError

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
KID_MAX_LENGTH = 16
KID = re.compile(r"[a-z0-9]{1,16}")
MASK = "••••••"
MASK_MIN_LENGTH = 3

TEXT_VERSION = 1
TEXT_PREFIX = "gec:v1:"
TEXT_ENVELOPE = re.compile(r"gec:v(\d{1,3}):([a-z0-9]{1,16}):([A-Za-z0-9_-]{38,})")
TEXT_ENVELOPE_IN_TEXT = re.compile(r"gec:v\d{1,3}:[a-z0-9]{1,16}:[A-Za-z0-9_-]{38,}")

FILE_MAGIC = b"GECENC"
FILE_VERSION = 2
FILE_VERSIONS = (1, 2)
FILE_CHUNK = 64 * 1024
FILE_NONCE_PREFIX = 7  # version 1: random, under the master key
FILE_SALT = 32  # version 2: HKDF salt of the file's own key
FILE_KEY_INFO = b"gec-mines file v2"
FILE_HEADER_MAX = len(FILE_MAGIC) + 2 + KID_MAX_LENGTH + FILE_SALT

BLIND_INDEX_HEX = 32
BLIND_INDEX_SALT = b"gec-mines blind index v1"

LEGACY_FILE_CHUNK = 8192


class Key:
	"""One named AES-256 key. Its bytes never appear in repr or error messages."""

	__slots__ = ("_aead", "_index_keys", "_secret", "kid")

	def __init__(self, kid: str, secret: bytes):
		if not KID.fullmatch(kid or ""):
			raise DomainError("encryption_key_invalid", reason="bad_kid")
		if len(secret) != KEY_BYTES:
			raise DomainError("encryption_key_invalid", reason="bad_length")
		self.kid = kid
		self._secret = bytes(secret)
		self._aead = AESGCM(self._secret)
		self._index_keys: dict[str, bytes] = {}

	def __repr__(self) -> str:
		return f"Key(kid={self.kid!r})"

	@property
	def fingerprint(self) -> str:
		"""A short public digest of the key, to check that two servers hold the same key."""
		return hashlib.sha256(b"gec-mines key fingerprint\x00" + self._secret).hexdigest()[:12]

	def file_aead(self, salt: bytes) -> AESGCM:
		"""The AES-GCM of one file's own key (file envelope version 2)."""
		hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=FILE_KEY_INFO)
		return AESGCM(hkdf.derive(self._secret))

	def index_key(self, field: str) -> bytes:
		"""The blind-index key of `field`, derived once per process."""
		if field not in self._index_keys:
			hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=BLIND_INDEX_SALT, info=field.encode())
			self._index_keys[field] = hkdf.derive(self._secret)
		return self._index_keys[field]


class Keyring:
	"""The keys this site may use: the first encrypts, all decrypt."""

	def __init__(self, keys: Iterable[Key]):
		self._keys: dict[str, Key] = {}
		for key in keys:
			if key.kid in self._keys:
				raise DomainError("encryption_key_invalid", reason="duplicate_kid", kid=key.kid)
			self._keys[key.kid] = key
		if not self._keys:
			raise DomainError("encryption_key_missing")

	@classmethod
	def from_source(cls, source: str | bytes | None) -> "Keyring":
		"""Parse a master key source (see the module docstring); DomainError names what is wrong,
		never the key itself."""
		if isinstance(source, bytes):
			try:
				source = source.decode("ascii")
			except UnicodeDecodeError:
				raise DomainError("encryption_key_invalid", reason="not_ascii", entry=0)
		text = "\n".join(line.split("#", 1)[0] for line in (source or "").splitlines())
		entries = [entry for entry in re.split(r"[\s,;]+", text) if entry]
		if not entries:
			raise DomainError("encryption_key_missing")
		keys = []
		secrets_seen = set()
		for number, entry in enumerate(entries, 1):
			kid, sep, encoded = entry.partition(":")
			if not sep:
				raise DomainError("encryption_key_invalid", reason="entry_without_kid", entry=number)
			if not KID.fullmatch(kid):
				raise DomainError("encryption_key_invalid", reason="bad_kid", entry=number)
			secret = _decode_key(encoded, number)
			if secret in secrets_seen:
				raise DomainError("encryption_key_invalid", reason="duplicate_key", entry=number)
			secrets_seen.add(secret)
			keys.append(Key(kid, secret))
		return cls(keys)

	@property
	def current(self) -> Key:
		return next(iter(self._keys.values()))

	@property
	def kids(self) -> tuple[str, ...]:
		return tuple(self._keys)

	def get(self, kid: str) -> Key:
		try:
			return self._keys[kid]
		except KeyError:
			raise DomainError("encryption_key_unknown", kid=kid)

	def __contains__(self, kid: object) -> bool:
		return kid in self._keys

	def __len__(self) -> int:
		return len(self._keys)

	def __iter__(self):
		return iter(self._keys.values())

	def __repr__(self) -> str:
		return f"Keyring(kids={self.kids!r})"

	def union(self, other: "Keyring") -> "Keyring":
		"""This ring's keys, then those of `other` it lacks (the current key stays this ring's)."""
		return Keyring([*self, *(key for key in other if key.kid not in self)])


def generate_key(kid: str | None = None) -> str:
	"""A new ``kid:key`` entry (32 random bytes, URL-safe base64) to put first in the key source."""
	kid = kid or secrets.token_hex(4)
	if not KID.fullmatch(kid):
		raise DomainError("encryption_key_invalid", reason="bad_kid")
	return f"{kid}:{_b64e(secrets.token_bytes(KEY_BYTES))}"


def mask(value: object) -> str:
	"""What lists and reports show for an encrypted value; empty stays empty. Fixed width so
	that the mask does not reveal the length of the value."""
	return MASK if value else ""


def mask_in_text(text: str | None, values: Iterable[str | None]) -> str | None:
	"""`text` (a to-do, a notification, a version) with every text envelope and every one of `values`,
	as written or HTML-escaped, replaced by the mask. Values shorter than ``MASK_MIN_LENGTH``
	characters are left alone: masking them would maul the text around them and hide next to nothing."""
	if not text:
		return text
	variants = set()
	for value in values:
		value = (value or "").strip()
		if len(value) >= MASK_MIN_LENGTH:
			escaped = html.escape(value)
			variants |= {value, escaped, escaped.replace("&#x27;", "&apos;"), html.escape(value, quote=False)}
	for variant in sorted(variants, key=len, reverse=True):
		text = text.replace(variant, MASK)
	return TEXT_ENVELOPE_IN_TEXT.sub(MASK, text)


# --- Text fields ---


def is_encrypted(value: object) -> bool:
	"""Whether `value` is a text envelope (any version). Cheap: a prefix test then one regex."""
	return isinstance(value, str) and value.startswith("gec:v") and TEXT_ENVELOPE.fullmatch(value) is not None


def envelope_kid(value: str | bytes | None) -> str | None:
	"""The key id named by a text or file envelope, or None for anything else."""
	if isinstance(value, str):
		match = TEXT_ENVELOPE.fullmatch(value)
		return match.group(2) if match else None
	if isinstance(value, bytes | bytearray) and value.startswith(FILE_MAGIC) and len(value) > 8:
		kid = bytes(value[8 : 8 + value[7]]).decode("ascii", "replace")
		return kid if KID.fullmatch(kid) else None
	return None


def encrypt_text(keyring: Keyring, plaintext: str, aad_parts: Sequence[str]) -> str:
	"""Encrypt `plaintext` under the current key, bound to `aad_parts` (doctype, name, field)."""
	key = keyring.current
	header = f"{TEXT_PREFIX}{key.kid}:"
	nonce = secrets.token_bytes(NONCE_BYTES)
	sealed = key._aead.encrypt(nonce, plaintext.encode("utf-8"), _aad(header.encode("ascii"), aad_parts))
	return header + _b64e(nonce + sealed)


def decrypt_text(keyring: Keyring, envelope: str, aad_parts: Sequence[str]) -> str:
	"""The plaintext of `envelope`; DomainError if it is not an envelope, names an unknown key, or was
	altered or moved to another field or document."""
	match = TEXT_ENVELOPE.fullmatch(envelope) if isinstance(envelope, str) else None
	if match is None:
		raise DomainError("encryption_not_envelope")
	version, kid, body = match.groups()
	if int(version) != TEXT_VERSION:
		raise DomainError("encryption_version_unsupported", version=int(version))
	key = keyring.get(kid)
	raw = _b64d_strict(body)
	header = f"{TEXT_PREFIX}{kid}:".encode("ascii")
	try:
		plain = key._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(header, aad_parts))
	except InvalidTag:
		raise DomainError("encryption_tampered")
	return plain.decode("utf-8")


def ensure_encrypted(keyring: Keyring, value: str, aad_parts: Sequence[str]) -> str:
	"""For save hooks: an envelope that opens for these `aad_parts` is kept as it is (whatever ring key
	it names); any other text is encrypted. An envelope that does not open raises, so that a missing
	key never leads to overwriting a value."""
	if is_encrypted(value):
		decrypt_text(keyring, value, aad_parts)
		return value
	return encrypt_text(keyring, value, aad_parts)


def reencrypt_text(old_ring: Keyring, new_ring: Keyring, envelope: str, aad_parts: Sequence[str]) -> str:
	"""Rotation: `envelope` under the current key of `new_ring`. Idempotent: a value already under that
	key is checked and returned unchanged, so an interrupted rotation simply runs again."""
	ring = new_ring.union(old_ring)
	plaintext = decrypt_text(ring, envelope, aad_parts)
	if envelope_kid(envelope) == new_ring.current.kid:
		return envelope
	return encrypt_text(new_ring, plaintext, aad_parts)


def envelope_length(n_bytes: int, kid_length: int = KID_MAX_LENGTH) -> int:
	"""Characters of the text envelope of `n_bytes` of UTF-8 plaintext (upper bound for kids of
	`kid_length` characters). For example 100 bytes -> 195 characters, 1000 -> 1395."""
	return len(TEXT_PREFIX) + kid_length + 1 + _b64_length(NONCE_BYTES + n_bytes + TAG_BYTES)


def max_plaintext_bytes(column_chars: int, kid_length: int = KID_MAX_LENGTH) -> int:
	"""The longest UTF-8 plaintext whose envelope fits a column of `column_chars` characters
	(Data 140 -> 59 bytes); negative when even an empty value does not fit."""
	body = column_chars - len(TEXT_PREFIX) - kid_length - 1
	return body * 3 // 4 - NONCE_BYTES - TAG_BYTES


# --- Files ---


def is_encrypted_bytes(data: bytes) -> bool:
	"""Whether a file's content (or its first bytes) is a file envelope."""
	return bytes(data[: len(FILE_MAGIC)]) == FILE_MAGIC


def file_version(head: bytes) -> int | None:
	"""The version of a file envelope from its first bytes, or None for anything else."""
	return head[len(FILE_MAGIC)] if is_encrypted_bytes(head) and len(head) > len(FILE_MAGIC) else None


def file_is_current(keyring: Keyring, head: bytes) -> bool:
	"""Whether a file envelope (its first ``FILE_HEADER_MAX`` bytes suffice) is written the way
	`encrypt_stream` writes today: the current version, under the current key."""
	return file_version(head) == FILE_VERSION and envelope_kid(bytes(head)) == keyring.current.kid


def encrypted_size(n_bytes: int, kid_length: int = KID_MAX_LENGTH) -> int:
	"""Bytes of the file envelope of `n_bytes` of plaintext (16 MB -> 16 MB + 4 KB)."""
	chunks = max(1, -(-n_bytes // FILE_CHUNK))
	return len(FILE_MAGIC) + 2 + kid_length + FILE_SALT + n_bytes + chunks * TAG_BYTES


def encrypt_stream(keyring: Keyring, source: BinaryIO, target: BinaryIO, aad_parts: Sequence[str]) -> int:
	"""Encrypt `source` into `target` chunk by chunk under a new key of its own, derived from the
	current master key and a random salt; return bytes written."""
	key = keyring.current
	kid = key.kid.encode("ascii")
	salt = secrets.token_bytes(FILE_SALT)
	header = FILE_MAGIC + bytes([FILE_VERSION, len(kid)]) + kid + salt
	aead = key.file_aead(salt)
	aad = _aad(header, aad_parts)
	prefix = bytes(FILE_NONCE_PREFIX)
	written = target.write(header)
	chunk = source.read(FILE_CHUNK)
	counter = 0
	while True:
		following = source.read(FILE_CHUNK)
		last = not following
		written += target.write(aead.encrypt(_chunk_nonce(prefix, counter, last), chunk, aad))
		if last:
			return written
		chunk = following
		counter += 1


def decrypt_stream(keyring: Keyring, source: BinaryIO, target: BinaryIO, aad_parts: Sequence[str]) -> int:
	"""Decrypt a file envelope (version 2, or 1 written before files had keys of their own) from
	`source` into `target`; return plaintext bytes written.

	Each chunk is authenticated before it is written, but damage further on is only found when it is
	reached: write to a temporary file and keep it only if no error was raised."""
	fixed = source.read(len(FILE_MAGIC) + 2)
	if fixed[: len(FILE_MAGIC)] != FILE_MAGIC:
		raise DomainError("encryption_not_envelope")
	if len(fixed) < len(FILE_MAGIC) + 2:
		raise DomainError("encryption_tampered")
	version = fixed[-2]
	if version not in FILE_VERSIONS:
		raise DomainError("encryption_version_unsupported", version=version)
	kid_bytes = source.read(fixed[-1])
	kid = kid_bytes.decode("ascii", "replace")
	extra_length = FILE_SALT if version == 2 else FILE_NONCE_PREFIX
	extra = source.read(extra_length)
	if len(kid_bytes) != fixed[-1] or not KID.fullmatch(kid) or len(extra) != extra_length:
		raise DomainError("encryption_tampered")
	key = keyring.get(kid)
	if version == 2:
		aead, prefix = key.file_aead(extra), bytes(FILE_NONCE_PREFIX)
	else:
		aead, prefix = key._aead, extra
	aad = _aad(fixed + kid_bytes + extra, aad_parts)
	size = FILE_CHUNK + TAG_BYTES
	chunk = source.read(size)
	counter = 0
	written = 0
	while True:
		following = source.read(size)
		last = not following
		if len(chunk) < TAG_BYTES or (not last and len(chunk) != size):
			raise DomainError("encryption_tampered")
		try:
			written += target.write(aead.decrypt(_chunk_nonce(prefix, counter, last), chunk, aad))
		except InvalidTag:
			raise DomainError("encryption_tampered")
		if last:
			return written
		chunk = following
		counter += 1


def encrypt_bytes(keyring: Keyring, data: bytes, aad_parts: Sequence[str]) -> bytes:
	"""The file envelope of `data`, bound to `aad_parts` (e.g. "Courrier", its name, the File name)."""
	target = io.BytesIO()
	encrypt_stream(keyring, io.BytesIO(data), target, aad_parts)
	return target.getvalue()


def decrypt_bytes(keyring: Keyring, blob: bytes, aad_parts: Sequence[str]) -> bytes:
	"""The plaintext of a file envelope; DomainError on any altered, missing or added byte."""
	target = io.BytesIO()
	decrypt_stream(keyring, io.BytesIO(blob), target, aad_parts)
	return target.getvalue()


def reencrypt_bytes(old_ring: Keyring, new_ring: Keyring, blob: bytes, aad_parts: Sequence[str]) -> bytes:
	"""Rotation for files: like `reencrypt_text`, checked and unchanged when already written the current
	way (version and key); a version 1 file under the current key gets a key of its own."""
	plaintext = decrypt_bytes(new_ring.union(old_ring), blob, aad_parts)
	if file_is_current(new_ring, blob):
		return blob
	return encrypt_bytes(new_ring, plaintext, aad_parts)


# --- Blind index ---


def normalise_for_index(value: str) -> str:
	"""Accents removed, case folded, white space collapsed: "  Société   MINIÈRE " -> "societe miniere"."""
	text = unicodedata.normalize("NFKD", value or "")
	text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
	return unicodedata.normalize("NFC", " ".join(text.split()))


def blind_index(keyring: Keyring, field: str, value: str) -> str:
	"""The index to store beside an encrypted `field` (current key); "" for a blank value."""
	return _blind_index(keyring.current, field, normalise_for_index(value))


def blind_indexes(keyring: Keyring, field: str, value: str) -> list[str]:
	"""The indexes of `value` under every key of the ring, current first: search with ``IN (...)`` so
	that rows not yet re-indexed by a rotation are still found. Empty for a blank value."""
	normalised = normalise_for_index(value)
	if not normalised:
		return []
	return [_blind_index(key, field, normalised) for key in keyring]


def _blind_index(key: Key, field: str, normalised: str) -> str:
	if not normalised:
		return ""
	digest = hmac.new(key.index_key(field), normalised.encode("utf-8"), hashlib.sha256)
	return digest.hexdigest()[:BLIND_INDEX_HEX]


# --- Legacy GEC (Flask), read only ---


def legacy_key(key_b64: str | None) -> bytes:
	"""The raw AES key as the legacy app read it: base64.b64decode(GEC_MASTER_KEY), not validated."""
	if not (key_b64 or "").strip():
		raise DomainError("encryption_key_missing")
	try:
		key = base64.b64decode(key_b64)
	except (binascii.Error, ValueError):
		raise DomainError("encryption_key_invalid", reason="legacy_bad_base64", entry=1)
	if len(key) not in (16, 24, 32):
		raise DomainError("encryption_key_invalid", reason="legacy_bad_length", entry=1)
	return key


def legacy_decrypt_text(key_b64: str, value: str) -> str:
	"""Plaintext of a legacy ``*_encrypted`` column: base64(IV ‖ AES-CBC(PKCS#7(utf-8)))."""
	key = legacy_key(key_b64)
	try:
		raw = base64.b64decode(value or "")
	except (binascii.Error, ValueError):
		raise DomainError("legacy_decrypt_failed", reason="bad_base64")
	if len(raw) < 32 or len(raw) % 16:
		raise DomainError("legacy_decrypt_failed", reason="bad_length")
	plain = _unpad(_cbc_decrypt(key, raw[:16], raw[16:]))
	if plain is None:
		raise DomainError("legacy_decrypt_failed", reason="bad_padding")
	try:
		return plain.decode("utf-8")
	except UnicodeDecodeError:
		raise DomainError("legacy_decrypt_failed", reason="not_utf8")


def legacy_decrypt_file(key_b64: str, data: bytes, checksum: str | None = None) -> bytes:
	"""Plaintext of a legacy ``.encrypted`` file (IV ‖ AES-CBC, padded only when the size was not a
	multiple of 16). With the legacy ``fichier_checksum`` (SHA-256 hex) the right reading is chosen for
	certain; without it, an ending that looks like padding is taken as padding."""
	key = legacy_key(key_b64)
	if len(data) < 16 or len(data) % 16:
		raise DomainError("legacy_decrypt_failed", reason="bad_length")
	raw = _cbc_decrypt(key, data[:16], data[16:])
	unpadded = _unpad(raw) if raw else None
	candidates = [plain for plain in (unpadded, raw) if plain is not None]
	if not checksum:
		return candidates[0]
	for plain in candidates:
		if hmac.compare_digest(hashlib.sha256(plain).hexdigest(), checksum.strip().lower()):
			return plain
	raise DomainError("legacy_checksum_mismatch")


def _cbc_decrypt(key: bytes, iv: bytes, body: bytes) -> bytes:
	decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
	return decryptor.update(body) + decryptor.finalize()


def _unpad(data: bytes) -> bytes | None:
	"""PKCS#7 unpadding for 16-byte blocks, or None when the tail is not valid padding."""
	if not data:
		return None
	n = data[-1]
	if not 1 <= n <= 16 or data[-n:] != bytes([n]) * n:
		return None
	return data[:-n]


# --- Helpers ---


def _aad(header: bytes, aad_parts: Sequence[str]) -> bytes:
	"""Header then each part with its length, so that ("a", "bc") and ("ab", "c") differ."""
	if isinstance(aad_parts, str | bytes) or not aad_parts:
		raise ValueError("aad_parts must be a non-empty sequence such as (doctype, name, field)")
	out = bytearray(header)
	for part in aad_parts:
		data = str(part).encode("utf-8")
		out += len(data).to_bytes(4, "big") + data
	return bytes(out)


def _chunk_nonce(prefix: bytes, counter: int, last: bool) -> bytes:
	return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _decode_key(encoded: str, entry: int) -> bytes:
	standard = encoded.replace("-", "+").replace("_", "/")
	try:
		secret = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
	except (binascii.Error, ValueError):
		raise DomainError("encryption_key_invalid", reason="bad_base64", entry=entry)
	if len(secret) != KEY_BYTES:
		raise DomainError("encryption_key_invalid", reason="bad_length", entry=entry)
	return secret


def _b64e(data: bytes) -> str:
	return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d_strict(text: str) -> bytes:
	"""Decode unpadded base64url, refusing non-canonical text (spare bits set), so that every
	character of an envelope matters."""
	try:
		raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
	except (binascii.Error, ValueError):
		raise DomainError("encryption_tampered")
	if _b64e(raw) != text or len(raw) < NONCE_BYTES + TAG_BYTES:
		raise DomainError("encryption_tampered")
	return raw


def _b64_length(n_bytes: int) -> int:
	return (4 * n_bytes + 2) // 3

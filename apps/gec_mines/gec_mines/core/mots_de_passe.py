"""Legacy password hashes: verified once at the first sign-in, then replaced by a Frappe hash.

The legacy GEC stored Werkzeug hashes (``scrypt:N:r:p$salt$hex``, default in Werkzeug 3.x, and
``pbkdf2:<hash>:<iterations>$salt$hex`` from older versions). bcrypt hashes (``$2b$...``) are
accepted too. The Werkzeug schemes are reimplemented with hashlib, with Werkzeug 3.1 semantics:
the salt is the text between the ``$`` signs, UTF-8 encoded (never base64-decoded), and the
digest is compared as lowercase hex, in constant time.

Cost parameters come from a database we do not control: values beyond the bounds below are
refused rather than computed, so a forged hash cannot pin a worker or exhaust memory.
"""

import hashlib
import hmac
import re

import bcrypt

SCRYPT_DEFAULTS = (2**15, 8, 1)
PBKDF2_DEFAULT_HASH = "sha256"
PBKDF2_DEFAULT_ITERATIONS = 1_000_000  # Werkzeug 3.1, used when the hash does not name its count
MAX_SCRYPT_MEMORY = 256 * 1024 * 1024  # bytes; the legacy default needs 32 MiB
MAX_SCRYPT_PARALLEL = 16
MAX_PBKDF2_ITERATIONS = 10_000_000
PBKDF2_HASHES = ("sha1", "sha224", "sha256", "sha384", "sha512")
BCRYPT_HASH = re.compile(r"^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$")
BCRYPT_MAX_BYTES = 72  # bcrypt ignores what follows; the bcrypt package now refuses it instead
HEX = re.compile(r"^[0-9a-f]+$")


def hash_scheme(stored_hash: str | None) -> str | None:
	""" "scrypt", "pbkdf2" or "bcrypt" when the hash is one we can verify, else None."""
	if not stored_hash or not isinstance(stored_hash, str):
		return None
	if stored_hash.startswith("$2"):
		return "bcrypt" if BCRYPT_HASH.match(stored_hash) else None
	parsed = _parse_werkzeug(stored_hash)
	return parsed[0] if parsed else None


def is_supported_hash(stored_hash: str | None) -> bool:
	"""Whether `verify_legacy_password` can decide for this hash (otherwise: reset the password)."""
	return hash_scheme(stored_hash) is not None


def verify_legacy_password(stored_hash: str | None, password: str | None) -> bool:
	"""True only if the password matches a supported legacy hash; never raises."""
	if not password or not isinstance(password, str):
		return False
	scheme = hash_scheme(stored_hash)
	if scheme == "bcrypt":
		return _check_bcrypt(stored_hash, password)
	if scheme is None:
		return False
	_scheme, params, salt, expected = _parse_werkzeug(stored_hash)
	try:
		computed = _werkzeug_digest(scheme, params, salt, password)
	except (ValueError, MemoryError):
		return False
	return hmac.compare_digest(computed.encode("ascii"), expected.encode("ascii"))


def _parse_werkzeug(stored_hash: str):
	"""(scheme, params, salt, hex digest) of a Werkzeug hash within our bounds, or None."""
	try:
		method, salt, digest = stored_hash.split("$", 2)
	except ValueError:
		return None
	if not salt or not digest or not HEX.match(digest):
		return None
	name, *args = method.split(":")
	if name == "scrypt":
		params = _scrypt_params(args)
	elif name == "pbkdf2":
		params = _pbkdf2_params(args)
	else:
		return None
	return (name, params, salt, digest) if params else None


def _scrypt_params(args: list[str]) -> tuple[int, int, int] | None:
	if not args:
		return SCRYPT_DEFAULTS
	if len(args) != 3 or not all(arg.isdigit() for arg in args):
		return None
	n, r, p = map(int, args)
	power_of_two = n > 1 and n & (n - 1) == 0
	if not power_of_two or r < 1 or not 1 <= p <= MAX_SCRYPT_PARALLEL or 128 * n * r * p > MAX_SCRYPT_MEMORY:
		return None
	return n, r, p


def _pbkdf2_params(args: list[str]) -> tuple[str, int] | None:
	if len(args) > 2:
		return None
	hash_name = args[0] if args else PBKDF2_DEFAULT_HASH
	if hash_name not in PBKDF2_HASHES:
		return None
	if len(args) < 2:
		return hash_name, PBKDF2_DEFAULT_ITERATIONS
	if not args[1].isdigit() or not 1 <= int(args[1]) <= MAX_PBKDF2_ITERATIONS:
		return None
	return hash_name, int(args[1])


def _werkzeug_digest(scheme: str, params: tuple, salt: str, password: str) -> str:
	salt_bytes = salt.encode()
	password_bytes = password.encode()
	if scheme == "scrypt":
		n, r, p = params
		maxmem = 132 * n * r * p  # what Werkzeug passes: OpenSSL needs a little over 128·n·r·p
		return hashlib.scrypt(password_bytes, salt=salt_bytes, n=n, r=r, p=p, maxmem=maxmem).hex()
	hash_name, iterations = params
	return hashlib.pbkdf2_hmac(hash_name, password_bytes, salt_bytes, iterations).hex()


def _check_bcrypt(stored_hash: str, password: str) -> bool:
	try:
		return bcrypt.checkpw(password.encode()[:BCRYPT_MAX_BYTES], stored_hash.encode("ascii"))
	except ValueError:
		return False

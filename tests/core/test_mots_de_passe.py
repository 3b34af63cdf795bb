"""A migrated user signs in with the password they had in the legacy GEC, and with nothing else."""

import bcrypt
import pytest

from gec_mines.core.mots_de_passe import (
	hash_scheme,
	is_supported_hash,
	verify_legacy_password,
)

werkzeug_security = pytest.importorskip("werkzeug.security")

# Made by Werkzeug 3.1 and bcrypt, as the legacy database holds them.
SCRYPT_DEFAULT = (
	"scrypt:32768:8:1$D4bD7LlNXQCgLUm0$cc76aabaf6b2ddb704f2eacbc9ca6fd8e69cc016c05aa09db93b0a0f6fbbf18056"
	"102431130aedf1c4c4365a258374543c8cc9dee56834b84f0a566325c25d46"
)
PBKDF2_OLD = (
	"pbkdf2:sha256:260000$7zJ6i4IuCorQViW1$693079c5473080bb0f3fdde0e4ac03a790b53fe543daaef6004af737ae63b2c3"
)
BCRYPT = "$2b$04$kB9jKLe5nEDPCwnRMvH93OYMtOqM2RsfvXx6w6s87iUfr7Wr2N9yy"


@pytest.mark.parametrize(
	"stored, password, scheme",
	[
		(SCRYPT_DEFAULT, "Mot de passe é", "scrypt"),
		(PBKDF2_OLD, "Kinshasa#2025", "pbkdf2"),
		(BCRYPT, "Lubumbashi!77", "bcrypt"),
	],
)
def test_recorded_legacy_hashes_verify(stored, password, scheme):
	assert hash_scheme(stored) == scheme
	assert verify_legacy_password(stored, password)
	assert not verify_legacy_password(stored, password + " ")
	assert not verify_legacy_password(stored, password.upper())


@pytest.mark.parametrize(
	"method",
	[
		"scrypt",
		"scrypt:16384:8:1",
		"scrypt:1024:4:2",
		"pbkdf2:sha256:1000",
		"pbkdf2:sha512:2000",
		"pbkdf2:sha1:500",
	],
)
@pytest.mark.parametrize("password", ["secret", "Éléphant-Kolwezi 2025", "mot$de:passe", "x" * 100])
def test_hashes_made_by_werkzeug_verify(method, password):
	stored = werkzeug_security.generate_password_hash(password, method=method)
	assert is_supported_hash(stored)
	assert verify_legacy_password(stored, password)
	assert not verify_legacy_password(stored, password[:-1])


def test_salt_is_used_as_text_not_decoded():
	"""Werkzeug feeds the salt's characters to the KDF; a base64-looking salt stays text."""
	stored = "pbkdf2:sha256:1000$c2FsdA==$" + "0" * 64
	real = werkzeug_security._hash_internal("pbkdf2:sha256:1000", "c2FsdA==", "pw")[0]
	assert verify_legacy_password(stored.replace("0" * 64, real), "pw")


def test_pbkdf2_without_iteration_count_uses_werkzeug_default():
	salt = "abcdefgh"
	digest = werkzeug_security._hash_internal("pbkdf2:sha256", salt, "pw")[0]
	assert verify_legacy_password(f"pbkdf2:sha256${salt}${digest}", "pw")
	assert verify_legacy_password(f"pbkdf2${salt}${digest}", "pw")


@pytest.mark.parametrize("prefix", ["$2a$", "$2y$"])
def test_bcrypt_variants_verify(prefix):
	stored = bcrypt.hashpw(b"motdepasse", bcrypt.gensalt(4)).decode().replace("$2b$", prefix)
	assert verify_legacy_password(stored, "motdepasse")
	assert not verify_legacy_password(stored, "motdepass")


def test_bcrypt_long_password_is_checked_on_its_first_72_bytes():
	"""Old bcrypt silently truncated; the hash was made that way, so sign-in must match it."""
	long = "k" * 80
	stored = bcrypt.hashpw(long.encode()[:72], bcrypt.gensalt(4)).decode()
	assert verify_legacy_password(stored, long)


@pytest.mark.parametrize(
	"stored",
	[
		None,
		"",
		"TempPassword123!",
		"sha256$salt$abcdef",
		"md5:1$salt$abcdef",
		"plain$salt$secret",
		"scrypt:1000:8:1$salt$abcd",  # n not a power of two
		"scrypt:1048576:64:16$salt$abcd",  # would need gigabytes
		"scrypt:16384:8$salt$abcd",
		"pbkdf2:sha256:99999999999$salt$abcd",
		"pbkdf2:whirlpool:1000$salt$abcd",
		"pbkdf2:sha256:1000$salt$NOT-HEX",
		"pbkdf2:sha256:1000$$abcd",
		"$2b$04$tooshort",
		"$2x$04$kB9jKLe5nEDPCwnRMvH93OYMtOqM2RsfvXx6w6s87iUfr7Wr2N9yy",
	],
)
def test_unknown_or_unsafe_formats_are_unsupported(stored):
	assert not is_supported_hash(stored)
	assert hash_scheme(stored) is None
	assert not verify_legacy_password(stored, "TempPassword123!")


def test_empty_password_never_matches():
	stored = werkzeug_security.generate_password_hash("", method="pbkdf2:sha256:1000")
	assert is_supported_hash(stored)
	assert not verify_legacy_password(stored, "")
	assert not verify_legacy_password(stored, None)

"""Sensitive fields and attachments are encrypted for real: bound to their place, tamper-evident,
rotatable without loss; legacy ciphertexts can still be read for the migration."""

import base64
import hashlib
import io
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from gec_mines.core import chiffrement
from gec_mines.core.chiffrement import Keyring
from gec_mines.core.errors import DomainError

AAD = ("Courrier", "GEC-E-2025-00001", "objet")
SECRET_TEXT = "Demande de permis d'exploitation PE 12345 — Société Minière du Katanga"


def ring(*kids: str) -> Keyring:
	return Keyring.from_source(",".join(chiffrement.generate_key(kid) for kid in kids))


def refused(code: str, call, *args):
	with pytest.raises(DomainError) as caught:
		call(*args)
	assert caught.value.code == code, caught.value.params
	return caught.value


# --- Keys ---


def test_a_key_source_lists_named_keys_the_first_being_current():
	first, second = chiffrement.generate_key("k2025"), chiffrement.generate_key("k2024")
	source = f"# GEC Mines master keys, newest first\n{first}   # rotated in June\n{second}\n"
	keys = Keyring.from_source(source)
	assert keys.kids == ("k2025", "k2024")
	assert keys.current.kid == "k2025"
	assert keys.get("k2024").kid == "k2024"
	assert Keyring.from_source(f"{first};{second}").kids == Keyring.from_source(f"{first}, {second}").kids


def test_keys_may_be_written_in_standard_or_url_safe_base64_with_or_without_padding():
	secret = bytes(range(250, 256)) + bytes(range(26))
	forms = [
		base64.b64encode(secret).decode(),
		base64.urlsafe_b64encode(secret).decode(),
		base64.urlsafe_b64encode(secret).decode().rstrip("="),
	]
	fingerprints = {Keyring.from_source(f"k1:{form}").current.fingerprint for form in forms}
	assert len(fingerprints) == 1


def test_a_generated_key_is_32_random_bytes_with_a_short_id():
	entry = chiffrement.generate_key()
	kid, encoded = entry.split(":")
	assert len(kid) == 8
	assert len(base64.urlsafe_b64decode(encoded + "=")) == 32
	assert chiffrement.generate_key() != entry
	refused("encryption_key_invalid", chiffrement.generate_key, "Not Valid")


@pytest.mark.parametrize("source", [None, "", "   ", "# nothing but a comment\n", b""])
def test_a_missing_key_is_named_as_such(source):
	refused("encryption_key_missing", Keyring.from_source, source)


def test_an_invalid_key_source_says_what_is_wrong_without_revealing_the_key():
	good = chiffrement.generate_key("k1")
	encoded = good.split(":")[1]
	cases = {
		encoded: "entry_without_kid",
		f"K1:{encoded}": "bad_kid",
		f"k1%:{encoded}": "bad_kid",
		"k1:not*base64": "bad_base64",
		f"k1:{base64.b64encode(os.urandom(16)).decode()}": "bad_length",
		f"k1:{os.urandom(32).hex()}": "bad_length",  # `openssl rand -hex 32`, as the legacy installers did
		f"{good},k1:{chiffrement.generate_key().split(':')[1]}": "duplicate_kid",
		f"{good},k2:{encoded}": "duplicate_key",
	}
	for source, reason in cases.items():
		error = refused("encryption_key_invalid", Keyring.from_source, source)
		assert error.params["reason"] == reason
		assert encoded not in repr(error)


def test_keys_do_not_show_their_bytes():
	keys = ring("k1")
	encoded = chiffrement.generate_key("k1").split(":")[1]
	assert "k1" in repr(keys) and "k1" in repr(keys.current)
	assert encoded not in repr(keys.current)
	assert len(keys.current.fingerprint) == 12
	refused("encryption_key_unknown", keys.get, "k9")


def test_mask_hides_a_value_and_its_length():
	assert chiffrement.mask("Secret défense") == chiffrement.mask("x") == "••••••"
	assert chiffrement.mask("") == chiffrement.mask(None) == ""


# --- Text fields ---


def test_a_field_reads_back_and_its_envelope_names_version_and_key():
	keys = ring("k1")
	for plaintext in (SECRET_TEXT, "", "é" * 500, "x" * 10_000):
		envelope = chiffrement.encrypt_text(keys, plaintext, AAD)
		assert envelope.startswith("gec:v1:k1:")
		assert envelope.isascii()
		assert chiffrement.is_encrypted(envelope)
		assert chiffrement.envelope_kid(envelope) == "k1"
		assert chiffrement.decrypt_text(keys, envelope, AAD) == plaintext


def test_the_ciphertext_holds_no_plaintext_and_never_repeats():
	keys = ring("k1")
	envelopes = {chiffrement.encrypt_text(keys, SECRET_TEXT, AAD) for _ in range(50)}
	assert len(envelopes) == 50
	for envelope in envelopes:
		raw = base64.urlsafe_b64decode(envelope.split(":")[3] + "==")
		for word in ("Demande", "12345", "Minière", "Katanga"):
			assert word not in envelope
			assert word.encode() not in raw


@pytest.mark.parametrize(
	"value",
	[
		"Demande de permis",
		"gec:v1:",
		"gec:v1:k1:short",
		"gec:v1:K1:" + "A" * 40,
		"GEC:V1:k1:" + "A" * 40,
		" gec:v1:k1:" + "A" * 40,
		"gec:v1:k1:" + "A" * 40 + " ",
		None,
		42,
	],
)
def test_plaintext_is_never_taken_for_an_envelope(value):
	assert not chiffrement.is_encrypted(value)
	assert chiffrement.envelope_kid(value) is None


def test_a_changed_character_anywhere_is_refused():
	keys = Keyring.from_source(f"{chiffrement.generate_key('k1')},{chiffrement.generate_key('k2')}")
	envelope = chiffrement.encrypt_text(keys, "Litige minier n° 7", AAD)
	alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:"
	for position, original in enumerate(envelope):
		for replacement in {alphabet[(alphabet.index(original) + 1) % len(alphabet)], "2", "k"} - {original}:
			altered = envelope[:position] + replacement + envelope[position + 1 :]
			with pytest.raises(DomainError):
				chiffrement.decrypt_text(keys, altered, AAD)


def test_an_envelope_cut_or_extended_is_refused():
	keys = ring("k1")
	envelope = chiffrement.encrypt_text(keys, SECRET_TEXT, AAD)
	for altered in (envelope[:-1], envelope[:-4], envelope + "A", envelope + "AAAA", envelope[:50]):
		with pytest.raises(DomainError):
			chiffrement.decrypt_text(keys, altered, AAD)


@pytest.mark.parametrize(
	"other_place",
	[
		("Courrier", "GEC-E-2025-00001", "expediteur"),
		("Courrier", "GEC-E-2025-00002", "objet"),
		("Courrier Sortant", "GEC-E-2025-00001", "objet"),
		("Courrier", "GEC-E-2025-0000", "1objet"),
		("Courrier", "GEC-E-2025-00001"),
		("Courrier", "GEC-E-2025-00001", "objet", "extra"),
	],
)
def test_a_value_copied_to_another_field_or_document_does_not_decrypt(other_place):
	keys = ring("k1")
	envelope = chiffrement.encrypt_text(keys, SECRET_TEXT, AAD)
	refused("encryption_tampered", chiffrement.decrypt_text, keys, envelope, other_place)


def test_a_missing_key_or_a_foreign_value_gives_a_clear_error():
	envelope = chiffrement.encrypt_text(ring("k1"), SECRET_TEXT, AAD)
	assert refused("encryption_key_unknown", chiffrement.decrypt_text, ring("k2"), envelope, AAD).params == {
		"kid": "k1"
	}
	refused("encryption_tampered", chiffrement.decrypt_text, ring("k1"), envelope, AAD)  # same id, other key
	refused("encryption_not_envelope", chiffrement.decrypt_text, ring("k1"), SECRET_TEXT, AAD)
	future = envelope.replace("gec:v1:", "gec:v2:")
	assert chiffrement.is_encrypted(future)
	refused("encryption_version_unsupported", chiffrement.decrypt_text, ring("k1"), future, AAD)


def test_associated_data_must_be_given():
	keys = ring("k1")
	for aad in ((), "Courrier", None):
		with pytest.raises((ValueError, TypeError)):
			chiffrement.encrypt_text(keys, "x", aad)


def test_ensure_encrypted_encrypts_plaintext_and_keeps_envelopes_that_open():
	keys = ring("k1")
	envelope = chiffrement.ensure_encrypted(keys, SECRET_TEXT, AAD)
	assert chiffrement.decrypt_text(keys, envelope, AAD) == SECRET_TEXT
	assert chiffrement.ensure_encrypted(keys, envelope, AAD) is envelope
	moved = ("Courrier", "GEC-E-2025-00002", "objet")
	refused("encryption_tampered", chiffrement.ensure_encrypted, keys, envelope, moved)
	refused("encryption_key_unknown", chiffrement.ensure_encrypted, ring("k2"), envelope, AAD)


def test_envelope_length_tells_how_wide_a_column_must_be():
	keys = ring("k1")
	for text in ("", "a", "é" * 7, "x" * 59, "y" * 100, "z" * 1000):
		n = len(text.encode())
		actual = len(chiffrement.encrypt_text(keys, text, AAD))
		assert actual == chiffrement.envelope_length(n, kid_length=2)
		assert actual <= chiffrement.envelope_length(n)
	for column in (100, 140, 200, 255, 1000):
		fits = chiffrement.max_plaintext_bytes(column)
		assert chiffrement.envelope_length(fits) <= column < chiffrement.envelope_length(fits + 1)
	assert chiffrement.max_plaintext_bytes(140) == 59


# --- Files ---

FILE_AAD = ("Courrier", "GEC-E-2025-00001", "File", "a1b2c3d4e5")
CHUNK = chiffrement.FILE_CHUNK


@pytest.mark.parametrize("size", [0, 1, 15, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 1_000_003])
def test_a_file_reads_back_whatever_its_size(size):
	keys = ring("k1")
	data = os.urandom(size)
	blob = chiffrement.encrypt_bytes(keys, data, FILE_AAD)
	assert chiffrement.is_encrypted_bytes(blob)
	assert chiffrement.envelope_kid(blob) == "k1"
	assert len(blob) == chiffrement.encrypted_size(size, kid_length=2)
	assert chiffrement.decrypt_bytes(keys, blob, FILE_AAD) == data


def test_files_stream_through_file_objects(tmp_path):
	keys = ring("k1")
	data = os.urandom(2 * CHUNK + 123)
	(tmp_path / "scan.pdf").write_bytes(data)
	with open(tmp_path / "scan.pdf", "rb") as source, open(tmp_path / "scan.enc", "wb") as target:
		written = chiffrement.encrypt_stream(keys, source, target, FILE_AAD)
	assert written == (tmp_path / "scan.enc").stat().st_size
	with open(tmp_path / "scan.enc", "rb") as source, open(tmp_path / "back.pdf", "wb") as target:
		assert chiffrement.decrypt_stream(keys, source, target, FILE_AAD) == len(data)
	assert (tmp_path / "back.pdf").read_bytes() == data


def test_an_encrypted_file_holds_no_plaintext():
	keys = ring("k1")
	data = b"%PDF-1.7 " + SECRET_TEXT.encode() * 1000
	blob = chiffrement.encrypt_bytes(keys, data, FILE_AAD)
	assert SECRET_TEXT.encode()[:12] not in blob
	assert b"%PDF" not in blob
	assert not chiffrement.is_encrypted_bytes(data)


def test_a_changed_byte_anywhere_in_a_file_is_refused():
	keys = Keyring.from_source(f"{chiffrement.generate_key('k1')},{chiffrement.generate_key('k2')}")
	blob = chiffrement.encrypt_bytes(keys, b"Contrat de partage de production", FILE_AAD)
	for position in range(len(blob)):
		for flip in (0x01, 0x80, 0xFF):
			altered = bytearray(blob)
			altered[position] ^= flip
			with pytest.raises(DomainError):
				chiffrement.decrypt_bytes(keys, bytes(altered), FILE_AAD)


def test_chunks_dropped_reordered_or_added_are_refused():
	keys = ring("k1")
	blob = chiffrement.encrypt_bytes(keys, os.urandom(3 * CHUNK), FILE_AAD)
	header = chiffrement.encrypted_size(0, kid_length=2) - chiffrement.TAG_BYTES
	size = CHUNK + chiffrement.TAG_BYTES
	chunks = [blob[header + i * size : header + (i + 1) * size] for i in range(3)]
	assert blob == blob[:header] + b"".join(chunks)
	for altered in (
		blob[:header] + chunks[0] + chunks[1],
		blob[:header] + chunks[0] + chunks[2] + chunks[1],
		blob[:header] + chunks[1] + chunks[0] + chunks[2],
		blob + b"\x00",
		blob + chunks[2],
		blob[:-1],
		blob[:header],
		blob[:10],
	):
		with pytest.raises(DomainError):
			chiffrement.decrypt_bytes(keys, altered, FILE_AAD)
	for position in (header + 5, header + size + 7, len(blob) - 3):
		altered = bytearray(blob)
		altered[position] ^= 0x10
		refused("encryption_tampered", chiffrement.decrypt_bytes, keys, bytes(altered), FILE_AAD)


def test_a_file_moved_to_another_mail_does_not_decrypt():
	keys = ring("k1")
	blob = chiffrement.encrypt_bytes(keys, b"scan", FILE_AAD)
	other = ("Courrier", "GEC-E-2025-00002", "File", "a1b2c3d4e5")
	refused("encryption_tampered", chiffrement.decrypt_bytes, keys, blob, other)
	refused("encryption_key_unknown", chiffrement.decrypt_bytes, ring("k2"), blob, FILE_AAD)
	refused("encryption_not_envelope", chiffrement.decrypt_bytes, keys, b"%PDF-1.7", FILE_AAD)


def version_1_file(keys: Keyring, data: bytes, aad_parts) -> bytes:
	"""A file envelope as version 1 wrote it: every file under the master key, random nonce prefix."""
	key = keys.current
	kid = key.kid.encode()
	header = chiffrement.FILE_MAGIC + bytes([1, len(kid)]) + kid + os.urandom(chiffrement.FILE_NONCE_PREFIX)
	aad = chiffrement._aad(header, aad_parts)
	chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
	return header + b"".join(
		key._aead.encrypt(chiffrement._chunk_nonce(header[-7:], n, n == len(chunks) - 1), chunk, aad)
		for n, chunk in enumerate(chunks)
	)


@pytest.mark.parametrize("size", [0, 10, CHUNK, 2 * CHUNK + 5])
def test_files_encrypted_before_files_had_their_own_key_still_read(size):
	keys = ring("k1")
	data = os.urandom(size)
	old = version_1_file(keys, data, FILE_AAD)
	assert chiffrement.file_version(old) == 1
	assert chiffrement.decrypt_bytes(keys, old, FILE_AAD) == data
	assert not chiffrement.file_is_current(keys, old)
	for position in (10, len(old) - 1):  # the nonce prefix, the last tag
		altered = bytearray(old)
		altered[position] ^= 0x01
		refused("encryption_tampered", chiffrement.decrypt_bytes, keys, bytes(altered), FILE_AAD)


def test_two_files_never_share_a_key():
	keys = ring("k1")
	data = b"%PDF-1.7 the same scan uploaded twice" * 100
	first, second = (chiffrement.encrypt_bytes(keys, data, FILE_AAD) for _ in range(2))
	header = chiffrement.encrypted_size(0, kid_length=2) - chiffrement.TAG_BYTES
	salts = {blob[header - chiffrement.FILE_SALT : header] for blob in (first, second)}
	assert len(salts) == 2
	# same plaintext, same chunk nonce (counter 0): only different keys give different ciphertexts
	assert first[header : header + 64] != second[header : header + 64]
	assert chiffrement.file_version(first) == chiffrement.FILE_VERSION == 2


def test_the_salt_of_a_file_cannot_be_changed_or_swapped():
	keys = ring("k1")
	first = chiffrement.encrypt_bytes(keys, b"Rapport d'inspection", FILE_AAD)
	second = chiffrement.encrypt_bytes(keys, b"Rapport d'inspection", FILE_AAD)
	header = chiffrement.encrypted_size(0, kid_length=2) - chiffrement.TAG_BYTES
	refused(
		"encryption_tampered", chiffrement.decrypt_bytes, keys, second[:header] + first[header:], FILE_AAD
	)
	refused("encryption_tampered", chiffrement.decrypt_bytes, keys, first[: header - 1], FILE_AAD)
	unknown = bytearray(first)
	unknown[len(chiffrement.FILE_MAGIC)] = 3
	refused("encryption_version_unsupported", chiffrement.decrypt_bytes, keys, bytes(unknown), FILE_AAD)


def test_rotation_gives_an_old_file_a_key_of_its_own_even_under_the_current_master_key():
	keys = ring("k1")
	old = version_1_file(keys, b"scan", FILE_AAD)
	rotated = chiffrement.reencrypt_bytes(keys, keys, old, FILE_AAD)
	assert chiffrement.file_is_current(keys, rotated)
	assert chiffrement.decrypt_bytes(keys, rotated, FILE_AAD) == b"scan"
	assert chiffrement.reencrypt_bytes(keys, keys, rotated, FILE_AAD) is rotated


# --- Masking plaintext in other records ---


def test_masking_replaces_the_values_and_any_envelope_in_a_text():
	keys = ring("k1")
	envelope = chiffrement.encrypt_text(keys, SECRET_TEXT, AAD)
	text = f"Process mail GEC-E-2025-00001: {SECRET_TEXT} (was {envelope})"
	masked = chiffrement.mask_in_text(text, [SECRET_TEXT, None, ""])
	assert masked == f"Process mail GEC-E-2025-00001: {chiffrement.MASK} (was {chiffrement.MASK})"
	escaped = "<div>Demande d&apos;exploitation &amp; cession</div>"
	assert chiffrement.mask_in_text(escaped, ["Demande d'exploitation & cession"]) == (
		f"<div>{chiffrement.MASK}</div>"
	)
	assert chiffrement.mask_in_text("Lot A of the register", ["A"]) == "Lot A of the register"
	assert chiffrement.mask_in_text(None, [SECRET_TEXT]) is None


# --- Rotation ---


def test_rotation_interrupted_and_resumed_leaves_everything_readable_with_the_new_key_only():
	old = ring("k1")
	rows = [(f"GEC-E-2025-{i:05d}", f"Objet confidentiel n° {i}") for i in range(300)]
	stored = {name: chiffrement.encrypt_text(old, text, ("Courrier", name, "objet")) for name, text in rows}
	files = {
		name: chiffrement.encrypt_bytes(old, text.encode() * 50, ("File", name)) for name, text in rows[:20]
	}
	during = Keyring([ring("k2").current, old.current])  # the rotation ring: new key first, old one kept

	for name, _text in rows[:120]:  # the job stops part-way
		stored[name] = chiffrement.reencrypt_text(old, during, stored[name], ("Courrier", name, "objet"))
	for name in list(files)[:7]:
		files[name] = chiffrement.reencrypt_bytes(old, during, files[name], ("File", name))
	snapshot = dict(stored)

	for name, _text in rows:  # and is run again from the start
		stored[name] = chiffrement.reencrypt_text(old, during, stored[name], ("Courrier", name, "objet"))
	for name in files:
		files[name] = chiffrement.reencrypt_bytes(old, during, files[name], ("File", name))

	assert all(stored[name] is snapshot[name] for name, _text in rows[:120])
	new_only = Keyring([during.current])
	for name, text in rows:
		assert chiffrement.envelope_kid(stored[name]) == new_only.current.kid
		assert chiffrement.decrypt_text(new_only, stored[name], ("Courrier", name, "objet")) == text
		refused(
			"encryption_key_unknown", chiffrement.decrypt_text, old, stored[name], ("Courrier", name, "objet")
		)
	for name, text in rows[:20]:
		assert chiffrement.decrypt_bytes(new_only, files[name], ("File", name)) == text.encode() * 50
		refused("encryption_key_unknown", chiffrement.decrypt_bytes, old, files[name], ("File", name))


def test_rotation_refuses_a_damaged_value_instead_of_rewriting_it():
	old, new = ring("k1"), ring("k2")
	envelope = chiffrement.encrypt_text(old, SECRET_TEXT, AAD)
	damaged = envelope[:-2] + ("A" if envelope[-2] != "A" else "B") + envelope[-1]
	refused("encryption_tampered", chiffrement.reencrypt_text, old, new, damaged, AAD)
	refused("encryption_key_unknown", chiffrement.reencrypt_text, ring("k3"), new, envelope, AAD)
	rotated = chiffrement.reencrypt_text(old, new, envelope, AAD)
	assert chiffrement.decrypt_text(new, rotated, AAD) == SECRET_TEXT


# --- Blind index ---


def test_equal_values_once_normalised_have_equal_blind_indexes():
	keys = ring("k1")
	index = chiffrement.blind_index(keys, "expediteur", "Société Minière du Katanga")
	assert len(index) == 32 and int(index, 16) >= 0
	for variant in (
		"  societe  miniere du KATANGA ",
		"SOCIÉTÉ\tMINIÈRE\ndu katanga",
		"Société Minière du Katanga",
	):
		assert chiffrement.blind_index(keys, "expediteur", variant) == index
	assert chiffrement.blind_index(keys, "expediteur", "Société Minière du Kasaï") != index
	assert chiffrement.normalise_for_index("  Straße  ÉTÉ ") == "strasse ete"


def test_blind_indexes_differ_across_fields_and_keys():
	keys = ring("k1")
	value = "REF/SG/2025/123"
	by_field = {
		field: chiffrement.blind_index(keys, field, value)
		for field in ("expediteur", "destinataire", "objet")
	}
	assert len(set(by_field.values())) == 3
	assert chiffrement.blind_index(ring("k1"), "expediteur", value) != by_field["expediteur"]
	assert chiffrement.blind_index(keys, "expediteur", "   ") == ""


def test_search_during_a_rotation_looks_under_every_key():
	old = ring("k1")
	rotation = Keyring([ring("k2").current, old.current])
	indexes = chiffrement.blind_indexes(rotation, "objet", "Permis PE 12")
	assert indexes == [
		chiffrement.blind_index(Keyring([rotation.current]), "objet", "Permis PE 12"),
		chiffrement.blind_index(old, "objet", "permis pe 12"),
	]
	assert chiffrement.blind_indexes(rotation, "objet", " ") == []


# --- Legacy GEC (Flask) ---

LEGACY_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
# Made with `openssl enc -aes-256-cbc -K 0001…1f -iv a0a1…af`, an implementation independent of ours.
LEGACY_VECTOR = "oKGio6SlpqeoqaqrrK2ur9HvXB95Hsf59s/AaHoYdNmRpgWXZ02b3QXQZFGoeAFV"


def pkcs7(data: bytes) -> bytes:
	n = 16 - len(data) % 16
	return data + bytes([n]) * n


def legacy_encrypt_data(key_b64: str, text: str, iv: bytes | None = None) -> str:
	"""encryption_utils.encrypt_data of the Flask GEC."""
	iv = iv or os.urandom(16)
	encryptor = Cipher(algorithms.AES(base64.b64decode(key_b64)), modes.CBC(iv)).encryptor()
	body = encryptor.update(pkcs7(text.encode("utf-8"))) + encryptor.finalize()
	return base64.b64encode(iv + body).decode("ascii")


def legacy_encrypt_file(key_b64: str, data: bytes, iv: bytes | None = None) -> bytes:
	"""encryption_utils.encrypt_file of the Flask GEC: 8 192-byte reads, one CBC chain, padding only
	on a final chunk whose length is not a multiple of 16."""
	iv = iv or os.urandom(16)
	encryptor = Cipher(algorithms.AES(base64.b64decode(key_b64)), modes.CBC(iv)).encryptor()
	out = [iv]
	source = io.BytesIO(data)
	while chunk := source.read(8192):
		if len(chunk) % 16:
			chunk = pkcs7(chunk)
		out.append(encryptor.update(chunk))
	out.append(encryptor.finalize())
	return b"".join(out)


def test_a_legacy_vector_made_by_openssl_decrypts():
	assert chiffrement.legacy_decrypt_text(LEGACY_KEY, LEGACY_VECTOR) == "Réclamation — permis PE 1234"


@pytest.mark.parametrize("text", ["", "A", "Ministère des Mines", "x" * 15, "y" * 16, "z" * 1000])
def test_legacy_field_ciphertexts_decrypt(text):
	key = base64.b64encode(os.urandom(32)).decode()
	assert chiffrement.legacy_decrypt_text(key, legacy_encrypt_data(key, text)) == text


def test_legacy_fields_read_with_a_wrong_key_or_damaged_fail_clearly():
	iv = bytes(range(16))
	value = legacy_encrypt_data(LEGACY_KEY, "Secret", iv)
	wrong = base64.b64encode(bytes(range(1, 33))).decode()
	refused("legacy_decrypt_failed", chiffrement.legacy_decrypt_text, wrong, value)
	refused("legacy_decrypt_failed", chiffrement.legacy_decrypt_text, LEGACY_KEY, value[:-4])
	refused("legacy_decrypt_failed", chiffrement.legacy_decrypt_text, LEGACY_KEY, "***")
	refused("encryption_key_missing", chiffrement.legacy_decrypt_text, "", value)
	hex_key = os.urandom(32).hex()  # what `openssl rand -hex 32` gave the legacy installers
	refused("encryption_key_invalid", chiffrement.legacy_decrypt_text, hex_key, value)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 8176, 8180, 8190, 8191, 8192, 8193, 16384, 20000])
def test_legacy_files_decrypt_whatever_their_size(size):
	key = base64.b64encode(os.urandom(32)).decode()
	data = os.urandom(size)
	while size % 16 == 0 and size and 1 <= data[-1] <= 16:
		data = os.urandom(size)  # an ending that looks like padding needs the checksum (next test)
	encrypted = legacy_encrypt_file(key, data)
	assert len(encrypted) == 16 + size + (-size % 16)
	assert chiffrement.legacy_decrypt_file(key, encrypted) == data
	assert chiffrement.legacy_decrypt_file(key, encrypted, hashlib.sha256(data).hexdigest()) == data


def test_the_legacy_checksum_settles_an_ending_that_looks_like_padding():
	key = base64.b64encode(os.urandom(32)).decode()
	data = os.urandom(8191) + b"\x01"
	encrypted = legacy_encrypt_file(key, data)
	assert chiffrement.legacy_decrypt_file(key, encrypted) == data[:-1]
	assert chiffrement.legacy_decrypt_file(key, encrypted, hashlib.sha256(data).hexdigest().upper()) == data
	refused("legacy_checksum_mismatch", chiffrement.legacy_decrypt_file, key, encrypted, "0" * 64)
	refused("legacy_decrypt_failed", chiffrement.legacy_decrypt_file, key, encrypted[:-1])

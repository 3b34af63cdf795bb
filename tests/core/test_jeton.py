"""The receipt's QR token proves who issued it: any altered or forged token is refused."""

import base64
import string
import struct
from datetime import datetime, timedelta, timezone

import pytest

from gec_mines.core import jeton
from gec_mines.core.errors import DomainError

SECRET = bytes(range(32))
OLD_SECRET = b"an older secret of the registry!!"
ISSUED = datetime(2025, 3, 3, 10, 15, 42, tzinfo=timezone.utc)
ALPHABET = string.ascii_letters + string.digits + "-_"


def refused(token, secrets=SECRET) -> bool:
	with pytest.raises(DomainError) as caught:
		jeton.verify(token, secrets)
	return caught.value.code == "receipt_token_invalid"


def test_a_token_gives_back_the_courrier_when_it_was_issued_and_its_own_id():
	token = jeton.sign("GEC-E-2025-00042", SECRET, ISSUED, token_id=bytes.fromhex("0a0b0c0d0e0f"))
	assert jeton.verify(token, SECRET) == jeton.Jeton("GEC-E-2025-00042", ISSUED, "0a0b0c0d0e0f")
	again = jeton.verify(jeton.sign("GEC-E-2025-00042", SECRET, ISSUED), SECRET)
	assert len(again.id) == 2 * jeton.ID_BYTES and again.id != "0a0b0c0d0e0f"


def test_a_token_is_short_and_url_safe_for_a_readable_qr_code():
	token = jeton.sign("GEC-E-2025-00042", SECRET, ISSUED)
	assert len(token) <= 60
	assert set(token) <= set(ALPHABET)


def test_every_single_changed_character_is_refused():
	token = jeton.sign("GEC-S-2025-00007", SECRET, ISSUED)
	for position, original in enumerate(token):
		for replacement in ALPHABET:
			if replacement != original:
				altered = token[:position] + replacement + token[position + 1 :]
				assert refused(altered), (position, replacement)


@pytest.mark.parametrize(
	"alter",
	[
		lambda t: t[:-1],
		lambda t: t + "A",
		lambda t: t + "=",
		lambda t: t + "==",
		lambda t: " " + t,
		lambda t: t[:10] + "\n" + t[10:],
		lambda t: t[:10] + "é" + t[11:],
		lambda t: t.replace("-", "+").replace("_", "/"),
		lambda t: "",
		lambda t: "A" * 5000,
	],
)
def test_other_spellings_of_a_token_are_refused(alter):
	token = jeton.sign("GEC-E-2025-00042-x_y", SECRET, ISSUED)
	altered = alter(token)
	if altered != token:
		assert refused(altered)


def test_a_token_for_another_courrier_cannot_be_made_from_a_genuine_one():
	genuine = base64.urlsafe_b64decode(jeton.sign("GEC-E-2025-00042", SECRET, ISSUED) + "==")
	forged = genuine.replace(b"00042", b"00043")
	assert refused(base64.urlsafe_b64encode(forged).rstrip(b"=").decode())


def test_a_token_signed_with_another_secret_is_refused():
	token = jeton.sign("GEC-E-2025-00042", b"someone else's secret key", ISSUED)
	assert refused(token)


def test_an_unknown_version_is_refused():
	raw = bytearray(base64.urlsafe_b64decode(jeton.sign("GEC-E-2025-00042", SECRET, ISSUED) + "=="))
	raw[0] = 3
	assert refused(base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode())


def test_tokens_of_the_previous_key_still_verify_while_keys_rotate():
	old_token = jeton.sign("GEC-E-2024-00999", OLD_SECRET, ISSUED)
	new_token = jeton.sign("GEC-E-2025-00001", SECRET, ISSUED)
	assert jeton.verify(old_token, [SECRET, OLD_SECRET]).name == "GEC-E-2024-00999"
	assert jeton.verify(new_token, [SECRET, OLD_SECRET]).name == "GEC-E-2025-00001"
	assert refused(old_token, [SECRET])


def test_naive_times_are_read_as_utc_and_seconds_are_kept():
	naive = jeton.sign("GEC-E-2025-00042", SECRET, datetime(2025, 3, 3, 10, 15, 42))
	kinshasa = timezone(timedelta(hours=1))
	aware = jeton.sign("GEC-E-2025-00042", SECRET, datetime(2025, 3, 3, 11, 15, 42, tzinfo=kinshasa))
	epoch = jeton.sign("GEC-E-2025-00042", SECRET, ISSUED.timestamp())
	same_id = {"token_id": bytes(jeton.ID_BYTES)}
	naive = jeton.sign("GEC-E-2025-00042", SECRET, datetime(2025, 3, 3, 10, 15, 42), **same_id)
	aware = jeton.sign(
		"GEC-E-2025-00042", SECRET, datetime(2025, 3, 3, 11, 15, 42, tzinfo=kinshasa), **same_id
	)
	epoch = jeton.sign("GEC-E-2025-00042", SECRET, ISSUED.timestamp(), **same_id)
	assert naive == aware == epoch
	assert jeton.verify(naive, SECRET).issued_at == ISSUED


def test_accented_names_survive():
	token = jeton.sign("ARRIVÉE/2025/7", SECRET, ISSUED)
	assert jeton.verify(token, SECRET).name == "ARRIVÉE/2025/7"


@pytest.mark.parametrize("secret", [b"", b"short", "a text secret of enough length", None])
def test_a_weak_or_missing_secret_is_a_configuration_error(secret):
	with pytest.raises(DomainError) as caught:
		jeton.sign("GEC-E-2025-00042", secret, ISSUED)
	assert caught.value.code == "receipt_secret_invalid"
	with pytest.raises(DomainError) as caught:
		jeton.verify("AAAA", [SECRET, secret])
	assert caught.value.code == "receipt_secret_invalid"


@pytest.mark.parametrize("name", ["", "X" * 141])
def test_a_missing_or_oversized_name_is_not_signed(name):
	with pytest.raises(DomainError) as caught:
		jeton.sign(name, SECRET, ISSUED)
	assert caught.value.code == "receipt_token_name_invalid"


def version_1_token(name: str, issued_at: datetime) -> str:
	"""A token as printed before tokens had ids."""
	body = struct.pack(">BBI", 1, jeton._hint(SECRET), int(issued_at.timestamp())) + name.encode()
	return jeton._encode(body + jeton._tag(SECRET, body))


def test_receipts_printed_before_tokens_had_ids_still_verify():
	token = version_1_token("GEC-E-2024-00017", ISSUED)
	assert jeton.verify(token, SECRET) == jeton.Jeton("GEC-E-2024-00017", ISSUED, None)
	assert refused(token[:-2] + ("AA" if token[-2:] != "AA" else "BA"))


def test_revoking_a_mails_receipts_covers_those_issued_until_then_old_or_new():
	later = ISSUED + timedelta(days=3)
	revocation = jeton.Revocation("GEC-E-2025-00042", up_to=ISSUED + timedelta(days=1))
	before = jeton.verify(jeton.sign("GEC-E-2025-00042", SECRET, ISSUED), SECRET)
	old = jeton.verify(version_1_token("GEC-E-2025-00042", ISSUED), SECRET)
	after = jeton.verify(jeton.sign("GEC-E-2025-00042", SECRET, later), SECRET)
	other = jeton.verify(jeton.sign("GEC-E-2025-00043", SECRET, ISSUED), SECRET)
	assert jeton.revoked(before, [revocation])
	assert jeton.revoked(old, [revocation])
	assert not jeton.revoked(after, [revocation])
	assert not jeton.revoked(other, [revocation])
	assert not jeton.revoked(before, [])


def test_revoking_one_receipt_leaves_the_others_of_the_mail_valid():
	first = jeton.verify(jeton.sign("GEC-E-2025-00042", SECRET, ISSUED), SECRET)
	second = jeton.verify(jeton.sign("GEC-E-2025-00042", SECRET, ISSUED), SECRET)
	old = jeton.verify(version_1_token("GEC-E-2025-00042", ISSUED), SECRET)
	revocation = jeton.Revocation("GEC-E-2025-00042", up_to=ISSUED + timedelta(days=1), id=first.id)
	assert jeton.revoked(first, [revocation])
	assert not jeton.revoked(second, [revocation])
	assert not jeton.revoked(old, [revocation])


def test_a_receipt_printed_in_the_second_of_a_revocation_is_dated_after_it():
	revoked_at = datetime(2025, 3, 3, 10, 15, 42, 900_000)
	revocations = [jeton.Revocation("GEC-E-2025-00042", up_to=revoked_at)]
	issued = jeton.first_issue_after(revocations, datetime(2025, 3, 3, 10, 15, 42, 950_000))
	token = jeton.verify(jeton.sign("GEC-E-2025-00042", SECRET, issued), SECRET)
	assert not jeton.revoked(token, revocations)
	later = datetime(2025, 3, 4)
	assert jeton.first_issue_after(revocations, later) == later.replace(tzinfo=timezone.utc)
	assert jeton.first_issue_after([], ISSUED) == ISSUED

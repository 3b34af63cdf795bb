"""The common interface of legacy sources, and the row conversions they share."""

import base64
import binascii
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timezone
from itertools import islice
from typing import Any, TypeVar

from gec_mines.core.errors import DomainError
from gec_mines.core.legacy import files
from gec_mines.core.legacy.problems import problem
from gec_mines.core.legacy.records import (
	ACTIVITE,
	COMMENT,
	COURRIER,
	DEPARTEMENT,
	DIRECTIONS,
	ENTRANT,
	FORWARD,
	MODIFICATION,
	PARAMETRES,
	ROLE,
	SORTANT,
	STATUT,
	TYPE_SORTANT,
	USER,
	WARNING,
	FileContent,
	LegacyCourrier,
	LegacyFile,
	LegacySettings,
	Problem,
)

DecryptText = Callable[[str], str]
DecryptFile = Callable[[bytes], bytes]
T = TypeVar("T")

TRUE_TEXT = frozenset({"1", "t", "true", "y", "yes", "on", "oui"})
FALSE_TEXT = frozenset({"0", "f", "false", "n", "no", "off", "non", ""})


class LegacySourceError(DomainError):
	"""The source cannot be read at all.

	Codes: source_not_found, source_unsupported, source_unreachable, export_invalid, uploads_dir_required.
	"""


class LegacyFileError(DomainError):
	"""A file cannot be read (codes: file_missing, file_undecryptable)."""


def batched(records: Iterable[T], size: int) -> Iterator[list[T]]:
	"""Lists of at most `size` records, in order (for one commit per batch)."""
	iterator = iter(records)
	while batch := list(islice(iterator, size)):
		yield batch


class RowReader:
	"""Reads one legacy row, converting its values and noting what goes wrong."""

	def __init__(
		self,
		table: str,
		row: Mapping[str, Any],
		decrypt_text: DecryptText | None = None,
		ref: str | None = None,
	):
		self.table = table
		self.row = row
		self.decrypt_text = decrypt_text
		self.problems: list[Problem] = []
		self.ref: int | str | None = ref
		self.id = self.int("id")
		if self.id is not None:
			self.ref = self.id

	def problem(self, code: str, severity: str | None = None, **params) -> None:
		"""Note a problem of this row, named by its id (or by `ref` for id-less export forwards)."""
		self.problems.append(problem(code, self.table, self.ref, severity, **params))

	def text(self, column: str) -> str | None:
		value = self.row.get(column)
		if value is None:
			return None
		if isinstance(value, bytes | memoryview):
			return bytes(value).decode("utf-8", "replace")
		return str(value)

	def stripped(self, column: str) -> str | None:
		value = self.text(column)
		return (value.strip() or None) if value is not None else None

	def int(self, column: str) -> int | None:
		return self._convert(column, to_int)

	def bool(self, column: str, default: bool | None = None) -> bool | None:
		value = self._convert(column, to_bool)
		return default if value is None else value

	def datetime(self, column: str) -> datetime | None:
		return self._convert(column, to_datetime)

	def date(self, column: str) -> date | None:
		return self._convert(column, to_date)

	def _convert(self, column: str, convert: Callable[[Any], Any]):
		value = self.row.get(column)
		try:
			return convert(value)
		except (TypeError, ValueError, OverflowError):
			self.problem("invalid_value", column=column, value=str(value)[:100])
			return None

	def secret(self, column: str, encrypted_column: str, severity: str | None = None) -> str | None:
		"""The plaintext column, or the decrypted ciphertext when the plaintext is empty (§3.5)."""
		plain = self.text(column)
		if plain is not None and plain.strip():
			return plain
		cipher = self.stripped(encrypted_column)
		if not cipher:
			return plain
		value = self.decrypt(column, cipher, severity)
		return plain if value is None else value

	def decrypt(self, column: str, cipher: str, severity: str | None = None) -> str | None:
		if self.decrypt_text is None:
			self.problem("value_undecryptable", severity, column=column, reason="no_key")
			return None
		try:
			return self.decrypt_text(cipher)
		except Exception as error:  # any failure of the injected decryptor is a data problem
			self.problem("value_undecryptable", severity, column=column, reason=type(error).__name__)
			return None


def to_int(value: Any) -> int | None:
	if value is None or value == "":
		return None
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, float) and not value.is_integer():
		raise ValueError(value)
	return int(value)


def to_bool(value: Any) -> bool | None:
	if value is None:
		return None
	if isinstance(value, bool):
		return value
	if isinstance(value, int | float):
		return bool(value)
	text = str(value).strip().lower()
	if text in TRUE_TEXT:
		return True
	if text in FALSE_TEXT:
		return False
	raise ValueError(value)


def to_datetime(value: Any) -> datetime | None:
	"""Naive UTC datetime from a driver value or an ISO text (SQLite stores text)."""
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		parsed = value
	elif isinstance(value, date):
		return datetime(value.year, value.month, value.day)
	else:
		text = str(value).strip()
		if text.endswith("Z"):
			text = text[:-1] + "+00:00"
		parsed = datetime.fromisoformat(text)
	if parsed.tzinfo is not None:
		parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
	return parsed


def to_date(value: Any) -> date | None:
	"""A date; datetimes are cut to their day (the legacy importer put datetimes in this column)."""
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	text = str(value).strip()
	return date.fromisoformat(text) if len(text) == 10 else to_datetime(text).date()


def decode_copyright(value: str | None) -> str | None:
	"""`copyright_crypte` is plain base64 of UTF-8 text."""
	if not value:
		return None
	try:
		return base64.b64decode(value, validate=True).decode("utf-8")
	except (binascii.Error, UnicodeDecodeError):
		return value


def build_courrier(r: RowReader, fichier: LegacyFile | None) -> LegacyCourrier:
	"""A courrier from a legacy row or an export entry (same column names)."""
	numero = (r.text("numero_accuse_reception") or "").strip()
	if not numero:
		r.problem("missing_ar_number")
	type_courrier = (r.text("type_courrier") or "").strip()
	direction = DIRECTIONS.get(type_courrier.upper())
	if direction is None:
		r.problem("unknown_mail_type", value=type_courrier)

	objet = r.secret("objet", "objet_encrypted")
	expediteur = r.secret("expediteur", "expediteur_encrypted", WARNING)
	destinataire = r.secret("destinataire", "destinataire_encrypted", WARNING)
	numero_reference = r.secret("numero_reference", "numero_reference_encrypted", WARNING)
	if not (objet or "").strip():
		r.problem("missing_value", column="objet")
	contact = {ENTRANT: ("expediteur", expediteur), SORTANT: ("destinataire", destinataire)}.get(direction)
	if contact and not (contact[1] or "").strip():
		r.problem("missing_value", column=contact[0])

	return LegacyCourrier(
		id=r.id,
		numero_accuse_reception=numero,
		type_courrier=type_courrier,
		direction=direction,
		type_courrier_sortant_id=r.int("type_courrier_sortant_id"),
		numero_reference=(numero_reference or "").strip() or None,
		objet=objet,
		expediteur=expediteur,
		destinataire=destinataire,
		date_redaction=r.date("date_redaction"),
		date_enregistrement=r.datetime("date_enregistrement"),
		autres_informations=r.text("autres_informations"),
		statut=(r.text("statut") or "").strip() or None,
		date_modification_statut=r.datetime("date_modification_statut"),
		secretaire_general_copie=r.bool("secretaire_general_copie"),
		fichier=fichier,
		fichier_type=r.stripped("fichier_type"),
		is_deleted=bool(r.bool("is_deleted", False)),
		deleted_at=r.datetime("deleted_at"),
		deleted_by_id=r.int("deleted_by_id"),
		utilisateur_id=r.int("utilisateur_id"),
		modifie_par_id=r.int("modifie_par_id"),
		problems=tuple(r.problems),
	)


class LegacySource(ABC):
	"""A legacy deployment, read table by table in ascending id order, one record at a time.

	Iterators take `after_id` to resume after the last imported row. Tables a source does not
	hold yield nothing (`tables` lists those it holds). `decrypt_text(value) -> str` and
	`decrypt_file(blob) -> bytes` are bound to the legacy key by the caller, for instance
	``functools.partial(chiffrement.legacy_decrypt_text, key_b64)``.
	"""

	kind = ""
	tables: frozenset[str] = frozenset()

	def __init__(
		self,
		*,
		decrypt_text: DecryptText | None = None,
		decrypt_file: DecryptFile | None = None,
		role_overrides: dict[str, tuple[str, ...]] | None = None,
	):
		self.decrypt_text = decrypt_text
		self.decrypt_file = decrypt_file
		self.role_overrides = role_overrides or {}
		self.problems: list[Problem] = []  # source-level problems, known once opened

	def records(self, table: str, after_id: int | None = None) -> Iterator:
		"""The records of one legacy table (see `records.TABLES`); settings as a 0/1 list."""
		if table == PARAMETRES:
			settings = self.settings()
			return iter([settings] if settings else [])
		readers = {
			DEPARTEMENT: self.departements,
			ROLE: self.roles,
			USER: self.users,
			STATUT: self.statuts,
			TYPE_SORTANT: self.types_sortants,
			COURRIER: self.courriers,
			FORWARD: self.forwards,
			COMMENT: self.comments,
			MODIFICATION: self.modifications,
			ACTIVITE: self.activities,
		}
		return readers[table](after_id)

	def departements(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def roles(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def users(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def statuts(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def types_sortants(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def settings(self) -> LegacySettings | None:
		return None

	@abstractmethod
	def courriers(self, after_id: int | None = None) -> Iterator[LegacyCourrier]: ...

	def forwards(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def comments(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def modifications(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def activities(self, after_id: int | None = None) -> Iterator:
		return iter(())

	def count(self, table: str) -> int:
		"""Rows of a table (for progress bars); the default reads them."""
		return sum(1 for _record in self.records(table))

	def read_file(self, file: LegacyFile) -> FileContent:
		"""The plaintext of a located file, checked against its stored checksum and size.

		Raises LegacyFileError (file_missing, file_undecryptable). A checksum or size that does
		not match is reported in the result, not raised: the caller decides.
		"""
		if not file.found:
			raise LegacyFileError("file_missing", kind=file.kind, path=file.stored_path)
		try:
			blob = self._read_location(file.location)
		except OSError as error:
			raise LegacyFileError("file_missing", kind=file.kind, path=file.stored_path) from error
		if file.encrypted:
			data, checksum_ok = self._decrypt(file, blob)
		else:
			data = blob
			checksum_ok = files.sha256(data) == file.checksum.lower() if file.checksum else None
		size_ok = len(data) == file.size if file.size is not None else None
		return FileContent(file, data, files.sha256(data), checksum_ok, size_ok)

	def _decrypt(self, file: LegacyFile, blob: bytes) -> tuple[bytes, bool | None]:
		if self.decrypt_file is None:
			raise LegacyFileError(
				"file_undecryptable", kind=file.kind, path=file.stored_path, reason="no_key"
			)
		try:
			return files.decrypt_legacy_file(blob, self.decrypt_file, file.checksum)
		except Exception as error:  # any failure of the injected decryptor is a data problem
			raise LegacyFileError(
				"file_undecryptable", kind=file.kind, path=file.stored_path, reason=type(error).__name__
			) from error

	@abstractmethod
	def _read_location(self, location: str) -> bytes: ...

	def describe(self) -> str:
		return self.kind

	@abstractmethod
	def close(self) -> None:
		"""Release the connection or the archive."""

	def __enter__(self):
		return self

	def __exit__(self, *exc_info) -> None:
		self.close()

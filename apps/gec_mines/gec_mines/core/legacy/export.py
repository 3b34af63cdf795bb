"""Reading a legacy mail export ZIP (`export_courriers_<ts>.zip`, reference §3.1).

The package holds `courriers_data.json` and `attachments/<courrier_id>_<name>` members, in
plaintext (the exporter decrypted fields and files). It has mail and forwards only: no users,
departments, statuses, outgoing type names, comments or history; `utilisateur_id` and
`type_courrier_sortant_id` are ids of the source instance.

Legacy bugs handled:
- the exporter names members after `fichier_nom` while its importer looks for
  `path_basename`: both are tried, then the only unclaimed `attachments/<id>_*` member;
- `fichier_nom` is unsanitised (`C:\\scan.pdf` gives a nested member; NFD names from macOS
  archivers): names are compared with forward slashes and NFC;
- forwards: the documented shape (`from_department_id`, `forward_date`, `comments`,
  `is_read`, `read_date`) that made the legacy exporter crash, and the table's own column
  names, are both read, with their `type: forward` attachments;
- members ending in `.encrypted` are decrypted; others are plaintext whatever their
  `encrypted` flag says (the exporter decrypted them);
- `date_redaction` written as a datetime is cut to its day.
"""

import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import replace

from gec_mines.core.legacy import files
from gec_mines.core.legacy.problems import problem
from gec_mines.core.legacy.records import COURRIER, FORWARD, LegacyCourrier, LegacyFile, LegacyForward
from gec_mines.core.legacy.source import (
	DecryptFile,
	DecryptText,
	LegacySource,
	LegacySourceError,
	RowReader,
	build_courrier,
)

DATA_FILE = "courriers_data.json"
FORMAT_VERSION = "1.0.0"
ATTACHMENTS = "attachments/"


class ExportZipSource(LegacySource):
	"""A legacy mail export package."""

	kind = "export"
	tables = frozenset({COURRIER, FORWARD})

	def __init__(
		self,
		path: str | os.PathLike,
		*,
		decrypt_text: DecryptText | None = None,
		decrypt_file: DecryptFile | None = None,
	):
		super().__init__(decrypt_text=decrypt_text, decrypt_file=decrypt_file)
		self.path = os.fspath(path)
		try:
			self.archive = zipfile.ZipFile(self.path)
		except FileNotFoundError as error:
			raise LegacySourceError("source_not_found", path=self.path) from error
		except zipfile.BadZipFile as error:
			raise LegacySourceError("export_invalid", path=self.path, reason="not a ZIP") from error
		self.members = {
			files.normalise_name(info.filename): info.filename for info in self.archive.infolist()
		}
		try:
			self.root = self._find_root()
			self.data = self._load_data()
		except LegacySourceError:
			self.archive.close()
			raise
		self.entries = sorted(
			(entry for entry in self.data.get("courriers") or () if isinstance(entry, dict)),
			key=lambda entry: _sort_key(entry.get("id")),
		)
		self._main_attachments: dict[str, dict] = {}
		self._forward_attachments: dict[str, list[dict]] = {}
		claimed = set()
		for attachment in self.data.get("attachments") or ():
			if not isinstance(attachment, dict):
				continue
			courrier_id = str(attachment.get("courrier_id"))
			if attachment.get("type", "main") == "forward":
				self._forward_attachments.setdefault(courrier_id, []).append(attachment)
			else:
				self._main_attachments.setdefault(courrier_id, attachment)
			claimed.add(self._locate(attachment)[0])
		self._unclaimed = self._members_by_id(claimed)
		version = self.data.get("version")
		if version != FORMAT_VERSION:
			self.problems.append(problem("export_version_mismatch", "export", None, version=version))
		forwards = sum(len(entry.get("forwards") or ()) for entry in self.entries)
		if forwards:
			self.problems.append(problem("export_contains_forwards", "export", None, count=forwards))

	def describe(self) -> str:
		return f"export {os.path.basename(self.path)} ({self.data.get('export_date')})"

	def _find_root(self) -> str:
		"""The folder holding the JSON: the root, or one folder if the package was re-zipped."""
		candidates = sorted(name for name in self.members if name.rsplit("/", 1)[-1] == DATA_FILE)
		if not candidates:
			raise LegacySourceError("export_invalid", path=self.path, reason=f"no {DATA_FILE}")
		return candidates[0][: -len(DATA_FILE)]

	def _load_data(self) -> dict:
		try:
			data = json.loads(self.archive.read(self.members[self.root + DATA_FILE]).decode("utf-8-sig"))
		except (UnicodeDecodeError, json.JSONDecodeError) as error:
			raise LegacySourceError("export_invalid", path=self.path, reason=str(error)[:200]) from error
		if not isinstance(data, dict):
			raise LegacySourceError("export_invalid", path=self.path, reason="JSON is not an object")
		return data

	def count(self, table: str) -> int:
		if table == COURRIER:
			return len(self.entries)
		if table == FORWARD:
			return sum(len(entry.get("forwards") or ()) for entry in self.entries)
		return 0

	def courriers(self, after_id: int | None = None) -> Iterator[LegacyCourrier]:
		for entry in self.entries:
			r = RowReader(COURRIER, entry, self.decrypt_text)
			if after_id is not None and (r.id is None or r.id <= after_id):
				continue
			yield build_courrier(r, self._main_file(r))

	def forwards(self, after_id: int | None = None) -> Iterator[LegacyForward]:
		"""Forwards in courrier order; `after_id` is a courrier id here (forwards have none)."""
		for entry in self.entries:
			courrier_id = RowReader(COURRIER, entry).id
			if after_id is not None and (courrier_id is None or courrier_id <= after_id):
				continue
			for index, forward in enumerate(entry.get("forwards") or (), start=1):
				if isinstance(forward, dict):
					yield self._forward(courrier_id, index, forward)

	def _forward(self, courrier_id: int | None, index: int, forward: dict) -> LegacyForward:
		values = {
			"id": forward.get("id"),
			"message": _first(forward, "message", "comments"),
			"date_transmission": _first(forward, "date_transmission", "forward_date"),
			"lu": _first(forward, "lu", "is_read"),
			"date_lecture": _first(forward, "date_lecture", "read_date"),
		}
		r = RowReader(FORWARD, {**forward, **values}, self.decrypt_text, ref=f"{courrier_id}-{index}")
		original = r.text("attached_file_original_name")
		fichier = None
		attachment = self._forward_attachment(courrier_id, r.id, original)
		if attachment or r.stripped("attached_file"):
			fichier = self._file(r, "forward", courrier_id, attachment, original or r.text("attached_file"))
			fichier = replace(fichier, owner_id=r.id, size=r.int("attached_file_size"))
		return LegacyForward(
			id=r.id,
			courrier_id=courrier_id,
			forwarded_by_id=r.int("forwarded_by_id"),
			forwarded_to_id=r.int("forwarded_to_id"),
			message=r.text("message"),
			date_transmission=r.datetime("date_transmission"),
			lu=bool(r.bool("lu", False)),
			date_lecture=r.datetime("date_lecture"),
			email_sent=bool(r.bool("email_sent", False)),
			fichier=fichier,
			from_departement_id=r.int("from_department_id"),
			to_departement_id=r.int("to_department_id"),
			index=index,
			problems=tuple(r.problems),
		)

	def _main_file(self, r: RowReader) -> LegacyFile | None:
		attachment = self._main_attachments.get(str(r.id))
		if attachment is None and not r.stripped("fichier_nom"):
			r.problem("no_attachment")
			return None
		fichier = self._file(r, "main", r.id, attachment, r.text("fichier_nom"))
		checksum = (
			r.stripped("fichier_checksum") or (attachment or {}).get("checksum") or ""
		).lower() or None
		return replace(fichier, owner_id=r.id, checksum=checksum)

	def _forward_attachment(self, courrier_id, forward_id, original: str | None) -> dict | None:
		for attachment in self._forward_attachments.get(str(courrier_id), ()):
			if forward_id is not None and _same_id(attachment.get("forward_id"), forward_id):
				return attachment
			if original and attachment.get("filename") == original:
				return attachment
		return None

	def _file(
		self, r: RowReader, kind: str, courrier_id, attachment: dict | None, original: str | None
	) -> LegacyFile:
		location = how = None
		if attachment is not None:
			location, how = self._locate(attachment)
		elif kind == "main":
			location, how = self._by_prefix(courrier_id)
		stored = (attachment or {}).get("path")
		if location is None:
			r.problem("file_missing", kind=kind, path=stored or original)
		return LegacyFile(
			kind=kind,
			owner_id=None,
			name=files.display_name((attachment or {}).get("filename") or original, stored),
			original_name=(attachment or {}).get("filename") or original,
			stored_path=stored,
			location=location,
			resolution=how,
			encrypted=bool(location and location.endswith(files.ENCRYPTED_SUFFIX)),
		)

	def _locate(self, attachment: dict) -> tuple[str | None, str | None]:
		"""`<id>_<filename>` (what the exporter writes), then `<id>_<path_basename>` (what it reads)."""
		courrier_id = attachment.get("courrier_id")
		basename = attachment.get("path_basename") or os.path.basename(
			files.normalise_name(attachment.get("path") or "")
		)
		for name, how in (
			(attachment.get("filename"), files.EXPORT_FILENAME),
			(basename, files.EXPORT_BASENAME),
		):
			if not name:
				continue
			member = self.members.get(files.normalise_name(f"{self.root}{ATTACHMENTS}{courrier_id}_{name}"))
			if member is not None:
				return member, how
		return None, None

	def _members_by_id(self, claimed: set) -> dict[str, list[str]]:
		"""Members `attachments/<id>_*` that no attachment entry accounts for, by courrier id."""
		by_id: dict[str, list[str]] = {}
		folder = self.root + ATTACHMENTS
		for name, member in self.members.items():
			courrier_id, sep, rest = name[len(folder) :].partition("_")
			if (
				name.startswith(folder)
				and sep
				and rest
				and not rest.endswith("/")
				and courrier_id.isdigit()
				and member not in claimed
			):
				by_id.setdefault(courrier_id, []).append(member)
		return by_id

	def _by_prefix(self, courrier_id) -> tuple[str | None, str | None]:
		found = self._unclaimed.get(str(courrier_id), ())
		return (found[0], files.EXPORT_PREFIX) if len(found) == 1 else (None, None)

	def _read_location(self, location: str) -> bytes:
		return self.archive.read(location)

	def close(self) -> None:
		self.archive.close()


def _first(values: dict, *keys: str):
	return next((values[key] for key in keys if values.get(key) is not None), None)


def _same_id(left, right) -> bool:
	return left is not None and right is not None and str(left) == str(right)


def _sort_key(value) -> tuple[int, int | str]:
	try:
		return (0, int(value))
	except (TypeError, ValueError):
		return (1, str(value))

"""Reading a legacy (Flask) GEC deployment into plain records, without Frappe.

Two kinds of source, one interface (`LegacySource`):

- a database URL (``sqlite:///path`` or ``postgresql://...``) plus the legacy `uploads/`
  folder: everything (`DatabaseSource`);
- a mail export ZIP: mail and forwards only (`ExportZipSource`).

Typical use by the import command::

        with open_source(url_or_zip, uploads_dir, decrypt_text=..., decrypt_file=...) as source:
            report = analyse(source)  # dry run
            for batch in batched(source.courriers(after_id=last_done), 200):
                ...

See `records` for the record types, `problems.PROBLEMS` for the problem codes and `roles`
for the role mapping.
"""

import os

from gec_mines.core.legacy.analyse import (
	DEFAULT_STATUTS,
	LegacyCounter,
	Report,
	analyse,
	legacy_counters,
	name_key,
	number_pattern,
)
from gec_mines.core.legacy.database import DatabaseSource
from gec_mines.core.legacy.export import ExportZipSource
from gec_mines.core.legacy.problems import PROBLEMS
from gec_mines.core.legacy.records import (
	DEFAULT_FORMAT,
	TABLES,
	FileContent,
	LegacyActivity,
	LegacyComment,
	LegacyCourrier,
	LegacyDepartement,
	LegacyFile,
	LegacyForward,
	LegacyModification,
	LegacyRole,
	LegacySettings,
	LegacyStatut,
	LegacyTypeSortant,
	LegacyUser,
	Problem,
)
from gec_mines.core.legacy.roles import legacy_visibility, map_legacy_role
from gec_mines.core.legacy.source import (
	DecryptFile,
	DecryptText,
	LegacyFileError,
	LegacySource,
	LegacySourceError,
	batched,
)

DATABASE_SCHEMES = ("sqlite:", "postgresql:", "postgres:", "postgresql+")


def open_source(
	location: str | os.PathLike,
	uploads_dir: str | os.PathLike | None = None,
	*,
	decrypt_text: DecryptText | None = None,
	decrypt_file: DecryptFile | None = None,
	role_overrides: dict[str, tuple[str, ...]] | None = None,
) -> LegacySource:
	"""A database source for a URL (then `uploads_dir` is required), else an export ZIP.

	`role_overrides` (legacy role slug -> GEC roles) applies to database sources: exports have no users.
	"""
	text = os.fspath(location)
	if text.lower().startswith(DATABASE_SCHEMES):
		if uploads_dir is None:
			raise LegacySourceError("uploads_dir_required")
		return DatabaseSource(
			text,
			uploads_dir,
			decrypt_text=decrypt_text,
			decrypt_file=decrypt_file,
			role_overrides=role_overrides,
		)
	return ExportZipSource(text, decrypt_text=decrypt_text, decrypt_file=decrypt_file)


__all__ = [
	"DEFAULT_FORMAT",
	"DEFAULT_STATUTS",
	"PROBLEMS",
	"TABLES",
	"DatabaseSource",
	"DecryptFile",
	"DecryptText",
	"ExportZipSource",
	"FileContent",
	"LegacyActivity",
	"LegacyComment",
	"LegacyCounter",
	"LegacyCourrier",
	"LegacyDepartement",
	"LegacyFile",
	"LegacyFileError",
	"LegacyForward",
	"LegacyModification",
	"LegacyRole",
	"LegacySettings",
	"LegacySource",
	"LegacySourceError",
	"LegacyStatut",
	"LegacyTypeSortant",
	"LegacyUser",
	"Problem",
	"Report",
	"analyse",
	"batched",
	"legacy_counters",
	"legacy_visibility",
	"map_legacy_role",
	"name_key",
	"number_pattern",
	"open_source",
]

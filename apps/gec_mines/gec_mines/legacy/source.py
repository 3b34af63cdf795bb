"""Opening a legacy source and the dry run (`--dry-run`), which writes nothing."""

from functools import partial

from gec_mines import errors
from gec_mines.core import chiffrement, fichiers, images
from gec_mines.core.errors import DomainError
from gec_mines.core.legacy import (
	LegacyFile,
	LegacySource,
	Problem,
	Report,
	analyse,
	open_source,
)
from gec_mines.core.legacy.records import (
	COURRIER,
	FORWARD,
	PARAMETRES,
	WARNING,
)
from gec_mines.fichiers import max_size_mb
from gec_mines.legacy.result import Progress


def open_legacy(
	database_url: str | None = None,
	uploads: str | None = None,
	export: str | None = None,
	legacy_key: str | None = None,
) -> LegacySource:
	"""The source named on the command line, decrypting with the legacy key when there is one."""
	decrypt_text = partial(chiffrement.legacy_decrypt_text, legacy_key) if legacy_key else None
	decrypt_file = partial(chiffrement.legacy_decrypt_file, legacy_key) if legacy_key else None
	return open_source(database_url or export, uploads, decrypt_text=decrypt_text, decrypt_file=decrypt_file)


def preview(source: LegacySource, progress: Progress | None = None) -> Report:
	"""Everything the source holds and every problem found, without writing anything; files are
	also put through this site's upload checks, which the import applies."""
	refused: list[Problem] = []
	read_file = source.read_file

	def read_and_check(legacy: LegacyFile):
		content = read_file(legacy)
		if problem := upload_problem(legacy, content.data):
			refused.append(problem)
		return content

	source.read_file = read_and_check
	try:
		report = analyse(
			source, progress=(lambda table, done: progress(table, done, 0)) if progress else None
		)
	finally:
		del source.read_file
	report.problems.extend(refused)
	return report


def upload_problem(legacy: LegacyFile, data: bytes) -> Problem | None:
	"""Why this site would refuse the file as an upload (as the import will), if it would."""
	table = {"main": COURRIER, "forward": FORWARD}.get(legacy.kind, PARAMETRES)
	try:
		if table == PARAMETRES:
			images.normalise_logo(data, legacy.name)
		else:
			fichiers.check_upload(legacy.name, data, max_mb=max_size_mb())
	except DomainError as error:
		return Problem(
			"attachment_refused", table, legacy.owner_id, WARNING, {"reason": errors.message(error)}
		)
	return None

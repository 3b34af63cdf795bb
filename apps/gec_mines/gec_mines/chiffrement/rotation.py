"""Key rotation: a new key first in the key file, every value and attachment re-encrypted under it
in batches (resumable), and the old keys retired once nothing uses them."""

import os
from collections.abc import Callable

import frappe
from frappe import _

from gec_mines.chiffrement.attachments import (
	_reecrire,
	chemin_fichier,
	chiffrer_fichier,
	empreinte,
	fichier_chiffre,
)
from gec_mines.chiffrement.keys import ecrire_fichier_cles, entrees_fichier, source_cle, trousseau, verrou
from gec_mines.chiffrement.policy import ENCRYPTABLE, INDEXED, PROTECTED_LEVELS, aad, champs_a_chiffrer
from gec_mines.core import chiffrement as crypto
from gec_mines.core.errors import DomainError
from gec_mines.securite.journal import journal

ROTATION_CACHE = "gec-rotation"
BATCH = 500


def etat_rotation() -> dict:
	return frappe.cache.get_value(ROTATION_CACHE) or {}


def nouvelle_cle() -> str:
	"""Put a new key first in the site's key file; the old ones stay (they still decrypt)."""
	source = source_cle()
	if source is None or source.kind != "file":
		frappe.throw(
			_(
				"The keys come from the {0}: add a new key first there yourself (generate one with "
				"`bench --site {1} gec-rotate-key --print-new-key`), then run `gec-rotate-key --resume`."
			).format(source.kind if source else _("nowhere"), frappe.local.site),
			title=_("Encryption key"),
		)
	trousseau()  # the present keys must be valid before anything is written
	entry = crypto.generate_key()
	with verrou(source.path):
		entries = [entry, *entrees_fichier(source.path)]
		ecrire_fichier_cles(source.path, entries, comment="rotated " + frappe.utils.now())
	return entry.split(":", 1)[0]


def lancer_rotation() -> None:
	frappe.enqueue(
		"gec_mines.chiffrement.rotation.executer_rotation",
		queue="long",
		timeout=24 * 3600,
		job_id=f"gec-rotation::{frappe.local.site}",
		deduplicate=True,
	)


def executer_rotation(
	batch: int = BATCH, apres_lot: Callable | None = None, commit: Callable | None = None
) -> dict:
	"""Bring every courrier and attachment under the current key and the GEC Settings policy.

	Batches are committed one by one and the cursor is kept, so that a crash or a stop loses at most one
	batch of work, and running again resumes; every step is idempotent (a value already under the
	current key is left as it is). A value or file that does not open is left untouched, recorded in
	the journal and listed in `failed` (its old key then cannot be retired): nothing is rewritten on a
	guess. A courrier edited between the read of its batch and the write is left as the edit made it
	and taken again at the end (`skipped`), never overwritten with what was read before the edit.
	`apres_lot(state)` is called after each batch (progress, tests)."""
	commit = commit or frappe.db.commit
	ring = trousseau()
	state = etat_rotation()
	if state.get("kid") != ring.current.kid or state.get("status") == "done":
		state = {"kid": ring.current.kid, "status": "running", "cursor": "", "file_cursor": "", "done": 0}
	state.update(status="running", started=state.get("started") or frappe.utils.now(), total=_a_traiter())
	for phase, step in (("cursor", _lot_courriers), ("file_cursor", _lot_fichiers)):
		while True:
			names, changed, failed, skipped = step(ring, state[phase], batch)
			if not names:
				break
			commit()
			state[phase] = names[-1]
			state["done"] += len(names)
			_compter(state, changed, failed, skipped)
			frappe.cache.set_value(ROTATION_CACHE, state)
			if apres_lot:
				apres_lot(state)
	for _attempt in range(REPRISES):
		pending, state["skipped"] = state.get("skipped") or [], []
		if not pending:
			break
		changed, failed, skipped = aligner_lot(ring, lire_courriers(names=pending))
		commit()
		_compter(state, changed, failed, skipped)
		frappe.cache.set_value(ROTATION_CACHE, state)
	state.update(status="done", finished=frappe.utils.now())
	frappe.cache.set_value(ROTATION_CACHE, state)
	journal(
		"Clé de chiffrement",
		details=f"rotation to {ring.current.kid}: {state.get('changed', 0)} changed, "
		f"{len(state.get('failed') or [])} refused, {len(state.get('skipped') or [])} edited meanwhile",
	)
	commit()
	return state


def _compter(state: dict, changed: int, failed: list, skipped: list) -> None:
	state["changed"] = state.get("changed", 0) + changed
	state["failed"] = (state.get("failed") or []) + failed
	state["skipped"] = (state.get("skipped") or []) + skipped


def _a_traiter() -> int:
	courriers = frappe.db.count("Courrier")
	files = frappe.db.count("File", {"attached_to_doctype": "Courrier", "is_folder": 0})
	return courriers + files


# What a courrier's rotation reads, and compares again when it writes.
COLONNES_ROTATION = ("confidentialite", *ENCRYPTABLE, *(f"{f}_index" for f in INDEXED))
# Passes over the courriers edited during their batch's rotation, at the end of a run.
REPRISES = 3


def _lot_courriers(ring, after: str, batch: int) -> tuple[list[str], int, list, list]:
	rows = lire_courriers(after=after, batch=batch)
	return [row.name for row in rows], *aligner_lot(ring, rows)


def lire_courriers(after: str = "", batch: int = BATCH, names: list[str] | None = None) -> list:
	"""The rotation's view of courriers: the next `batch` after `after`, or those named."""
	columns = ", ".join(f"`{c}`" for c in COLONNES_ROTATION)
	if names is not None:
		return frappe.db.sql(
			f"select `name`, {columns} from `tabCourrier` where `name` in %s order by `name`",
			(tuple(names) or ("",),),
			as_dict=True,
		)
	return frappe.db.sql(
		f"select `name`, {columns} from `tabCourrier` where `name` > %s order by `name` limit %s",
		(after, batch),
		as_dict=True,
	)


def aligner_lot(ring, rows: list) -> tuple[int, list, list]:
	"""Write the current key and policy into `rows` (as read earlier). Each write is conditional on
	the row still holding what was read (compared byte for byte): a courrier saved meanwhile keeps
	its new values and is returned in `skipped`, for another pass."""
	policies = {}
	changed, failed, skipped = 0, [], []
	for row in rows:
		level = row.confidentialite or "Normal"
		if level not in policies:
			policies[level] = champs_a_chiffrer(level)
		try:
			values = aligner(ring, row, policies[level])
		except DomainError as error:
			refuse(failed, row.name, error.code, courrier=row.name)
			continue
		if not values:
			continue
		assignments = ", ".join(f"`{c}` = %s" for c in values)
		unchanged = " and ".join(f"binary `{c}` <=> binary %s" for c in COLONNES_ROTATION)
		frappe.db.sql(
			f"update `tabCourrier` set {assignments} where `name` = %s and {unchanged}",
			(*values.values(), row.name, *(row[c] for c in COLONNES_ROTATION)),
		)
		if frappe.db._cursor.rowcount:
			changed += 1
		else:
			skipped.append(row.name)
	return changed, failed, skipped


def refuse(failed: list, name: str, code: str, **where) -> None:
	failed.append(name)
	journal("Intégrité compromise", details=f"key rotation: {code}", **where)


def aligner(ring, row, wanted: frozenset) -> dict:
	"""The columns of one stored courrier that differ from what the current key and the policy want."""
	current = ring.current.kid
	if all(
		crypto.envelope_kid(row[f]) == current and (f not in INDEXED or row[f"{f}_index"])
		if f in wanted and row[f]
		else not crypto.is_encrypted(row[f])
		for f in ENCRYPTABLE
	):
		return {}  # already under the current key, which wrote its indexes in the same update
	values = {}
	for field in ENCRYPTABLE:
		value = row[field]
		plaintext = value
		if crypto.is_encrypted(value):
			plaintext = crypto.decrypt_text(ring, value, aad(row.name, field))
		if field in wanted and plaintext:
			new = (
				value
				if crypto.envelope_kid(value) == current
				else crypto.encrypt_text(ring, plaintext, aad(row.name, field))
			)
		else:
			new = plaintext
		if new != value:
			values[field] = new
		if field in INDEXED:
			index = crypto.blind_index(ring, field, plaintext) if field in wanted and plaintext else ""
			if index != (row[f"{field}_index"] or ""):
				values[f"{field}_index"] = index
	return values


def _lot_fichiers(ring, after: str, batch: int) -> tuple[list[str], int, list, list]:
	files = frappe.db.sql(
		"""select f.`name`, f.`file_url`, f.`file_name`, f.`is_private`, f.`gec_sha256`,
			f.`attached_to_name`, c.`confidentialite`
		from `tabFile` f left join `tabCourrier` c on c.`name` = f.`attached_to_name`
		where f.`attached_to_doctype` = 'Courrier' and f.`is_folder` = 0 and f.`name` > %s
		order by f.`name` limit %s""",
		(after, batch),
		as_dict=True,
	)
	changed, failed = 0, []
	for file in files:
		if not file.is_private or not (file.file_url or "").startswith("/private/files/"):
			continue
		if not os.path.exists(chemin_fichier(file)):
			continue
		try:
			if fichier_chiffre(file):
				changed += _recle_fichier(ring, file)
			elif file.confidentialite in PROTECTED_LEVELS:
				changed += chiffrer_fichier(file)
		except DomainError as error:
			refuse(
				failed,
				file.name,
				error.code,
				courrier=file.attached_to_name,
				document_type="File",
				document_name=file.name,
			)
	return [file.name for file in files], changed, failed, []


def _recle_fichier(ring, file) -> bool:
	"""Rewrite an encrypted attachment under a key of its own derived from the current master key,
	unless it already is (a file of the first envelope version gets its own key too)."""
	path = chemin_fichier(file)
	with open(path, "rb") as fh:
		head = fh.read(crypto.FILE_HEADER_MAX)
	if crypto.file_is_current(ring, head):
		return False

	def transform(source, target):
		target.write(crypto.reencrypt_bytes(ring, ring, source.read(), ("File", empreinte(file))))

	_reecrire(path, transform)
	return True


def cles_encore_utilisees() -> dict[str, int]:
	"""How many values and files each key id still encrypts (a full scan: for retiring old keys)."""
	counts: dict[str, int] = {}
	for field in ENCRYPTABLE:
		for kid, n in frappe.db.sql(
			f"""select substring_index(substring_index(`{field}`, ':', 3), ':', -1), count(*)
			from `tabCourrier` where `{field}` like 'gec:v%%' group by 1"""
		):
			counts[kid] = counts.get(kid, 0) + n
	for file in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Courrier", "is_folder": 0, "is_private": 1},
		fields=["name", "file_url", "is_private"],
	):
		try:
			with open(chemin_fichier(file), "rb") as fh:
				kid = crypto.envelope_kid(fh.read(len(crypto.FILE_MAGIC) + 2 + crypto.KID_MAX_LENGTH))
		except (OSError, frappe.ValidationError):
			frappe.clear_last_message()
			continue
		if kid:
			counts[kid] = counts.get(kid, 0) + 1
	return counts


def retirer_anciennes_cles() -> list[str]:
	"""Drop from the key file the keys nothing is encrypted with any more. They are kept aside in a
	``.retired-<date>`` file next to it, for backups made before the rotation."""
	source = source_cle()
	if source is None or source.kind != "file":
		frappe.throw(
			_("The keys do not come from a key file: remove the old keys from their source yourself.")
		)
	ring = trousseau()
	used = cles_encore_utilisees()
	old = [kid for kid in ring.kids if kid != ring.current.kid]
	still = {kid: used[kid] for kid in old if used.get(kid)}
	if still:
		frappe.throw(
			_(
				"Old keys still encrypt data ({0}): finish the rotation first (gec-rotate-key --resume)."
			).format(", ".join(f"{kid}: {n}" for kid, n in still.items())),
			title=_("Encryption key"),
		)
	with verrou(source.path):
		entries = entrees_fichier(source.path)
		if entries[0].split(":", 1)[0] != ring.current.kid:
			frappe.throw(
				_("The key file changed meanwhile: run the command again."), title=_("Encryption key")
			)
		retired = entries[1:]
		if retired:
			stamp = frappe.utils.now_datetime().strftime("%Y%m%d%H%M%S")
			ecrire_fichier_cles(f"{source.path}.retired-{stamp}", retired, comment="retired keys")
			ecrire_fichier_cles(source.path, entries[:1], comment="old keys retired " + frappe.utils.now())
	return [e.split(":", 1)[0] for e in retired]

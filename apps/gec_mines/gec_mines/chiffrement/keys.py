"""Where this site's keys come from, the key file, and what GEC Settings and the health check show
of them (see the package docstring for the sources, in order)."""

import fcntl
import hashlib
import os
import secrets
from collections.abc import Iterable
from contextlib import contextmanager

import frappe
from frappe import _

from gec_mines import errors
from gec_mines.chiffrement.policy import ENCRYPTABLE
from gec_mines.core import chiffrement as crypto
from gec_mines.core.errors import DomainError

ENV_KEYS = "GEC_ENCRYPTION_KEYS"
ENV_KEY_FILE = "GEC_MASTER_KEY_FILE"
CONF_KEYS = "gec_encryption_keys"
CONF_KEY_FILE = "gec_master_key_file"

_rings: dict[tuple, crypto.Keyring] = {}


class SourceCle(frappe._dict):
	"""Where this site's keys come from: `kind` (environment, configuration, file), `path`, `text`."""


def source_cle() -> SourceCle | None:
	"""The first key source present for this site, or None when there is none at all."""
	if os.environ.get(ENV_KEYS, "").strip():
		return SourceCle(kind="environment", path=None, text=os.environ[ENV_KEYS])
	if os.environ.get(ENV_KEY_FILE, "").strip():
		return SourceCle(kind="file", path=os.environ[ENV_KEY_FILE].replace("{site}", frappe.local.site))
	if (frappe.conf.get(CONF_KEYS) or "").strip():
		return SourceCle(kind="configuration", path=None, text=frappe.conf.get(CONF_KEYS))
	if frappe.conf.get(CONF_KEY_FILE):
		return SourceCle(
			kind="file", path=frappe.conf.get(CONF_KEY_FILE).replace("{site}", frappe.local.site)
		)
	path = chemin_par_defaut()
	if os.path.exists(path):
		return SourceCle(kind="file", path=path)
	return None


def chemin_par_defaut(site: str | None = None) -> str:
	return os.path.join(
		frappe.utils.get_bench_path(), "config", "gec-keys", f"{site or frappe.local.site}.keys"
	)


def trousseau() -> crypto.Keyring:
	"""The site's keyring; a ValidationError that says what to do when it is missing or invalid.
	A site that never had a key (installed before this module, nothing encrypted yet) gets one."""
	source = source_cle()
	if source is None and installer_cle():
		source = source_cle()
	try:
		return _trousseau(source)
	except DomainError as error:
		frappe.throw(errors.message(error), title=_("Encryption key"))


def cle_disponible() -> bool:
	try:
		_trousseau(source_cle())
		return True
	except DomainError:
		return False
	except frappe.ValidationError:
		frappe.clear_last_message()
		return False


def _trousseau(source: SourceCle | None) -> crypto.Keyring:
	if source is None:
		raise DomainError("encryption_key_missing")
	if source.kind != "file":
		cache_key = (frappe.local.site, source.kind, hashlib.sha256(source.text.encode()).hexdigest())
		if cache_key not in _rings:
			_rings[cache_key] = crypto.Keyring.from_source(source.text)
		return _rings[cache_key]
	try:
		status = os.stat(source.path)
	except FileNotFoundError:
		frappe.throw(
			_("The key file {0} does not exist: restore it from your safe copy.").format(source.path),
			title=_("Encryption key"),
		)
	if status.st_mode & 0o077:
		frappe.throw(
			_("The key file {0} can be read by other users: run chmod 600 {0}.").format(source.path),
			title=_("Encryption key"),
		)
	cache_key = (frappe.local.site, source.path, status.st_mtime_ns, status.st_size, status.st_ino)
	if cache_key not in _rings:
		with open(source.path, encoding="ascii", errors="replace") as fh:
			_rings[cache_key] = crypto.Keyring.from_source(fh.read())
	return _rings[cache_key]


def ecrire_fichier_cles(path: str, entries: Iterable[str], comment: str = "", create: bool = False) -> None:
	"""Write a key file atomically, readable by its owner only (the folder too). With `create`, an
	existing file wins (two processes creating the first key must end up with the same one)."""
	folder = os.path.dirname(path)
	os.makedirs(folder, mode=0o700, exist_ok=True)
	header = [
		"# GEC Mines encryption keys of " + frappe.local.site,
		"# The first key encrypts; every key listed decrypts. Without this file, encrypted fields and",
		"# attachments cannot be read: keep a copy in a safe place, apart from the backups.",
	]
	if comment:
		header.append("# " + comment)
	text = "\n".join([*header, *entries]) + "\n"
	temporary = f"{path}.tmp-{secrets.token_hex(4)}"
	fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
	try:
		with os.fdopen(fd, "w", encoding="ascii") as fh:
			fh.write(text)
			fh.flush()
			os.fsync(fh.fileno())
		if create:
			os.link(temporary, path)  # fails if the file appeared meanwhile
		else:
			os.replace(temporary, path)
	except FileExistsError:
		pass
	finally:
		if os.path.exists(temporary):
			os.remove(temporary)
	directory = os.open(folder, os.O_RDONLY)
	try:
		os.fsync(directory)
	finally:
		os.close(directory)


@contextmanager
def verrou(path: str):
	"""Serialise the read-modify-write of a key file: two rotations at once must not drop a key."""
	with open(f"{path}.lock", "a") as lock:
		fcntl.flock(lock, fcntl.LOCK_EX)
		try:
			yield
		finally:
			fcntl.flock(lock, fcntl.LOCK_UN)


def entrees_fichier(path: str) -> list[str]:
	"""The ``kid:key`` entries of a key file, in order, comments dropped."""
	with open(path, encoding="ascii") as fh:
		return [line.split("#", 1)[0].strip() for line in fh if line.split("#", 1)[0].strip()]


def installer_cle() -> str | None:
	"""At installation: create the default key file when the site has no key source and no encrypted
	data yet (encrypted data without its key must be reported, never covered by a new key)."""
	if source_cle() is not None:
		return None
	if donnees_chiffrees_presentes():
		frappe.log_error(
			title="GEC Mines: encryption key missing",
			message=_("Encrypted mail exists but no key is installed: restore the key file."),
		)
		return None
	path = chemin_par_defaut()
	ecrire_fichier_cles(path, [crypto.generate_key()], comment="created " + frappe.utils.now(), create=True)
	return path


def donnees_chiffrees_presentes() -> bool:
	if not frappe.db.table_exists("Courrier"):
		return False
	condition = " or ".join(f"`{field}` like 'gec:v%%'" for field in ENCRYPTABLE)
	return bool(frappe.db.sql(f"select 1 from `tabCourrier` where {condition} limit 1"))


def etat_cle() -> dict:
	"""What the health check and GEC Settings show about the key: never the key itself."""
	source = source_cle()
	state = {"present": False, "source": source.kind if source else None}
	if source and source.kind == "file":
		state["path"] = source.path
	try:
		ring = _trousseau(source)
	except (DomainError, frappe.ValidationError) as error:
		frappe.clear_last_message()
		state["error"] = errors.message(error) if isinstance(error, DomainError) else str(error)
		return state
	state.update(present=True, current=ring.current.kid, keys=len(ring), fingerprint=ring.current.fingerprint)
	if CONF_KEYS in _site_config_file():
		state["warning"] = _("The keys are in site_config.json, which every backup copies.")
	return state


def _site_config_file() -> dict:
	try:
		return frappe.get_file_json(os.path.join(frappe.get_site_path(), "site_config.json"))
	except Exception:
		return {}


def description_cle() -> str:
	"""One line for GEC Settings: the current key id, its public fingerprint and where it comes from."""
	state = etat_cle()
	if not state["present"]:
		return state.get("error") or _("No encryption key is installed.")
	kinds = {
		"environment": _("environment variable"),
		"configuration": _("site configuration"),
		"file": _("key file"),
	}
	return _("{0} (fingerprint {1}), from the {2}; {3} key(s) in all").format(
		state["current"], state["fingerprint"], kinds[state["source"]], state["keys"]
	)

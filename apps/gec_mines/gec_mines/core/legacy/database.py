"""Reading a legacy deployment from its database (SQLite or PostgreSQL) and uploads folder.

Only columns the database really has are selected (older deployments lack some; missing
ones read as NULL), rows come in id order by keyset pages (``WHERE id > ? ORDER BY id LIMIT
?``), values are always bound parameters and identifiers come from the schema below. The
connection is read-only.
"""

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gec_mines.core.legacy import files, roles
from gec_mines.core.legacy.problems import problem
from gec_mines.core.legacy.records import (
	ACTIVITE,
	COMMENT,
	COMMENT_TYPES,
	COURRIER,
	DEFAULT_FORMAT,
	DEPARTEMENT,
	ERROR,
	FORWARD,
	MODIFICATION,
	PARAMETRES,
	ROLE,
	STATUT,
	TABLES,
	TYPE_SORTANT,
	USER,
	WARNING,
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
)
from gec_mines.core.legacy.source import (
	DecryptFile,
	DecryptText,
	LegacySource,
	LegacySourceError,
	RowReader,
	build_courrier,
	decode_copyright,
)
from gec_mines.core.mots_de_passe import is_supported_hash

ROLE_PERMISSION = "role_permission"

# The columns read from each table (reference §2).
SCHEMA: dict[str, tuple[str, ...]] = {
	table: tuple(columns.split())
	for table, columns in {
		DEPARTEMENT: "id nom description code chef_departement_id actif date_creation",
		ROLE: "id nom nom_affichage description actif",
		ROLE_PERMISSION: "id role_id permission_nom",
		USER: """id username email nom_complet password_hash date_creation actif role langue photo_profile
			departement_id matricule fonction email_encrypted nom_complet_encrypted matricule_encrypted
			fonction_encrypted password_hash_encrypted""",
		STATUT: "id nom description couleur actif ordre date_creation",
		TYPE_SORTANT: "id nom description actif ordre_affichage date_creation cree_par_id",
		PARAMETRES: """id nom_logiciel logo_url mode_numero_accuse format_numero_accuse adresse_organisme
			telephone email_contact texte_footer copyright_crypte logo_pdf titre_pdf sous_titre_pdf pays_pdf
			copyright_text smtp_server smtp_port smtp_use_tls smtp_username smtp_password
			appellation_departement titre_responsable_structure email_provider sendgrid_api_key
			notify_superadmin_new_mail date_modification modifie_par_id""",
		COURRIER: """id numero_accuse_reception numero_reference objet type_courrier type_courrier_sortant_id
			expediteur destinataire date_redaction date_enregistrement autres_informations fichier_nom
			fichier_chemin fichier_type statut date_modification_statut secretaire_general_copie
			objet_encrypted expediteur_encrypted destinataire_encrypted numero_reference_encrypted
			fichier_checksum fichier_encrypted is_deleted deleted_at deleted_by_id utilisateur_id
			modifie_par_id""",
		FORWARD: """id courrier_id forwarded_by_id forwarded_to_id message attached_file
			attached_file_original_name attached_file_size date_transmission lu date_lecture email_sent""",
		COMMENT: "id courrier_id user_id commentaire type_comment date_creation date_modification modifie_par_id actif",
		MODIFICATION: """id courrier_id utilisateur_id champ_modifie ancienne_valeur nouvelle_valeur
			date_modification ip_address""",
		ACTIVITE: "id action description date_action ip_address utilisateur_id courrier_id",
	}.items()
}


def quote(identifier: str) -> str:
	return '"' + identifier.replace('"', '""') + '"'


class Database:
	"""A read-only DB-API connection with the few queries the reader needs."""

	def __init__(self, connection, placeholder: str, dialect: str):
		self.connection = connection
		self.placeholder = placeholder
		self.dialect = dialect

	@classmethod
	def open(cls, url: str) -> "Database":
		scheme = url.split(":", 1)[0].lower()
		if scheme == "sqlite":
			path = sqlite_path(url)
			if not os.path.isfile(path):
				raise LegacySourceError("source_not_found", path=path)
			connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
			return cls(connection, "?", "sqlite")
		if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
			import psycopg2  # only deployments on PostgreSQL need it; the Frappe env has it

			connection = psycopg2.connect("postgresql:" + url.split(":", 1)[1])
			connection.set_session(readonly=True)
			return cls(connection, "%s", "postgresql")
		raise LegacySourceError("source_unsupported", source=scheme)

	def query(self, sql: str, params: tuple = ()) -> list[tuple]:
		cursor = self.connection.cursor()
		try:
			cursor.execute(sql.replace("?", self.placeholder), params)
			return cursor.fetchall()
		finally:
			cursor.close()

	def columns(self, table: str) -> set[str]:
		if self.dialect == "sqlite":
			rows = self.query("SELECT name FROM pragma_table_info(?)", (table,))
		else:
			rows = self.query(
				"SELECT column_name FROM information_schema.columns"
				" WHERE table_schema = current_schema() AND table_name = ?",
				(table,),
			)
		return {row[0] for row in rows}

	def rows(self, table: str, columns: tuple[str, ...], after_id: int | None, page: int) -> Iterator[dict]:
		selected = ", ".join(quote(column) for column in columns)
		base = f"SELECT {selected} FROM {quote(table)}"  # identifiers from SCHEMA only
		last = after_id
		while True:
			if last is None:
				batch = self.query(f"{base} ORDER BY {quote('id')} LIMIT ?", (page,))
			else:
				batch = self.query(
					f"{base} WHERE {quote('id')} > ? ORDER BY {quote('id')} LIMIT ?", (last, page)
				)
			for row in batch:
				yield dict(zip(columns, row, strict=True))
			if len(batch) < page:
				return
			last = batch[-1][0]

	def count(self, table: str) -> int:
		return self.query(f"SELECT COUNT(*) FROM {quote(table)}")[0][0]

	def close(self) -> None:
		self.connection.close()


def hash_label(password_hash: str | None) -> str:
	"""The scheme name of a hash, for reports; never any part of what may be a plaintext password."""
	if not password_hash:
		return "empty"
	head = password_hash.split("$", 1)[0].split(":", 1)[0]
	return head if "$" in password_hash and head.isalnum() and len(head) <= 12 else "unknown"


def sqlite_path(url: str) -> str:
	"""`sqlite:///relative.db` or `sqlite:////absolute.db` (SQLAlchemy's convention)."""
	parts = urlsplit(url)
	path = unquote(parts.path)
	return path[1:] if path.startswith("/") else path


class DatabaseSource(LegacySource):
	"""A legacy database URL plus the legacy `uploads/` folder."""

	kind = "database"

	def __init__(
		self,
		url: str,
		uploads_dir: str | os.PathLike,
		*,
		decrypt_text: DecryptText | None = None,
		decrypt_file: DecryptFile | None = None,
		role_overrides: dict[str, tuple[str, ...]] | None = None,
		page_size: int = 500,
		database: Database | None = None,
	):
		super().__init__(decrypt_text=decrypt_text, decrypt_file=decrypt_file, role_overrides=role_overrides)
		self.url = url
		self.uploads_dir = os.fspath(uploads_dir)
		self.page_size = page_size
		self._columns: dict[str, tuple[str, ...]] = {}
		try:
			self.db = database or Database.open(url)
			present = {table: self.db.columns(table) for table in SCHEMA}
		except LegacySourceError:
			raise
		except Exception as error:  # driver errors: refused connection, not a database...
			# the driver's first line only: it never holds the URL's password
			reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
			raise LegacySourceError("source_unreachable", reason=reason[:200]) from error
		for table, expected in SCHEMA.items():
			if "id" in present[table]:
				self._columns[table] = tuple(column for column in expected if column in present[table])
			elif table in TABLES:
				self.problems.append(problem("table_missing", table, None))
		self.tables = frozenset(table for table in TABLES if table in self._columns)
		self._role_permissions: dict[str, tuple[str, ...]] | None = None
		self._heads: set[int] | None = None

	def describe(self) -> str:
		return f"{self.db.dialect} database + {self.uploads_dir}"

	def _rows(self, table: str, after_id: int | None = None) -> Iterator[RowReader]:
		if table not in self._columns:
			return
		for row in self.db.rows(table, self._columns[table], after_id, self.page_size):
			yield RowReader(table, row, self.decrypt_text)

	def count(self, table: str) -> int:
		if table == PARAMETRES:
			return 1 if self.settings() else 0
		return self.db.count(table) if table in self._columns else 0

	def departements(self, after_id: int | None = None) -> Iterator[LegacyDepartement]:
		for r in self._rows(DEPARTEMENT, after_id):
			yield LegacyDepartement(
				id=r.id,
				nom=(r.text("nom") or "").strip(),
				code=(r.text("code") or "").strip().upper(),
				description=r.text("description"),
				chef_id=r.int("chef_departement_id"),
				actif=bool(r.bool("actif", True)),
				date_creation=r.datetime("date_creation"),
				problems=tuple(r.problems),
			)

	def role_permissions(self) -> dict[str, tuple[str, ...]]:
		"""Permission strings per legacy role slug (inactive role rows included, as in legacy)."""
		if self._role_permissions is None:
			by_id: dict[int, list[str]] = {}
			for r in self._rows(ROLE_PERMISSION):
				name = r.stripped("permission_nom")
				if name and r.int("role_id") is not None:
					by_id.setdefault(r.int("role_id"), []).append(name)
			self._role_permissions = {
				(r.text("nom") or "").strip(): tuple(dict.fromkeys(by_id.get(r.id, ())))
				for r in self._rows(ROLE)
			}
		return self._role_permissions

	def roles(self, after_id: int | None = None) -> Iterator[LegacyRole]:
		permissions = self.role_permissions()
		for r in self._rows(ROLE, after_id):
			nom = (r.text("nom") or "").strip()
			granted = permissions.get(nom, ())
			yield LegacyRole(
				id=r.id,
				nom=nom,
				nom_affichage=r.text("nom_affichage"),
				description=r.text("description"),
				actif=bool(r.bool("actif", True)),
				permissions=granted,
				gec_roles=roles.map_legacy_role(nom, granted, self.role_overrides),
				visibility=roles.legacy_visibility(nom, granted),
				problems=tuple(r.problems),
			)

	def department_heads(self) -> set[int]:
		if self._heads is None:
			self._heads = {d.chef_id for d in self.departements() if d.actif and d.chef_id is not None}
		return self._heads

	def users(self, after_id: int | None = None) -> Iterator[LegacyUser]:
		permissions = self.role_permissions()
		heads = self.department_heads()
		for r in self._rows(USER, after_id):
			role = (r.text("role") or "user").strip()
			granted = permissions.get(role)
			if granted is None and role not in roles.BUILTIN_VISIBILITY:
				r.problem("unknown_role", role=role)
			password_hash = r.secret("password_hash", "password_hash_encrypted", WARNING)
			supported = is_supported_hash(password_hash)
			if not supported:
				r.problem("unsupported_password_hash", scheme=hash_label(password_hash))
			yield LegacyUser(
				id=r.id,
				username=(r.text("username") or "").strip(),
				email=(r.secret("email", "email_encrypted", ERROR) or "").strip() or None,
				nom_complet=r.secret("nom_complet", "nom_complet_encrypted", WARNING),
				password_hash=password_hash,
				role=role,
				gec_roles=roles.with_head_role(
					roles.map_legacy_role(role, granted, self.role_overrides), r.id in heads
				),
				visibility=roles.legacy_visibility(role, granted),
				langue=((r.text("langue") or "fr").strip().lower() or "fr")[:5],
				actif=bool(r.bool("actif", True)),
				departement_id=r.int("departement_id"),
				matricule=r.secret("matricule", "matricule_encrypted", WARNING),
				fonction=r.secret("fonction", "fonction_encrypted", WARNING),
				photo_profile=r.stripped("photo_profile"),
				date_creation=r.datetime("date_creation"),
				password_supported=supported,
				problems=tuple(r.problems),
			)

	def statuts(self, after_id: int | None = None) -> Iterator[LegacyStatut]:
		for r in self._rows(STATUT, after_id):
			yield LegacyStatut(
				id=r.id,
				nom=(r.text("nom") or "").strip(),
				description=r.text("description"),
				couleur=r.text("couleur"),
				actif=bool(r.bool("actif", True)),
				ordre=r.int("ordre"),
				date_creation=r.datetime("date_creation"),
				problems=tuple(r.problems),
			)

	def types_sortants(self, after_id: int | None = None) -> Iterator[LegacyTypeSortant]:
		for r in self._rows(TYPE_SORTANT, after_id):
			yield LegacyTypeSortant(
				id=r.id,
				nom=(r.text("nom") or "").strip(),
				description=r.text("description"),
				actif=bool(r.bool("actif", True)),
				ordre_affichage=r.int("ordre_affichage"),
				date_creation=r.datetime("date_creation"),
				cree_par_id=r.int("cree_par_id"),
				problems=tuple(r.problems),
			)

	def settings(self) -> LegacySettings | None:
		"""The first `parametres_systeme` row (the legacy app may have created two)."""
		for r in self._rows(PARAMETRES):
			smtp_password = r.stripped("smtp_password")
			if smtp_password:
				smtp_password = r.decrypt("smtp_password", smtp_password, WARNING)
			values = {column: r.text(column) for column in SETTINGS_TEXT}
			return LegacySettings(
				id=r.id,
				**values,
				logo=self._upload(r, "logo_url", "logo"),
				logo_pdf=self._upload(r, "logo_pdf", "logo_pdf"),
				mode_numero_accuse=(r.stripped("mode_numero_accuse") or "automatique").lower(),
				format_numero_accuse=r.stripped("format_numero_accuse") or DEFAULT_FORMAT,
				copyright=decode_copyright(r.stripped("copyright_crypte")),
				smtp_port=r.int("smtp_port"),
				smtp_use_tls=r.bool("smtp_use_tls"),
				smtp_password=smtp_password,
				notify_superadmin_new_mail=r.bool("notify_superadmin_new_mail"),
				date_modification=r.datetime("date_modification"),
				modifie_par_id=r.int("modifie_par_id"),
				problems=tuple(r.problems),
			)
		return None

	def courriers(self, after_id: int | None = None) -> Iterator[LegacyCourrier]:
		for r in self._rows(COURRIER, after_id):
			yield build_courrier(r, self._main_file(r))

	def forwards(self, after_id: int | None = None) -> Iterator[LegacyForward]:
		for r in self._rows(FORWARD, after_id):
			fichier = None
			if r.stripped("attached_file"):
				fichier = self._upload(r, "attached_file", "forward", r.text("attached_file_original_name"))
				fichier = replace(fichier, owner_id=r.id, size=r.int("attached_file_size"))
			yield LegacyForward(
				id=r.id,
				courrier_id=r.int("courrier_id"),
				forwarded_by_id=r.int("forwarded_by_id"),
				forwarded_to_id=r.int("forwarded_to_id"),
				message=r.text("message"),
				date_transmission=r.datetime("date_transmission"),
				lu=bool(r.bool("lu", False)),
				date_lecture=r.datetime("date_lecture"),
				email_sent=bool(r.bool("email_sent", False)),
				fichier=fichier,
				problems=tuple(r.problems),
			)

	def comments(self, after_id: int | None = None) -> Iterator[LegacyComment]:
		for r in self._rows(COMMENT, after_id):
			type_comment = (r.text("type_comment") or "comment").strip().lower()
			if type_comment not in COMMENT_TYPES:
				r.problem("unknown_comment_type", value=type_comment)
				type_comment = "comment"
			yield LegacyComment(
				id=r.id,
				courrier_id=r.int("courrier_id"),
				user_id=r.int("user_id"),
				commentaire=r.text("commentaire") or "",
				type_comment=type_comment,
				date_creation=r.datetime("date_creation"),
				date_modification=r.datetime("date_modification"),
				modifie_par_id=r.int("modifie_par_id"),
				actif=bool(r.bool("actif", True)),
				problems=tuple(r.problems),
			)

	def modifications(self, after_id: int | None = None) -> Iterator[LegacyModification]:
		for r in self._rows(MODIFICATION, after_id):
			yield LegacyModification(
				id=r.id,
				courrier_id=r.int("courrier_id"),
				utilisateur_id=r.int("utilisateur_id"),
				champ_modifie=r.text("champ_modifie") or "",
				ancienne_valeur=r.text("ancienne_valeur"),
				nouvelle_valeur=r.text("nouvelle_valeur"),
				date_modification=r.datetime("date_modification"),
				ip_address=r.stripped("ip_address"),
				problems=tuple(r.problems),
			)

	def activities(self, after_id: int | None = None) -> Iterator[LegacyActivity]:
		for r in self._rows(ACTIVITE, after_id):
			yield LegacyActivity(
				id=r.id,
				action=(r.text("action") or "").strip(),
				description=r.text("description"),
				date_action=r.datetime("date_action"),
				ip_address=r.stripped("ip_address"),
				utilisateur_id=r.int("utilisateur_id"),
				courrier_id=r.int("courrier_id"),
				problems=tuple(r.problems),
			)

	def _main_file(self, r: RowReader) -> LegacyFile | None:
		if not r.stripped("fichier_chemin") and not r.stripped("fichier_nom"):
			r.problem("no_attachment")
			return None
		fichier = self._upload(r, "fichier_chemin", "main", r.text("fichier_nom"))
		checksum = (r.stripped("fichier_checksum") or "").lower() or None
		if not fichier.found and r.bool("fichier_encrypted"):
			fichier = replace(fichier, encrypted=True)
		return replace(fichier, owner_id=r.id, checksum=checksum)

	def _upload(
		self, r: RowReader, column: str, kind: str, original_name: str | None = None
	) -> LegacyFile | None:
		"""Locate the file a column names in the uploads folder; note it when it is missing."""
		stored = r.stripped(column)
		if not stored and kind in ("logo", "logo_pdf"):
			return None
		location = how = None
		if stored:
			location, how, unsafe = files.resolve_upload(self.uploads_dir, stored, kind)
			if unsafe and location is None:
				r.problem("file_path_unsafe", kind=kind, path=stored)
		if location is None:
			r.problem("file_missing", kind=kind, path=stored)
		return LegacyFile(
			kind=kind,
			owner_id=None,
			name=files.display_name(original_name, stored),
			original_name=original_name,
			stored_path=stored,
			location=location,
			resolution=how,
			encrypted=bool(location and location.endswith(files.ENCRYPTED_SUFFIX)),
		)

	def _read_location(self, location: str) -> bytes:
		with open(location, "rb") as handle:
			return handle.read()

	def close(self) -> None:
		self.db.close()


SETTINGS_TEXT = tuple(
	"""nom_logiciel adresse_organisme telephone email_contact texte_footer titre_pdf sous_titre_pdf pays_pdf
	copyright_text appellation_departement titre_responsable_structure email_provider smtp_server
	smtp_username sendgrid_api_key""".split()
)

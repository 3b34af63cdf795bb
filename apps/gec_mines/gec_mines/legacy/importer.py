"""The import itself: every legacy row through the registry's own documents, in batches, each row
in a savepoint recorded in `Import Legacy GEC` (see the package docstring)."""

import re
import time
from collections.abc import Iterable
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import (
	now_datetime,
	strip_html,
	validate_email_address,
	validate_phone_number,
)

from gec_mines import errors
from gec_mines.core import numbering
from gec_mines.core.errors import DomainError
from gec_mines.core.legacy import (
	DEFAULT_FORMAT,
	LegacyActivity,
	LegacyComment,
	LegacyCourrier,
	LegacyDepartement,
	LegacyFile,
	LegacyForward,
	LegacyModification,
	LegacySettings,
	LegacySource,
	LegacyStatut,
	LegacyTypeSortant,
	LegacyUser,
	batched,
	legacy_counters,
	name_key,
)
from gec_mines.core.legacy.records import (
	ACTIVITE,
	COMMENT,
	COURRIER,
	DEPARTEMENT,
	ERROR,
	FORWARD,
	MODIFICATION,
	PARAMETRES,
	ROLE,
	STATUT,
	TYPE_SORTANT,
	USER,
)
from gec_mines.core.referentiels import DEFAULT_STATUT
from gec_mines.gec_mines.doctype.courrier.courrier import Courrier
from gec_mines.legacy.messages import describe
from gec_mines.legacy.result import ImportResult, Note, Progress, Transaction
from gec_mines.legacy.values import ascii_text, colour, local, numbering_format, status_code, workflow_state
from gec_mines.securite import signin

BATCH_SIZE = 200
BOOKKEEPING = "Import Legacy GEC"
JOURNAL = "Journal Legacy GEC"
ROW_SAVEPOINT = "gec_import_row"
FILE_SAVEPOINT = "gec_import_file"
FALLBACK_USER = "Administrator"
DEFAULT_TYPE = "Autre"
COMMENT_TYPES = {"comment": "Commentaire", "annotation": "Annotation", "instruction": "Instruction"}
SETTINGS_TEXT = (
	"nom_logiciel",
	"appellation_departement",
	"titre_responsable_structure",
	"pays_pdf",
	"titre_pdf",
	"sous_titre_pdf",
	"texte_footer",
	"adresse_organisme",
)


def run_import(
	source: LegacySource,
	transaction: Transaction | None = None,
	progress: Progress | None = None,
	batch_size: int = BATCH_SIZE,
) -> ImportResult:
	return Importer(source, transaction or Transaction(), progress, batch_size).run()


class CourrierRepris(Courrier):
	"""A legacy courrier entering the registry: the registry's own document and rules, minus what
	only concerns a letter registered today."""

	def before_insert(self):
		"""The legacy registration date and department are kept."""

	def validate_workflow(self):
		"""The state follows the legacy status (`Importer.workflow_state`)."""

	def after_insert(self):
		"""History: nobody is notified of a letter registered long ago."""

	def set_status(self):
		"""A status deactivated since still describes old mail."""
		if not self.statut:
			super().set_status()

	def validate_type_document(self):
		"""The type is a legacy outgoing type (direction Sortant), possibly deactivated since."""

	def validate_main_attachment(self):
		"""Some legacy mail lost its file: it comes without one, reported, rather than not at all
		(the form asks for a file at its next save)."""
		if self.fichier:
			super().validate_main_attachment()


class Importer:
	def __init__(
		self, source: LegacySource, transaction: Transaction, progress: Progress | None, batch_size: int
	):
		self.source = source
		self.transaction = transaction
		self.progress = progress
		self.batch_size = batch_size
		self.prefix = "" if source.kind == "database" else f"{source.kind}:"
		self.result = ImportResult(source.describe())
		self.description = source.describe()[:140]
		self.warnings: list[str] = []  # of the row being imported
		self.files: list = []  # File documents written for the row being imported
		self.departements: dict[int, str] = {}
		self.heads: dict[str, int] = {}  # Departement -> legacy head's user id
		self.users: dict[int, str] = {}
		self.user_departement: dict[int, str | None] = {}
		self.statuts: dict[str, str] = {}  # legacy status (upper case) -> Statut Courrier
		self.types: dict[int, str] = {}
		self.courriers: dict[int, str] = {}  # legacy id -> Courrier
		self.numbers: dict[int, str] = {}  # legacy id -> legacy number, imported or not
		self.legacy_format = DEFAULT_FORMAT

	def run(self) -> ImportResult:
		started = time.monotonic()
		try:
			self.table(DEPARTEMENT, self.source.departements(), self.import_departement, self.on_departement)
			if ROLE in self.source.tables:  # no record of their own: see `core.legacy.roles`
				self.result.read[ROLE] = sum(1 for _role in self.source.roles())
			self.table(USER, self.source.users(), self.import_user, self.on_user)
			self.set_department_heads()
			self.allow_username_sign_in()
			self.table(STATUT, self.source.statuts(), self.import_statut, self.on_statut)
			self.table(TYPE_SORTANT, self.source.types_sortants(), self.import_type, self.on_type)
			settings = self.source.settings()
			if settings:
				self.legacy_format = settings.format_numero_accuse
				self.table(PARAMETRES, [settings], self.import_settings)
			self.table(COURRIER, self.source.courriers(), self.import_courrier, self.on_courrier)
			self.raise_counters()
			self.table(FORWARD, self.source.forwards(), self.import_forward)
			self.table(COMMENT, self.source.comments(), self.import_comment)
			self.table(MODIFICATION, self.source.modifications(), self.import_modification)
			self.table(ACTIVITE, self.source.activities(), self.import_activity)
		except BaseException:
			self.transaction.rollback()  # the batch under way; earlier batches are committed
			raise
		self.result.seconds = time.monotonic() - started
		return self.result

	# --- the loop: batches, savepoints, bookkeeping ---------------------------------------------

	def table(self, table: str, records: Iterable, import_row, remember=None):
		"""Import the records of one legacy table; `remember(record, name)` learns where a row went,
		whether it is imported now or was before."""
		if table not in self.source.tables:
			return
		label = self.prefix + table
		total = self.source.count(table) if table != PARAMETRES else 1
		self.result.read[label] += 0  # listed, even when empty
		for batch in batched(records, self.batch_size):
			keys = [self.key(table, record) for record in batch]
			done = self.recorded(label, keys)
			for record, key in zip(batch, keys, strict=True):
				self.result.read[label] += 1
				if table == COURRIER:
					self.numbers[record.id] = record.numero_accuse_reception.strip()
				if key in done:
					self.result.already[label] += 1
					name = done[key]
				else:
					name = self.import_one(label, key, record, import_row)
				if remember and name:
					remember(record, name)
			self.transaction.commit()
			if self.progress:
				self.progress(label, self.result.read[label], total)

	def key(self, table: str, record) -> str:
		"""The row's identity in its source. An export's ids are those of the instance that made it:
		with the number, they tell the same mail in two packages from mail of another instance."""
		if self.prefix and table == COURRIER:
			return f"{record.id}:{record.numero_accuse_reception.strip()}"
		if self.prefix and table == FORWARD:
			return f"{record.courrier_id}:{self.numbers.get(record.courrier_id, '')}#{record.index}"
		return record.key

	def recorded(self, label: str, keys: list[str]) -> dict[str, str | None]:
		rows = frappe.get_all(
			BOOKKEEPING,
			filters={"name": ["in", [f"{label}:{key}" for key in keys]]},
			fields=["cle_legacy", "nom_cible"],
		)
		return {row.cle_legacy: row.nom_cible for row in rows}

	def import_one(self, label: str, key: str, record, import_row) -> str | None:
		self.warnings = [describe(p.code, p.params) for p in record.problems if p.severity != ERROR]
		self.files = []
		frappe.db.savepoint(ROW_SAVEPOINT)
		try:
			errors = [p for p in record.problems if p.severity == ERROR]
			if errors:
				raise DomainError(errors[0].code, **errors[0].params)
			target = import_row(record)
			self.record(label, key, target)
		except Exception as error:
			frappe.db.rollback(save_point=ROW_SAVEPOINT)
			for file in self.files:
				file.on_rollback()
			self.result.failures.append(Note(label, key, self.error_text(error)))
			return None
		finally:
			frappe.clear_messages()
		frappe.db.release_savepoint(ROW_SAVEPOINT)
		self.result.warnings += [Note(label, key, warning) for warning in self.warnings]
		doctype, name = target
		if doctype:
			self.result.imported[label] += 1
		else:
			self.result.skipped[label] += 1
		return name

	def record(self, label: str, key: str, target: tuple[str | None, str | None]):
		doctype, name = target
		frappe.get_doc(
			{
				"doctype": BOOKKEEPING,
				"name": f"{label}:{key}",
				"table_legacy": label,
				"cle_legacy": key,
				"doctype_cible": doctype,
				"nom_cible": name,
				"source": self.description,
				"remarques": "\n".join(self.warnings)[:1000] or None,
			}
		).db_insert()

	def warn(self, code: str, **params):
		self.warnings.append(describe(code, params))

	def error_text(self, error: Exception) -> str:
		if isinstance(error, DomainError):  # a row the import refuses, or a file it cannot read
			return describe(error.code, error.params)
		message = strip_html(str(error)).strip()
		return f"{type(error).__name__}: {message}" if message else type(error).__name__

	def stamp(self, doc, owner: str | None, created: datetime | None, modified: datetime | None = None):
		"""The legacy author and date of a record created now."""
		values = {"owner": owner or FALLBACK_USER, "modified_by": owner or FALLBACK_USER}
		if created:
			values["creation"] = created
			values["modified"] = max(filter(None, (created, modified)))
		frappe.db.set_value(doc.doctype, doc.name, values, update_modified=False)

	def user(self, legacy_id: int | None, column: str) -> str:
		"""The User a legacy user id became, or Administrator (noted on the row)."""
		if legacy_id is not None and legacy_id in self.users:
			return self.users[legacy_id]
		if legacy_id is not None and not self.prefix:
			self.warn("user_replaced", column=column, user_id=legacy_id)
		return FALLBACK_USER

	# --- departments, users, statuses, types, settings -------------------------------------------

	def import_departement(self, d: LegacyDepartement):
		code = re.sub(r"[^A-Z0-9]", "", ascii_text(d.code).upper())[:10]
		if not code:
			raise DomainError("missing_value", column="code")
		if frappe.db.exists("Departement", code):
			self.warn("linked_existing", doctype="Departement", name=code)
			return "Departement", code
		frappe.get_doc(
			{
				"doctype": "Departement",
				"code": code,
				"nom": d.nom or code,
				"description": d.description,
				"actif": int(d.actif),
			}
		).insert(ignore_permissions=True)
		return "Departement", code

	def on_departement(self, d: LegacyDepartement, name: str):
		self.departements[d.id] = name
		if d.chef_id is not None:
			self.heads[name] = d.chef_id

	def import_user(self, u: LegacyUser):
		email = (u.email or "").strip().lower()
		existing = frappe.db.get_value("User", email)
		if existing:
			if self.imported_as("User", existing):
				raise DomainError("duplicate_email", email=u.email)
			self.warn("linked_existing", doctype="User", name=existing)
			return "User", existing
		first_name, _sep, last_name = (u.nom_complet or "").strip().partition(" ")
		doc = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name or u.username,
				"last_name": last_name.strip() or None,
				"username": u.username or None,
				"language": u.langue if frappe.db.exists("Language", u.langue) else "fr",
				"enabled": int(u.actif),
				"send_welcome_email": 0,
				"user_type": "System User",
				"gec_departement": self.departements.get(u.departement_id),
				"roles": [{"role": role} for role in u.gec_roles],
			}
		)
		doc.insert(ignore_permissions=True)
		if u.username and doc.username != u.username:
			self.warn("username_taken", username=u.username)
		if u.departement_id is not None and u.departement_id not in self.departements:
			self.warn("unknown_department", departement_id=u.departement_id)
		if u.password_hash:
			signin.store_legacy_hash(doc.name, u.password_hash)
		return "User", doc.name

	def on_user(self, u: LegacyUser, name: str):
		self.users[u.id] = name
		self.user_departement[u.id] = self.departements.get(u.departement_id)

	def set_department_heads(self):
		"""Heads are users: known only now. A department that has a head keeps it."""
		for departement, legacy_id in self.heads.items():
			if legacy_id in self.users and not frappe.db.get_value("Departement", departement, "chef"):
				frappe.db.set_value("Departement", departement, "chef", self.users[legacy_id])
		self.transaction.commit()

	def allow_username_sign_in(self):
		"""Legacy users signed in with their username: they may not know the e-mail on their account."""
		if self.result.imported[USER]:
			frappe.db.set_single_value("System Settings", "allow_login_using_user_name", 1)
			self.transaction.commit()

	def import_statut(self, s: LegacyStatut):
		code = status_code(s.nom)
		if frappe.db.exists("Statut Courrier", code):
			return "Statut Courrier", code
		frappe.get_doc(
			{
				"doctype": "Statut Courrier",
				"code": code,
				"libelle": s.description or s.nom.replace("_", " ").capitalize(),
				"couleur": colour(s.couleur),
				"ordre": s.ordre,
				"actif": int(s.actif),
			}
		).insert(ignore_permissions=True)
		return "Statut Courrier", code

	def on_statut(self, s: LegacyStatut, name: str):
		self.statuts[s.nom.strip().upper()] = name

	def import_type(self, t: LegacyTypeSortant):
		existing = {name_key(name): name for name in frappe.get_all("Type Courrier", pluck="name")}
		name = existing.get(name_key(t.nom))
		if name:
			if frappe.db.get_value("Type Courrier", name, "direction") == "Entrant":
				frappe.db.set_value("Type Courrier", name, "direction", "Entrant et sortant")
				self.warn("type_widened", name=name)
			return "Type Courrier", name
		doc = frappe.get_doc(
			{
				"doctype": "Type Courrier",
				"libelle": t.nom,
				"direction": "Sortant",
				"description": t.description,
				"ordre": t.ordre_affichage,
				"actif": int(t.actif),
			}
		).insert(ignore_permissions=True)
		return "Type Courrier", doc.name

	def on_type(self, t: LegacyTypeSortant, name: str):
		self.types[t.id] = name

	def import_settings(self, s: LegacySettings):
		doc = frappe.get_single("GEC Settings")
		for fieldname in SETTINGS_TEXT:
			if (getattr(s, fieldname) or "").strip():
				doc.set(fieldname, getattr(s, fieldname).strip())
		if (s.copyright_text or s.copyright or "").strip():
			doc.copyright_text = (s.copyright_text or s.copyright).strip()
		if s.email_contact and validate_email_address(s.email_contact.strip()):
			doc.email_contact = s.email_contact.strip()
		elif s.email_contact:
			self.warn("invalid_value", column="email_contact", value=s.email_contact)
		if s.telephone and validate_phone_number(s.telephone.strip()):
			doc.telephone = s.telephone.strip()
		elif s.telephone:
			self.warn("invalid_value", column="telephone", value=s.telephone)
		doc.mode_numerotation = "Manuel" if s.mode_numero_accuse == "manuel" else "Automatique"
		try:
			numbering.render(s.format_numero_accuse, now_datetime().date())
			doc.format_entrant = doc.format_sortant = s.format_numero_accuse
		except DomainError as error:
			self.warn("numbering_format_unsupported", format=s.format_numero_accuse, reason=error.code)
		for fieldname, legacy_file in (("logo", s.logo), ("logo_pdf", s.logo_pdf)):
			if legacy_file and legacy_file.found:
				if url := self.attach(legacy_file, "GEC Settings", "GEC Settings", fieldname, private=0):
					doc.set(fieldname, url)
		doc.save(ignore_permissions=True)
		return "GEC Settings", "GEC Settings"

	# --- mail -------------------------------------------------------------------------------------

	def import_courrier(self, c: LegacyCourrier):
		number = c.numero_accuse_reception.strip()
		if existing := frappe.db.get_value("Courrier", number):
			origin = self.imported_as("Courrier", existing)
			if origin and not origin.startswith(self.prefix + COURRIER):  # from the other kind of source
				self.warn("linked_existing", doctype="Courrier", name=existing)
				return "Courrier", existing
			raise DomainError("duplicate_ar_number", numero=number, existing=existing)
		owner = self.user(c.utilisateur_id, "utilisateur_id")
		statut = self.statut(c.statut)
		registered = local(c.date_enregistrement) or now_datetime()
		values = {
			"doctype": "Courrier",
			"type_courrier": c.direction,
			"numero_accuse_reception": number,
			"numero_reference": c.numero_reference,
			"objet": c.objet,
			"expediteur": c.expediteur,
			"destinataire": c.destinataire,
			"date_redaction": c.date_redaction,
			"date_enregistrement": registered,
			"statut": statut,
			"priorite": "Urgente" if statut == "URGENT" else "Normale",
			"confidentialite": "Normal",
			"departement": None if self.prefix else self.user_departement.get(c.utilisateur_id),
			"autres_informations": c.autres_informations,
			"workflow_state": workflow_state(c.direction, statut),
		}
		if c.direction == "Entrant":
			values["copie_sg"] = "Oui" if c.secretaire_general_copie else "Non"
		else:
			values["type_document"] = self.type_document(c.type_courrier_sortant_id)
			if not c.date_redaction:
				values["date_redaction"] = registered.date()
				self.warn("missing_value", column="date_redaction")
		if c.is_deleted:
			values["is_deleted"] = 1
			values["supprime_par"] = self.user(c.deleted_by_id, "deleted_by_id")
			values["supprime_le"] = local(c.deleted_at) or registered
		if c.fichier and c.fichier.found:
			values["fichier"] = self.attach(c.fichier, "Courrier", number, "fichier")
		doc = CourrierRepris(values)
		doc.insert(ignore_permissions=True, ignore_mandatory=not values.get("fichier"), set_name=number)
		self.stamp(doc, owner, registered, local(c.date_modification_statut))
		return "Courrier", doc.name

	def on_courrier(self, c: LegacyCourrier, name: str):
		self.courriers[c.id] = name

	def statut(self, legacy: str | None) -> str | None:
		if not legacy:
			return DEFAULT_STATUT if frappe.db.exists("Statut Courrier", DEFAULT_STATUT) else None
		if legacy.strip().upper() in self.statuts:
			return self.statuts[legacy.strip().upper()]
		code = status_code(legacy)
		if not frappe.db.exists("Statut Courrier", code):
			self.warn("unknown_status", statut=legacy)
			frappe.get_doc(
				{
					"doctype": "Statut Courrier",
					"code": code,
					"libelle": legacy.strip(),
					"couleur": "gray",
					"ordre": 99,
					"actif": 1,
					"description": _(
						"Created by the legacy import: found on mail, absent from the legacy status list."
					),
				}
			).insert(ignore_permissions=True)
		return code

	def type_document(self, legacy_id: int | None) -> str:
		if legacy_id in self.types:
			return self.types[legacy_id]
		if not frappe.db.exists("Type Courrier", DEFAULT_TYPE):
			raise DomainError("unknown_outgoing_type", type_id=legacy_id)
		self.warn("type_defaulted", type_id=legacy_id, type=DEFAULT_TYPE)
		return DEFAULT_TYPE

	def attach(
		self, legacy: LegacyFile, doctype: str, name: str, fieldname: str | None, private: int = 1
	) -> str | None:
		"""A legacy file as a File of `doctype` `name`; None (noted) when it cannot be one."""
		content = self.source.read_file(legacy)  # an undecryptable file fails the row: retry with the key
		if content.checksum_ok is False:
			self.warn("checksum_mismatch", kind=legacy.kind, expected=legacy.checksum, actual=content.sha256)
		if content.size_ok is False:
			self.warn("file_size_mismatch", kind=legacy.kind, expected=legacy.size, actual=len(content.data))
		if not content.data:
			self.warn(
				"attachment_refused",
				kind=legacy.kind,
				reason=errors.message(DomainError("file_empty", filename=legacy.name)),
			)
			return None
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": legacy.name,
				"content": content.data,
				"is_private": private,
				"attached_to_doctype": doctype,
				"attached_to_name": name,
				"attached_to_field": fieldname,
			}
		)
		frappe.db.savepoint(FILE_SAVEPOINT)
		try:
			file.insert(ignore_permissions=True)
		except frappe.ValidationError as error:  # refused like an upload: hostile, empty, too large...
			frappe.db.rollback(save_point=FILE_SAVEPOINT)
			file.on_rollback()
			self.warn("attachment_refused", kind=legacy.kind, reason=strip_html(str(error)))
			return None
		self.files.append(file)
		return file.file_url

	def raise_counters(self):
		"""New numbers continue after every legacy number, imported or not (a row fixed and imported
		later must not meet its number again)."""
		formats = {self.legacy_format, *(numbering_format(d) for d in ("Entrant", "Sortant"))}
		for fmt in formats:
			for counter in legacy_counters(fmt, self.numbers.values()):
				frappe.db.sql(
					"""insert into `tabSeries` (`name`, `current`) values (%s, %s)
					on duplicate key update `current` = greatest(`current`, values(`current`))""",
					(counter.series_key, counter.last),
				)
				self.result.counters[counter.series_key] = max(
					counter.last, self.result.counters.get(counter.series_key, 0)
				)
		self.transaction.commit()

	# --- what hangs off a mail ---------------------------------------------------------------------

	def courrier(self, legacy_id: int | None) -> str:
		if legacy_id not in self.courriers:
			raise DomainError("unknown_mail", courrier_id=legacy_id)
		return self.courriers[legacy_id]

	def import_forward(self, f: LegacyForward):
		courrier = self.courrier(f.courrier_id)
		file_url = None
		if f.fichier and f.fichier.found:
			file_url = self.attach(f.fichier, "Courrier", courrier, None)
		if self.prefix:
			return self.forward_as_comment(f, courrier, file_url)
		if f.forwarded_to_id not in self.users:
			raise DomainError("unknown_user", column="forwarded_to_id", user_id=f.forwarded_to_id)
		sender = self.user(f.forwarded_by_id, "forwarded_by_id")
		doc = frappe.get_doc(
			{
				"doctype": "Transmission Courrier",
				"courrier": courrier,
				"destinataire": self.users[f.forwarded_to_id],
				"transmis_par": sender,
				"message": f.message,
				"fichier": file_url,
				"lu": int(f.lu),
				"lu_le": local(f.date_lecture),
			}
		).insert(ignore_permissions=True)
		self.stamp(doc, sender, local(f.date_transmission), local(f.date_lecture))
		return "Transmission Courrier", doc.name

	def forward_as_comment(self, f: LegacyForward, courrier: str, file_url: str | None):
		"""An export names users and departments of the instance that made it, not of this site:
		the forward is kept as a note on the mail."""
		details = [_("Forward imported from a legacy GEC export.")]
		if f.date_transmission:
			details.append(_("Date: {0}").format(local(f.date_transmission)))
		if f.forwarded_by_id or f.forwarded_to_id:
			details.append(
				_("From legacy user #{0} to legacy user #{1}").format(
					f.forwarded_by_id or "?", f.forwarded_to_id or "?"
				)
			)
		if f.from_departement_id or f.to_departement_id:
			details.append(
				_("From legacy department #{0} to legacy department #{1}").format(
					f.from_departement_id or "?", f.to_departement_id or "?"
				)
			)
		if f.message:
			details.append(_("Message: {0}").format(f.message))
		if not f.lu:
			details.append(_("Not read by the recipient"))
		elif f.date_lecture:
			details.append(_("Read by the recipient on {0}").format(local(f.date_lecture)))
		else:
			details.append(_("Read by the recipient"))
		if file_url:
			details.append(_("File: {0}").format(f.fichier.name))
		doc = frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Info",
				"reference_doctype": "Courrier",
				"reference_name": courrier,
				"content": frappe.utils.escape_html("\n".join(details)).replace("\n", "<br>"),
			}
		).insert(ignore_permissions=True)
		self.stamp(doc, FALLBACK_USER, local(f.date_transmission))
		return "Comment", doc.name

	def import_comment(self, c: LegacyComment):
		if not c.actif:
			self.warn("comment_inactive")
			return None, None
		courrier = self.courrier(c.courrier_id)
		author = self.user(c.user_id, "user_id")
		doc = frappe.get_doc(
			{
				"doctype": "Commentaire Courrier",
				"courrier": courrier,
				"type_commentaire": COMMENT_TYPES[c.type_comment],
				"texte": c.commentaire,
				"auteur": author,
			}
		).insert(ignore_permissions=True)
		self.stamp(doc, author, local(c.date_creation), local(c.date_modification))
		return "Commentaire Courrier", doc.name

	def import_modification(self, m: LegacyModification):
		courrier = self.courrier(m.courrier_id)
		author = self.user(m.utilisateur_id, "utilisateur_id")
		data = {
			"changed": [[m.champ_modifie, m.ancienne_valeur, m.nouvelle_valeur]],
			"added": [],
			"removed": [],
			"row_changed": [],
			"legacy": {"id": m.id, "ip_address": m.ip_address},
		}
		doc = frappe.get_doc(
			{
				"doctype": "Version",
				"ref_doctype": "Courrier",
				"docname": courrier,
				"data": frappe.as_json(data),
			}
		).insert(ignore_permissions=True)
		self.stamp(doc, author, local(m.date_modification))
		return "Version", doc.name

	def import_activity(self, a: LegacyActivity):
		"""Written directly (no hooks, no second update): the journal has no rules of its own and
		legacy logs run to millions of rows."""
		user = self.users.get(a.utilisateur_id)
		if user is None and a.utilisateur_id is not None:
			self.warn("unknown_user", column="utilisateur_id", user_id=a.utilisateur_id)
		when = local(a.date_action) or now_datetime()
		doc = frappe.get_doc(
			{
				"doctype": JOURNAL,
				"action": a.action,
				"description": a.description,
				"date_action": when,
				"utilisateur": user,
				"courrier": self.courriers.get(a.courrier_id),
				"adresse_ip": a.ip_address,
				"id_legacy": a.id,
				"utilisateur_legacy": a.utilisateur_id,
				"courrier_legacy": a.courrier_id,
				"owner": user or FALLBACK_USER,
				"modified_by": user or FALLBACK_USER,
				"creation": when,
				"modified": when,
			}
		)
		doc.set_new_name()
		doc.db_insert()
		return JOURNAL, doc.name

	def imported_as(self, doctype: str, name: str) -> str | None:
		"""The bookkeeping row (its name) through which a record came in, if it did."""
		return frappe.db.get_value(BOOKKEEPING, {"doctype_cible": doctype, "nom_cible": name}, "name")

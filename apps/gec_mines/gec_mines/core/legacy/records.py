"""Typed records read from a legacy GEC deployment, one class per legacy table.

Values are the legacy ones, converted to Python types: naive UTC datetimes (the legacy app
stored ``datetime.utcnow()``), dates, bools, ints and text. Encrypted columns are already
resolved (plaintext preferred, ciphertext decrypted only when the plaintext is empty). Each
record carries the problems found while reading its row; cross-table problems (unknown
status, duplicate numbers...) are found by `analyse`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Legacy table names, in the order an import must follow (targets before what links to them).
DEPARTEMENT = "departement"
ROLE = "role"
USER = "user"
STATUT = "statut_courrier"
TYPE_SORTANT = "type_courrier_sortant"
PARAMETRES = "parametres_systeme"
COURRIER = "courrier"
FORWARD = "courrier_forward"
COMMENT = "courrier_comment"
MODIFICATION = "courrier_modification"
ACTIVITE = "log_activite"
TABLES = (
	DEPARTEMENT,
	ROLE,
	USER,
	STATUT,
	TYPE_SORTANT,
	PARAMETRES,
	COURRIER,
	FORWARD,
	COMMENT,
	MODIFICATION,
	ACTIVITE,
)

ENTRANT = "Entrant"
SORTANT = "Sortant"
DIRECTIONS = {"ENTRANT": ENTRANT, "SORTANT": SORTANT}
COMMENT_TYPES = ("comment", "annotation", "instruction")
DEFAULT_FORMAT = "GEC-{year}-{counter:05d}"  # the legacy default number format

ERROR = "error"  # the row cannot be imported as it is
WARNING = "warning"  # the row can be imported, with something lost or defaulted


@dataclass(frozen=True, slots=True)
class Problem:
	"""One thing wrong in the legacy data; `code` is stable (see `problems.PROBLEMS`)."""

	code: str
	table: str
	row_id: int | str | None
	severity: str = WARNING
	params: dict[str, Any] = field(default_factory=dict, hash=False)

	def __str__(self) -> str:
		where = f"{self.table}#{self.row_id}" if self.row_id is not None else self.table
		details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
		return f"[{self.severity}] {self.code} {where}" + (f" ({details})" if details else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyFile:
	"""A file a legacy row points to, located (or not) in the uploads folder or the export ZIP."""

	kind: str  # "main", "forward", "logo", "logo_pdf"
	owner_id: int | None  # the courrier or forward id (None for logos and id-less export forwards)
	name: str  # safe file name to store, from the original client name
	original_name: str | None  # as typed by the legacy user (unsanitised)
	stored_path: str | None  # as the legacy row or export entry recorded it
	location: str | None  # file path or ZIP member found; None when the file is missing
	resolution: str | None  # how `location` was found (see `files.RESOLUTIONS`)
	encrypted: bool = False  # content is in the legacy `.encrypted` format
	checksum: str | None = None  # stored SHA-256 (lowercase hex)
	size: int | None = None  # stored size in bytes

	@property
	def found(self) -> bool:
		return self.location is not None


@dataclass(frozen=True, slots=True)
class FileContent:
	"""The plaintext bytes of a legacy file and how they compare with what was recorded."""

	file: LegacyFile
	data: bytes
	sha256: str
	checksum_ok: bool | None  # None when no checksum was recorded
	size_ok: bool | None  # None when no size was recorded


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyRecord:
	id: int | None
	problems: tuple[Problem, ...] = ()

	@property
	def key(self) -> str:
		"""Stable identity of the row in its source, for idempotence bookkeeping."""
		return str(self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyDepartement(LegacyRecord):
	nom: str
	code: str
	description: str | None = None
	chef_id: int | None = None
	actif: bool = True
	date_creation: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyRole(LegacyRecord):
	nom: str
	nom_affichage: str | None = None
	description: str | None = None
	actif: bool = True
	permissions: tuple[str, ...] = ()
	gec_roles: tuple[str, ...] = ()
	visibility: str = "own"


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyUser(LegacyRecord):
	username: str
	email: str | None
	nom_complet: str | None
	password_hash: str | None
	role: str  # legacy role slug (`role.nom`)
	gec_roles: tuple[str, ...]  # see `roles.map_legacy_role`
	visibility: str  # "all", "department" or "own" (+ mail forwarded to them)
	langue: str = "fr"
	actif: bool = True
	departement_id: int | None = None
	matricule: str | None = None
	fonction: str | None = None
	photo_profile: str | None = None
	date_creation: datetime | None = None
	password_supported: bool = False  # the hash can be verified at the first sign-in


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyStatut(LegacyRecord):
	nom: str
	description: str | None = None
	couleur: str | None = None
	actif: bool = True
	ordre: int | None = None
	date_creation: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyTypeSortant(LegacyRecord):
	nom: str
	description: str | None = None
	actif: bool = True
	ordre_affichage: int | None = None
	date_creation: datetime | None = None
	cree_par_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacySettings(LegacyRecord):
	"""The `parametres_systeme` singleton (SMTP password decrypted, copyright un-base64'd)."""

	nom_logiciel: str | None = None
	logo: LegacyFile | None = None
	logo_pdf: LegacyFile | None = None
	mode_numero_accuse: str = "automatique"
	format_numero_accuse: str = DEFAULT_FORMAT
	adresse_organisme: str | None = None
	telephone: str | None = None
	email_contact: str | None = None
	texte_footer: str | None = None
	titre_pdf: str | None = None
	sous_titre_pdf: str | None = None
	pays_pdf: str | None = None
	copyright_text: str | None = None
	copyright: str | None = None
	appellation_departement: str | None = None
	titre_responsable_structure: str | None = None
	email_provider: str | None = None
	smtp_server: str | None = None
	smtp_port: int | None = None
	smtp_use_tls: bool | None = None
	smtp_username: str | None = None
	smtp_password: str | None = None
	sendgrid_api_key: str | None = None
	notify_superadmin_new_mail: bool | None = None
	date_modification: datetime | None = None
	modifie_par_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyCourrier(LegacyRecord):
	numero_accuse_reception: str
	type_courrier: str  # legacy value, "ENTRANT" or "SORTANT"
	direction: str | None  # "Entrant" / "Sortant" (None if the legacy value is neither)
	type_courrier_sortant_id: int | None = None
	numero_reference: str | None = None
	objet: str | None = None
	expediteur: str | None = None
	destinataire: str | None = None
	date_redaction: date | None = None
	date_enregistrement: datetime | None = None
	autres_informations: str | None = None
	statut: str | None = None
	date_modification_statut: datetime | None = None
	secretaire_general_copie: bool | None = None
	fichier: LegacyFile | None = None
	fichier_type: str | None = None  # the legacy extension, not a MIME type
	is_deleted: bool = False
	deleted_at: datetime | None = None
	deleted_by_id: int | None = None
	utilisateur_id: int | None = None  # registering user (source instance id in an export)
	modifie_par_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyForward(LegacyRecord):
	"""A user→user transmission. Export forwards may have no id: `key` is then courrier+index."""

	courrier_id: int
	forwarded_by_id: int | None = None
	forwarded_to_id: int | None = None
	message: str | None = None
	date_transmission: datetime | None = None
	lu: bool = False
	date_lecture: datetime | None = None
	email_sent: bool = False
	fichier: LegacyFile | None = None
	from_departement_id: int | None = None  # only in the (documented, never working) export shape
	to_departement_id: int | None = None
	index: int = 0  # position among the forwards of its courrier

	@property
	def key(self) -> str:
		return str(self.ref)

	@property
	def ref(self) -> int | str:
		"""The id, or "<courrier id>-<index>" for an export forward without one (problems use it)."""
		return self.id if self.id is not None else f"{self.courrier_id}-{self.index}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyComment(LegacyRecord):
	courrier_id: int | None
	user_id: int | None
	commentaire: str
	type_comment: str = "comment"  # one of COMMENT_TYPES
	date_creation: datetime | None = None
	date_modification: datetime | None = None
	modifie_par_id: int | None = None
	actif: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyModification(LegacyRecord):
	courrier_id: int | None
	utilisateur_id: int | None
	champ_modifie: str
	ancienne_valeur: str | None = None
	nouvelle_valeur: str | None = None
	date_modification: datetime | None = None
	ip_address: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyActivity(LegacyRecord):
	action: str
	description: str | None = None
	date_action: datetime | None = None
	ip_address: str | None = None
	utilisateur_id: int | None = None
	courrier_id: int | None = None

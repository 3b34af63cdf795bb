"""The problems a legacy data set can have: stable codes, default severity, what they mean.

The Frappe layer translates the code; the description here is for logs and developers.
"""

from gec_mines.core.legacy.records import ERROR, WARNING, Problem

PROBLEMS: dict[str, tuple[str, str]] = {
	# source level
	"table_missing": (WARNING, "a table of the documented schema is absent: nothing to import from it"),
	"settings_missing": (WARNING, "no parametres_systeme row: the app keeps its own settings"),
	"export_version_mismatch": (WARNING, "export format version is not 1.0.0: read anyway"),
	"export_contains_forwards": (WARNING, "the export has forwards (the legacy exporter crashes on them)"),
	"numbering_format_unsupported": (WARNING, "the legacy number format cannot be used by this app"),
	# values
	"invalid_value": (WARNING, "a value could not be read (date, number...): it is left empty"),
	"value_undecryptable": (ERROR, "an encrypted column with no plaintext could not be decrypted"),
	"missing_value": (WARNING, "a field the registry needs is empty"),
	# courrier
	"missing_ar_number": (ERROR, "courrier without registration number"),
	"duplicate_ar_number": (
		ERROR,
		"registration number already used by an earlier courrier (case, accents, spaces ignored)",
	),
	"duplicate_reference": (WARNING, "numero_reference already used by an earlier courrier"),
	"unknown_mail_type": (ERROR, "type_courrier is neither ENTRANT nor SORTANT"),
	"unknown_status": (WARNING, "statut is not in statut_courrier: it must be created or mapped"),
	"unknown_outgoing_type": (WARNING, "type_courrier_sortant_id points to no outgoing type"),
	# files
	"no_attachment": (WARNING, "courrier without main attachment"),
	"file_missing": (WARNING, "the file is neither in the uploads folder nor in the export"),
	"file_path_unsafe": (WARNING, "the stored path leaves the uploads folder: ignored"),
	"file_undecryptable": (ERROR, "an .encrypted file could not be decrypted"),
	"checksum_mismatch": (WARNING, "the content's SHA-256 differs from the stored checksum"),
	"file_size_mismatch": (WARNING, "the content's size differs from the stored size"),
	# links
	"unknown_mail": (ERROR, "the row points to a courrier that is not in the source"),
	"unknown_user": (WARNING, "the row points to a user that is not in the source"),
	"unknown_department": (WARNING, "the user's departement_id points to no department"),
	"unknown_role": (WARNING, "the user's role is not in the role table: mapped to the least role"),
	"unknown_comment_type": (WARNING, "type_comment is not comment/annotation/instruction: read as comment"),
	# users
	"user_without_department": (WARNING, "user without department: they will only see their own mail"),
	"missing_email": (ERROR, "user without e-mail: no account can be created"),
	"duplicate_email": (ERROR, "e-mail already used by an earlier user (case ignored)"),
	"duplicate_username": (ERROR, "username already used by an earlier user (case ignored)"),
	"unsupported_password_hash": (
		WARNING,
		"the password hash cannot be verified: the user gets a reset e-mail",
	),
}


def problem(code: str, table: str, row_id, severity: str | None = None, **params) -> Problem:
	"""A Problem with the code's default severity unless one is given."""
	return Problem(code, table, row_id, severity or PROBLEMS[code][0], params)

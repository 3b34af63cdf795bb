"""The import's problems and refusals in the user's language."""

from frappe import _

from gec_mines.core.legacy import (
	PROBLEMS,
)


def describe(code: str, params: dict) -> str:
	"""A problem or refusal in the user's language, with its details."""
	details = ", ".join(f"{key}={value}" for key, value in params.items())
	return problem_message(code) + (f" ({details})" if details else "")


def problem_message(code: str) -> str:
	messages = {
		"source_not_found": _("the legacy database or export file does not exist"),
		"source_unsupported": _("unsupported database: give a sqlite:/// or postgresql:// URL"),
		"source_unreachable": _("the legacy database cannot be reached"),
		"export_invalid": _("this file is not a legacy mail export"),
		"uploads_dir_required": _("the legacy uploads folder is required with a database"),
		"invalid_value": _("a value could not be read and is left empty"),
		"value_undecryptable": _("an encrypted value could not be decrypted (wrong or missing legacy key)"),
		"missing_value": _("a required value is empty"),
		"missing_ar_number": _("mail without registration number"),
		"duplicate_ar_number": _("registration number already used"),
		"unknown_mail_type": _("the mail is neither incoming nor outgoing"),
		"unknown_status": _("status absent from the legacy status list: created"),
		"unknown_outgoing_type": _("unknown outgoing type"),
		"type_defaulted": _("unknown outgoing type: the default type is used"),
		"type_widened": _("document type now used for both directions"),
		"no_attachment": _("mail without attachment"),
		"file_missing": _("file not found"),
		"file_path_unsafe": _("file path outside the uploads folder: ignored"),
		"file_undecryptable": _("encrypted file that cannot be decrypted (wrong or missing legacy key)"),
		"checksum_mismatch": _("the file differs from its recorded checksum"),
		"file_size_mismatch": _("the file differs from its recorded size"),
		"attachment_refused": _("file refused by the upload checks"),
		"unknown_mail": _("the mail it belongs to was not imported"),
		"unknown_user": _("user not imported"),
		"user_replaced": _("user not imported: replaced by Administrator"),
		"unknown_department": _("unknown department"),
		"unknown_role": _("unknown legacy role: least GEC role given"),
		"unknown_comment_type": _("unknown comment type: imported as a comment"),
		"comment_inactive": _("comment deleted in the legacy app: not imported"),
		"missing_email": _("user without e-mail address"),
		"duplicate_email": _("e-mail address already used by another imported user"),
		"username_taken": _("username already taken: the user signs in with the e-mail address"),
		"unsupported_password_hash": _(
			"password hash that cannot be verified: reset e-mail at first sign-in"
		),
		"user_without_department": _("user without department"),
		"linked_existing": _("already in this site: linked, not changed"),
		"numbering_format_unsupported": _("legacy numbering format not usable: the site's format is kept"),
	}
	return messages.get(code) or PROBLEMS.get(code, ("", code))[1]

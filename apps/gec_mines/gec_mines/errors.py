"""User messages for the rules of `gec_mines.core`, in English source text with French in locale/fr.po."""

import frappe
from frappe import _

from gec_mines.core.errors import DomainError


def message(error: DomainError) -> str:
	p = error.params
	messages = {
		"format_empty": lambda: _("The numbering format is empty."),
		"format_counter_too_wide": lambda: _("The counter can have at most {0} digits.").format(p["maximum"]),
		"format_unknown_placeholder": lambda: _(
			"Unknown placeholder {0}: use {{year}}, {{month}}, {{day}}, {{counter:05d}} or {{counter}}."
		).format(p["placeholder"]),
		"format_needs_one_counter": lambda: _(
			"The numbering format must contain exactly one counter ({{counter:05d}} or {{counter}}); it has {0}."
		).format(p["found"]),
		"format_bad_characters": lambda: _(
			"The numbering format may only contain letters, digits and the characters - _ / . outside placeholders: {0}"
		).format(p["text"]),
		"format_too_long": lambda: _(
			"Numbers made with this format would be longer than {0} characters."
		).format(p["maximum"]),
		"manual_number_missing": lambda: _(
			"Registration No.: manual numbering is on, type the number of this mail."
		),
		"manual_number_bad_characters": lambda: _(
			"Registration No. {0}: use only letters, digits and - _ / . (at most 50 characters, starting and ending with a letter or digit)."
		).format(p["number"]),
		"file_empty": lambda: _("The file {0} is empty.").format(p["filename"]),
		"file_too_large": lambda: _("The file {0} weighs {1} MB; the limit is {2} MB.").format(
			p["filename"], p["size_mb"], p["max_mb"]
		),
		"file_type_refused": lambda: _(
			"The file {0} is not a PDF, JPEG, PNG or TIFF document (checked on its content). Allowed: {1}."
		).format(p["filename"], p["allowed"]),
		"file_extension_mismatch": lambda: _(
			"The file {0} contains a {1} document but its name says otherwise: rename it with the right extension."
		).format(p["filename"], p["kind"]),
		"logo_not_image": lambda: _("The logo {0} is not a PNG or JPEG image.").format(p["filename"]),
		"file_name_unsafe": lambda: _(
			"The file name {0} is refused: it tries to leave its folder or hides control characters. Rename the file and upload it again."
		).format(p["filename"]),
		"file_corrupt": lambda: _(
			"The file {0} is not a valid {1} document (its structure is damaged): scan or save it again."
		).format(p["filename"], p.get("kind", "")),
		"file_decompression_bomb": lambda: _(
			"The file {0} is refused: it claims far more pixels or pages than any scan (decompression bomb)."
		).format(p["filename"]),
		"file_polyglot": lambda: _(
			"The file {0} is refused: another format ({1}) is hidden inside it."
		).format(p["filename"], p.get("found", "")),
		"file_trailing_data": lambda: _(
			"The file {0} is refused: {1} bytes follow the end of the image. Save it again as a plain image."
		).format(p["filename"], p.get("size", "")),
		"file_active_content": lambda: _(
			"The file {0} is refused: the PDF contains active content ({1}). Print it to a plain PDF and upload that."
		).format(p["filename"], p.get("feature", "")),
		"file_pdf_encrypted": lambda: _(
			"The file {0} is refused: the PDF is password-protected. Upload an unprotected copy."
		).format(p["filename"]),
		"file_checksum_mismatch": lambda: _(
			"The file {0} no longer matches the checksum recorded at upload: it has been altered and is not served."
		).format(p.get("filename", "")),
		"encryption_key_missing": lambda: _(
			"No encryption key is installed for this site, so encrypted fields and attachments can be neither read nor written. An administrator must install the key file (see docs/securite.md)."
		),
		"encryption_key_invalid": lambda: _(
			"The encryption key source is invalid (entry {0}): {1}. The key itself is never shown."
		).format(p.get("entry", 1), key_problem(p.get("reason"))),
		"encryption_key_unknown": lambda: _(
			"This value was encrypted with key {0}, which is not installed: put that key back in the key file (it is needed until a rotation has re-encrypted everything)."
		).format(p["kid"]),
		"encryption_not_envelope": lambda: _("The value is not an encrypted value of GEC Mines."),
		"encryption_tampered": lambda: _(
			"An encrypted value or file has been altered or moved to another record: it is refused and nothing was overwritten."
		),
		"encryption_version_unsupported": lambda: _(
			"The encrypted value uses format version {0}, which this version of GEC Mines cannot read."
		).format(p["version"]),
		"legacy_decrypt_failed": lambda: _(
			"A value encrypted by the former GEC application could not be decrypted ({0}): check GEC_MASTER_KEY."
		).format(p.get("reason", "")),
		"legacy_checksum_mismatch": lambda: _(
			"A file of the former GEC application does not match its recorded checksum once decrypted."
		),
	}
	if error.code not in messages:
		frappe.log_error(title="GEC Mines: no message for a refusal", message=repr(error))
		return _("The request was refused ({0}).").format(error.code)
	return messages[error.code]()


def key_problem(reason: str | None) -> str:
	"""What is wrong with a key entry, in words an administrator can act on."""
	reasons = {
		"bad_kid": _("a key id is 1 to 16 lower-case letters or digits"),
		"bad_length": _("a key must be 32 random bytes"),
		"bad_base64": _("the key is not valid base64"),
		"duplicate_kid": _("two keys have the same id"),
		"duplicate_key": _("the same key appears twice"),
		"entry_without_kid": _("each entry is written kid:key"),
		"not_ascii": _("the key source must be plain ASCII text"),
		"legacy_bad_base64": _("GEC_MASTER_KEY is not valid base64"),
		"legacy_bad_length": _("GEC_MASTER_KEY must decode to 16, 24 or 32 bytes"),
	}
	return reasons.get(reason, reason or "")


def throw(error: DomainError, title: str | None = None, exc=frappe.ValidationError):
	frappe.throw(message(error), exc=exc, title=title)

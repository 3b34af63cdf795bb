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
	}
	return messages[error.code]()


def throw(error: DomainError, title: str | None = None, exc=frappe.ValidationError):
	frappe.throw(message(error), exc=exc, title=title)

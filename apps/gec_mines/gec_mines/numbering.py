"""Registration numbers, drawn from Frappe's series table.

The counter row is incremented with one atomic statement inside the registration's own
transaction: concurrent registrations queue on that row, and a registration that fails
rolls its increment back, so numbers stay unique and gapless.

In manual mode (GEC Settings) an administrator may register a mail under a number typed by
hand; anyone else who sends a number is refused, and a mail registered without one is numbered
from the counter, which steps over the numbers typed by hand. In automatic mode a number sent
by the client is ignored.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from gec_mines import errors
from gec_mines.constants import ADMIN
from gec_mines.core import numbering as core
from gec_mines.core.errors import DomainError

# numbers typed by hand in a row that the counter may step over before it gives up
MAX_TAKEN_IN_A_ROW = 1000


def numero_pour(doc) -> str:
	"""The registration number of a new Courrier (its `autoname`)."""
	typed = (doc.get("numero_accuse_reception") or "").strip()
	if typed and is_manual():
		if ADMIN not in frappe.get_roles():
			frappe.throw(
				_(
					"{0}: only an administrator registers a mail under a number typed by hand. "
					"Leave it empty: the registry gives the next number."
				).format(frappe.bold(_(doc.meta.get_label("numero_accuse_reception")))),
				exc=frappe.PermissionError,
				title=_("Manual numbering"),
			)
		return manual_number(typed)
	return next_number(doc.type_courrier)


def next_number(direction: str, on: date | None = None) -> str:
	fmt = format_for(direction)
	try:
		rendered = core.render(fmt, on or getdate(now_datetime()))
	except DomainError as error:
		errors.throw(error, title=_("Numbering format"))
	for _attempt in range(MAX_TAKEN_IN_A_ROW):
		number = rendered.number(increment(rendered.series_key))
		if not frappe.db.exists("Courrier", number):  # taken only by a number typed by hand
			return number
	frappe.throw(_("The counter {0} meets only numbers already used.").format(rendered.series_key))


def manual_number(number: str | None) -> str:
	try:
		number = core.check_manual_number(number or "")
	except DomainError as error:
		errors.throw(error)
	if frappe.db.exists("Courrier", number):
		frappe.throw(
			_("Registration No. {0} is already used by another mail.").format(frappe.bold(number)),
			exc=frappe.DuplicateEntryError,
		)
	return number


def increment(series_key: str) -> int:
	frappe.db.sql(
		"""insert into `tabSeries` (`name`, `current`) values (%s, 1)
		on duplicate key update `current` = `current` + 1""",
		(series_key,),
	)
	return frappe.db.sql("select `current` from `tabSeries` where `name` = %s", (series_key,))[0][0]


def format_for(direction: str) -> str:
	fieldname = "format_sortant" if direction == "Sortant" else "format_entrant"
	return frappe.db.get_single_value("GEC Settings", fieldname) or core.DEFAULT_FORMATS[direction]


def is_manual() -> bool:
	return frappe.db.get_single_value("GEC Settings", "mode_numerotation") == "Manuel"


def prepare_next_year_counters():
	"""Create next year's counter rows ahead of time (run every December)."""
	next_year = date(getdate().year + 1, 1, 1)
	for direction in ("Entrant", "Sortant"):
		try:
			key = core.render(format_for(direction), next_year).series_key
		except DomainError:
			continue
		frappe.db.sql("insert ignore into `tabSeries` (`name`, `current`) values (%s, 0)", (key,))

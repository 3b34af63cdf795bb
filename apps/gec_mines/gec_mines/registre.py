"""The official register (registre du courrier) on the Frappe side: its rows and totals for a
set of filters, within the one access rule, its exports, and the daily closing's seal.

Drawing and fingerprinting are `core/registre.py`. The script report `Registre du Courrier`,
the endpoints of `api/registre.py` and the `Cloture Registre` doctype all read from here.

The register lists mail by registration date; trashed mail is left out. A day's closing seals
what was registered that day with a fingerprint over `FINGERPRINT_FIELDS`, the facts of the
registration: a later change to one of them, a mail trashed or a mail added shows when the
closing is checked. Processing (status, routing, confidentiality) goes on after the closing
and is not sealed.
"""

import json
import re
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import format_date, get_datetime, get_fullname, getdate

from gec_mines.accuse import entete, user_language
from gec_mines.chiffrement import aad, trousseau
from gec_mines.core import chiffrement as crypto
from gec_mines.core import registre as core
from gec_mines.permissions import conditions_courrier
from gec_mines.permissions.cloture import hidden_from

# The register's columns (core.registre.row_values) plus what the desk report shows.
REGISTER_FIELDS = (
	"name",
	"numero_accuse_reception",
	"type_courrier",
	"type_document",
	"numero_reference",
	"expediteur",
	"destinataire",
	"objet",
	"date_redaction",
	"date_enregistrement",
	"statut",
	"secretaire_general_copie",
	"departement",
)
# What a closing seals. Changing this list changes every fingerprint: add a version instead.
FINGERPRINT_FIELDS = (
	"name",
	"numero_accuse_reception",
	"type_courrier",
	"type_document",
	"numero_reference",
	"expediteur",
	"destinataire",
	"objet",
	"date_redaction",
	"date_enregistrement",
	"secretaire_general_copie",
	"fichier",
	"owner",
)
MAX_ROWS = 10_000
DIRECTIONS = ("Entrant", "Sortant")
# Fields the encryption of Confidentiel and Secret mail may turn into envelopes (gec:v1:...).
MAY_BE_ENCRYPTED = ("objet", "expediteur", "destinataire", "numero_reference")


@dataclass(frozen=True)
class Filtres:
	"""The register's filters, as the report, the exports and the closing pass them."""

	from_date: date | None = None
	to_date: date | None = None
	type_courrier: str | None = None
	type_document: str | None = None
	statut: str | None = None
	departement: str | None = None
	copie_sg: str | None = None
	texte: str | None = None

	@classmethod
	def parse(cls, filters: dict | str | None) -> "Filtres":
		"""From the report's filters (a dict or its JSON), with a clear message for bad values."""
		if isinstance(filters, str):
			filters = json.loads(filters or "{}")
		filters = {k: v for k, v in (filters or {}).items() if k in cls.__dataclass_fields__ and v}
		for key in ("from_date", "to_date"):
			if key in filters:
				try:
					filters[key] = getdate(filters[key])
				except (ValueError, frappe.ValidationError):
					frappe.clear_messages()
					frappe.throw(
						_("{0}: {1} is not a date.").format(_(label(key)), frappe.bold(filters[key])),
						title=_("Mail register"),
					)
		parsed = cls(**{k: str(v).strip() if isinstance(v, str) else v for k, v in filters.items()})
		parsed.check()
		return parsed

	def check(self):
		if self.from_date and self.to_date and self.from_date > self.to_date:
			frappe.throw(_("From Date must be before To Date."), title=_("Mail register"))
		if self.type_courrier and self.type_courrier not in DIRECTIONS:
			frappe.throw(
				_("Direction: {0} is neither Entrant nor Sortant.").format(frappe.bold(self.type_courrier)),
				title=_("Mail register"),
			)
		if self.copie_sg and self.copie_sg not in ("Oui", "Non"):
			frappe.throw(
				_("Secretary General in Copy: {0} is neither Oui nor Non.").format(
					frappe.bold(self.copie_sg)
				),
				title=_("Mail register"),
			)

	@classmethod
	def day(cls, value) -> "Filtres":
		day = getdate(value)
		return cls(from_date=day, to_date=day)

	def as_dict(self) -> dict:
		return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def label(key: str) -> str:
	"""English label of a filter (translate it with `_()`)."""
	return {
		"from_date": "From Date",
		"to_date": "To Date",
		"type_courrier": "Direction",
		"type_document": "Document Type",
		"statut": "Status",
		"departement": "Department in Charge",
		"copie_sg": "Secretary General in Copy",
		"texte": "Search",
	}[key]


# ------------------------------------------------------------------ queries


def where(f: Filtres, user: str | None = None) -> tuple[str, dict]:
	"""SQL condition on `tabCourrier` and its values: never user input in the SQL text."""
	t = "`tabCourrier`"
	conditions, values = [f"{t}.`is_deleted` = 0"], {}
	if f.from_date:
		conditions.append(f"{t}.`date_enregistrement` >= %(from_date)s")
		values["from_date"] = datetime.combine(f.from_date, datetime.min.time())
	if f.to_date:
		conditions.append(f"{t}.`date_enregistrement` < %(before)s")
		values["before"] = datetime.combine(f.to_date + timedelta(days=1), datetime.min.time())
	for field in ("type_courrier", "type_document", "statut", "departement"):
		if getattr(f, field):
			conditions.append(f"{t}.`{field}` = %({field})s")
			values[field] = getattr(f, field)
	if f.copie_sg:
		conditions.append(f"{t}.`type_courrier` = 'Entrant' and {t}.`copie_sg` = %(copie_sg)s")
		values["copie_sg"] = f.copie_sg
	# Each word somewhere in number, reference, subject or correspondent, as the list's search box
	# (within the dates, which the index narrows first); encrypted fields are not searchable.
	for i, word in enumerate(re.findall(r"\w+", f.texte or "")):
		conditions.append(f"{t}.`texte_recherche` like %(word{i})s")
		values[f"word{i}"] = "%" + word.replace("\\", "\\\\").replace("_", "\\_") + "%"
	if rule := conditions_courrier(user):
		conditions.append(rule)
	return " and ".join(conditions), values


def rows(f: Filtres, user: str | None = None) -> list[dict]:
	"""The register's rows in registration order, the status as its label."""
	condition, values = where(f, user)
	columns = ", ".join(f"`tabCourrier`.`{field}`" for field in REGISTER_FIELDS)
	result = frappe.db.sql(
		f"""select {columns}, `tabStatut Courrier`.`libelle` as statut_libelle
		from `tabCourrier` left join `tabStatut Courrier` on `tabStatut Courrier`.`name` = `tabCourrier`.`statut`
		where {condition}
		order by `tabCourrier`.`date_enregistrement`, `tabCourrier`.`name`
		limit {MAX_ROWS + 1}""",
		values,
		as_dict=True,
	)
	if len(result) > MAX_ROWS:
		frappe.throw(
			_("The register shows at most {0} mails at once: narrow the dates or the filters.").format(
				MAX_ROWS
			),
			title=_("Mail register"),
		)
	for row in result:
		row.statut = _(row.pop("statut_libelle") or row.statut or "")
		row.type_document = _(row.type_document) if row.type_document else ""
		masquer(row)
	return result


def masquer(row: dict) -> dict:
	"""Encrypted values show as the mask in the register, as in every list of the desk."""
	for field in MAY_BE_ENCRYPTED:
		if crypto.is_encrypted(row.get(field)):
			row[field] = crypto.mask(row[field])
	return row


def totals(f: Filtres, user: str | None = None) -> core.Totals:
	"""Mail per registration day and direction, counted by the database."""
	condition, values = where(f, user)
	counts = frappe.db.sql(
		f"""select date(`tabCourrier`.`date_enregistrement`) as jour, `tabCourrier`.`type_courrier`,
			count(*) as nombre
		from `tabCourrier` where {condition}
		group by jour, `tabCourrier`.`type_courrier` order by jour""",
		values,
		as_dict=True,
	)
	days: dict = {}
	for row in counts:
		days.setdefault(row.jour, {})[row.type_courrier] = row.nombre
	return core.Totals(
		tuple(core.DayTotal(day, d.get("Entrant", 0), d.get("Sortant", 0)) for day, d in days.items())
	)


# ------------------------------------------------------------------ words and exports


def labels() -> dict[str, str]:
	"""The register's words in the current language (contexts "Register" and "Register column")."""
	return {
		key: _(text, context="Register column" if key.startswith("column_") else "Register")
		for key, text in core.ENGLISH_LABELS.items()
	}


def period(f: Filtres) -> str:
	start, end = (format_date(d) if d else None for d in (f.from_date, f.to_date))
	if start and end:
		return _("From {0} to {1}").format(start, end) if start != end else _("Day of {0}").format(start)
	if start or end:
		return _("Since {0}").format(start) if start else _("Until {0}").format(end)
	return _("All dates")


def filters_line(f: Filtres) -> str:
	parts = []
	for key, value in f.as_dict().items():
		if key in ("from_date", "to_date"):
			continue
		if key == "statut":
			value = _(frappe.db.get_value("Statut Courrier", value, "libelle") or value)
		parts.append(f"{_(label(key))} : {value}")
	return " · ".join(parts)


def export(f: Filtres, fmt: str) -> tuple[str, bytes]:
	"""The register for `f` as PDF (landscape, with the empty Observation column) or XLSX."""
	if fmt not in ("pdf", "xlsx"):
		frappe.throw(_("Format {0} is not available: choose pdf or xlsx.").format(frappe.bold(fmt)))
	with user_language():
		data, sums = rows(f), totals(f)
		common = {
			"period": period(f),
			"filters": filters_line(f),
			"generated_by": get_fullname(frappe.session.user),
			"generated_at": get_datetime(),
			"totals": sums,
		}
		if fmt == "pdf":
			content = core.registre_pdf(data, labels(), entete=entete(), **common)
		else:
			content = core.registre_xlsx(data, labels(), **common)
	return f"registre-{file_suffix(f)}.{fmt}", content


def file_suffix(f: Filtres) -> str:
	days = [str(d) for d in (f.from_date, f.to_date) if d]
	return "_".join(dict.fromkeys(days)) or "complet"


# ------------------------------------------------------------------ the daily closing


def day_bounds(day) -> dict:
	start = datetime.combine(getdate(day), datetime.min.time())
	return {"start": start, "end": start + timedelta(days=1)}


def seal(day) -> dict:
	"""Count, totals and fingerprint of everything registered on `day` (outside the trash),
	whoever may see it: the seal covers the whole day's register."""
	columns = ", ".join(f"`{field}`" for field in FINGERPRINT_FIELDS)
	sealed = frappe.db.sql(
		f"""select {columns} from `tabCourrier`
		where `is_deleted` = 0 and `date_enregistrement` >= %(start)s and `date_enregistrement` < %(end)s""",
		day_bounds(day),
		as_dict=True,
	)
	return {
		"nombre": len(sealed),
		"entrants": sum(1 for row in sealed if row.type_courrier == "Entrant"),
		"sortants": sum(1 for row in sealed if row.type_courrier == "Sortant"),
		"empreinte": core.fingerprint(map(en_clair, sealed), FINGERPRINT_FIELDS),
	}


def en_clair(row: dict) -> dict:
	"""The values as registered: envelopes opened, so that re-encrypting them under a new key
	(rotation) leaves the fingerprint as it was while any change of the value still shows."""
	encrypted = [f for f in MAY_BE_ENCRYPTED if crypto.is_encrypted(row.get(f))]
	if not encrypted:
		return row
	ring = trousseau()
	return {**row, **{f: crypto.decrypt_text(ring, row[f], aad(row["name"], f)) for f in encrypted}}


def check_closing(name: str) -> dict:
	"""Does the day still match its closing? The caller checks the right to read the closing."""
	closing = frappe.get_doc("Cloture Registre", name)
	current = seal(closing.date_registre)
	return {
		"date": str(closing.date_registre),
		"conforme": current["empreinte"] == closing.empreinte,
		"nombre_cloture": closing.nombre,
		"nombre_actuel": current["nombre"],
		"empreinte_cloture": closing.empreinte,
		"empreinte_actuelle": current["empreinte"],
		"cloture_par": get_fullname(closing.cloture_par),
		"cloture_le": str(closing.cloture_le),
	}


def closing_pdf(closing) -> bytes:
	"""The sealed register of the closed day, with its totals, fingerprint and signature block."""
	f = Filtres.day(closing.date_registre)
	with user_language():
		data = rows(f)
		return core.registre_pdf(
			data,
			labels(),
			entete=entete(),
			title=_("Mail register of {0}").format(format_date(closing.date_registre)),
			period=_("Closed on {0} by {1}").format(
				format_date(closing.cloture_le), get_fullname(closing.cloture_par)
			),
			generated_by=get_fullname(closing.cloture_par),
			generated_at=get_datetime(closing.cloture_le),
			totals=core.compute_totals(data),
			fingerprint=closing.empreinte,
		)


def closing_message(f: Filtres) -> str:
	"""For the report of one day: is it closed, and does it still match?"""
	if not (f.from_date and f.from_date == f.to_date):
		return ""
	name = frappe.db.get_value("Cloture Registre", {"date_registre": f.from_date}, "name")
	if not name or not frappe.has_permission("Cloture Registre", "read", doc=name):
		return ""
	state = check_closing(name)
	text = _("Day closed on {0} by {1}: {2} mails sealed.").format(
		format_date(state["cloture_le"]), state["cloture_par"], state["nombre_cloture"]
	)
	if state["conforme"]:
		return f'<div class="alert alert-success">{frappe.utils.escape_html(text)}</div>'
	warning = _(
		"The register no longer matches its closing: a mail of this day was changed, added or trashed."
	)
	return f'<div class="alert alert-danger">{frappe.utils.escape_html(text + " " + warning)}</div>'

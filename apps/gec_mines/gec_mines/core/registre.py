"""The official register (registre du courrier): its PDF and XLSX exports and the
fingerprint that seals a day's closing.

Rows are plain mappings with the Courrier field names (`numero_accuse_reception`,
`type_courrier`, `type_document`, `numero_reference`, `expediteur`, `destinataire`,
`objet`, `date_redaction`, `date_enregistrement`, `statut`, `secretaire_general_copie`),
labels such as the status already translated. The columns are those of the legacy list
export, the last one, "Observation", left empty for handwritten notes. Words come from
`labels` (keys in `LABEL_KEYS`, English source text in `ENGLISH_LABELS`), as in
`core/accuse.py`, whose letterhead and footer the PDF shares.
"""

import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, LongTable, Paragraph, Spacer, Table, TableStyle

from gec_mines.core.accuse import (
	ACCENT,
	INCOMING,
	LABEL_FILL,
	RULE,
	Entete,
	build,
	display,
	display_or_blank,
	fonts,
	footer_for,
	label_getter,
	letterhead,
	markup,
	page_size,
	yes_no,
)

OUTGOING = "Sortant"
FINGERPRINT_PREFIX = b"gec-mines/registre/v1\n"

# The legacy "export_mail_list" columns, with their share of the table's width.
COLUMNS: tuple[tuple[str, float], ...] = (
	("column_number", 0.12),
	("column_type", 0.075),
	("column_reference", 0.085),
	("column_contact", 0.12),
	("column_subject", 0.18),
	("column_date_drafted", 0.07),
	("column_date_registered", 0.07),
	("column_status", 0.08),
	("column_sg_copy", 0.045),
	("column_observation", 0.155),
)

LABEL_KEYS = (
	"title",
	*(key for key, _share in COLUMNS),
	"direction_incoming",
	"direction_outgoing",
	"yes",
	"no",
	"count_line",
	"no_rows",
	"totals_title",
	"column_day",
	"column_incoming",
	"column_outgoing",
	"column_total",
	"grand_total",
	"closing_title",
	"fingerprint",
	"fingerprint_note",
	"signature",
	"sheet_register",
	"sheet_totals",
	"generated_on_by",
	"page_x_of_y",
)

ENGLISH_LABELS: dict[str, str] = {
	"title": "Mail register",
	"column_number": "Registration no.",
	"column_type": "Type",
	"column_reference": "Reference",
	"column_contact": "Main contact",
	"column_subject": "Subject",
	"column_date_drafted": "Date drafted / issued",
	"column_date_registered": "Date registered",
	"column_status": "Status",
	"column_sg_copy": "In copy",
	"column_observation": "Observation",
	"direction_incoming": "Incoming",
	"direction_outgoing": "Outgoing",
	"yes": "Yes",
	"no": "No",
	"count_line": "{count} mails",
	"no_rows": "No mail for this period.",
	"totals_title": "Totals per day and direction",
	"column_day": "Day",
	"column_incoming": "Incoming",
	"column_outgoing": "Outgoing",
	"column_total": "Total",
	"grand_total": "Total",
	"closing_title": "Closing of the register",
	"fingerprint": "Fingerprint (SHA-256) of the rows",
	"fingerprint_note": "Any later change to one of these rows changes this fingerprint.",
	"signature": "Signature and stamp of the head of the registry",
	"sheet_register": "Register",
	"sheet_totals": "Totals",
	"generated_on_by": "Generated on {date} by {user}",
	"page_x_of_y": "Page {page} of {total}",
}

OBSERVATION_FILL = colors.HexColor("#fffbe6")
STRIPE = colors.HexColor("#f8fafc")


@dataclass(frozen=True)
class DayTotal:
	day: date | str | None
	incoming: int
	outgoing: int

	@property
	def total(self) -> int:
		return self.incoming + self.outgoing


@dataclass(frozen=True)
class Totals:
	days: tuple[DayTotal, ...]

	@property
	def incoming(self) -> int:
		return sum(day.incoming for day in self.days)

	@property
	def outgoing(self) -> int:
		return sum(day.outgoing for day in self.days)

	@property
	def total(self) -> int:
		return self.incoming + self.outgoing


# --- figures ------------------------------------------------------------------------------


def compute_totals(rows: Iterable[Mapping[str, Any]]) -> Totals:
	"""Counts per registration day and direction, days in order (unknown day last)."""
	counts: Counter = Counter()
	for row in rows:
		counts[(day_of(row.get("date_enregistrement")), row.get("type_courrier"))] += 1
	days = sorted({day for day, _direction in counts}, key=lambda d: (d is None, str(d)))
	return Totals(tuple(DayTotal(day, counts[(day, INCOMING)], counts[(day, OUTGOING)]) for day in days))


def day_of(value: Any) -> date | str | None:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	text = str(value or "").strip()
	if not text:
		return None
	try:
		return date.fromisoformat(text[:10])
	except ValueError:
		return text


def fingerprint(rows: Iterable[Mapping[str, Any]], fields: Sequence[str] | None = None) -> str:
	"""SHA-256 (hex) of a canonical form of `rows`: any change to any value shows.

	Every key of every row counts, or only `fields` when given (a missing one reads as
	empty). Rows are sorted by their canonical form, so the order of the query does not
	matter; None and "" are the same, as are 1, True and "1" (what MariaDB and Frappe
	return for one value varies between those spellings).
	"""
	serialised = sorted(
		json.dumps(
			[[key, _canonical(row.get(key))] for key in sorted(fields if fields is not None else row)],
			ensure_ascii=False,
			separators=(",", ":"),
		)
		for row in rows
	)
	digest = hashlib.sha256(FINGERPRINT_PREFIX)
	for line in serialised:
		digest.update(line.encode("utf-8") + b"\n")
	return digest.hexdigest()


def _canonical(value: Any) -> str:
	if value is None:
		return ""
	if isinstance(value, bool):
		return "1" if value else "0"
	if isinstance(value, datetime):
		return value.isoformat(sep=" ")
	if isinstance(value, date):
		return value.isoformat()
	if isinstance(value, float | Decimal):
		number = Decimal(str(value)).normalize()
		return format(number, "f")
	return str(value)


# --- cells ------------------------------------------------------------------------------


def row_values(row: Mapping[str, Any], label) -> list[Any]:
	"""The register's cells for one row, in `COLUMNS` order (dates left as dates)."""
	incoming = row.get("type_courrier") == INCOMING
	direction = label("direction_incoming" if incoming else "direction_outgoing")
	kind = display_or_blank(row.get("type_document"))
	return [
		row.get("numero_accuse_reception") or row.get("name"),
		f"{direction}\n{kind}" if kind else direction,
		row.get("numero_reference"),
		row.get("expediteur" if incoming else "destinataire"),
		row.get("objet"),
		row.get("date_redaction"),
		row.get("date_enregistrement"),
		row.get("statut"),
		yes_no(row.get("secretaire_general_copie"), label),
		"",
	]


# --- PDF ----------------------------------------------------------------------------------


def registre_pdf(
	rows: Sequence[Mapping[str, Any]],
	labels: Mapping[str, str] | None = None,
	*,
	entete: Entete | Mapping[str, Any] | None = None,
	title: str = "",
	period: str = "",
	filters: str = "",
	generated_by: str = "",
	generated_at: datetime | str | None = None,
	totals: Totals | None = None,
	fingerprint: str | None = None,
	orientation: str = "landscape",
) -> bytes:
	"""The register as PDF bytes: A4, numbered pages, totals per day and direction and,
	for a closing, the fingerprint of the rows with room for a signature.

	`title` defaults to the "title" label; `period` and `filters` are printed as given.
	`totals` defaults to `compute_totals(rows)`.
	"""
	if not isinstance(entete, Entete):
		entete = Entete.from_mapping(entete)
	label = label_getter(labels, ENGLISH_LABELS)
	totals = totals if totals is not None else compute_totals(rows)
	pagesize = page_size("A4", orientation)
	margin = 12 * mm
	width = pagesize[0] - 2 * margin
	styles = table_styles()

	story: list[Flowable] = [
		*filter(None, [letterhead(entete, width, 0.9)]),
		Spacer(1, 4 * mm),
		Paragraph(markup(title or label("title")), styles["title"]),
	]
	for line in (period, filters):
		if line:
			story.append(Paragraph(markup(line), styles["centred"]))
	story += [
		Paragraph(markup(label("count_line", count=len(rows))), styles["centred"]),
		Spacer(1, 4 * mm),
		_rows_table(rows, label, styles, width)
		if rows
		else Paragraph(markup(label("no_rows")), styles["body"]),
		Spacer(1, 6 * mm),
		KeepTogether(
			[
				Paragraph(markup(label("totals_title")), styles["heading"]),
				Spacer(1, 2 * mm),
				_totals_table(totals, label, styles),
			]
		),
	]
	if fingerprint:
		story += _closing(fingerprint, label, styles, width)

	footer = footer_for(entete, label, generated_by, generated_at)
	return build(story, pagesize, footer, title=title or label("title"), margin=margin)


def table_styles() -> dict[str, ParagraphStyle]:
	"""The paragraph styles of the register's tables (the security journal's PDF uses them too)."""
	regular, bold = fonts()
	body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=10.5)
	return {
		"body": body,
		"cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
		"head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=7.5, leading=9),
		"title": ParagraphStyle(
			"title", parent=body, fontName=bold, fontSize=14, leading=18, alignment=1, textColor=ACCENT
		),
		"centred": ParagraphStyle("centred", parent=body, alignment=1),
		"heading": ParagraphStyle(
			"heading", parent=body, fontName=bold, fontSize=10, leading=13, textColor=ACCENT
		),
		"mono": ParagraphStyle("mono", parent=body, fontName="Courier", fontSize=9, leading=12),
	}


# Columns short enough to skip Paragraph wrapping (a plain string is much cheaper).
_PLAIN = {"column_date_drafted", "column_date_registered", "column_sg_copy", "column_observation"}


def _rows_table(rows, label, styles, width: float) -> Table:
	plain = [key in _PLAIN for key, _share in COLUMNS]
	data: list[list[Any]] = [[Paragraph(markup(label(key)), styles["head"]) for key, _share in COLUMNS]]
	for row in rows:
		cells = [
			display(value).replace(" ", "\n", 1) if is_plain else Paragraph(markup(value), styles["cell"])
			for value, is_plain in zip(row_values(row, label)[:-1], plain, strict=False)
		]
		data.append([*cells, ""])  # the Observation column stays blank, not a dash
	regular = fonts()[0]
	table = LongTable(data, colWidths=[width * share for _key, share in COLUMNS], repeatRows=1, splitInRow=1)
	table.setStyle(
		TableStyle(
			[
				("FONT", (0, 1), (-1, -1), regular, 7.5),
				("VALIGN", (0, 0), (-1, -1), "TOP"),
				("GRID", (0, 0), (-1, -1), 0.3, RULE),
				("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
				("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
				("BACKGROUND", (-1, 1), (-1, -1), OBSERVATION_FILL),
				("LEFTPADDING", (0, 0), (-1, -1), 3),
				("RIGHTPADDING", (0, 0), (-1, -1), 3),
				("TOPPADDING", (0, 1), (-1, -1), 4),
				("BOTTOMPADDING", (0, 1), (-1, -1), 6),
			]
		)
	)
	return table


def _totals_table(totals: Totals, label, styles) -> Table:
	heads = ("column_day", "column_incoming", "column_outgoing", "column_total")
	data: list[list[Any]] = [[Paragraph(markup(label(key)), styles["head"]) for key in heads]]
	data += [[display(day.day), str(day.incoming), str(day.outgoing), str(day.total)] for day in totals.days]
	data.append([label("grand_total"), str(totals.incoming), str(totals.outgoing), str(totals.total)])
	regular, bold = fonts()
	table = Table(data, colWidths=[45 * mm, 30 * mm, 30 * mm, 30 * mm], repeatRows=1, hAlign="LEFT")
	table.setStyle(
		TableStyle(
			[
				("FONT", (0, 1), (-1, -1), regular, 8.5),
				("FONT", (0, -1), (-1, -1), bold, 8.5),
				("ALIGN", (1, 1), (-1, -1), "RIGHT"),
				("GRID", (0, 0), (-1, -1), 0.3, RULE),
				("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
				("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
			]
		)
	)
	return table


def _closing(digest: str, label, styles, width: float) -> list[Flowable]:
	signature = Table(
		[[label("signature")], [""]], colWidths=[90 * mm], rowHeights=[None, 22 * mm], hAlign="RIGHT"
	)
	signature.setStyle(
		TableStyle(
			[
				("FONT", (0, 0), (-1, -1), fonts()[0], 8),
				("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
			]
		)
	)
	return [
		Spacer(1, 6 * mm),
		KeepTogether(
			[
				Paragraph(markup(label("closing_title")), styles["heading"]),
				Spacer(1, 2 * mm),
				Paragraph(markup(label("fingerprint")), styles["body"]),
				Paragraph(markup(digest), styles["mono"]),
				Paragraph(markup(label("fingerprint_note")), styles["body"]),
				Spacer(1, 4 * mm),
				signature,
			]
		),
	]


# --- XLSX -------------------------------------------------------------------------------


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
XLSX_DATE = "DD/MM/YYYY"
XLSX_DATETIME = "DD/MM/YYYY HH:MM"


def registre_xlsx(
	rows: Sequence[Mapping[str, Any]],
	labels: Mapping[str, str] | None = None,
	*,
	title: str = "",
	period: str = "",
	filters: str = "",
	generated_by: str = "",
	generated_at: datetime | str | None = None,
	totals: Totals | None = None,
	fingerprint: str | None = None,
) -> bytes:
	"""The register as XLSX bytes: a sheet of rows (real dates, filter, frozen header) and a
	sheet of totals with the fingerprint when given. Text is always stored as text, so a
	subject starting with "=" is never a formula."""
	label = label_getter(labels, ENGLISH_LABELS)
	totals = totals if totals is not None else compute_totals(rows)
	book = Workbook()
	sheet = book.active
	sheet.title = _sheet_title(label("sheet_register"))
	bold = Font(bold=True)
	head_fill = PatternFill("solid", fgColor="EEF2F7")
	thin = Side(style="thin", color="9CA3AF")
	border = Border(left=thin, right=thin, top=thin, bottom=thin)
	wrap = Alignment(wrap_text=True, vertical="top")

	_put(sheet, 1, 1, title or label("title")).font = Font(bold=True, size=14)
	heading = [
		period,
		filters,
		label("generated_on_by", date=display(generated_at or datetime.now()), user=display(generated_by)),
		label("count_line", count=len(rows)),
	]
	line = 2
	for text in heading:
		if text:
			_put(sheet, line, 1, text)
			line += 1
	header_row = line + 1

	for col, (key, share) in enumerate(COLUMNS, start=1):
		cell = _put(sheet, header_row, col, label(key))
		cell.font, cell.fill, cell.border, cell.alignment = bold, head_fill, border, wrap
		sheet.column_dimensions[get_column_letter(col)].width = max(10, round(share * 160))
	observation_fill = PatternFill("solid", fgColor="FFFBE6")
	for r, row in enumerate(rows, start=header_row + 1):
		for col, value in enumerate(row_values(row, label), start=1):
			cell = _put(sheet, r, col, value)
			cell.border, cell.alignment = border, wrap
		sheet.cell(r, len(COLUMNS)).fill = observation_fill
	sheet.freeze_panes = sheet.cell(header_row + 1, 1)
	last_row = header_row + max(len(rows), 1)
	sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{last_row}"

	sums = book.create_sheet(_sheet_title(label("sheet_totals")))
	heads = ("column_day", "column_incoming", "column_outgoing", "column_total")
	for col, key in enumerate(heads, start=1):
		cell = _put(sums, 1, col, label(key))
		cell.font, cell.fill, cell.border = bold, head_fill, border
		sums.column_dimensions[get_column_letter(col)].width = 18
	r = 1
	for r, day in enumerate(totals.days, start=2):
		for col, value in enumerate((day.day, day.incoming, day.outgoing, day.total), start=1):
			_put(sums, r, col, value).border = border
	r += 1
	for col, value in enumerate(
		(label("grand_total"), totals.incoming, totals.outgoing, totals.total), start=1
	):
		cell = _put(sums, r, col, value)
		cell.font, cell.border = bold, border
	if fingerprint:
		_put(sums, r + 2, 1, label("fingerprint")).font = bold
		_put(sums, r + 3, 1, fingerprint)
		_put(sums, r + 4, 1, label("fingerprint_note"))

	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


def _put(sheet, row: int, col: int, value: Any):
	"""Write one value: dates as dates, numbers as numbers, anything else as plain text."""
	cell = sheet.cell(row, col)
	if isinstance(value, datetime):
		cell.value, cell.number_format = value, XLSX_DATETIME
	elif isinstance(value, date):
		cell.value, cell.number_format = value, XLSX_DATE
	elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
		cell.value = value
	elif value is not None and value != "":
		cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
		cell.data_type = "s"  # openpyxl would otherwise read a leading "=" as a formula
	return cell


def _sheet_title(text: str) -> str:
	return _SHEET_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"

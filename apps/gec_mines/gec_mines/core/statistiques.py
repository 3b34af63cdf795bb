"""The mail statistics export (the legacy analytics page's PDF and Excel files).

The figures arrive as titled tables (`Section`), already counted and translated by the
Frappe layer; this module only lays them out: a PDF with the registry's letterhead and
"page X of Y" footer (shared with `core/accuse.py`), or a workbook with one sheet per table.
"""

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from gec_mines.core.accuse import (
	ACCENT,
	LABEL_FILL,
	RULE,
	Entete,
	build,
	display,
	fonts,
	footer_for,
	label_getter,
	letterhead,
	markup,
	page_size,
)
from gec_mines.core.registre import _put, _sheet_title

ENGLISH_LABELS: dict[str, str] = {
	"title": "Mail statistics",
	"no_rows": "Nothing to show.",
	"generated_on_by": "Generated on {date} by {user}",
	"page_x_of_y": "Page {page} of {total}",
}
LABEL_KEYS = tuple(ENGLISH_LABELS)


@dataclass(frozen=True)
class Section:
	"""One table of figures: a title, column headers, rows of values (numbers stay numbers)."""

	title: str
	columns: Sequence[str]
	rows: Sequence[Sequence[Any]]


def statistiques_pdf(
	sections: Sequence[Section],
	labels: Mapping[str, str] | None = None,
	*,
	entete: Entete | Mapping[str, Any] | None = None,
	title: str = "",
	period: str = "",
	generated_by: str = "",
	generated_at: datetime | str | None = None,
) -> bytes:
	"""A4 portrait, one table per section, the first column wide and the figures right-aligned."""
	if not isinstance(entete, Entete):
		entete = Entete.from_mapping(entete)
	label = label_getter(labels, ENGLISH_LABELS)
	pagesize = page_size("A4")
	margin = 15 * mm
	width = pagesize[0] - 2 * margin
	regular, bold = fonts()
	body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
	styles = {
		"title": ParagraphStyle(
			"title", parent=body, fontName=bold, fontSize=14, leading=18, alignment=1, textColor=ACCENT
		),
		"centred": ParagraphStyle("centred", parent=body, alignment=1),
		"heading": ParagraphStyle(
			"heading", parent=body, fontName=bold, fontSize=10.5, leading=14, textColor=ACCENT
		),
		"cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
		"head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=8.5, leading=10.5),
	}
	story: list[Flowable] = [
		*filter(None, [letterhead(entete, width, 0.9)]),
		Spacer(1, 4 * mm),
		Paragraph(markup(title or label("title")), styles["title"]),
	]
	if period:
		story.append(Paragraph(markup(period), styles["centred"]))
	for section in sections:
		table = _table(section, styles, width) if section.rows else Paragraph(markup(label("no_rows")), body)
		parts = [
			Spacer(1, 5 * mm),
			Paragraph(markup(section.title), styles["heading"]),
			Spacer(1, 2 * mm),
			table,
		]
		story += [KeepTogether(parts)] if len(section.rows) < 25 else parts
	footer = footer_for(entete, label, generated_by, generated_at)
	return build(story, pagesize, footer, title=title or label("title"), margin=margin)


def _table(section: Section, styles, width: float) -> Table:
	count = len(section.columns)
	first = 0.46 if count > 2 else 0.7
	shares = [first] + [(1 - first) / (count - 1)] * (count - 1)
	data: list[list[Any]] = [[Paragraph(markup(c), styles["head"]) for c in section.columns]]
	for row in section.rows:
		data.append([Paragraph(markup(row[0]), styles["cell"])] + [_number(value) for value in list(row)[1:]])
	regular, _bold = fonts()
	table = Table(data, colWidths=[width * s for s in shares], repeatRows=1)
	table.setStyle(
		TableStyle(
			[
				("FONT", (1, 1), (-1, -1), regular, 8.5),
				("ALIGN", (1, 0), (-1, -1), "RIGHT"),
				("VALIGN", (0, 0), (-1, -1), "TOP"),
				("GRID", (0, 0), (-1, -1), 0.3, RULE),
				("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
			]
		)
	)
	return table


def _number(value: Any) -> str:
	if isinstance(value, float):
		return f"{value:.1f}"
	return display(value)


def statistiques_xlsx(
	sections: Sequence[Section],
	labels: Mapping[str, str] | None = None,
	*,
	title: str = "",
	period: str = "",
	generated_by: str = "",
	generated_at: datetime | str | None = None,
) -> bytes:
	"""One sheet per section; numbers stay numbers, text is never read as a formula."""
	label = label_getter(labels, ENGLISH_LABELS)
	book = Workbook()
	book.remove(book.active)
	bold = Font(bold=True)
	fill = PatternFill("solid", fgColor="EEF2F7")
	used: set[str] = set()
	for section in sections:
		name = _sheet_title(section.title)[:28]
		while name in used:
			name += "_"
		used.add(name)
		sheet = book.create_sheet(name)
		_put(sheet, 1, 1, title or label("title")).font = Font(bold=True, size=13)
		_put(sheet, 2, 1, section.title).font = bold
		line = 3
		for text in (
			period,
			label(
				"generated_on_by", date=display(generated_at or datetime.now()), user=display(generated_by)
			),
		):
			if text:
				_put(sheet, line, 1, text)
				line += 1
		header = line + 1
		for col, heading in enumerate(section.columns, start=1):
			cell = _put(sheet, header, col, heading)
			cell.font, cell.fill = bold, fill
			sheet.column_dimensions[get_column_letter(col)].width = 42 if col == 1 else 16
		for r, row in enumerate(section.rows, start=header + 1):
			for col, value in enumerate(row, start=1):
				_put(sheet, r, col, value)
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()

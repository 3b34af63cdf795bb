"""The security and activity journal (Journal Securite GEC) as a landscape PDF, like the legacy
"export_logs_pdf": title, period and filters, a table of events, "page X of Y" and who generated it.

Rows are plain mappings with the journal's field names (`horodatage`, `evenement`, `categorie`,
`utilisateur`, `adresse_ip`, `courrier`, `document_type`, `document_name`, `details`). Words come
from `labels` (keys of `ENGLISH_LABELS`), falling back to the English text; the letterhead, the
footer and the page layout are those of `core/accuse.py`.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

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
from gec_mines.core.registre import table_styles

DETAILS_MAX = 300

# Columns of the table, with their share of the width.
COLUMNS: tuple[tuple[str, float], ...] = (
	("column_when", 0.11),
	("column_event", 0.12),
	("column_category", 0.07),
	("column_user", 0.17),
	("column_ip", 0.09),
	("column_mail", 0.12),
	("column_details", 0.32),
)

ENGLISH_LABELS: dict[str, str] = {
	"title": "Security and activity journal",
	"column_when": "Date and Time",
	"column_event": "Event",
	"column_category": "Category",
	"column_user": "User",
	"column_ip": "IP Address",
	"column_mail": "Mail / Document",
	"column_details": "Details",
	"count_line": "{count} events",
	"truncated": "Only the first {count} events are shown: narrow the period or the filters.",
	"no_rows": "No event for these filters.",
	"generated_on_by": "Generated on {date} by {user}",
	"page_x_of_y": "Page {page} of {total}",
}

STRIPE = colors.HexColor("#f8fafc")


def row_values(row: Mapping[str, Any]) -> list[Any]:
	"""The table's cells for one journal row, in `COLUMNS` order."""
	document = " ".join(str(v) for v in (row.get("document_type"), row.get("document_name")) if v)
	mail = row.get("courrier")
	details = str(row.get("details") or "")
	if len(details) > DETAILS_MAX:
		details = details[: DETAILS_MAX - 1] + "…"
	return [
		row.get("horodatage"),
		row.get("evenement"),
		row.get("categorie"),
		row.get("utilisateur"),
		row.get("adresse_ip"),
		"\n".join(v for v in (mail, document) if v),
		details,
	]


def journal_pdf(
	rows: Sequence[Mapping[str, Any]],
	labels: Mapping[str, str] | None = None,
	title: str = "",
	period: str = "",
	generated_by: str = "",
	generated_at: datetime | str | None = None,
	*,
	filters: str = "",
	truncated: bool = False,
	entete: Entete | Mapping[str, Any] | None = None,
) -> bytes:
	"""The journal as PDF bytes: A4 landscape, numbered pages. `truncated` says that `rows` is
	only the first part of what the filters match (a line says so under the title)."""
	if not isinstance(entete, Entete):
		entete = Entete.from_mapping(entete)
	label = label_getter(labels, ENGLISH_LABELS)
	pagesize = page_size("A4", "landscape")
	margin = 12 * mm
	width = pagesize[0] - 2 * margin
	styles = _styles()

	story: list[Flowable] = [
		*filter(None, [letterhead(entete, width, 0.8)]),
		Spacer(1, 3 * mm),
		Paragraph(markup(title or label("title")), styles["title"]),
	]
	for line in (period, filters):
		if line:
			story.append(Paragraph(markup(line), styles["centred"]))
	story.append(Paragraph(markup(label("count_line", count=len(rows))), styles["centred"]))
	if truncated:
		story.append(Paragraph(markup(label("truncated", count=len(rows))), styles["warning"]))
	story += [
		Spacer(1, 4 * mm),
		_rows_table(rows, label, styles, width)
		if rows
		else Paragraph(markup(label("no_rows")), styles["body"]),
	]
	footer = footer_for(entete, label, generated_by, generated_at)
	return build(story, pagesize, footer, title=title or label("title"), margin=margin)


def _styles() -> dict[str, ParagraphStyle]:
	styles = table_styles()
	styles["warning"] = ParagraphStyle(
		"warning",
		parent=styles["body"],
		fontName=fonts()[1],
		alignment=1,
		textColor=colors.HexColor("#b91c1c"),
	)
	return styles


def _rows_table(rows, label, styles, width: float) -> LongTable:
	data: list[list[Any]] = [[Paragraph(markup(label(key)), styles["head"]) for key, _share in COLUMNS]]
	for row in rows:
		values = row_values(row)
		data.append([display(values[0]), *(Paragraph(markup(v), styles["cell"]) for v in values[1:])])
	table = LongTable(data, colWidths=[width * share for _key, share in COLUMNS], repeatRows=1, splitInRow=1)
	table.setStyle(
		TableStyle(
			[
				("FONT", (0, 1), (-1, -1), fonts()[0], 7.5),
				("VALIGN", (0, 0), (-1, -1), "TOP"),
				("GRID", (0, 0), (-1, -1), 0.3, RULE),
				("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
				("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
				("LEFTPADDING", (0, 0), (-1, -1), 3),
				("RIGHTPADDING", (0, 0), (-1, -1), 3),
			]
		)
	)
	return table

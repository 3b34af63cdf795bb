"""The acknowledgement receipt (accusé de réception) drawn with ReportLab.

`accuse_pdf()` turns plain values into PDF bytes. Nothing here translates: every word the
reader sees comes from the `labels` mapping (keys in `LABEL_KEYS`, English source text in
`ENGLISH_LABELS`), so the Frappe layer passes the labels through `_()` in the user's
language. Values are user content and are always escaped, never read as markup.

The page furniture (fonts, letterhead, "page X of Y" footer) is shared with the official
register in `core/registre.py`.
"""

import functools
import hashlib
import io
import itertools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gec_mines.core.errors import DomainError

LABEL_KEYS = (
	"title_incoming",
	"title_outgoing",
	"registration_number",
	"direction",
	"direction_incoming",
	"direction_outgoing",
	"document_type",
	"reference",
	"sender",
	"recipient",
	"subject",
	"sg_copy",
	"yes",
	"no",
	"date_drafted",
	"date_issued",
	"date_received",
	"date_registered",
	"registered_by",
	"status",
	"department",
	"department_contact",
	"attachment",
	"other_information",
	"qr_caption",
	"receipt_notice",
	"see_next_page",
	"comments_title",
	"transmissions_title",
	"column_date",
	"column_author",
	"column_kind",
	"column_comment",
	"column_sent_by",
	"column_sent_to",
	"column_message",
	"generated_on_by",
	"page_x_of_y",
)

ENGLISH_LABELS: dict[str, str] = {
	"title_incoming": "Acknowledgement of receipt - incoming mail",
	"title_outgoing": "Acknowledgement of registration - outgoing mail",
	"registration_number": "Registration number",
	"direction": "Direction",
	"direction_incoming": "Incoming",
	"direction_outgoing": "Outgoing",
	"document_type": "Type of document",
	"reference": "Reference",
	"sender": "Sender",
	"recipient": "Recipient",
	"subject": "Subject",
	"sg_copy": "Secretary General in copy",
	"yes": "Yes",
	"no": "No",
	"date_drafted": "Date of the letter",
	"date_issued": "Date of issue",
	"date_received": "Date of receipt",
	"date_registered": "Date of registration",
	"registered_by": "Registered by",
	"status": "Status",
	"department": "Department in charge",
	"department_contact": "How to reach the department",
	"attachment": "Attached file",
	"other_information": "Other information",
	"qr_caption": "Scan to check this receipt",
	"receipt_notice": "Keep this receipt: quote its registration number in any follow-up.",
	"see_next_page": "See the next page for the comments and the history of transmissions.",
	"comments_title": "Comments and annotations",
	"transmissions_title": "History of transmissions",
	"column_date": "Date",
	"column_author": "Author",
	"column_kind": "Kind",
	"column_comment": "Comment",
	"column_sent_by": "Sent by",
	"column_sent_to": "Sent to",
	"column_message": "Message",
	"generated_on_by": "Generated on {date} by {user}",
	"page_x_of_y": "Page {page} of {total}",
}

DASH = "—"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
INCOMING = "Entrant"
QR_MASK = 0

# DejaVu covers every Latin script and more; Vera ships inside ReportLab itself, so a
# TTF (text that extracts, French accents) is there even on a bare server.
_REPORTLAB_FONTS = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
FONT_CANDIDATES = (
	("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
	("DejaVuSans", "/usr/share/fonts/TTF/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
	("DejaVuSans", "/usr/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
	("Vera", os.path.join(_REPORTLAB_FONTS, "Vera.ttf"), "VeraBd.ttf"),
)

INK = colors.HexColor("#1f2937")
ACCENT = colors.HexColor("#1e3a8a")
MUTED = colors.HexColor("#6b7280")
LABEL_FILL = colors.HexColor("#eef2f7")
RULE = colors.HexColor("#9ca3af")

# Binary streams: ReportLab's default ASCII85 armour is done in pure Python and would cost
# several milliseconds per receipt; every PDF reader takes binary streams.
rl_config.useA85 = 0

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Value = str | date | datetime | None


@dataclass(frozen=True)
class Commentaire:
	"""A comment, annotation or instruction on the courrier."""

	auteur: str
	date: Value
	texte: str
	nature: str = ""  # already a label: "Annotation", "Instruction", ...


@dataclass(frozen=True)
class Transmission:
	"""One forward of the courrier to someone."""

	auteur: str
	date: Value
	texte: str
	destinataire: str = ""


@dataclass(frozen=True)
class Accuse:
	"""Everything a receipt shows. Names follow the Courrier fields; labels (status, type)
	arrive already translated, dates as date/datetime or as strings formatted by the caller."""

	numero_accuse_reception: str
	type_courrier: str  # "Entrant" or "Sortant"
	numero_reference: str = ""
	objet: str = ""
	expediteur: str = ""
	destinataire: str = ""
	date_redaction: Value = None
	date_reception: Value = None
	date_enregistrement: Value = None
	statut: str = ""
	type_document: str = ""
	secretaire_general_copie: bool | str | None = None
	autres_informations: str = ""
	departement: str = ""
	departement_contact: str = ""
	enregistre_par: str = ""
	fichier: str = ""
	commentaires: Sequence[Commentaire] = ()
	transmissions: Sequence[Transmission] = ()
	qr_payload: str = ""  # the verification URL; no QR code when empty

	@classmethod
	def from_mapping(cls, data: Mapping[str, Any]) -> "Accuse":
		"""Build from a dict; keys that are not fields are ignored, entries may be dicts."""
		known = {f.name for f in fields(cls)}
		values = {key: value for key, value in data.items() if key in known}
		values["commentaires"] = tuple(_entry(Commentaire, c) for c in values.get("commentaires") or ())
		values["transmissions"] = tuple(_entry(Transmission, t) for t in values.get("transmissions") or ())
		return cls(**values)


@dataclass(frozen=True)
class Entete:
	"""The letterhead and footer texts; names follow the GEC Settings fields."""

	nom_organisation: str = ""
	pays_pdf: str = ""
	titre_pdf: str = ""
	sous_titre_pdf: str = ""
	adresse_organisme: str = ""
	telephone: str = ""
	email_contact: str = ""
	texte_footer: str = ""
	copyright_text: str = ""
	logo: bytes | None = None  # PNG or JPEG

	@classmethod
	def from_mapping(cls, data: Mapping[str, Any] | None) -> "Entete":
		known = {f.name for f in fields(cls)}
		return cls(**{key: value for key, value in (data or {}).items() if key in known})


@dataclass(frozen=True)
class Footer:
	"""What the footer of every page says; the page numbers are added at the end."""

	texts: Sequence[str] = ()
	generated: str = ""
	page_label: str = ENGLISH_LABELS["page_x_of_y"]
	font: str = "Helvetica"


def _entry(kind, value):
	if isinstance(value, kind):
		return value
	known = {f.name for f in fields(kind)}
	return kind(**{key: item for key, item in value.items() if key in known})


# --- text -----------------------------------------------------------------------------


def label_getter(labels: Mapping[str, str] | None, defaults: Mapping[str, str]):
	"""A lookup that falls back to the English text for a key the caller did not pass."""
	labels = labels or {}

	def label(key: str, **params: Any) -> str:
		text = labels.get(key) or defaults[key]
		# replace(), not format(): a translation with a stray brace must not break the PDF
		for name, value in params.items():
			text = text.replace("{" + name + "}", str(value))
		return text

	return label


def display(value: Any) -> str:
	"""Plain text for a value: dates formatted, blanks shown as a dash."""
	if isinstance(value, datetime):
		return value.strftime(DATETIME_FORMAT)
	if isinstance(value, date):
		return value.strftime(DATE_FORMAT)
	text = _CONTROL.sub("", "" if value is None else str(value)).replace("\t", " ").strip()
	return text or DASH


def markup(value: Any) -> str:
	"""Paragraph markup for a user value: escaped, line breaks kept."""
	return escape(display(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")


def yes_no(value: bool | str | None, label) -> str:
	if isinstance(value, bool | int):
		return label("yes") if value else label("no")
	return display(value)


def format_when(value: datetime | str | None) -> str:
	return display(value or datetime.now())


# --- fonts, images ------------------------------------------------------------------------


@functools.cache
def fonts() -> tuple[str, str]:
	"""(regular, bold) font names, registered once per process."""
	for name, regular, bold in FONT_CANDIDATES:
		bold_path = os.path.join(os.path.dirname(regular), bold)
		if not (os.path.exists(regular) and os.path.exists(bold_path)):
			continue
		try:
			pdfmetrics.registerFont(TTFont(name, regular))
			pdfmetrics.registerFont(TTFont(name + "-Bold", bold_path))
		except (OSError, TTFError):
			continue
		pdfmetrics.registerFontFamily(
			name, normal=name, bold=name + "-Bold", italic=name, boldItalic=name + "-Bold"
		)
		return name, name + "-Bold"
	return "Helvetica", "Helvetica-Bold"


@functools.lru_cache(maxsize=8)
def _logo_jpeg(content: bytes) -> tuple[str, bytes, int, int] | None:
	"""(key, JPEG bytes, width, height) of the logo flattened on white, once per logo:
	ReportLab embeds JPEG bytes as they are, where a PNG is recompressed on every receipt."""
	try:
		image = PILImage.open(io.BytesIO(content))
		image.load()
		image.thumbnail((600, 600))
		if image.mode in ("RGBA", "LA", "P", "PA"):
			image = image.convert("RGBA")
			flat = PILImage.new("RGB", image.size, "white")
			flat.paste(image, mask=image.getchannel("A"))
			image = flat
		elif image.mode != "RGB":
			image = image.convert("RGB")
		out = io.BytesIO()
		image.save(out, format="JPEG", quality=90, subsampling=0)
	except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
		return None  # a broken logo must not cost the public its receipt
	return hashlib.sha1(content).hexdigest(), out.getvalue(), image.width, image.height


class _JpegSource:
	"""Quacks like ReportLab's ImageReader over a JPEG (`jpeg_fh`), so the canvas copies the
	bytes as they are; a real ImageReader would be decoded on every draw to name it."""

	def __init__(self, jpeg: bytes, key: str):
		self.jpeg, self.key = jpeg, key

	def jpeg_fh(self):
		return io.BytesIO(self.jpeg)

	def __str__(self):
		return self.key


class Picture(Flowable):
	"""A JPEG drawn at a fixed size."""

	def __init__(self, jpeg: bytes, key: str, width: float, height: float):
		super().__init__()
		self.source, self.width, self.height = _JpegSource(jpeg, key), width, height

	def wrap(self, available_width, available_height):
		return self.width, self.height

	def draw(self):
		self.canv.drawImage(self.source, 0, 0, self.width, self.height)


def logo_flowable(content: bytes | None, max_width: float, max_height: float) -> Flowable | None:
	if not content:
		return None
	prepared = _logo_jpeg(content)
	if not prepared:
		return None
	key, jpeg, width, height = prepared
	scale = min(max_width / width, max_height / height)
	return Picture(jpeg, key, width * scale, height * scale)


@functools.lru_cache(maxsize=256)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
	"""The QR modules of `payload`, error correction level M (survives a crease or a stamp).

	The mask pattern is fixed: scoring all eight to pick the "best" costs about 10 ms, most
	of a receipt's budget, and every reader decodes any mask."""
	code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
	code.addData(payload)
	code.version = code.calculate_version()
	code.makeImpl(False, QR_MASK)
	return tuple(tuple(row) for row in code.modules)


def _dark_runs(matrix) -> list[tuple[int, int, int]]:
	"""(row, column, length) of every horizontal run of dark modules."""
	runs = []
	for r, row in enumerate(matrix):
		c = 0
		for dark, run in itertools.groupby(row):
			length = len(tuple(run))
			if dark:
				runs.append((r, c, length))
			c += length
	return runs


class QrCode(Flowable):
	"""A QR code drawn as one filled path in module units."""

	def __init__(self, payload: str, size: float, quiet: int = 2):
		super().__init__()
		self.matrix, self.size, self.quiet = qr_matrix(payload), size, quiet

	def wrap(self, available_width, available_height):
		return self.size, self.size

	def draw(self):
		cell = self.size / (len(self.matrix) + 2 * self.quiet)
		q = self.quiet
		ops = " ".join(f"{c} {r} {length} 1 re" for r, c, length in _dark_runs(self.matrix))
		# Integer operators written straight into the page stream: ReportLab's path object
		# formats every coordinate in pure Python, which costs more than the rest of the page.
		transform = f"{cell:.4f} 0 0 {-cell:.4f} {q * cell:.4f} {self.size - q * cell:.4f} cm"
		self.canv.setFillColor(colors.black)
		self.canv._code.append(f"q {transform} {ops} f Q")


def qr_svg(payload: str, size: str = "30mm", quiet: int = 2) -> str:
	"""The same QR code as an inline SVG element, for HTML print formats."""
	matrix = qr_matrix(payload)
	side = len(matrix) + 2 * quiet
	path = "".join(f"M{c + quiet} {r + quiet}h{length}v1h-{length}z" for r, c, length in _dark_runs(matrix))
	size = escape(size, {'"': "&quot;"})
	return (
		f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{size}" height="{size}"'
		f' shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/>'
		f'<path d="{path}" fill="#000"/></svg>'
	)


# --- page furniture ---------------------------------------------------------------------


class FooterCanvas(Canvas):
	"""Keeps every page until the end so the footer can say "page X of Y"."""

	def __init__(self, *args, footer: Footer, **kwargs):
		super().__init__(*args, **kwargs)
		self._footer = footer
		self._pages: list[dict] = []

	def showPage(self):
		self._pages.append(dict(self.__dict__))
		self._startPage()

	def save(self):
		total = len(self._pages)
		for number, state in enumerate(self._pages, start=1):
			self.__dict__.update(state)
			self._draw_footer(number, total)
			super().showPage()
		super().save()

	def _draw_footer(self, number: int, total: int):
		footer = self._footer
		width, _height = self._pagesize
		margin = 12 * mm
		self.saveState()
		self.setStrokeColor(RULE)
		self.setLineWidth(0.4)
		self.line(margin, 14 * mm, width - margin, 14 * mm)
		self.setFillColor(MUTED)
		self.setFont(footer.font, 6.5)
		y = 10.5 * mm
		for text in footer.texts:
			for line in simpleSplit(text, footer.font, 6.5, width - 2 * margin)[:2]:
				self.drawCentredString(width / 2, y, line)
				y -= 3 * mm
		self.setFont(footer.font, 7)
		self.drawString(margin, 5 * mm, footer.generated)
		page = footer.page_label.replace("{page}", str(number)).replace("{total}", str(total))
		self.drawRightString(width - margin, 5 * mm, page)
		self.restoreState()


def footer_for(entete: Entete, label, generated_by: str, generated_at: datetime | str | None) -> Footer:
	texts = tuple(
		t for t in (display_or_blank(entete.texte_footer), display_or_blank(entete.copyright_text)) if t
	)
	return Footer(
		texts=(" | ".join(texts),) if texts else (),
		generated=label("generated_on_by", date=format_when(generated_at), user=display(generated_by)),
		page_label=label("page_x_of_y"),
		font=fonts()[0],
	)


def display_or_blank(value: Any) -> str:
	text = display(value)
	return "" if text == DASH else text


def letterhead(entete: Entete, width: float, scale: float, right: Flowable | None = None) -> Table | None:
	"""Logo on the left, country and organisation centred, an optional block on the right;
	None when there is nothing to show."""
	regular, bold = fonts()
	centred = ParagraphStyle(
		"head", fontName=regular, fontSize=9 * scale, leading=11 * scale, alignment=TA_CENTER
	)
	country = ParagraphStyle(
		"country", parent=centred, fontName=bold, fontSize=13 * scale, leading=16 * scale
	)
	titles = ParagraphStyle(
		"titles", parent=centred, fontName=bold, fontSize=11 * scale, leading=14 * scale, textColor=ACCENT
	)
	small = ParagraphStyle("contact", parent=centred, fontSize=7 * scale, leading=9 * scale, textColor=MUTED)

	lines: list[Flowable] = []
	seen: set[str] = set()
	for value, style in (
		(entete.pays_pdf, country),
		(entete.nom_organisation, titles),
		(entete.titre_pdf, titles),
		(entete.sous_titre_pdf, titles),
	):
		text = display_or_blank(value)
		if text and text not in seen:  # legacy settings often repeat the title as subtitle
			seen.add(text)
			lines.append(Paragraph(markup(text), style))
	contact = " · ".join(
		t
		for t in map(display_or_blank, (entete.adresse_organisme, entete.telephone, entete.email_contact))
		if t
	)
	if contact:
		lines.append(Paragraph(markup(contact), small))

	side = 38 * mm * scale
	logo = logo_flowable(entete.logo, side, 26 * mm * scale)
	if not (logo or lines or right):
		return None
	table = Table([[logo or "", lines or "", right or ""]], colWidths=[side, width - 2 * side, side])
	table.setStyle(
		TableStyle(
			[
				("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
				("ALIGN", (0, 0), (0, 0), "LEFT"),
				("ALIGN", (2, 0), (2, 0), "RIGHT"),
				("LEFTPADDING", (0, 0), (-1, -1), 0),
				("RIGHTPADDING", (0, 0), (-1, -1), 0),
				("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
				("BOTTOMPADDING", (0, 0), (-1, 0), 5),
			]
		)
	)
	return table


def build(story: list[Flowable], pagesize, footer: Footer, title: str, margin: float = 12 * mm) -> bytes:
	"""Lay out `story` on pages of `pagesize` with the shared footer; return the PDF bytes."""
	out = io.BytesIO()
	document = SimpleDocTemplate(
		out,
		pagesize=pagesize,
		leftMargin=margin,
		rightMargin=margin,
		topMargin=margin,
		bottomMargin=20 * mm,
		title=title,
		creator="GEC Mines",
	)
	document.build(story, canvasmaker=functools.partial(FooterCanvas, footer=footer))
	return out.getvalue()


def page_size(name: str, orientation: str = "portrait"):
	sizes = {"A4": A4, "A5": A5}
	if name not in sizes or orientation not in ("portrait", "landscape"):
		raise DomainError("page_size_unknown", page_size=name, orientation=orientation)
	return landscape(sizes[name]) if orientation == "landscape" else sizes[name]


# --- the receipt ------------------------------------------------------------------------


def accuse_pdf(
	accuse: Accuse | Mapping[str, Any],
	entete: Entete | Mapping[str, Any] | None = None,
	labels: Mapping[str, str] | None = None,
	*,
	generated_by: str = "",
	generated_at: datetime | str | None = None,
	size: str = "A4",
) -> bytes:
	"""The receipt of one courrier as PDF bytes.

	`size` is "A4" or "A5" (the counter copy). Comments and transmissions, when there are
	any, go on a following page. `labels` maps `LABEL_KEYS` to the reader's language;
	a missing key falls back to `ENGLISH_LABELS`.
	"""
	if not isinstance(accuse, Accuse):
		accuse = Accuse.from_mapping(accuse)
	if not isinstance(entete, Entete):
		entete = Entete.from_mapping(entete)
	label = label_getter(labels, ENGLISH_LABELS)
	pagesize = page_size(size)
	scale = 1.0 if size == "A4" else 0.8
	margin = (15 if size == "A4" else 10) * mm
	width = pagesize[0] - 2 * margin
	styles = _styles(scale)
	incoming = accuse.type_courrier == INCOMING

	qr = None
	if accuse.qr_payload:
		side = 30 * mm * scale
		qr = Table(
			[[QrCode(accuse.qr_payload, side)], [Paragraph(markup(label("qr_caption")), styles["caption"])]],
			colWidths=[side + 4],
		)
		qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 0)]))

	story: list[Flowable] = [
		*filter(None, [letterhead(entete, width, scale, qr)]),
		Spacer(1, 5 * mm * scale),
		Paragraph(markup(label("title_incoming" if incoming else "title_outgoing")), styles["title"]),
		Spacer(1, 4 * mm * scale),
		_details(accuse, label, styles, width),
		Spacer(1, 3 * mm * scale),
		Paragraph(markup(label("receipt_notice")), styles["note"]),
	]
	if accuse.commentaires or accuse.transmissions:
		story += [Spacer(1, 2 * mm), Paragraph(markup(label("see_next_page")), styles["note"]), PageBreak()]
		story += _history(accuse, label, styles, width)

	footer = footer_for(entete, label, generated_by, generated_at)
	return build(story, pagesize, footer, title=display(accuse.numero_accuse_reception), margin=margin)


@functools.lru_cache(maxsize=4)
def _styles(scale: float) -> dict[str, ParagraphStyle]:
	regular, bold = fonts()
	body = ParagraphStyle("body", fontName=regular, fontSize=9.5 * scale, leading=12 * scale, textColor=INK)
	return {
		"body": body,
		"label": ParagraphStyle(
			"label", parent=body, fontName=bold, fontSize=8.5 * scale, leading=11 * scale
		),
		"number": ParagraphStyle(
			"number", parent=body, fontName=bold, fontSize=12 * scale, leading=15 * scale
		),
		"title": ParagraphStyle(
			"title",
			parent=body,
			fontName=bold,
			fontSize=14 * scale,
			leading=18 * scale,
			alignment=TA_CENTER,
			textColor=ACCENT,
		),
		"heading": ParagraphStyle(
			"heading", parent=body, fontName=bold, fontSize=11 * scale, leading=14 * scale, textColor=ACCENT
		),
		"note": ParagraphStyle("note", parent=body, fontSize=8 * scale, leading=10 * scale, textColor=MUTED),
		"caption": ParagraphStyle(
			"caption",
			parent=body,
			fontSize=6.5 * scale,
			leading=8 * scale,
			alignment=TA_CENTER,
			textColor=MUTED,
		),
		"cell": ParagraphStyle("cell", parent=body, fontSize=8 * scale, leading=10 * scale),
		"head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=8 * scale, leading=10 * scale),
	}


def detail_rows(accuse: Accuse, label) -> list[tuple[str, Any]]:
	"""(label key, value) of every line of the receipt's table, in order (the print format shows the same)."""
	incoming = accuse.type_courrier == INCOMING
	return [
		("registration_number", accuse.numero_accuse_reception),
		("direction", label("direction_incoming" if incoming else "direction_outgoing")),
		("document_type", accuse.type_document),
		("reference", accuse.numero_reference),
		("sender", accuse.expediteur),
		("recipient", accuse.destinataire),
		("subject", accuse.objet),
		("sg_copy", yes_no(accuse.secretaire_general_copie, label)),
		("date_drafted" if incoming else "date_issued", accuse.date_redaction),
		("date_received", accuse.date_reception),
		("date_registered", accuse.date_enregistrement),
		("registered_by", accuse.enregistre_par),
		("status", accuse.statut),
		("department", accuse.departement),
		("department_contact", accuse.departement_contact),
		("attachment", accuse.fichier),
		("other_information", accuse.autres_informations),
	]


def _details(accuse: Accuse, label, styles, width: float) -> Table:
	rows = [
		(key, (value or "").rsplit("/", 1)[-1] if key == "attachment" else value)
		for key, value in detail_rows(accuse, label)
	]
	data = [
		[
			Paragraph(markup(label(key)), styles["label"]),
			Paragraph(markup(value), styles["number" if key == "registration_number" else "body"]),
		]
		for key, value in rows
	]
	table = Table(data, colWidths=[width * 0.32, width * 0.68], splitInRow=1)
	table.setStyle(
		TableStyle(
			[
				("VALIGN", (0, 0), (-1, -1), "TOP"),
				("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
				("GRID", (0, 0), (-1, -1), 0.4, RULE),
				("TOPPADDING", (0, 0), (-1, -1), 3),
				("BOTTOMPADDING", (0, 0), (-1, -1), 3),
			]
		)
	)
	return table


def _history(accuse: Accuse, label, styles, width: float) -> list[Flowable]:
	parts: list[Flowable] = []
	if accuse.commentaires:
		rows = [(c.date, c.auteur, c.nature, c.texte) for c in accuse.commentaires]
		heads = ("column_date", "column_author", "column_kind", "column_comment")
		parts += [Paragraph(markup(label("comments_title")), styles["heading"]), Spacer(1, 2 * mm)]
		parts += [_grid(heads, rows, label, styles, width), Spacer(1, 6 * mm)]
	if accuse.transmissions:
		rows = [(t.date, t.auteur, t.destinataire, t.texte) for t in accuse.transmissions]
		heads = ("column_date", "column_sent_by", "column_sent_to", "column_message")
		parts += [Paragraph(markup(label("transmissions_title")), styles["heading"]), Spacer(1, 2 * mm)]
		parts += [_grid(heads, rows, label, styles, width)]
	return parts


def _grid(heads, rows, label, styles, width: float) -> Table:
	data = [[Paragraph(markup(label(key)), styles["head"]) for key in heads]]
	data += [[Paragraph(markup(value), styles["cell"]) for value in row] for row in rows]
	table = Table(data, colWidths=[width * f for f in (0.16, 0.2, 0.18, 0.46)], repeatRows=1, splitInRow=1)
	table.setStyle(
		TableStyle(
			[
				("VALIGN", (0, 0), (-1, -1), "TOP"),
				("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
				("GRID", (0, 0), (-1, -1), 0.4, RULE),
			]
		)
	)
	return table

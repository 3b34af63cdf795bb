"""The official register: what auditors read, and the fingerprint that seals a day."""

import io
import re
import shutil
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from gec_mines.core import registre
from gec_mines.core.errors import DomainError

FRENCH = {
	"title": "Registre du courrier",
	"column_number": "N° AR",
	"column_type": "Type",
	"column_reference": "N° de référence",
	"column_contact": "Contact principal",
	"column_subject": "Objet",
	"column_date_drafted": "Date réd. / émission",
	"column_date_registered": "Date d'enregistrement",
	"column_status": "Statut",
	"column_sg_copy": "En copie",
	"column_observation": "Observation",
	"direction_incoming": "Entrant",
	"direction_outgoing": "Sortant",
	"yes": "Oui",
	"no": "Non",
	"count_line": "Total : {count} courriers",
	"no_rows": "Aucun courrier pour cette période.",
	"totals_title": "Totaux par jour et par sens",
	"column_day": "Jour",
	"column_incoming": "Entrants",
	"column_outgoing": "Sortants",
	"column_total": "Total",
	"grand_total": "Total général",
	"closing_title": "Clôture du registre",
	"fingerprint": "Empreinte (SHA-256) des lignes",
	"fingerprint_note": "Toute modification ultérieure d'une de ces lignes change cette empreinte.",
	"signature": "Signature et cachet du chef du bureau du courrier",
	"sheet_register": "Registre",
	"sheet_totals": "Totaux",
	"generated_on_by": "Document généré le {date} par {user}",
	"page_x_of_y": "Page {page} sur {total}",
}


def row(number: int, day: int = 3, direction: str = "Entrant", **changes) -> dict:
	values = {
		"numero_accuse_reception": f"GEC-{direction[0]}-2025-{number:05d}",
		"type_courrier": direction,
		"type_document": "Lettre officielle",
		"numero_reference": f"REF/{number}",
		"expediteur": f"Société Minière n° {number}",
		"destinataire": f"Gécamines, division {number}",
		"objet": f"Objet du courrier {number}",
		"date_redaction": date(2025, 3, 1),
		"date_enregistrement": datetime(2025, 3, day, 9, number % 60),
		"statut": "Enregistré",
		"secretaire_general_copie": number % 2,
	}
	values.update(changes)
	return values


DAY = [row(1), row(2), row(3, direction="Sortant"), row(4, day=4), row(5, day=4, direction="Sortant")]


def text_of(pdf: bytes, page: int | None = None, layout: bool = True) -> str:
	if not shutil.which("pdftotext"):
		pytest.skip("pdftotext (poppler-utils) is not installed")
	args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
	if page:
		args += ["-f", str(page), "-l", str(page)]
	return subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
	boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
	return [(round(float(w), 1), round(float(h), 1)) for w, h in boxes]


def test_label_keys_and_english_source_text_match():
	assert set(registre.LABEL_KEYS) == set(registre.ENGLISH_LABELS) == set(FRENCH)
	assert len(registre.LABEL_KEYS) == len(set(registre.LABEL_KEYS))


# --- fingerprint --------------------------------------------------------------------------


def test_the_fingerprint_is_stable_for_the_same_rows():
	first = registre.fingerprint(DAY)
	assert re.fullmatch(r"[0-9a-f]{64}", first)
	copy = [dict(reversed(list(values.items()))) for values in reversed(DAY)]
	assert registre.fingerprint(copy) == first


@pytest.mark.parametrize("index", range(len(DAY)))
@pytest.mark.parametrize("field", sorted(DAY[0]))
def test_editing_any_field_of_any_row_changes_the_fingerprint(index, field):
	before = registre.fingerprint(DAY)
	edited = [dict(values) for values in DAY]
	current = edited[index][field]
	if isinstance(current, datetime):
		edited[index][field] = current.replace(second=1)
	elif isinstance(current, date):
		edited[index][field] = date(2025, 3, 2)
	elif isinstance(current, int):
		edited[index][field] = 1 - current
	else:
		edited[index][field] = current + "."
	assert registre.fingerprint(edited) != before


def test_adding_removing_or_swapping_values_between_rows_changes_the_fingerprint():
	before = registre.fingerprint(DAY)
	assert registre.fingerprint(DAY[:-1]) != before
	assert registre.fingerprint([*DAY, row(6)]) != before
	swapped = [dict(values) for values in DAY]
	swapped[0]["objet"], swapped[1]["objet"] = swapped[1]["objet"], swapped[0]["objet"]
	assert registre.fingerprint(swapped) != before


def test_only_the_chosen_fields_count_when_fields_are_given():
	fields = ("numero_accuse_reception", "objet")
	before = registre.fingerprint(DAY, fields)
	assert registre.fingerprint([{**DAY[0], "statut": "Classé"}, *DAY[1:]], fields) == before
	assert registre.fingerprint([{**DAY[0], "objet": "Autre"}, *DAY[1:]], fields) != before


def test_spellings_of_the_same_value_do_not_break_the_seal():
	assert registre.fingerprint([{"a": None, "b": True}]) == registre.fingerprint([{"a": "", "b": 1}])


# --- totals -------------------------------------------------------------------------------


def test_totals_per_day_and_direction():
	totals = registre.compute_totals(DAY)
	assert [(d.day, d.incoming, d.outgoing, d.total) for d in totals.days] == [
		(date(2025, 3, 3), 2, 1, 3),
		(date(2025, 3, 4), 1, 1, 2),
	]
	assert (totals.incoming, totals.outgoing, totals.total) == (3, 2, 5)


def test_totals_accept_dates_as_text():
	totals = registre.compute_totals(
		[{"date_enregistrement": "2025-03-05 08:00:00", "type_courrier": "Entrant"}]
	)
	assert totals.days == (registre.DayTotal(date(2025, 3, 5), 1, 0),)


# --- PDF ----------------------------------------------------------------------------------


def test_the_register_pdf_lists_the_legacy_columns_the_rows_and_the_totals():
	pdf = registre.registre_pdf(
		DAY,
		title="Register of 3-4 March 2025",
		period="From 03/03/2025 to 04/03/2025",
		generated_by="Auditor",
		generated_at=datetime(2025, 3, 5, 7, 0),
	)
	assert page_sizes(pdf) == [(841.9, 595.3)]  # A4 landscape
	text = text_of(pdf)
	for heading in (
		"Registration no.",
		"Type",
		"Reference",
		"Main contact",
		"Subject",
		"Status",
		"Observation",
	):
		assert heading in text, heading
	for expected in [
		"Register of 3-4 March 2025",
		"From 03/03/2025 to 04/03/2025",
		"5 mails",
		"GEC-E-2025-00001",
	]:
		assert expected in text, expected
	plain = re.sub(r"\s+", " ", text_of(pdf, layout=False))
	assert "Société Minière n° 1" in plain  # an incoming row shows its sender
	assert "Gécamines, division 3" in plain  # an outgoing row shows its recipient
	assert "Société Minière n° 3" not in plain
	assert re.search(r"03/03/2025\s+2\s+1\s+3\n", text)
	assert re.search(r"04/03/2025\s+1\s+1\s+2\n", text)
	assert re.search(r"Total\s+3\s+2\s+5\n", text)
	assert "Generated on 05/03/2025 07:00 by Auditor" in text
	assert "Page 1 of 1" in text
	assert "Closing of the register" not in text


def test_a_days_closing_prints_its_fingerprint_at_the_end():
	seal = registre.fingerprint(DAY)
	many = [row(n, direction="Sortant" if n % 4 == 0 else "Entrant") for n in range(1, 90)]
	pdf = registre.registre_pdf(many, fingerprint=seal)
	pages = len(page_sizes(pdf))
	assert pages > 2
	last = text_of(pdf, page=pages)
	assert "Closing of the register" in last and seal in last
	assert "Signature and stamp" in last
	for number in range(1, pages):
		page = text_of(pdf, page=number)
		assert seal not in page
		assert f"Page {number} of {pages}" in page
		assert "Registration no." in page  # the column heads repeat on every page


def test_the_register_speaks_french_when_given_french_labels():
	pdf = registre.registre_pdf(DAY, FRENCH, fingerprint="ab" * 32, generated_by="Agent")
	text = text_of(pdf)
	for expected in [
		"Registre du courrier",
		"N° AR",
		"Contact principal",
		"Observation",
		"Total : 5 courriers",
		"Totaux par jour et par sens",
		"Total général",
		"Clôture du registre",
		"Document généré le",
	]:
		assert expected in text, expected
	assert re.search(r"Page 1 sur \d", text)
	assert "Registration no." not in text


def test_an_empty_register_says_so():
	text = text_of(registre.registre_pdf([]))
	assert "No mail for this period." in text
	assert re.search(r"Total\s+0\s+0\s+0\n", text)


def test_portrait_on_request_and_nothing_else():
	assert page_sizes(registre.registre_pdf(DAY, orientation="portrait")) == [(595.3, 841.9)]
	with pytest.raises(DomainError):
		registre.registre_pdf(DAY, orientation="diagonal")


def test_values_are_not_read_as_markup():
	pdf = registre.registre_pdf([row(1, objet="<b>gras</b> & <i>x</i>")])
	assert "<b>gras</b> & <i>x</i>" in text_of(pdf)


# --- XLSX -------------------------------------------------------------------------------


def open_book(content: bytes):
	return load_workbook(io.BytesIO(content))


def test_the_register_xlsx_has_the_columns_the_rows_and_real_dates():
	rows = [*DAY, row(9, objet='=HYPERLINK("http://evil")', expediteur="+243 81 000")]
	book = open_book(registre.registre_xlsx(rows, FRENCH, period="Mars 2025", generated_by="Agent"))
	sheet = book["Registre"]
	values = [[cell.value for cell in line] for line in sheet.iter_rows()]
	header_index = next(i for i, line in enumerate(values) if line[0] == "N° AR")
	assert values[header_index] == [FRENCH[key] for key, _share in registre.COLUMNS]
	assert values[0][0] == "Registre du courrier"
	assert any(line[0] == "Mars 2025" for line in values[:header_index])
	first = values[header_index + 1]
	assert first[0] == "GEC-E-2025-00001"
	assert first[1] == "Entrant\nLettre officielle"
	assert first[3] == "Société Minière n° 1"
	assert first[5] == datetime(2025, 3, 1)  # openpyxl reads dates back as datetimes
	assert first[6] == datetime(2025, 3, 3, 9, 1)
	assert first[8] == "Oui"
	assert first[9] is None  # Observation: left for handwriting
	assert values[header_index + 2][8] == "Non"
	outgoing = values[header_index + 3]
	assert outgoing[1].startswith("Sortant") and outgoing[3] == "Gécamines, division 3"
	hostile = sheet.cell(header_index + len(rows) + 1, 5)
	assert hostile.value == '=HYPERLINK("http://evil")' and hostile.data_type == "s"
	assert len(values) == header_index + 1 + len(rows)


def test_the_xlsx_totals_sheet_holds_the_totals_and_the_fingerprint():
	seal = registre.fingerprint(DAY)
	book = open_book(registre.registre_xlsx(DAY, fingerprint=seal))
	assert book.sheetnames == ["Register", "Totals"]
	values = [[cell.value for cell in line] for line in book["Totals"].iter_rows()]
	assert values[0] == ["Day", "Incoming", "Outgoing", "Total"]
	assert values[1] == [datetime(2025, 3, 3), 2, 1, 3]
	assert values[2] == [datetime(2025, 3, 4), 1, 1, 2]
	assert values[3] == ["Total", 3, 2, 5]
	assert [seal] in [[v for v in line if v is not None] for line in values]


def test_given_totals_are_printed_as_given():
	totals = registre.Totals((registre.DayTotal(date(2025, 3, 3), 40, 2),))
	book = open_book(registre.registre_xlsx(DAY, totals=totals))
	assert [cell.value for cell in book["Totals"][3]] == ["Total", 40, 2, 42]
	text = text_of(registre.registre_pdf(DAY, totals=totals))
	assert re.search(r"Total\s+40\s+2\s+42\n", text)

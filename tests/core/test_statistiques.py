"""The mail statistics export: every table of figures in the PDF and in the workbook."""

import io
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook

from gec_mines.core import statistiques

SECTIONS = [
	statistiques.Section(
		"Chiffres généraux", ["Indicateur", "Valeur"], [["Courriers", 42], ["Délai moyen (jours)", 3.25]]
	),
	statistiques.Section(
		"Par département",
		["Département", "Entrants", "Sortants", "Total"],
		[["Département Juridique", 10, 2, 12], ['=HYPERLINK("x")', 1, 0, 1]],
	),
	statistiques.Section("Principaux expéditeurs", ["Expéditeur", "Courriers"], []),
]


def text_of(pdf: bytes) -> str:
	if not shutil.which("pdftotext"):
		pytest.skip("pdftotext (poppler-utils) is missing")
	return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_pdf_holds_every_table_and_its_figures():
	pdf = statistiques.statistiques_pdf(
		SECTIONS,
		{"no_rows": "Rien à montrer.", "page_x_of_y": "Page {page} sur {total}"},
		entete={"pays_pdf": "République Démocratique du Congo"},
		title="Statistiques du courrier",
		period="Du 01/01/2026 au 24/11/2026",
		generated_by="Agent",
		generated_at=datetime(2026, 11, 24, 9, 0),
	)
	text = text_of(pdf)
	for expected in (
		"République Démocratique du Congo",
		"Statistiques du courrier",
		"Du 01/01/2026 au 24/11/2026",
		"Par département",
		"Département Juridique",
		"12",
		"3.2",
		"Rien à montrer.",
		"Page 1 sur 1",
	):
		assert expected in text


def test_the_workbook_has_one_sheet_per_table_with_numbers_as_numbers():
	book = load_workbook(io.BytesIO(statistiques.statistiques_xlsx(SECTIONS, title="Statistiques")))
	assert book.sheetnames == ["Chiffres généraux", "Par département", "Principaux expéditeurs"]
	rows = list(book["Par département"].iter_rows(values_only=True))
	assert ("Département Juridique", 10, 2, 12) in rows
	formula = next(row for row in rows if row[0] and str(row[0]).startswith("="))
	assert book["Par département"].cell(rows.index(formula) + 1, 1).data_type == "s"

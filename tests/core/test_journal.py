"""The security journal's PDF: what an auditor reads in it."""

import re
import shutil
import subprocess
from datetime import datetime

import pytest

from gec_mines.core import journal

FRENCH = {
	"title": "Journal de sécurité et des activités",
	"column_when": "Date/Heure",
	"column_event": "Événement",
	"column_user": "Utilisateur",
	"count_line": "{count} événements",
	"truncated": "Seuls les {count} premiers événements sont affichés.",
	"generated_on_by": "Document généré le {date} par {user}",
	"page_x_of_y": "Page {page} sur {total}",
}


def text_of(pdf: bytes) -> str:
	if not shutil.which("pdftotext"):
		pytest.skip("pdftotext (poppler-utils) is missing")
	result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
	return re.sub(r"[ \t]+", " ", result.stdout.decode())


def row(number: int, **changes) -> dict:
	return {
		"horodatage": datetime(2025, 3, 4, 10, number % 60),
		"evenement": "Ouverture",
		"categorie": "Accès",
		"utilisateur": f"agent{number}@example.com",
		"adresse_ip": "10.0.0.7",
		"courrier": f"GEC-2025-{number:05d}",
		"details": f"Lecture n° {number}",
		**changes,
	}


def test_rows_title_period_and_footer_are_printed():
	pdf = journal.journal_pdf(
		[
			row(1),
			row(2, evenement="Échec de connexion", categorie="Sécurité", courrier=None, details="<b>x</b>"),
		],
		FRENCH,
		title="",
		period="Du 01/03/2025 au 31/03/2025",
		generated_by="Awa Auditrice",
		generated_at=datetime(2025, 4, 1, 8, 30),
	)
	assert pdf.startswith(b"%PDF")
	text = text_of(pdf)
	for expected in (
		"Journal de sécurité et des activités",
		"Du 01/03/2025 au 31/03/2025",
		"2 événements",
		"Événement",
		"04/03/2025 10:01",
		"GEC-2025-00001",
		"agent2@example.com",
		"Échec de connexion",
		"Lecture n° 1",
		"<b>x</b>",
		"Document généré le 01/04/2025 08:30 par Awa Auditrice",
		"Page 1 sur 1",
	):
		assert expected in text, expected
	assert "Seuls les" not in text


def test_many_rows_are_paged_and_truncation_is_said():
	rows = [row(n) for n in range(300)]
	text = text_of(journal.journal_pdf(rows, None, "Journal", "All dates", "Admin", None, truncated=True))
	total = int(re.search(r"Page 1 of (\d+)", text).group(1))
	assert total > 1
	assert f"Page {total} of {total}" in text
	assert "Only the first 300 events are shown" in text
	assert "GEC-2025-00299" in text


def test_no_rows_and_long_details_are_cut():
	assert "No event for these filters." in text_of(journal.journal_pdf([], title="J"))
	values = journal.row_values(row(1, details="x" * 1000, document_type="File", document_name="abc"))
	assert len(values[-1]) == journal.DETAILS_MAX and values[-1].endswith("…")
	assert values[5] == "GEC-2025-00001\nFile abc"

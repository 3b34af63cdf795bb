"""Demo data: reproducible, realistic registry mail and the one-page PDF standing in for the scan."""

import datetime
import re
from collections import Counter

import pytest

from gec_mines.core.demo import DemoGenerator

START = datetime.date(2021, 1, 1)
END = datetime.date(2024, 6, 30)
FIELDS = {
	"type_courrier",
	"numero_reference",
	"objet",
	"expediteur",
	"destinataire",
	"date_redaction",
	"date_enregistrement",
	"copie_sg",
	"type_document",
	"statut",
	"departement",
	"priorite",
	"confidentialite",
	"autres_informations",
}
INCOMING_TYPES = {
	"Lettre",
	"Demande de permis minier",
	"Demande d'autorisation",
	"Réclamation",
	"Recours administratif",
	"Invitation",
	"Facture",
	"Rapport",
	"Autre",
}
OUTGOING_TYPES = {
	"Note circulaire",
	"Note télégramme",
	"Lettre officielle",
	"Mémorandum",
	"Convocation",
	"Rapport",
	"Note de service",
	"Autre",
}
STATUSES = {"URGENT", "RECU", "EN_COURS", "TRAITE", "ARCHIVE"}
DEPARTMENTS = {"ADM", "JUR", "TECH", "FIN", "SG"}
PRIORITIES = {"Normale", "Urgente", "Très urgente"}
CONFIDENTIALITY = {"Normal", "Confidentiel", "Secret"}


@pytest.fixture(scope="module")
def mails():
	return list(DemoGenerator(seed=7, start=START, end=END).courriers(5000))


def incoming(mails):
	return [m for m in mails if m["type_courrier"] == "Entrant"]


def outgoing(mails):
	return [m for m in mails if m["type_courrier"] == "Sortant"]


def correspondent(mail):
	return mail["expediteur"] or mail["destinataire"]


def share(items, predicate):
	items = list(items)
	return sum(1 for item in items if predicate(item)) / len(items)


# --- Reproducibility ---


def test_same_seed_gives_the_same_mail():
	first = list(DemoGenerator(seed=11, start=START, end=END).courriers(300))
	second = list(DemoGenerator(seed=11, start=START, end=END).courriers(300))
	assert first == second


def test_another_seed_gives_other_mail():
	first = list(DemoGenerator(seed=11, start=START, end=END).courriers(50))
	second = list(DemoGenerator(seed=12, start=START, end=END).courriers(50))
	assert first != second


def test_courriers_yields_exactly_the_count_asked():
	generator = DemoGenerator(seed=3, start=START, end=END)
	assert list(generator.courriers(0)) == []
	assert len(list(generator.courriers(17))) == 17


def test_courrier_and_courriers_continue_the_same_sequence():
	generator = DemoGenerator(seed=5, start=START, end=END)
	drawn = [generator.courrier() for _ in range(3)] + list(generator.courriers(5))
	assert drawn == list(DemoGenerator(seed=5, start=START, end=END).courriers(8))


# --- Direction-specific fields ---


def test_every_mail_has_the_courrier_fields(mails):
	assert all(set(mail) == FIELDS for mail in mails)


def test_incoming_mail_has_a_sender_and_a_copy_answer(mails):
	for mail in incoming(mails):
		assert mail["expediteur"].strip()
		assert mail["destinataire"] == ""
		assert mail["copie_sg"] in {"Oui", "Non"}
		assert mail["type_document"] is None or mail["type_document"] in INCOMING_TYPES


def test_outgoing_mail_has_an_addressee_and_always_a_document_type(mails):
	for mail in outgoing(mails):
		assert mail["destinataire"].strip()
		assert mail["expediteur"] == ""
		assert mail["copie_sg"] == ""
		assert mail["type_document"] in OUTGOING_TYPES


def test_about_two_thirds_of_the_mail_is_incoming(mails):
	assert 0.6 < share(mails, lambda m: m["type_courrier"] == "Entrant") < 0.7


def test_some_incoming_mail_is_registered_without_a_document_type(mails):
	assert 0.15 < share(incoming(mails), lambda m: m["type_document"] is None) < 0.25


def test_both_answers_to_copie_sg_occur(mails):
	assert {m["copie_sg"] for m in incoming(mails)} == {"Oui", "Non"}


# --- Dates ---


def test_dates_stay_in_the_range_and_registration_follows_writing(mails):
	for mail in mails:
		written, registered = mail["date_redaction"], mail["date_enregistrement"]
		assert type(written) is datetime.date
		assert isinstance(registered, datetime.datetime)
		assert START <= written <= END
		assert written <= registered.date() <= min(written + datetime.timedelta(days=10), END)


def test_registration_happens_during_office_hours(mails):
	for mail in mails:
		assert datetime.time(7, 30) <= mail["date_enregistrement"].time() <= datetime.time(16, 30)


def test_registration_happens_mostly_on_weekdays(mails):
	assert share(mails, lambda m: m["date_enregistrement"].weekday() >= 5) < 0.05


def test_mail_is_spread_over_the_whole_range(mails):
	years = Counter(m["date_redaction"].year for m in mails)
	assert set(years) == {2021, 2022, 2023, 2024}


def test_default_range_is_five_years_back_to_today():
	today = datetime.date.today()
	generator = DemoGenerator()
	assert generator.end == today
	assert generator.start == datetime.date(today.year - 5, 1, 1)
	for mail in generator.courriers(500):
		assert generator.start <= mail["date_redaction"] <= mail["date_enregistrement"].date() <= today


def test_a_one_day_range_puts_every_mail_on_that_day():
	day = datetime.date(2024, 3, 9)  # a Saturday
	for mail in DemoGenerator(seed=1, start=day, end=day).courriers(200):
		assert mail["date_redaction"] == mail["date_enregistrement"].date() == day


def test_a_range_ending_before_it_starts_is_refused():
	with pytest.raises(ValueError):
		DemoGenerator(start=datetime.date(2024, 2, 1), end=datetime.date(2024, 1, 31))


# --- Values ---


def test_values_come_from_the_registry_lists(mails):
	assert {m["statut"] for m in mails} == STATUSES
	assert {m["departement"] for m in mails} == DEPARTMENTS
	assert {m["priorite"] for m in mails} == PRIORITIES
	assert {m["confidentialite"] for m in mails} == CONFIDENTIALITY


def test_most_mail_is_normal_priority_and_not_confidential(mails):
	assert share(mails, lambda m: m["priorite"] == "Normale") > 0.7
	assert 0.85 < share(mails, lambda m: m["confidentialite"] == "Normal") < 0.95
	assert share(mails, lambda m: m["confidentialite"] == "Secret") < 0.05


def test_older_mail_is_more_often_dealt_with(mails):
	def closed(mail):
		return mail["statut"] in {"TRAITE", "ARCHIVE"}

	def age(mail):
		return (END - mail["date_enregistrement"].date()).days

	recent = [m for m in mails if age(m) <= 30]
	old = [m for m in mails if age(m) > 730]
	assert recent and old
	assert share(old, closed) > 0.85
	assert share(recent, closed) < share(old, closed) - 0.2


def test_references_are_sometimes_missing_and_dated_with_the_letter(mails):
	assert 0.08 < share(mails, lambda m: m["numero_reference"] == "") < 0.25
	for mail in mails:
		if mail["numero_reference"]:
			assert str(mail["date_redaction"].year) in mail["numero_reference"]
			assert re.search(r"\d{3}", mail["numero_reference"])


def test_outgoing_references_are_those_of_the_secretariat(mails):
	references = [m["numero_reference"] for m in outgoing(mails) if m["numero_reference"]]
	assert references
	assert all("/SG/MINES/" in reference for reference in references)


def test_subjects_are_finished_french_sentences(mails):
	for mail in mails:
		subject = mail["objet"]
		assert subject[0].isupper()
		assert "{" not in subject and "}" not in subject
		assert "  " not in subject and subject == subject.strip()
	assert any("permis d'exploitation PE " in m["objet"] for m in mails)
	assert any(" du cuivre et du cobalt" in m["objet"] for m in mails)


def test_other_information_is_optional(mails):
	filled = share(mails, lambda m: m["autres_informations"] != "")
	assert 0.2 < filled < 0.6


# --- Variety ---


def test_many_different_subjects_and_correspondents(mails):
	assert len({m["objet"] for m in mails}) >= 200
	assert len({correspondent(m) for m in mails}) >= 50


def test_correspondents_are_those_of_the_congolese_mining_sector():
	names = {correspondent(m) for m in DemoGenerator(seed=2, start=START, end=END).courriers(20000)}
	assert {"Kamoto Copper Company SA", "Gécamines SA", "Cadastre Minier (CAMI)"} <= names
	divisions = {name for name in names if name.startswith("Division provinciale des Mines ")}
	assert len(divisions) == 26
	assert "Division provinciale des Mines du Lualaba" in divisions
	assert "Division provinciale des Mines de l'Ituri" in divisions
	assert len({name for name in names if name.startswith("Coopérative")}) >= 15
	assert any(name.startswith(("M. ", "Mme ")) for name in names)


# --- PDF ---


def objects_and_xref(data: bytes) -> tuple[int, list[int]]:
	"""The startxref offset and the in-use object offsets its table lists."""
	match = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
	assert match, "no startxref at the end of the file"
	start = int(match.group(1))
	assert data[start : start + 4] == b"xref"
	header = re.match(rb"xref\s+0 (\d+)\s+", data[start:])
	entries = data[start + header.end() :].split(b"\n")[: int(header.group(1))]
	return start, [int(entry[:10]) for entry in entries if entry.endswith(b" n ")]


def test_pdf_is_a_well_formed_file():
	data = DemoGenerator().pdf("Demande de renouvellement du permis PE 4723", ["Kolwezi, le 3 mars 2024"])
	assert data.startswith(b"%PDF-")
	assert data.rstrip().endswith(b"%%EOF")
	_, offsets = objects_and_xref(data)
	assert len(offsets) >= 5
	for number, offset in enumerate(offsets, 1):
		assert data[offset:].startswith(b"%d 0 obj" % number)


def test_pdf_stream_length_is_exact():
	data = DemoGenerator().pdf("Titre", ["ligne une", "ligne deux"])
	match = re.search(rb"<< /Length (\d+) >>\nstream\n", data)
	assert match
	end = match.end() + int(match.group(1))
	assert data[end:].startswith(b"\nendstream")


def test_pdf_shows_the_title_and_the_lines():
	data = DemoGenerator().pdf("Rapport trimestriel", ["Production de cuivre", "Production de cobalt"])
	for text in (b"Rapport trimestriel", b"Production de cuivre", b"Production de cobalt"):
		assert b"(" + text + b") Tj" in data


def test_pdf_escapes_parentheses_and_backslashes():
	data = DemoGenerator().pdf("Objet (urgent)", ["Dossier C:\\archives (2024)"])
	assert b"(Objet \\(urgent\\)) Tj" in data
	assert b"Dossier C:\\\\archives \\(2024\\)" in data
	assert b"Objet (urgent)" not in data


def test_pdf_encodes_french_text_and_replaces_what_helvetica_cannot_show():
	data = DemoGenerator().pdf("Réclamation – œuvre", ["Sécurité ŝ ✓", "ligne\tavec\rcontrôles\n"])
	assert "Réclamation – œuvre".encode("cp1252") in data
	assert "Sécurité s ?".encode("cp1252") in data
	assert b"/Encoding /WinAnsiEncoding" in data
	assert b"ligne avec contr" in data
	objects_and_xref(data)


def test_pdf_stays_one_page_with_long_content():
	long_line = "Considérant les dispositions du Code minier et du Règlement minier " * 6
	data = DemoGenerator().pdf("Titre " * 40, [long_line] * 30 + [f"ligne {i}" for i in range(100)])
	assert data.count(b"/Type /Page ") == 1
	assert b"/Count 1" in data
	objects_and_xref(data)


def test_pdf_is_deterministic():
	assert DemoGenerator(seed=1).pdf("T", ["a", "b"]) == DemoGenerator(seed=2).pdf("T", ["a", "b"])


def test_the_demo_draws_its_document_types_from_the_master_data():
	from gec_mines.core.demo import INCOMING_DOCUMENT_TYPES, OUTGOING_DOCUMENT_TYPES
	from gec_mines.core.referentiels import TYPES

	direction = {libelle: sens for libelle, sens, *_ in TYPES}
	assert all(direction[t] in ("Entrant", "Entrant et sortant") for t in INCOMING_DOCUMENT_TYPES)
	assert all(direction[t] in ("Sortant", "Entrant et sortant") for t in OUTGOING_DOCUMENT_TYPES)

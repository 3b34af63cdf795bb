"""The acknowledgement receipt: what the public holds in hand, read back from the PDF."""

import io
import re
import shutil
import subprocess
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image

from gec_mines.core import accuse, jeton
from gec_mines.core.errors import DomainError

pytestmark = pytest.mark.skipif(
	not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"
)

SECRET = b"receipt signing key of the tests"

FRENCH = {
	"title_incoming": "ACCUSÉ DE RÉCEPTION - COURRIER ENTRANT",
	"title_outgoing": "ACCUSÉ D'ENREGISTREMENT - COURRIER SORTANT",
	"registration_number": "N° d'accusé de réception",
	"direction": "Type de courrier",
	"direction_incoming": "Entrant",
	"direction_outgoing": "Sortant",
	"document_type": "Type de document",
	"reference": "N° de référence",
	"sender": "Expéditeur",
	"recipient": "Destinataire",
	"subject": "Objet",
	"sg_copy": "Secrétaire Général en copie",
	"yes": "Oui",
	"no": "Non",
	"date_drafted": "Date de rédaction",
	"date_issued": "Date d'émission",
	"date_received": "Date de réception",
	"date_registered": "Date d'enregistrement",
	"registered_by": "Enregistré par",
	"status": "Statut",
	"department": "Service en charge",
	"department_contact": "Comment joindre le service",
	"attachment": "Fichier joint",
	"other_information": "Autres informations",
	"qr_caption": "Scannez pour vérifier cet accusé",
	"receipt_notice": "Conservez cet accusé : rappelez son numéro pour tout suivi.",
	"see_next_page": "Voir page suivante pour : commentaires et historique des transmissions.",
	"comments_title": "Commentaires et annotations",
	"transmissions_title": "Historique des transmissions",
	"column_date": "Date",
	"column_author": "Auteur",
	"column_kind": "Nature",
	"column_comment": "Commentaire",
	"column_sent_by": "Transmis par",
	"column_sent_to": "Transmis à",
	"column_message": "Message",
	"generated_on_by": "Document généré le {date} par {user}",
	"page_x_of_y": "Page {page} sur {total}",
}

ENTETE = {
	"nom_organisation": "Ministère des Mines",
	"pays_pdf": "République Démocratique du Congo",
	"titre_pdf": "Secrétariat Général",
	"sous_titre_pdf": "Bureau du Courrier",
	"adresse_organisme": "Boulevard du 30 Juin, Kinshasa/Gombe",
	"texte_footer": "Système de Gestion Électronique du Courrier",
	"copyright_text": "© 2025 Secrétariat Général des Mines",
}


def courrier(**changes) -> dict:
	values = {
		"numero_accuse_reception": "GEC-E-2025-00042",
		"type_courrier": "Entrant",
		"numero_reference": "SMK/DG/2025/117",
		"objet": "Demande de renouvellement du permis d'exploitation n° 4512 à Kolwezi",
		"expediteur": "Société Minière du Katanga",
		"destinataire": "Secrétaire Général des Mines",
		"date_redaction": date(2025, 2, 27),
		"date_reception": date(2025, 3, 3),
		"date_enregistrement": datetime(2025, 3, 3, 10, 15),
		"statut": "Enregistré",
		"type_document": "Lettre officielle",
		"secretaire_general_copie": 1,
		"autres_informations": "Dossier remis en main propre",
		"departement": "Direction des Mines",
		"departement_contact": "Bureau 12, 2e étage · dmines@mines.gouv.cd · +243 81 555 0101",
		"enregistre_par": "Mireille Kabila",
		"fichier": "/private/files/demande-permis.pdf",
		"qr_payload": "https://gec.mines.gouv.cd/verifier-accuse?t=AQ",
	}
	values.update(changes)
	return values


def render(values=None, labels=None, **options) -> bytes:
	options.setdefault("generated_by", "Mireille Kabila")
	options.setdefault("generated_at", datetime(2025, 3, 3, 10, 16))
	return accuse.accuse_pdf(values or courrier(), ENTETE, labels, **options)


def text_of(pdf: bytes, page: int | None = None, layout: bool = True) -> str:
	args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
	if page:
		args += ["-f", str(page), "-l", str(page)]
	return subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
	return re.sub(r"\s+", " ", text)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
	boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
	return [(round(float(w), 1), round(float(h), 1)) for w, h in boxes]


def picture(fmt: str, mode: str = "RGB") -> bytes:
	out = io.BytesIO()
	Image.new(mode, (400, 250), (20, 60, 140, 200) if mode == "RGBA" else "navy").save(out, format=fmt)
	return out.getvalue()


def test_label_keys_and_english_source_text_match():
	assert set(accuse.LABEL_KEYS) == set(accuse.ENGLISH_LABELS) == set(FRENCH)
	assert len(accuse.LABEL_KEYS) == len(set(accuse.LABEL_KEYS))


def test_the_receipt_carries_every_value_of_the_courrier():
	pdf = render()
	text, plain = text_of(pdf), flat(text_of(pdf, layout=False))
	for expected in [
		"République Démocratique du Congo",
		"Ministère des Mines",
		"Secrétariat Général",
		"Bureau du Courrier",
		"Acknowledgement of receipt - incoming mail",
		"GEC-E-2025-00042",
		"SMK/DG/2025/117",
		"Lettre officielle",
		"Société Minière du Katanga",
		"Secrétaire Général des Mines",
		"Demande de renouvellement du permis d'exploitation n° 4512 à Kolwezi",
		"27/02/2025",
		"03/03/2025 10:15",
		"Enregistré",
		"Direction des Mines",
		"dmines@mines.gouv.cd",
		"Mireille Kabila",
		"demande-permis.pdf",
		"Dossier remis en main propre",
		"Système de Gestion Électronique du Courrier | © 2025 Secrétariat Général des Mines",
		"Generated on 03/03/2025 10:16 by Mireille Kabila",
		"Page 1 of 1",
	]:
		assert expected in plain, expected
	assert re.search(r"Date of receipt\s+03/03/2025\n", text)
	assert re.search(r"Direction\s+Incoming\n", text)
	assert re.search(r"Secretary General in copy\s+Yes\n", text)
	assert "/private/files" not in text


def test_the_receipt_speaks_french_when_given_french_labels():
	text = text_of(render(labels=FRENCH))
	for expected in [
		"ACCUSÉ DE RÉCEPTION - COURRIER ENTRANT",
		"N° d'accusé de réception",
		"Expéditeur",
		"Date de réception",
		"Service en charge",
		"Comment joindre le service",
		"Scannez pour vérifier",
		"Document généré le 03/03/2025 10:16 par Mireille Kabila",
		"Page 1 sur 1",
	]:
		assert expected in text, expected
	assert re.search(r"Secrétaire Général en copie\s+Oui\n", text)
	assert "Registration number" not in text and "Page 1 of 1" not in text


def test_an_outgoing_courrier_gets_its_own_heading_and_date_of_issue():
	text = text_of(render(courrier(type_courrier="Sortant", secretaire_general_copie=0), FRENCH))
	assert "ACCUSÉ D'ENREGISTREMENT - COURRIER SORTANT" in text
	assert re.search(r"Date d'émission\s+27/02/2025\n", text)
	assert re.search(r"Type de courrier\s+Sortant\n", text)
	assert re.search(r"Secrétaire Général en copie\s+Non\n", text)


def test_a_label_the_caller_did_not_translate_falls_back_to_english():
	text = text_of(render(labels={"subject": "Objet"}))
	assert re.search(r"Objet\s+Demande de renouvellement", text)
	assert "Registration number" in text


def test_empty_values_show_a_dash():
	values = courrier(
		numero_reference="", destinataire=None, date_reception=None, secretaire_general_copie=None
	)
	text = text_of(render(values))
	for label in ("Reference", "Recipient", "Date of receipt", "Secretary General in copy"):
		assert re.search(rf"{label}\s+—\n", text), label


def test_values_are_printed_as_typed_never_read_as_markup():
	subject = 'Réf. <b>urgent</b> & <font color="red">rouge</font> <br/> fin'
	text = flat(text_of(render(courrier(objet=subject, expediteur="A&B <Sarl>\x07"))))
	assert subject in text
	assert "A&B <Sarl>" in text


def test_long_values_wrap_inside_the_page(tmp_path):
	long_word = "KOLWEZI" * 30
	pdf = render(courrier(objet="Exploitation minière artisanale " * 40 + long_word))
	path = tmp_path / "accuse.pdf"
	path.write_bytes(pdf)
	html = subprocess.run(
		["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True
	).stdout.decode()
	words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)
	assert len(words) > 200
	width = page_sizes(pdf)[0][0]
	assert max(float(x_max) for _x_min, x_max in words) < width
	assert flat(text_of(pdf)).count("Exploitation minière artisanale") == 40


def test_a_very_long_subject_flows_onto_further_pages_with_numbered_footers():
	pdf = render(courrier(objet="Concession minière de Kipushi. " * 500))
	pages = len(page_sizes(pdf))
	assert pages >= 3
	for number in range(1, pages + 1):
		assert f"Page {number} of {pages}" in text_of(pdf, page=number)


def test_comments_and_transmissions_go_on_a_following_page_only_when_there_are_some():
	alone = render()
	assert len(page_sizes(alone)) == 1
	assert "Comments and annotations" not in text_of(alone)
	assert "See the next page" not in text_of(alone)

	values = courrier(
		commentaires=[
			{
				"auteur": "Le Secrétaire Général",
				"date": datetime(2025, 3, 4, 9, 30),
				"texte": "À traiter",
				"nature": "Instruction",
			}
		],
		transmissions=[
			accuse.Transmission(
				"Chef du Cabinet", "05/03/2025 08:00", "Pour avis juridique", "Département Juridique"
			)
		],
	)
	pdf = render(values, FRENCH)
	assert len(page_sizes(pdf)) == 2
	assert "Voir page suivante" in text_of(pdf, page=1)
	second = flat(text_of(pdf, page=2, layout=False))
	for expected in [
		"Commentaires et annotations",
		"04/03/2025",
		"Le Secrétaire Général",
		"Instruction",
		"À traiter",
		"Historique des transmissions",
		"Chef du Cabinet",
		"Département Juridique",
		"Pour avis juridique",
		"Page 2 sur 2",
	]:
		assert expected in second, expected
	assert "Page 1 sur 2" in text_of(pdf, page=1)


def test_transmissions_alone_also_open_the_following_page():
	pdf = render(
		courrier(transmissions=[{"auteur": "SG", "date": None, "texte": "Suite", "destinataire": "DAF"}])
	)
	assert len(page_sizes(pdf)) == 2
	second = text_of(pdf, page=2)
	assert "History of transmissions" in second and "Comments and annotations" not in second


def test_a4_by_default_and_a5_for_the_counter():
	assert page_sizes(render()) == [(595.3, 841.9)]
	small = render(size="A5")
	assert page_sizes(small) == [(419.5, 595.3)]
	assert "GEC-E-2025-00042" in text_of(small)


def test_an_unknown_page_size_is_refused():
	with pytest.raises(DomainError) as caught:
		render(size="Letter")
	assert caught.value.code == "page_size_unknown"


def test_text_is_drawn_with_an_embedded_unicode_font():
	pdf = render()
	assert b"/FontFile2" in pdf  # a TrueType font travels with the PDF
	assert accuse.fonts()[0] in {"DejaVuSans", "Vera"}
	assert "Œuvre sociale « Lualaba » — Kasaï, Bandundu, Équateur" in text_of(
		render(courrier(objet="Œuvre sociale « Lualaba » — Kasaï, Bandundu, Équateur"))
	)


@pytest.mark.parametrize("logo", [picture("PNG"), picture("PNG", "RGBA"), picture("JPEG")])
def test_the_logo_is_drawn(logo):
	pdf = accuse.accuse_pdf(courrier(), {**ENTETE, "logo": logo})
	assert pdf.count(b"/Subtype /Image") == 1
	assert b"/DCTDecode" in pdf


def test_a_broken_logo_does_not_cost_the_public_its_receipt():
	pdf = accuse.accuse_pdf(courrier(), {**ENTETE, "logo": b"\x89PNG\r\n\x1a\nbroken"})
	assert b"/Subtype /Image" not in pdf
	assert "GEC-E-2025-00042" in text_of(pdf)


def test_from_mapping_ignores_fields_it_does_not_know():
	record = accuse.Accuse.from_mapping({**courrier(), "doctype": "Courrier", "modified": "x"})
	assert record.numero_accuse_reception == "GEC-E-2025-00042"


def test_without_a_qr_payload_there_is_no_qr_code():
	text = text_of(render(courrier(qr_payload="")))
	assert "Scan to check" not in text


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_the_qr_code_holds_a_token_that_verifies(tmp_path, size):
	zxingcpp = pytest.importorskip("zxingcpp", reason="pip install zxing-cpp to decode QR codes")
	if not shutil.which("pdftoppm"):
		pytest.skip("pdftoppm (poppler-utils) is not installed")
	token = jeton.sign("GEC-E-2025-00042", SECRET, datetime(2025, 3, 3, 10, 15, tzinfo=timezone.utc))
	url = f"https://gec.mines.gouv.cd/api/method/gec_mines.api.verifier_accuse?jeton={token}"
	path = tmp_path / "accuse.pdf"
	path.write_bytes(render(courrier(qr_payload=url), size=size))
	subprocess.run(
		["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
	)
	(image_path,) = tmp_path.glob("page*.png")

	found = zxingcpp.read_barcodes(Image.open(image_path))
	assert [code.text for code in found] == [url]
	scanned = parse_qs(urlparse(found[0].text).query)["jeton"][0]
	assert jeton.verify(scanned, SECRET).name == "GEC-E-2025-00042"
	assert scanned == token
	altered = scanned[:20] + ("A" if scanned[20] != "A" else "B") + scanned[21:]
	with pytest.raises(DomainError):
		jeton.verify(altered, SECRET)


def test_the_qr_code_for_html_print_formats_is_the_same_code():
	zxingcpp = pytest.importorskip("zxingcpp", reason="pip install zxing-cpp to decode QR codes")
	url = "https://gec.mines.gouv.cd/api/method/gec_mines.api.verifier_accuse?jeton=AVxnxX2gR0VD"
	svg = accuse.qr_svg(url, size='30mm" onload="x')
	assert svg.startswith("<svg ") and 'onload="x"' not in svg
	side = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
	scale = 8
	image = Image.new("L", (side * scale, side * scale), 255)
	for column, row, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
		x, y = int(column) * scale, int(row) * scale
		image.paste(0, (x, y, x + int(length) * scale, y + scale))
	assert [code.text for code in zxingcpp.read_barcodes(image)] == [url]

"""Uploads are recognised by their content, never by their name alone."""

import base64

import pytest

from gec_mines.core import fichiers
from gec_mines.core.errors import DomainError

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"
PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
TIFF_LE = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 10
TIFF_BE = b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 10


@pytest.mark.parametrize(
	"name, content, kind",
	[
		("lettre.pdf", PDF, "pdf"),
		("scan.PNG", PNG, "png"),
		("photo.jpg", JPEG, "jpeg"),
		("photo.jpeg", JPEG, "jpeg"),
		("scan.tif", TIFF_LE, "tiff"),
		("scan.tiff", TIFF_BE, "tiff"),
	],
)
def test_accepted_documents(name, content, kind):
	assert fichiers.check_upload(name, content) == (name, kind)


@pytest.mark.parametrize(
	"name, content, code",
	[
		("vide.pdf", b"", "file_empty"),
		("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "file_type_refused"),
		("lettre.pdf", b"<svg onload=alert(1)>", "file_type_refused"),
		("page.html", b"<html><script>x</script></html>", "file_type_refused"),
		("archive.pdf", b"PK\x03\x04", "file_type_refused"),
		("scan.pdf", PNG, "file_extension_mismatch"),
		("lettre.exe", PDF, "file_extension_mismatch"),
		("lettre", PDF, "file_extension_mismatch"),
	],
)
def test_refused_documents_name_the_reason(name, content, code):
	with pytest.raises(DomainError) as caught:
		fichiers.check_upload(name, content)
	assert caught.value.code == code


def test_size_limit_is_configurable():
	content = PDF + b"0" * (2 * 1024 * 1024)
	with pytest.raises(DomainError) as caught:
		fichiers.check_upload("gros.pdf", content, max_mb=2)
	assert caught.value.code == "file_too_large"
	assert caught.value.params["max_mb"] == 2
	assert fichiers.check_upload("gros.pdf", content, max_mb=3)[1] == "pdf"


@pytest.mark.parametrize(
	"raw, clean",
	[
		("../../etc/passwd.pdf", "passwd.pdf"),
		("C:\\Users\\agent\\scan.pdf", "scan.pdf"),
		("lettre\x00.pdf", "lettre.pdf"),
		("Réponse (SG) n°12.pdf", "Réponse (SG) n_12.pdf"),
		("...", "fichier"),
	],
)
def test_file_names_are_cleaned(raw, clean):
	assert fichiers.clean_filename(raw) == clean

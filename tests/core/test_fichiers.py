"""Uploads are recognised by their content, never by their name alone."""

import base64
import hashlib
import io
import random
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from gec_mines.core import fichiers
from gec_mines.core.demo import build_pdf
from gec_mines.core.errors import DomainError


def picture(fmt: str, size=(8, 8), mode="RGB", **options) -> bytes:
	buffer = io.BytesIO()
	Image.new(mode, size, "navy").save(buffer, format=fmt, **options)
	return buffer.getvalue()


def tiff(width: int, height: int, order: bytes = b"II") -> bytes:
	"""A one-strip greyscale TIFF written by hand, in either byte order."""
	fmt = "<" if order == b"II" else ">"
	strip = bytes(min(width * height, 64))
	tags = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1)]
	tags += [(273, 4, 0), (277, 3, 1), (278, 4, height), (279, 4, width * height)]
	ifd_size = 2 + 12 * len(tags) + 4
	entries = b"".join(
		struct.pack(fmt + "HHIHH", tag, kind, 1, value, 0)
		if kind == 3
		else struct.pack(fmt + "HHII", tag, kind, 1, 8 + ifd_size if tag == 273 else value)
		for tag, kind, value in tags
	)
	header = order + struct.pack(fmt + "HI", 42, 8)
	return header + struct.pack(fmt + "H", len(tags)) + entries + struct.pack(fmt + "I", 0) + strip


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"
PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
JPEG = picture("JPEG")
TIFF_LE = tiff(8, 8, b"II")
TIFF_BE = tiff(8, 8, b"MM")


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


# --- Hostile uploads ---


def png_chunk(kind: bytes, data: bytes) -> bytes:
	return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, extra: bytes = b"") -> bytes:
	"""A well-formed PNG whose header claims `width` x `height` with almost no pixel data."""
	header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
	return (
		b"\x89PNG\r\n\x1a\n"
		+ header
		+ extra
		+ png_chunk(b"IDAT", zlib.compress(b""))
		+ png_chunk(b"IEND", b"")
	)


def png_with_chunk(kind: bytes, data: bytes) -> bytes:
	return PNG[:33] + png_chunk(kind, data) + PNG[33:]


def jpeg_claiming(width: int, height: int) -> bytes:
	data = bytearray(picture("JPEG"))
	sof = data.index(b"\xff\xc0")
	struct.pack_into(">HH", data, sof + 5, height, width)
	return bytes(data)


def jpeg_with_comment(comment: bytes) -> bytes:
	return JPEG[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + JPEG[2:]


def zip_archive() -> bytes:
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w") as archive:
		archive.writestr("index.html", "<html><script>alert(document.cookie)</script></html>")
	return buffer.getvalue()


def pdf_with(body: bytes) -> bytes:
	return b"%PDF-1.7\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def object_stream(content: bytes) -> bytes:
	data = zlib.compress(content)
	return b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n%b\nendstream endobj" % (
		len(data),
		data,
	)


SVG_SCRIPT = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
HOSTILE = {
	# polyglots
	"png + zip": ("scan.png", PNG + zip_archive(), "file_polyglot"),
	"png + html": ("scan.png", PNG + b"<html><script>alert(1)</script>", "file_polyglot"),
	"png + pdf": ("scan.png", PNG + pdf_with(b""), "file_polyglot"),
	"png with html chunk": (
		"scan.png",
		png_with_chunk(b"tEXt", b"c\x00<script src=//x.io/a.js>"),
		"file_polyglot",
	),
	"png with pdf chunk": ("scan.png", png_with_chunk(b"zzZz", b"%PDF-1.4 1 0 obj"), "file_polyglot"),
	"png with zip inside": ("scan.png", png_with_chunk(b"zzZz", zip_archive()), "file_polyglot"),
	"jpeg + zip": ("photo.jpg", JPEG + zip_archive(), "file_polyglot"),
	"jpeg with script comment": (
		"photo.jpg",
		jpeg_with_comment(b"<SCRIPT>alert(1)</SCRIPT>"),
		"file_polyglot",
	),
	"tiff with html": ("scan.tif", TIFF_LE + b"<html><body onload=alert(1)>", "file_polyglot"),
	"pdf + zip": ("lettre.pdf", PDF + zip_archive(), "file_polyglot"),
	"pdf + exe": ("lettre.pdf", PDF + b"\r\nMZ\x90\x00\x03" + bytes(60), "file_polyglot"),
	"pdf + html": ("lettre.pdf", PDF + b"\n<html><script>alert(1)</script>", "file_polyglot"),
	"pdf with html head": (
		"lettre.pdf",
		b"%PDF-1.4\n%<html><script>alert(1)</script>\n%%EOF",
		"file_polyglot",
	),
	# trailing data after the end of an image
	"png + bytes": ("scan.png", PNG + b"payload", "file_trailing_data"),
	"jpeg + bytes": ("photo.jpg", JPEG + b"\x00\x00payload", "file_trailing_data"),
	# decompression bombs, found in the header
	"png 50000 x 50000": ("bombe.png", png_claiming(50_000, 50_000), "file_decompression_bomb"),
	"jpeg 50000 x 50000": ("bombe.jpg", jpeg_claiming(50_000, 50_000), "file_decompression_bomb"),
	"tiff 50000 x 50000": ("bombe.tif", tiff(50_000, 50_000), "file_decompression_bomb"),
	# active content
	"svg with script": ("image.svg", SVG_SCRIPT, "file_type_refused"),
	"svg named png": ("image.png", SVG_SCRIPT, "file_type_refused"),
	"xml": (
		"lettre.pdf",
		b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
		"file_type_refused",
	),
	"javascript": ("script.pdf", b"alert(document.cookie)", "file_type_refused"),
	"pdf javascript": (
		"lettre.pdf",
		pdf_with(b"1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj"),
		"file_active_content",
	),
	"pdf hex-escaped javascript": (
		"lettre.pdf",
		pdf_with(b"1 0 obj<</AA<</O<</S/J#61vaScript/J#53 3 0 R>>>>>>endobj"),
		"file_active_content",
	),
	"pdf launch": (
		"lettre.pdf",
		pdf_with(b"1 0 obj<</OpenAction<</S/Launch/F(cmd.exe)>>>>endobj"),
		"file_active_content",
	),
	"pdf embedded file": (
		"lettre.pdf",
		pdf_with(b"1 0 obj<</Names<</EmbeddedFiles 4 0 R>>>>endobj"),
		"file_active_content",
	),
	"pdf xfa form": (
		"lettre.pdf",
		pdf_with(b"1 0 obj<</AcroForm<</XFA 6 0 R>>>>endobj"),
		"file_active_content",
	),
	"pdf script in object stream": (
		"lettre.pdf",
		pdf_with(object_stream(b"2 0 <</S/JavaScript/JS(app.alert(1))>>")),
		"file_active_content",
	),
	"pdf object stream bomb": (
		"lettre.pdf",
		pdf_with(object_stream(bytes(40 * 1024 * 1024))),
		"file_decompression_bomb",
	),
	"pdf object streams bomb": (
		"lettre.pdf",
		pdf_with(b"\n".join([object_stream(bytes(7 * 1024 * 1024))] * 5)),
		"file_decompression_bomb",
	),
	"pdf encrypted": ("lettre.pdf", pdf_with(b"trailer<</Encrypt 9 0 R>>"), "file_pdf_encrypted"),
	# names, extensions, sizes, structure
	"traversal name": ("../../etc/passwd.pdf", PDF, "file_name_unsafe"),
	"windows traversal name": ("..\\..\\boot.ini.pdf", PDF, "file_name_unsafe"),
	"nul in name": ("lettre.pdf\x00.exe", PDF, "file_name_unsafe"),
	"newline in name": ("lettre\n.pdf", PDF, "file_name_unsafe"),
	"png named jpg": ("photo.jpg", PNG, "file_extension_mismatch"),
	"pdf named png": ("scan.png", PDF, "file_extension_mismatch"),
	"oversized": ("gros.pdf", PDF + b" " * (16 * 1024 * 1024), "file_too_large"),
	"jpeg magic then junk": ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, "file_corrupt"),
	"jpeg without end": ("photo.jpg", JPEG[:-2], "file_corrupt"),
	"truncated png": ("scan.png", PNG[:-5], "file_corrupt"),
	"png with bad crc": ("scan.png", PNG[:-1] + bytes([PNG[-1] ^ 1]), "file_corrupt"),
	"tiff magic then junk": ("scan.tif", b"II*\x00" + b"\xff" * 40, "file_corrupt"),
}


@pytest.mark.parametrize("name, content, code", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_uploads_are_refused_with_a_distinct_reason(name, content, code):
	with pytest.raises(DomainError) as caught:
		fichiers.check_upload(name, content)
	assert caught.value.code == code, caught.value.params
	assert "filename" in caught.value.params


def test_refusals_name_what_was_found():
	def params(name, content):
		with pytest.raises(DomainError) as caught:
			fichiers.check_upload(name, content)
		return caught.value.params

	assert params("scan.png", PNG + zip_archive())["found"] == "ZIP"
	assert params("scan.png", PNG + b"<html>")["found"] == "HTML"
	assert params("lettre.pdf", pdf_with(b"/S/J#61vaScript"))["feature"] == "JavaScript"
	bomb = params("bombe.png", png_claiming(50_000, 50_000))
	assert (bomb["width"], bomb["height"]) == (50_000, 50_000)
	assert params("../../etc/passwd.pdf", PDF)["filename"] == "passwd.pdf"


def test_pillow_pixel_limit_is_the_bomb_threshold(monkeypatch):
	content = picture("PNG", (100, 100))
	assert fichiers.check_upload("scan.png", content)[1] == "png"
	monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
	for name, fmt in (("scan.png", "PNG"), ("photo.jpg", "JPEG"), ("scan.tif", "TIFF")):
		with pytest.raises(DomainError) as caught:
			fichiers.check_upload(name, picture(fmt, (100, 100)))
		assert caught.value.code == "file_decompression_bomb"


@pytest.mark.parametrize(
	"name, content",
	[
		("scan.png", picture("PNG", (300, 200))),
		("scan.png", picture("PNG", (30, 20), mode="P", optimize=True)),
		("photo.jpg", picture("JPEG", (640, 480), quality=90)),
		("photo.jpg", picture("JPEG", (640, 480), progressive=True, optimize=True)),
		("photo.jpg", picture("JPEG", (64, 48), exif=Image.Exif())),
		("photo.jpg", jpeg_with_comment(b"Numerise par le scanner du bureau courrier")),
		("scan.tif", picture("TIFF", (200, 100))),
		("scan.tif", picture("TIFF", (200, 100), compression="tiff_lzw")),
		("lettre.pdf", build_pdf("Accusé de réception", ["Objet : demande de permis", "Pièce jointe : 1"])),
		(
			"lettre.pdf",
			pdf_with(
				b"1 0 obj<</OpenAction[3 0 R/XYZ 0 792 0]/Annots[<</A<</S/URI/URI(https://mines.gouv.cd)>>>>]>>endobj"
			),
		),
		("lettre.pdf", PDF + b"\r\n" + b"\x00" * 100),
		("lettre.pdf", pdf_with(object_stream(b"2 0 <</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"))),
		("Rapport...final.pdf", PDF),
		("C:\\Users\\agent\\scan.pdf", PDF),
	],
)
def test_ordinary_documents_pass_the_inspection(name, content):
	assert fichiers.check_upload(name, content)[1] in fichiers.DEFAULT_KINDS


def noise_png() -> bytes:
	buffer = io.BytesIO()
	Image.frombytes("L", (200, 200), random.Random(5).randbytes(40_000)).save(buffer, format="PNG")
	return buffer.getvalue()


def late_chunk(data: bytes) -> bytes:
	"""A PNG larger than the sniffed head with a private chunk carrying `data` near its end."""
	png = noise_png()
	assert len(png) > fichiers.HEAD
	return png[:-12] + png_chunk(b"zzZz", data) + png[-12:]


def test_chance_bytes_in_compressed_data_are_not_taken_for_markup_or_scripts():
	assert fichiers.check_upload("scan.png", late_chunk(b"\x9c<svg>\x01/JS\x00"))[1] == "png"
	stream = (
		b"4 0 obj<</Length 40/Filter/FlateDecode>>stream\n\x8f/JS(\xee<svg>\x02" + bytes(25) + b"\nendstream"
	)
	assert fichiers.check_upload("lettre.pdf", pdf_with(b"%" + bytes(1100) + b"\n" + stream))[1] == "pdf"


def test_svg_or_script_deep_inside_an_image_is_found():
	for payload in (b"<svg xmlns='http://www.w3.org/2000/svg'>", b"<svg onload = alert(1)>", b"<script>"):
		with pytest.raises(DomainError) as caught:
			fichiers.check_upload("scan.png", late_chunk(payload))
		assert caught.value.params["found"] == "HTML"


def test_a_multi_page_tiff_is_a_document():
	buffer = io.BytesIO()
	pages = [Image.new("L", (200, 300), shade) for shade in (0, 128, 255)]
	pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:])
	assert fichiers.check_upload("dossier.tiff", buffer.getvalue()) == ("dossier.tiff", "tiff")


def test_a_checksum_is_kept_and_checked():
	digest = fichiers.sha256(PDF)
	assert digest == hashlib.sha256(PDF).hexdigest() and len(digest) == 64
	fichiers.check_sha256(PDF, digest.upper(), "lettre.pdf")
	with pytest.raises(DomainError) as caught:
		fichiers.check_sha256(PDF + b" ", digest, "lettre.pdf")
	assert caught.value.code == "file_checksum_mismatch"
	assert caught.value.params == {"filename": "lettre.pdf"}


def test_allowed_extensions_follow_the_allowed_kinds():
	assert fichiers.allowed_extensions() == ("pdf", "jpg", "jpeg", "png", "tif", "tiff")
	assert fichiers.allowed_extensions(("pdf",)) == ("pdf",)

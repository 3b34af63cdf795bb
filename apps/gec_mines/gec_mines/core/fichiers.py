"""Checks on uploaded files: the type is recognised by content, never by name alone.

Only PDF, JPEG, PNG and TIFF documents are accepted, so SVG, HTML, XML, scripts, archives and
office files are refused by type. Beyond the signature, each accepted file is inspected for what
makes an innocent-looking document hostile; every refusal is a DomainError whose code names it:

- ``file_name_unsafe``: the name climbs out of its folder (a ``..`` component) or holds control
  characters such as NUL. Other paths (``C:\\scans\\x.pdf``) are simply reduced to their last part.
- ``file_empty``, ``file_too_large``, ``file_type_refused``, ``file_extension_mismatch``.
- ``file_corrupt``: a PNG or JPEG whose structure does not hold (bad chunk, no end marker) or an
  image Pillow cannot read: it is no scan, whatever its first bytes say.
- ``file_decompression_bomb``: an image whose header claims more than Pillow's
  ``Image.MAX_IMAGE_PIXELS`` pixels (read from the header, never decoded), a TIFF of too many
  pages, or PDF object streams inflating beyond reason.
- ``file_polyglot``: the file is also another format: a ZIP (local header and central directory,
  or an end-of-directory record where ZIP readers look for it, in the last 64 KiB), a PDF, RAR or
  7z signature or HTML/SVG/script markup inside an image, markup in the first KiB of a PDF or
  4 KiB of an image (where browsers sniff), or any known signature after a PDF's last ``%%EOF``.
- ``file_trailing_data``: bytes after a PNG's IEND or a JPEG's EOI (other than blank padding);
  phone "motion photos" fall here and must be re-saved as plain images.
- ``file_active_content``: a PDF naming JavaScript (action or name tree), Launch, embedded files,
  RichMedia, XFA forms, SubmitForm, ImportData or GoToE actions (also hex-escaped, also inside
  object streams). Links (URI) and ordinary open actions stay allowed.
- ``file_pdf_encrypted``: a password-protected PDF: its content cannot be inspected and a registry
  must be able to read what it keeps (PDF/A forbids encryption too).
- ``file_checksum_mismatch``: a stored file no longer matches the SHA-256 kept at upload.

Limits: TIFF structure is left to Pillow (offsets may point anywhere, so trailing data is not
defined); PDF inspection is a byte scan, not a full parse: streams other than object streams are
not inflated.
"""

import hashlib
import hmac
import io
import itertools
import os
import re
import struct
import unicodedata
import warnings
import zlib

from PIL import Image, UnidentifiedImageError

from gec_mines.core.errors import DomainError

# kind -> (magic prefixes, extensions that may carry it)
KINDS: dict[str, tuple[tuple[bytes, ...], tuple[str, ...]]] = {
	"pdf": ((b"%PDF-",), ("pdf",)),
	"jpeg": ((b"\xff\xd8\xff",), ("jpg", "jpeg")),
	"png": ((b"\x89PNG\r\n\x1a\n",), ("png",)),
	"tiff": ((b"II*\x00", b"MM\x00*"), ("tif", "tiff")),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png", "tiff")
DEFAULT_MAX_MB = 16
UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()]+", re.UNICODE)

PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}
MAX_TIFF_PAGES = 1000
BLANK = b"\x00\t\n\r\x0c "

# Signatures long enough to mean something wherever they appear (chance match < 2^-40 per byte).
EMBEDDED_SIGNATURES = {
	"PDF": b"%PDF-",
	"PNG": b"\x89PNG\r\n\x1a\n",
	"RAR": b"Rar!\x1a\x07",
	"7Z": b"7z\xbc\xaf\x27\x1c",
}
# Shorter ones, only looked for in bytes that should not be there at all.
TRAILING_SIGNATURES = {
	"ZIP": (b"PK\x03\x04", b"PK\x05\x06"),
	"JPEG": (b"\xff\xd8\xff",),
	"TIFF": (b"II*\x00", b"MM\x00*"),
	"ELF": (b"\x7fELF",),
	"EXE": (b"MZ",),
	"GZIP": (b"\x1f\x8b\x08",),
}
MARKUP = re.compile(
	rb"<(?:script|html|svg|iframe|object|embed|body|!doctype\s+html|\?php)[\s>/]", re.IGNORECASE
)
# The same, specific enough to search a whole compressed image (a bare "<svg" would turn up by chance).
MARKUP_ANYWHERE = re.compile(
	rb"<(?:script|html|iframe|object|embed|body|!doctype\s+html|\?php|svg\s[^<>]{0,512}?(?:xmlns|on\w+\s*=))",
	re.IGNORECASE,
)
HEAD = 4096
ZIP_END_RECORD = b"PK\x05\x06"
ZIP_TAIL = 65_535 + 22  # a ZIP comment is at most 64 KiB: readers look no further back

# Every JavaScript action says /S /JavaScript and document scripts sit in a /JavaScript name tree,
# so the short /JS key (likely to turn up by chance in compressed data) need not be looked for.
PDF_ACTIVE = (
	"JavaScript",
	"Launch",
	"EmbeddedFiles",
	"EmbeddedFile",
	"RichMedia",
	"XFA",
	"SubmitForm",
	"ImportData",
	"GoToE",
)
PDF_MAX_INFLATED = 32 * 1024 * 1024  # all object streams together; real ones hold a few KiB each

JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
JPEG_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _pdf_name(*names: str) -> re.Pattern:
	"""A PDF name among `names`, each character possibly written #hh, followed by a delimiter."""

	def char(ch: str) -> str:
		code = "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in f"{ord(ch):02x}")
		return f"(?:{re.escape(ch)}|#{code})"

	alternatives = "|".join("".join(char(ch) for ch in name) for name in names)
	return re.compile(f"/({alternatives})(?![^\\x00\\t\\n\\x0c\\r ()<>\\[\\]{{}}/%])".encode())


PDF_ACTIVE_NAME = _pdf_name(*PDF_ACTIVE)
PDF_ENCRYPT_NAME = _pdf_name("Encrypt")
PDF_OBJECT_STREAM_NAME = _pdf_name("ObjStm")


def sniff(head: bytes) -> str | None:
	"""The kind of a file from its signature, or None if it is none we accept."""
	for kind, (magics, _extensions) in KINDS.items():
		if any(head.startswith(magic) for magic in magics):
			return kind
	return None


def clean_filename(name: str) -> str:
	"""Keep the last path component, drop control and unsafe characters."""
	name = unicodedata.normalize("NFC", name or "")
	name = name.replace("\\", "/").split("/")[-1]
	name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
	name = UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
	return name[:140] or "fichier"


def is_safe_name(name: str) -> bool:
	"""False for names that try to leave their folder (``..``) or hide control characters (NUL)."""
	name = name or ""
	if any(unicodedata.category(ch) == "Cc" for ch in name):
		return False
	return all(part.strip() != ".." for part in re.split(r"[/\\]", name))


def extension(name: str) -> str:
	return os.path.splitext(name)[1].lower().lstrip(".")


def allowed_extensions(kinds=DEFAULT_KINDS) -> tuple[str, ...]:
	"""The extensions accepted for `kinds`, e.g. for the upload dialog's restrictions."""
	return tuple(ext for kind in kinds for ext in KINDS[kind][1])


def sha256(content: bytes) -> str:
	"""The SHA-256 of a file's (plaintext) content, in hex: kept at upload, checked on download."""
	return hashlib.sha256(content).hexdigest()


def check_sha256(content: bytes, expected: str, filename: str = "") -> None:
	"""Raise DomainError("file_checksum_mismatch") if `content` is not what was uploaded."""
	if not hmac.compare_digest(sha256(content), (expected or "").strip().lower()):
		raise DomainError("file_checksum_mismatch", filename=filename)


def check_upload(
	filename: str, content: bytes, max_mb: float = DEFAULT_MAX_MB, kinds=DEFAULT_KINDS
) -> tuple[str, str]:
	"""Return (clean file name, kind) or raise DomainError naming the reason."""
	name = clean_filename(filename)
	if not is_safe_name(filename):
		raise DomainError("file_name_unsafe", filename=name)
	if not content:
		raise DomainError("file_empty", filename=name)
	max_bytes = int(max_mb * 1024 * 1024)
	if len(content) > max_bytes:
		raise DomainError(
			"file_too_large", filename=name, size_mb=round(len(content) / 1048576, 1), max_mb=max_mb
		)

	kind = sniff(content[:2048])
	if kind is None or kind not in kinds:
		raise DomainError("file_type_refused", filename=name, allowed=", ".join(k.upper() for k in kinds))
	ext = extension(name)
	if ext not in KINDS[kind][1]:
		raise DomainError("file_extension_mismatch", filename=name, kind=kind.upper())
	inspect_content(name, kind, content)
	return name, kind


def inspect_content(name: str, kind: str, content: bytes) -> None:
	"""Refuse polyglots, bombs, active and corrupt content in a file already known to be `kind`."""
	if _has_zip(content):
		raise DomainError("file_polyglot", filename=name, found="ZIP")
	if kind == "pdf":
		_inspect_pdf(name, content)
		return
	found = _embedded_format(content, skip=kind.upper(), markup=MARKUP_ANYWHERE)
	if not found and MARKUP.search(content[:HEAD]):
		found = "HTML"
	if found:
		raise DomainError("file_polyglot", filename=name, found=found)
	if kind == "png":
		_check_trailing(name, content, _png_end(name, content))
	elif kind == "jpeg":
		_check_trailing(name, content, _jpeg_end(name, content))
	_check_image_header(name, kind, content)


# --- Polyglots ---


def _has_zip(content: bytes) -> bool:
	if ZIP_END_RECORD in content[-ZIP_TAIL:]:
		return True
	return b"PK\x03\x04" in content and b"PK\x01\x02" in content


def _embedded_format(data: bytes, skip: str = "", markup: re.Pattern = MARKUP) -> str | None:
	for found, signature in EMBEDDED_SIGNATURES.items():
		if found != skip and signature in data:
			return found
	return "HTML" if markup.search(data) else None


def _trailing_format(data: bytes) -> str | None:
	"""A known signature in bytes that follow the end of a document."""
	found = _embedded_format(data)
	if found:
		return found
	stripped = data.lstrip(BLANK)
	for found, signatures in TRAILING_SIGNATURES.items():
		if any(signature in data for signature in signatures if len(signature) > 2):
			return found
		if any(stripped.startswith(signature) for signature in signatures):
			return found
	return None


def _check_trailing(name: str, content: bytes, end: int) -> None:
	trailing = content[end:]
	if not trailing:
		return
	found = _trailing_format(trailing)
	if found:
		raise DomainError("file_polyglot", filename=name, found=found)
	if trailing.strip(BLANK):
		raise DomainError("file_trailing_data", filename=name, size=len(trailing))


# --- PDF ---


def _inspect_pdf(name: str, content: bytes) -> None:
	if MARKUP.search(content[:1024]):
		raise DomainError("file_polyglot", filename=name, found="HTML")
	end = content.rfind(b"%%EOF")
	if end >= 0:
		found = _trailing_format(content[end + 5 :])
		if found:
			raise DomainError("file_polyglot", filename=name, found=found)
	if PDF_ENCRYPT_NAME.search(content):
		raise DomainError("file_pdf_encrypted", filename=name)
	for data in itertools.chain((content,), _pdf_object_streams(name, content)):
		match = PDF_ACTIVE_NAME.search(data)
		if match:
			feature = re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(1))
			raise DomainError("file_active_content", filename=name, feature=feature.decode("latin-1"))


def _pdf_object_streams(name: str, content: bytes):
	"""Inflated object streams, one at a time (PDF 1.5+ keeps dictionaries there, compressed)."""
	view = memoryview(content)
	budget = PDF_MAX_INFLATED
	for match in PDF_OBJECT_STREAM_NAME.finditer(content):
		start = content.find(b"stream", match.end())
		if start < 0:
			return
		start += len(b"stream")
		start += 2 if content[start : start + 2] == b"\r\n" else 1
		inflater = zlib.decompressobj()
		try:
			data = inflater.decompress(view[start:], budget + 1)
		except zlib.error:
			continue
		budget -= len(data)
		if budget < 0:
			raise DomainError("file_decompression_bomb", filename=name)
		yield data


# --- Images ---


def _png_end(name: str, content: bytes) -> int:
	"""Offset just after IEND, walking every chunk and checking its CRC; also the pixel guard."""
	view = memoryview(content)
	position = 8
	while position + 12 <= len(content):
		length, chunk_type = struct.unpack_from(">I4s", content, position)
		end = position + 12 + length
		if end > len(content):
			break
		crc = struct.unpack_from(">I", content, end - 4)[0]
		if zlib.crc32(view[position + 4 : end - 4]) != crc:
			break
		if position == 8:
			if chunk_type != b"IHDR" or length != 13:
				break
			_check_pixels(name, *struct.unpack_from(">II", content, position + 8))
		if chunk_type == b"IEND":
			return end
		position = end
	raise DomainError("file_corrupt", filename=name, kind="PNG")


def _jpeg_end(name: str, content: bytes) -> int:
	"""Offset just after EOI, walking the segments and skipping entropy-coded data."""
	position = 2
	size = len(content)
	frame = False
	while position < size:
		if content[position] != 0xFF:
			position = content.find(b"\xff", position)  # extraneous bytes, as libjpeg tolerates
			if position < 0:
				break
		while position < size and content[position] == 0xFF:
			position += 1
		if position >= size:
			break
		marker = content[position]
		position += 1
		if marker == 0xD9:
			if not frame:
				break
			return position
		if 0xD0 <= marker <= 0xD7 or marker == 0x01:
			continue
		if position + 2 > size:
			break
		length = struct.unpack_from(">H", content, position)[0]
		if length < 2 or position + length > size:
			break
		if marker in JPEG_SOF and length >= 7:
			height, width = struct.unpack_from(">HH", content, position + 3)
			_check_pixels(name, width, height)
			frame = True
		position += length
		if marker == 0xDA:
			following = JPEG_NEXT_MARKER.search(content, position)
			if following is None:
				break
			position = following.start()
	raise DomainError("file_corrupt", filename=name, kind="JPEG")


def _check_pixels(name: str, width: int, height: int) -> None:
	limit = Image.MAX_IMAGE_PIXELS
	if limit and width * height > limit:
		raise DomainError(
			"file_decompression_bomb", filename=name, width=width, height=height, max_pixels=limit
		)


def _check_image_header(name: str, kind: str, content: bytes) -> None:
	"""Let Pillow read the header (and every TIFF page's), never the pixels."""
	try:
		with warnings.catch_warnings():
			warnings.simplefilter("ignore")  # Pillow's complaints about a hostile file are noise here
			with Image.open(io.BytesIO(content), formats=[PILLOW_FORMATS[kind]]) as image:
				for page in range(1, MAX_TIFF_PAGES + 2):
					_check_pixels(name, *image.size)
					try:
						image.seek(page)
					except EOFError:
						break
				else:
					raise DomainError("file_decompression_bomb", filename=name, pages=page)
	except DomainError:
		raise
	except Image.DecompressionBombError:
		raise DomainError("file_decompression_bomb", filename=name)
	except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
		raise DomainError("file_corrupt", filename=name, kind=kind.upper())

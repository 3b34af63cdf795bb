"""Checks on uploaded files: the type is recognised by content, never by name alone."""

import os
import re
import unicodedata

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


def extension(name: str) -> str:
	return os.path.splitext(name)[1].lower().lstrip(".")


def check_upload(
	filename: str, content: bytes, max_mb: float = DEFAULT_MAX_MB, kinds=DEFAULT_KINDS
) -> tuple[str, str]:
	"""Return (clean file name, kind) or raise DomainError naming the reason."""
	name = clean_filename(filename)
	if not content:
		raise DomainError("file_empty", filename=name)
	max_bytes = int(max_mb * 1024 * 1024)
	if len(content) > max_bytes:
		raise DomainError("file_too_large", filename=name, size_mb=round(len(content) / 1048576, 1), max_mb=max_mb)

	kind = sniff(content[:2048])
	if kind is None or kind not in kinds:
		raise DomainError("file_type_refused", filename=name, allowed=", ".join(k.upper() for k in kinds))
	ext = extension(name)
	if ext not in KINDS[kind][1]:
		raise DomainError("file_extension_mismatch", filename=name, kind=kind.upper())
	return name, kind

"""Finding legacy files and getting their plaintext back.

Legacy paths come in several shapes (reference §1.17, §3.1, §3.6): relative `uploads/x`,
absolute `/srv/gec/uploads/x` from another machine, Windows `uploads\\x` (the importer used
`os.path.normpath`), bare names for forward files (`uploads/forwards/<name>`), `/uploads/x`
for logos, and `.encrypted` copies made by the legacy importer. Every candidate must stay
inside the uploads folder.

`.encrypted` files are IV ‖ AES-CBC over the whole file, padded only when the size is not a
multiple of 16 (§3.5): whether the tail is padding is decided with the stored checksum when
there is one.
"""

import hashlib
import os
import unicodedata
from collections.abc import Callable

from gec_mines.core.fichiers import clean_filename

ENCRYPTED_SUFFIX = ".encrypted"
IV_SIZE = 16

# How a file was found.
AS_STORED = "as_stored"  # the stored path, below the uploads folder
REBASED = "rebased"  # an absolute or foreign path cut after its `uploads/` segment
BY_NAME = "by_name"  # the file name alone, in the folder its kind lives in
SUFFIX_VARIANT = "suffix_variant"  # with or without the `.encrypted` suffix
EXPORT_FILENAME = (
	"export_filename"  # export member `attachments/<id>_<fichier_nom>` (what the exporter writes)
)
EXPORT_BASENAME = (
	"export_basename"  # export member `attachments/<id>_<path_basename>` (what the importer reads)
)
EXPORT_PREFIX = "export_prefix"  # the only unclaimed export member `attachments/<id>_*`
RESOLUTIONS = (AS_STORED, REBASED, BY_NAME, SUFFIX_VARIANT, EXPORT_FILENAME, EXPORT_BASENAME, EXPORT_PREFIX)


def normalise_name(name: str) -> str:
	"""Forward slashes and NFC, so stored names match what the disk or the ZIP holds."""
	return unicodedata.normalize("NFC", name.replace("\\", "/"))


def is_foreign_absolute(path: str) -> bool:
	return path.startswith("/") or (len(path) > 1 and path[1] == ":")


def below_uploads(stored: str) -> str:
	"""The part of a legacy path below its last `uploads/` segment (the legacy rule, V:1233)."""
	path = normalise_name(stored)
	if path.startswith("uploads/"):
		path = path[len("uploads/") :]
	else:
		cut = path.rfind("/uploads/")
		if cut >= 0:
			path = path[cut + len("/uploads/") :]
	return path.lstrip("/")


def display_name(original_name: str | None, stored_path: str | None) -> str:
	"""A safe name to store: the original client name, else the stored file name."""
	name = original_name or os.path.basename(normalise_name(stored_path or ""))
	if name.endswith(ENCRYPTED_SUFFIX):
		name = name[: -len(ENCRYPTED_SUFFIX)]
	return clean_filename(name)


def upload_candidates(stored: str, kind: str) -> list[tuple[str, str]]:
	"""Relative paths to try below the uploads folder, each with how it was derived."""
	relative = below_uploads(stored)
	basename = relative.rsplit("/", 1)[-1]
	if kind == "forward" and relative == basename:
		candidates = [(f"forwards/{basename}", AS_STORED)]  # forwards store a bare name
	else:
		candidates = [(relative, REBASED if is_foreign_absolute(normalise_name(stored)) else AS_STORED)]
		if kind == "forward":
			candidates.append((f"forwards/{basename}", BY_NAME))
	candidates.append((basename, BY_NAME))
	for path, _how in list(candidates):
		variant = (
			path[: -len(ENCRYPTED_SUFFIX)] if path.endswith(ENCRYPTED_SUFFIX) else path + ENCRYPTED_SUFFIX
		)
		candidates.append((variant, SUFFIX_VARIANT))
	return list(dict.fromkeys(candidates))


def resolve_upload(uploads_dir: str, stored: str, kind: str) -> tuple[str | None, str | None, bool]:
	"""(path, resolution, unsafe) of a stored legacy path; path is None when not found.

	`unsafe` is True when a candidate pointed outside the uploads folder (it is ignored).
	"""
	root = os.path.realpath(uploads_dir)
	unsafe = False
	for relative, how in upload_candidates(stored, kind):
		if not relative or relative.endswith("/"):
			continue
		path = os.path.realpath(os.path.join(root, *relative.split("/")))
		if os.path.commonpath([root, path]) != root:
			unsafe = True
			continue
		if os.path.isfile(path):
			return path, how, unsafe
	return None, None, unsafe


def sha256(data: bytes) -> str:
	return hashlib.sha256(data).hexdigest()


def decrypt_legacy_file(
	blob: bytes, decrypt_file: Callable[[bytes], bytes], checksum: str | None
) -> tuple[bytes, bool | None]:
	"""Plaintext of a legacy `.encrypted` blob and whether it matches the stored checksum.

	`decrypt_file` may or may not strip a PKCS#7 tail; both readings are rebuilt from its
	output (stripped bytes are N copies of N), so the checksum can pick the right one. Without
	a checksum the padded reading wins when the tail is valid padding.
	"""
	plaintext = decrypt_file(blob)
	ciphertext_size = max(len(blob) - IV_SIZE, 0)
	candidates = _padding_readings(plaintext, ciphertext_size)
	if not checksum:
		return candidates[0], None
	expected = checksum.lower()
	for candidate in candidates:
		if sha256(candidate) == expected:
			return candidate, True
	# A checksum of the stored file itself also proves integrity.
	return candidates[0], sha256(blob) == expected


def _padding_readings(plaintext: bytes, ciphertext_size: int) -> list[bytes]:
	"""[padding stripped, raw], as far as each can be rebuilt, most likely first."""
	stripped = ciphertext_size - len(plaintext)
	if 0 < stripped <= IV_SIZE:
		return [plaintext, plaintext + bytes([stripped]) * stripped]
	pad = plaintext[-1] if plaintext else 0
	if stripped == 0 and 0 < pad <= IV_SIZE and plaintext.endswith(bytes([pad]) * pad):
		return [plaintext[:-pad], plaintext]
	return [plaintext]

"""Logos and other images: verified with Pillow, shrunk to a sensible size."""

import io

from PIL import Image, UnidentifiedImageError

from gec_mines.core.errors import DomainError

LOGO_MAX_SIDE = 800
LOGO_FORMATS = ("PNG", "JPEG")


def normalise_logo(content: bytes, filename: str = "", max_side: int = LOGO_MAX_SIDE) -> bytes | None:
	"""Check that `content` is a PNG or JPEG image; return it shrunk to `max_side`
	(same format), or None when it is already small enough."""
	try:
		with Image.open(io.BytesIO(content)) as probe:
			probe.verify()
		image = Image.open(io.BytesIO(content))
		image.load()
	except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
		raise DomainError("logo_not_image", filename=filename)
	if image.format not in LOGO_FORMATS:
		raise DomainError("logo_not_image", filename=filename)
	if max(image.size) <= max_side:
		return None
	fmt = image.format
	image.thumbnail((max_side, max_side))
	out = io.BytesIO()
	if fmt == "JPEG" and image.mode not in ("RGB", "L"):
		image = image.convert("RGB")
	image.save(out, format=fmt, optimize=True)
	return out.getvalue()

"""Logos are verified with Pillow and shrunk to a sensible size."""

import io

import pytest
from PIL import Image

from gec_mines.core import images
from gec_mines.core.errors import DomainError


def picture(size, fmt="PNG", mode="RGB") -> bytes:
	buffer = io.BytesIO()
	Image.new(mode, size, "navy").save(buffer, format=fmt)
	return buffer.getvalue()


def test_small_logo_is_kept_as_is():
	assert images.normalise_logo(picture((300, 120))) is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_large_logo_is_shrunk_keeping_its_format_and_ratio(fmt):
	smaller = images.normalise_logo(picture((3000, 1500), fmt))
	with Image.open(io.BytesIO(smaller)) as image:
		assert image.format == fmt
		assert image.size == (800, 400)


@pytest.mark.parametrize(
	"content",
	[b"not an image", b"<svg xmlns='http://www.w3.org/2000/svg'/>", picture((10, 10), "GIF", "P")],
)
def test_anything_but_png_or_jpeg_is_refused(content):
	with pytest.raises(DomainError) as caught:
		images.normalise_logo(content, "logo.png")
	assert caught.value.code == "logo_not_image"


def test_decompression_bomb_is_refused(monkeypatch):
	monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
	with pytest.raises(DomainError):
		images.normalise_logo(picture((200, 200)), "bombe.png")

"""Turning uploaded bytes into text, strictly: a wrong encoding is rejected, never guessed.

Text read with the wrong encoding decodes into garbage without raising (GBK bytes
are valid Latin-1, UTF-8 bytes are valid GBK surprisingly often), so the encoding
is whatever the uploader declares, and bytes that do not decode under it stop the
import with their byte offset.
"""

from django.utils.translation import gettext as _

# Declared name -> Python codec. UTF-8 accepts and drops a byte-order mark.
ENCODINGS = {"utf-8": "utf-8-sig", "gbk": "gbk", "gb18030": "gb18030"}


class FileRejected(Exception):
    """The whole file is unusable; nothing was read from it."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


def decode_upload(raw: bytes, encoding: str) -> str:
    codec = ENCODINGS.get(encoding.lower())
    if codec is None:
        raise FileRejected(
            _("Unsupported encoding %(encoding)s; use one of: %(choices)s.")
            % {"encoding": encoding, "choices": ", ".join(ENCODINGS)}
        )
    if not raw.strip():
        raise FileRejected(_("The file is empty."))
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as error:
        raise FileRejected(
            _(
                "The file is not valid %(encoding)s: the bytes at offset %(offset)s cannot be decoded. "
                "Choose the encoding it was saved in, or save it as UTF-8."
            )
            % {"encoding": encoding, "offset": error.start},
            line=raw[: error.start].count(b"\n") + 1,
        ) from error
    nul = text.find("\x00")
    if nul >= 0:
        offset = len(text[:nul].encode(codec.replace("-sig", "")))
        raise FileRejected(
            _("The file contains a NUL byte at offset %(offset)s; it is binary or UTF-16, not %(encoding)s text.")
            % {"offset": offset, "encoding": encoding},
            line=text.count("\n", 0, nul) + 1,
        )
    return text

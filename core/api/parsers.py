"""A multipart parser that refuses a body it can read nothing from, instead of taking it for an empty form.

Django skips multipart parts that carry no field name, so `--B\r\n-32021--B--` reaches a view as an empty
form, and an action whose body is all optional answers 200 to garbage. A body longer than the bare closing
delimiter (the empty form some clients send) that yields no field and no file is malformed: 400.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import MultiPartParser

# b"--" + boundary + b"--" and a line end, give or take the line end.
_EMPTY_FORM_OVERHEAD = 8


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if parsed.data or parsed.files:
            return parsed
        meta = parser_context["request"].META
        boundary = _boundary(media_type or meta.get("CONTENT_TYPE", ""))
        length = int(meta.get("CONTENT_LENGTH") or 0)
        if length > len(boundary) + _EMPTY_FORM_OVERHEAD:
            raise ParseError("Multipart form parse error - no part carries a field name.")
        return parsed


def _boundary(content_type: str) -> str:
    for piece in content_type.split(";"):
        name, _, value = piece.strip().partition("=")
        if name.lower() == "boundary":
            return value.strip('"')
    return ""

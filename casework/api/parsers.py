"""The API's JSON parser, bounded: a body nested deeper than CASEWORK_JSON_MAX_DEPTH or carrying a NUL
character is a 400 with a clear message, before Python's recursive decoder (RecursionError at ~1,000
levels) or PostgreSQL (which refuses NUL in text) could turn it into a 500."""

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def json_depth_exceeds(text: str, limit: int) -> bool:
    """True if brackets outside strings nest deeper than `limit`; one linear pass, no recursion."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def contains_nul(value) -> bool:
    """NUL in any key or string of a decoded JSON value (iterative: the depth is bounded already)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("The body is not valid UTF-8 text.")) from exc
        limit = settings.CASEWORK_JSON_MAX_DEPTH
        if json_depth_exceeds(text, limit):
            raise ParseError(_("The JSON body is nested more than %(limit)d levels deep.") % {"limit": limit})
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The body is not valid JSON.")) from exc
        if contains_nul(data):
            raise ParseError(_("The body contains a NUL character, which no field accepts."))
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity are not JSON; DRF refuses them too

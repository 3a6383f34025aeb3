"""The API's parsers, bounded. Each refusal is a 400 with a clear message, before anything is saved:

- JSON nested deeper than CASEWORK_JSON_MAX_DEPTH (Python's recursive decoder fails at ~1,000 levels);
- a NUL character anywhere (PostgreSQL refuses NUL in text);
- a text value longer than CASEWORK_TEXT_MAX_CHARS, reported on its field (a 10 MB statement would be
  stored twice: on the case and in its history). The whole body is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

import codecs
import json
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

# A JSON string (skipped whole) or one bracket: the regex engine walks the text, Python sees only brackets.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(text: str, limit: int) -> bool:
    """True if brackets outside strings nest deeper than `limit`; one linear pass, no recursion."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        char = match.group()
        if char in "[{":
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
        if isinstance(data, dict):
            _refuse_long_text(data.items())
        return data


def _too_long(value) -> bool:
    limit = settings.CASEWORK_TEXT_MAX_CHARS
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and len(item) > limit:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _refuse_long_text(items) -> None:
    """400 on every top-level field that holds (anywhere inside) a text longer than the limit."""
    limit = settings.CASEWORK_TEXT_MAX_CHARS
    errors = {
        str(name): [_("At most %(limit)d characters are accepted here.") % {"limit": limit}]
        for name, value in items
        if _too_long(value)
    }
    if errors:
        raise ValidationError(errors)


def _refuse_nul_and_long_text(querydict) -> None:
    if any("\x00" in key or "\x00" in value for key, values in querydict.lists() for value in values):
        raise ParseError(_("The body contains a NUL character, which no field accepts."))
    _refuse_long_text((key, values) for key, values in querydict.lists())


class BoundedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul_and_long_text(data)
        return data


class BoundedMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul_and_long_text(parsed.data)
        return parsed


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity are not JSON; DRF refuses them too

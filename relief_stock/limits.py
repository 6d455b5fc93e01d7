"""Limits at the edge of every request, before any view, schema or query sees the input.

- Path ids (`<int:...>`) only match what an id column holds (32-bit): a larger one is 404, not an
  overflow in the database.
- No control characters anywhere in the path (404), the query string, form fields or JSON (422):
  a NUL byte cannot be stored by PostgreSQL and no keeper types one; tab and line breaks are text.
- JSON bodies are bounded in size (413) and depth (422); a body nested deeper than the parser
  can follow is 400, not a crashed worker.
- Any one text value is bounded (422); each schema bounds its own fields more tightly.

The schemas' own checks (lengths, ranges) run after these; `fields.py` holds the same bounds for
numbers so that every schema inherits them.
"""

import re

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, NotFound, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from .errors import BadInput

MAX_ID = 2**31 - 1  # the id columns are 32-bit (batches' and movements' ids never come from a path)
MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
MAX_TEXT = 10_000  # characters in any one value; notes are the longest free text we keep

# C0 controls except tab, line feed and carriage return, plus DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IdConverter(IntegerConverter):
    """`<int:...>` that matches only ids a column can hold: anything larger is simply not found."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def check_text(value: str, field: str) -> None:
    """Raise BadInput (422) for a control character or a value longer than MAX_TEXT."""
    if CONTROL_CHARACTERS.search(value):
        raise BadInput(_("Remove the control character (such as NUL) from this text."), field=field)
    if len(value) > MAX_TEXT:
        raise BadInput(_("At most %(max)d characters.", max=MAX_TEXT), field=field)


def _check_json(document) -> None:
    """Walk a parsed JSON body (iteratively: its depth is what is being checked)."""
    pending = [(document, "", 1)]
    while pending:
        value, path, depth = pending.pop()
        if isinstance(value, str):
            check_text(value, path or "_schema")
        elif isinstance(value, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise BadInput(_("The JSON body is nested too deeply."), field="_schema")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                name = f"{path}.{key}" if path else str(key)
                if isinstance(key, str):
                    check_text(key, name)
                pending.append((child, name, depth + 1))


def check_request() -> None:
    """before_request: refuse input no view should ever have to handle."""
    if CONTROL_CHARACTERS.search(request.path):
        raise NotFound()
    for source in (request.args, request.form) if request.method != "GET" else (request.args,):
        for name, values in source.lists():
            check_text(name, name)
            for value in values:
                check_text(value, name)
    if request.is_json:
        if (request.content_length or 0) > MAX_JSON_BYTES:
            raise RequestEntityTooLarge()
        if not request.get_data(cache=True):
            return  # a GET sent with a JSON content type and no body: nothing to check
        try:
            document = request.get_json(silent=False)
        except RecursionError:
            raise BadRequest(_("The JSON body is nested too deeply.")) from None
        _check_json(document)


def init_app(app) -> None:
    # Before any blueprint registers its rules: converters are looked up when a rule is added.
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request)

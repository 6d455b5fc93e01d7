"""Marshmallow fields with translated messages, and the two ways input reaches a schema.

Every domain's schemas.py builds on these, so a Chinese keeper reads "请输入整数" next to the box
whether the schema serves a page, the JSON API or a file import. Schemas check shape and type; the
operations decide the rules and name the field they refuse.

- `read_form(schema, request.form)` -> (data, errors): blank boxes count as "not given".
- JSON bodies go through flask-smorest's `@blp.arguments(schema)`: 422 with per-field messages.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from .limits import CONTROL_CHARACTERS, MAX_ID
from .printing.fonts import unprintable  # the printing domain owns the fonts

MAX_WHOLE_NUMBER = MAX_ID

_COMMON = {"required": _l("This field is required."), "null": _l("This field is required.")}


class _Translated:
    """Formats lazy (translated) messages too; marshmallow only formats plain str messages."""

    def make_error(self, key: str, **kwargs) -> ValidationError:
        return ValidationError(str(self.error_messages[key]).format(**kwargs))


class Text(_Translated, fields.String):
    """A string with surrounding spaces removed; `max_length` is checked with a translated message.
    Control characters (NUL and the like; tab and line breaks are text) are refused, whether the
    value came from a request or from an imported file."""

    default_error_messages = {
        **_COMMON,
        "invalid": _l("Enter text."),
        "control": _l("Remove the control character (such as NUL) from this text."),
    }

    def __init__(self, *, max_length: int | None = None, **kwargs):
        if max_length:
            kwargs.setdefault(
                "validate", validate.Length(max=max_length, error=_l("At most {max} characters."))
            )
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is not None and CONTROL_CHARACTERS.search(text):
            raise self.make_error("control")
        return text.strip() if text is not None else None


class PrintedText(Text):
    """Text that goes on paper (names, addresses, donors, drivers, notes): refused, naming each
    character, when the fonts shipped for printing cannot draw it, instead of printing a box."""

    default_error_messages = {
        **Text.default_error_messages,
        "unprintable": _l("Cannot be printed: no font for {chars}. Replace or remove these characters."),
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        missing = unprintable(text) if text else []
        if missing:
            raise self.make_error(
                "unprintable", chars=" ".join(f"“{char}” (U+{ord(char):04X})" for char in missing[:5])
            )
        return text


class WholeNumber(_Translated, fields.Integer):
    default_error_messages = {
        **_COMMON,
        "invalid": _l("Enter a whole number."),
        "too_large": _l("This number is too large."),
    }

    def __init__(self, **kwargs):
        super().__init__(strict=False, **kwargs)

    def _validated(self, value):
        number = super()._validated(value)
        # Every integer column is at least 32-bit; no count or id we take is larger.
        if number is not None and abs(number) > MAX_WHOLE_NUMBER:
            raise self.make_error("too_large")
        return number


class Number(_Translated, fields.Float):
    default_error_messages = {**_COMMON, "invalid": _l("Enter a number."), "special": _l("Enter a number.")}


class DecimalNumber(_Translated, fields.Decimal):
    default_error_messages = {**_COMMON, "invalid": _l("Enter a number."), "special": _l("Enter a number.")}

    def __init__(self, places: int, **kwargs):
        super().__init__(places=places, as_string=True, **kwargs)


class Day(_Translated, fields.Date):
    """A date typed as YYYY-MM-DD (what <input type=date> posts, and ISO in JSON)."""

    default_error_messages = {**_COMMON, "invalid": _l("Enter a date as YYYY-MM-DD.")}


class Flag(_Translated, fields.Boolean):
    """A yes/no value: true/false, 1/0, yes/no, on/off, 是/否."""

    truthy = fields.Boolean.truthy | {"是", "Yes", "YES"}
    falsy = fields.Boolean.falsy | {"否", "No", "NO", ""}
    default_error_messages = {**_COMMON, "invalid": _l("Enter yes or no.")}


class Choice(_Translated, fields.Enum):
    """A StrEnum member, given by its stored value."""

    default_error_messages = {**_COMMON, "unknown": _l("Choose one of: {choices}.")}

    def __init__(self, enum, **kwargs):
        super().__init__(enum, by_value=True, **kwargs)


def in_range(low=None, high=None):
    return validate.Range(
        min=low,
        max=high,
        error=_l("Enter a value between {min} and {max}.")
        if low is not None and high is not None
        else _l("Enter a value of at least {min}."),
    )


def read_form(schema: Schema, formdata, *, partial=False, checkboxes=True) -> tuple[dict, dict]:
    """Load a posted HTML form (or a query string) through `schema`. Returns (data, errors by field).

    Blank boxes are dropped, so optional fields take their default (None) and required ones say
    they are missing. With `checkboxes`, a yes/no field the form does not post counts as unticked
    (browsers send nothing for an unticked box); query-string filters pass checkboxes=False.
    """
    values = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name  # the box's name on the page, when it differs from the field's
        if checkboxes and isinstance(field, fields.Boolean):
            values[key] = key in formdata and formdata.get(key) not in ("", "0", "false")
            continue
        value = (formdata.get(key) or "").strip()
        if value:
            values[key] = value
    try:
        return schema.load(values, unknown=EXCLUDE, partial=partial), {}
    except ValidationError as error:
        return {}, message_lists(error.messages)


def message_lists(messages) -> dict:
    """Every field's messages as a list (a schema-level check may give one bare message)."""
    if not isinstance(messages, dict):
        return {"_form": [messages]}  # form_posts.FORM_ERRORS: messages for no one box
    # A whole-form check (@validates_schema) reports under marshmallow's "_schema": the same key here.
    return {
        ("_form" if field == "_schema" else field): value if isinstance(value, (list, dict)) else [value]
        for field, value in messages.items()
    }

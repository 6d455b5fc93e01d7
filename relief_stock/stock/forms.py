"""Reading the keeper's posted forms through the stock schemas (`schemas.py`, shared with the API):
prefixed fields (the receive form's line rows), how many rows were posted and which are blank.
"""

from marshmallow import Schema

from ..fields import read_form
from .schemas import ReceiveLineSchema

# Lines shown on the receive form without JavaScript; the script adds more on demand.
RECEIVE_LINES_WITHOUT_JS = 5
MAX_RECEIVE_LINES = 200
RECEIVE_LINE_FIELDS = tuple(ReceiveLineSchema().fields)


def load_form(schema: Schema, formdata, prefix: str = "") -> tuple[dict, dict]:
    """Load `schema` from posted `formdata` whose fields are named `<prefix><field>`.

    Returns (data, errors): errors maps `<prefix><field>` to its messages, empty when valid.
    """
    keys = [field.data_key or name for name, field in schema.fields.items()]
    values = {key: formdata.get(prefix + key) for key in keys if prefix + key in formdata}
    data, errors = read_form(schema, values)
    return data, {prefix + field: messages for field, messages in errors.items()}


def receive_line_count(formdata) -> int:
    """How many line rows the posted receive form carried (the script may have added some)."""
    indexes = set()
    for key in formdata.keys():
        head, _sep, rest = key.partition("-")
        if head == "lines" and rest.partition("-")[0].isdigit():
            indexes.add(int(rest.partition("-")[0]))
    return min(max(indexes, default=-1) + 1, MAX_RECEIVE_LINES)


def line_is_blank(formdata, index: int) -> bool:
    """An untouched line row is skipped rather than refused (the form shows spare rows)."""
    return not any((formdata.get(f"lines-{index}-{name}") or "").strip() for name in RECEIVE_LINE_FIELDS)

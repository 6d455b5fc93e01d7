"""What a print request may carry: which labels (batch ids, location ids), which layout, how many
copies, where on the sheet to start, which format (PDF, ZPL, TSPL) and language. Shape only: the
views check scope, layouts.get_layout checks the layout name."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validate

from ..fields import Text, WholeNumber, in_range

FORMATS = ("pdf", "zpl", "tspl")
LANGS = ("zh", "en")


class LabelOptionsSchema(Schema):
    layout = Text(max_length=64, load_default=None)
    copies = WholeNumber(load_default=1, validate=in_range(1, 100))
    start = WholeNumber(load_default=1, validate=in_range(1, 100))
    format = Text(load_default="pdf", validate=validate.OneOf(FORMATS, error=_l("Choose one of: {choices}.")))
    lang = Text(load_default=None, validate=validate.OneOf(LANGS, error=_l("Choose one of: {choices}.")))


class DocumentOptionsSchema(Schema):
    lang = Text(load_default=None, validate=validate.OneOf(LANGS, error=_l("Choose one of: {choices}.")))


def id_list(values: list[str], field: str = "batch_ids", limit: int = 5000) -> list[int]:
    """Ids from repeated form fields and/or comma-separated lists ("12,13,14"), in order, no repeats."""
    found = []
    for value in values:
        for part in str(value).replace(" ", ",").split(","):
            if not part:
                continue
            if not part.isdigit():
                raise ValidationError({field: [str(_l("Enter a whole number."))]})
            if int(part) not in found:
                found.append(int(part))
    if len(found) > limit:
        raise ValidationError({field: [str(_l("At most %(n)d labels at once.", n=limit))]})
    return found

"""Corrections to the OpenAPI document at /api/v1/openapi.json, so that it is valid OpenAPI 3 and
says what the API does (schemathesis and client generators read it literally).

- Decimal fields (weights, volumes) are decimal strings, which is what the API answers:
  apispec wrote them as numbers with `"minimum": "0.0000"`, which no validator accepts.
- Optional fields of response schemas are nullable: the API answers `null` for a value it does not
  have (a batch without expiry date) rather than leaving the key out.
- Every error answer keeps its headers (`Allow` on a 405: errors.py).

The `Idempotency-Key` header is documented by `idempotency.idempotent` on each operation it wraps.
"""

from marshmallow import fields


def decimals_as_strings(self, field, ret, **kwargs) -> dict:
    """apispec attribute function: a Decimal(as_string=True) field is a decimal string both ways
    (its bounds stay in the validator; a string minimum is invalid OpenAPI)."""
    if isinstance(field, fields.Decimal) and field.as_string:
        for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            ret.pop(bound, None)
        return {"type": "string", "format": "decimal", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    return {}


def nullable_outputs(self, field, ret, **kwargs) -> dict:
    """apispec attribute function: an optional field of a response schema (`*OutSchema`, or
    dump-only) may be null. Input fields keep what they accept (allow_none, which apispec shows)."""
    if field.required or field.load_only or "$ref" in ret or "allOf" in ret:
        return {}
    if field.dump_only or type(field.parent).__name__.endswith("OutSchema"):
        return {"nullable": True}
    return {}


def init_app(app) -> None:
    from .extensions import api

    converter = api.ma_plugin.converter
    converter.add_attribute_function(decimals_as_strings)
    converter.add_attribute_function(nullable_outputs)

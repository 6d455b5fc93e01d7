"""The one whole-number check: what every operation calls before it trusts a quantity.

Schemas turn posted text into numbers; operations are also called from the CLI, jobs, imports and
tests with plain Python values, so they check again here. `True` is an int in Python and a JSON
`true` must never count as one unit, so booleans are refused.
"""

from .errors import BadInput


def whole_number(value, field: str, message: str, *, low: int | None = None, high: int | None = None) -> int:
    """`value` when it is a whole number (not a bool) within [low, high]; else BadInput(message) on `field`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        raise BadInput(message, field=field)
    return value

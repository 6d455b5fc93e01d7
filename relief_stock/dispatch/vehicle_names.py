"""The default vehicle types' names in the reader's language.

Vehicle names are data: plans, scenarios and stored fleets carry them as plain strings (the
English names of trucks.DEFAULT_VEHICLES unless an administrator named their own). Pages translate
the default names when they show them, and leave any other name as it was typed.
"""

from flask_babel import lazy_gettext as _l

DEFAULT_NAMES = {
    "light truck (4.5 t, 20 m³)": _l("light truck (4.5 t, 20 m³)"),
    "medium truck (10 t, 45 m³)": _l("medium truck (10 t, 45 m³)"),
    "heavy truck (20 t, 70 m³)": _l("heavy truck (20 t, 70 m³)"),
}


def vehicle_label(name: str) -> str:
    """`name` as the reader should see it: translated when it is a default type's name."""
    label = DEFAULT_NAMES.get(name)
    return str(label) if label is not None else name

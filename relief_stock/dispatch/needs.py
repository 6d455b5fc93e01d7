"""Needs estimation: from affected population, households and days to cover, per item.

Standards are data (`DISPATCH_NEED_STANDARDS` in the app config overrides `DEFAULT_STANDARDS`), each
citing its source (relief_stock/demo/data/sphere_standards.csv, IFRC shelter guidance), and the
standard used is stored beside every need line, where the officer sees it and may change the
quantity before planning. Pure functions: `estimate(...)` needs no app.

A standard says: `amount` of a measure per `basis` (person, household, person-day, household-day,
person-month), and how much of that measure one unit of the stocked item holds (`per_unit`):
15 L per person per day, a case of bottled water holds 24 x 0.55 L = 13.2 L, so a case per 0.88
person-days.
"""

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

BASES = ("person", "household", "person_day", "household_day", "person_month")


@dataclass(frozen=True)
class Standard:
    sku: str
    amount: float  # of the measure, per basis unit
    basis: str  # one of BASES
    per_unit: float  # measure held by one unit of the item (1 when the item is the measure)
    priority: int  # 1 life-saving, 2, 3
    text: str  # shown next to the line, e.g. "Sphere WAT-01: 15 L/person/day" (stored in the UI language)


DEFAULT_STANDARDS = (
    Standard(
        "WAT-BOTTLE-24", 15, "person_day", 13.2, 1, _l("Sphere WAT-01: 15 L/person/day; 1 case = 24 x 0.55 L")
    ),
    Standard("SHL-TENT-F16", 1, "household", 1, 1, _l("IFRC: 1 family tent per household")),
    Standard("BED-BLKT-W50", 2, "person", 1, 1, _l("IFRC/Sphere NFI: 2 blankets per person")),
    Standard(
        "FOD-BISCUIT",
        2100,
        "person_day",
        20 * 2250,
        1,
        _l("Sphere FOO-01: 2,100 kcal/person/day; 1 case = 20 x 500 g, 2,250 kcal each"),
    ),
    Standard(
        "WAT-JERRY-F20",
        2,
        "household",
        1,
        2,
        _l("Sphere HYG-01/02: 1 container to carry and 1 to store water per household"),
    ),
    Standard(
        "HYG-SOAP-250", 250, "person_month", 250, 2, _l("Sphere HYG-03: 250 g bathing soap/person/month")
    ),
    Standard(
        "HYG-LAUNDRY-200", 200, "person_month", 200, 3, _l("Sphere HYG-04: 200 g laundry soap/person/month")
    ),
    Standard("VEC-LLIN-M", 0.5, "person", 1, 3, _l("WHO universal coverage: 1 net per 2 people")),
)


def standards(config=None) -> list[Standard]:
    """The standards in force: the app's `DISPATCH_NEED_STANDARDS` (list of dicts) or the defaults."""
    configured = (config or {}).get("DISPATCH_NEED_STANDARDS")
    if configured is None:
        return list(DEFAULT_STANDARDS)
    return [s if isinstance(s, Standard) else Standard(**s) for s in configured]


@dataclass(frozen=True)
class Estimate:
    sku: str
    quantity: int
    priority: int
    standard: str


def base_count(basis: str, population: int, households: int, days: int) -> float:
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    return {
        "person": population,
        "household": households,
        "person_day": population * days,
        "household_day": households * days,
        "person_month": population * math.ceil(days / 30),  # soap comes in whole months
    }[basis]


def estimate(
    population: int, households: int, days: int, in_force: list[Standard], known_skus=None
) -> list[Estimate]:
    """One estimate per standard whose item is in the catalogue (`known_skus`, when given).

    Quantities round up: a shelter does not get 0.4 of a tent.
    """
    result = []
    for s in in_force:
        if known_skus is not None and s.sku not in known_skus:
            continue
        measure = base_count(s.basis, population, households, days) * s.amount
        quantity = math.ceil(round(measure / s.per_unit, 9)) if measure else 0
        result.append(Estimate(s.sku, quantity, s.priority, str(s.text)))
    return result

"""Needs from population, households and days (the standards shown beside each line), and truckloads."""

import math

import pytest

from relief_stock.dispatch import needs
from relief_stock.dispatch.trucks import Vehicle, load_trucks


def by_sku(estimates):
    return {e.sku: e for e in estimates}


def test_default_standards_on_a_hand_checked_site():
    # 1,000 people in 300 households for 3 days.
    got = by_sku(needs.estimate(1000, 300, 3, needs.standards()))
    assert got["SHL-TENT-F16"].quantity == 300  # one family tent per household
    assert got["BED-BLKT-W50"].quantity == 2000  # two blankets per person
    # 15 L/person/day in cases of 13.2 L
    assert got["WAT-BOTTLE-24"].quantity == math.ceil(1000 * 3 * 15 / 13.2) == 3410
    assert got["FOD-BISCUIT"].quantity == math.ceil(1000 * 3 * 2100 / 45000) == 140
    assert got["HYG-SOAP-250"].quantity == 1000  # one month's bar per person
    assert got["VEC-LLIN-M"].quantity == 500
    assert "15 L/person/day" in got["WAT-BOTTLE-24"].standard and got["WAT-BOTTLE-24"].priority == 1


def test_configured_standards_and_unknown_items():
    config = {
        "DISPATCH_NEED_STANDARDS": [
            dict(
                sku="QUILT",
                amount=1,
                basis="person",
                per_unit=1,
                priority=2,
                text="local: 1 quilt per person",
            )
        ]
    }
    (only,) = needs.estimate(7, 2, 1, needs.standards(config), known_skus={"QUILT"})
    assert (only.sku, only.quantity, only.priority) == ("QUILT", 7, 2)
    assert needs.estimate(7, 2, 1, needs.standards(config), known_skus=set()) == []
    with pytest.raises(ValueError):
        needs.base_count("per-village", 1, 1, 1)


# At 100 km a small truck costs 200 a trip, a big one 500.
FLEET = [Vehicle("small", 1000, 10, 100, 1.0), Vehicle("big", 10000, 40, 300, 2.0)]


def test_trucks_by_weight_and_by_volume():
    assert load_trucks(0, 0, 100, FLEET).trucks == []
    assert load_trucks(800, 5, 100, FLEET).trucks == ["small"]
    assert load_trucks(23_000, 20, 100, FLEET).trucks == ["big", "big", "big"]  # weight binds, 1,500
    assert load_trucks(10_500, 20, 100, FLEET).trucks == ["big", "small"]  # 700, not 2 big (1,000)
    assert load_trucks(2_000, 85, 100, FLEET).trucks == ["big", "big", "small"]  # volume binds
    assert load_trucks(500, 1, 150, FLEET, speed_kmh=50).hours == pytest.approx(3.0)


def test_default_standards_match_the_sphere_table():
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "relief_stock" / "demo" / "data" / "sphere_standards.csv"
    with open(path, encoding="utf-8") as handle:
        table = {row["id"]: float(row["value"]) for row in csv.DictReader(handle) if row["value"]}
    defaults = {s.sku: s for s in needs.DEFAULT_STANDARDS}
    assert defaults["WAT-BOTTLE-24"].amount == table["WAT-01"]  # 15 L/person/day
    assert defaults["HYG-SOAP-250"].amount == table["HYG-03"]  # 250 g/person/month
    assert defaults["HYG-LAUNDRY-200"].amount == table["HYG-04"]
    assert defaults["FOD-BISCUIT"].amount == table["FOO-01"]  # 2,100 kcal/person/day
    assert defaults["WAT-JERRY-F20"].amount == table["HYG-01"] + table["HYG-02"]
    assert defaults["VEC-LLIN-M"].amount == 1 / table["REF-01"]  # one net per two people


def test_default_vehicle_types_speak_the_readers_language(app):
    from flask_babel import force_locale

    from relief_stock.dispatch.presenters import SiteTrucks
    from relief_stock.dispatch.trucks import DEFAULT_VEHICLES

    with app.test_request_context():
        load = load_trucks(30_000, 50, 10, list(DEFAULT_VEHICLES))
        assert load.trucks == ["heavy truck (20 t, 70 m³)", "medium truck (10 t, 45 m³)"]  # data stays
        shown = SiteTrucks(site=None, trucks=load.trucks + ["冷藏车"])
        with force_locale("zh"):
            assert shown.summary == [
                ("重型货车（20 吨，70 立方米）", 1),
                ("中型货车（10 吨，45 立方米）", 1),
                ("冷藏车", 1),  # a type an administrator named keeps its name
            ]
        with force_locale("en"):
            assert shown.summary[0] == ("heavy truck (20 t, 70 m³)", 1)

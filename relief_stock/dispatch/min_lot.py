"""The minimum lot: part of rule 1, which depots a plan draws on at all.

Pure functions over the planner's plain data (no app, no database). When every needed item is short,
rules 1-3 give away every unit above the reserve floors, so every depot holding a few bars of soap
sends a truck: a typhoon on the Zhejiang demo sent one from each of its 102 depots. A logistics
officer would not send a truck 400 km for three bars of soap; the minimum lot says so in numbers.

A depot is drawn on for a plan only if
  (a) the total weight of what it may ship under rule 1 (above its floors, or everything when
      reserves are released) of the items the plan needs (the demanded items, and every item of a
      demanded relief category) is at least `Scenario.min_lot_kg`, or
  (b) it lies within `Scenario.min_lot_beyond_km` road km of at least one of the plan's sites: a
      local run is cheap, and the depot at a site (0 km) is always drawn on.
The other depots' stock of those items is held back for this plan: it ships nothing, and rules 2-3
and the sourcing (rule 4, or the truck cost) run on what is left. Nothing else in them changes.

A depot holding a shippable unit of an item whose unit weight is unknown is never held back: its lot
cannot be weighed, and holding back stock we cannot judge would hide it from the plan.

`min_lot_kg` 0 (the default of a scenario file) holds nothing back: the plan is what it was before.
The lines that would have got more had the held-back lots been drawn on say so (Limit.MIN_LOT, with
the numbers); the plan lists what was held back, so the officer can lower the minimum lot, or ship
the rest in a second wave.
"""

from dataclasses import dataclass

import numpy as np

from .allocation import shippable
from .geo import road_km_matrix


@dataclass(frozen=True)
class HeldLot:
    """What one depot holds back of one needed item: units it may ship under rule 1, and their weight."""

    depot: object
    sku: str
    units: int
    weight_kg: float


@dataclass(frozen=True)
class Lots:
    """The depots one plan holds back: under its own rule 1, and had reserves been released (their
    lots are larger then, so fewer are held back; the reserve floor's explanation needs that set)."""

    min_lot_kg: float
    beyond_km: float
    held: frozenset
    held_if_released: frozenset
    lots: tuple[HeldLot, ...]  # what `held` holds back, by depot then sku, in stock row order

    @property
    def depots(self) -> int:
        return len({lot.depot for lot in self.lots})

    @property
    def weight_kg(self) -> float:
        return float(sum(lot.weight_kg for lot in self.lots))


def needed_skus(scenario) -> set:
    """The items a plan needs: the demanded ones, and every item of a demanded relief category."""
    skus = {d.sku for d in scenario.demands if d.sku is not None and not getattr(d, "category", None)}
    demanded = {d.category for d in scenario.demands if getattr(d, "category", None)}
    for category in scenario.categories:
        if category.code in demanded:
            skus.update(member.sku for member in category.members)
    return skus


def hold_back(scenario) -> Lots | None:
    """The depots `scenario` holds back under its minimum lot, or None when it has none (0 kg)."""
    if not scenario.min_lot_kg or scenario.min_lot_kg <= 0:
        return None
    needed = needed_skus(scenario)
    weights = {item.sku: item.unit_weight_kg for item in scenario.items}
    sites = list({d.site: (d.site, d.lat, d.lng) for d in scenario.demands}.values())
    depots = [(d.id, d.lat, d.lng) for d in scenario.depots]
    km = road_km_matrix(depots, sites, scenario.road_factor, scenario.distances)
    near = {d[0] for d, row in zip(depots, km) if sites and row.min() <= scenario.min_lot_beyond_km}
    rows = [r for r in scenario.stock if r.sku in needed]

    def held(release: bool) -> frozenset:
        weight, unweighable = {}, set()
        for r in rows:
            units = shippable(r.available, r.reserve_floor, release)
            if units <= 0:
                continue
            unit_weight = weights.get(r.sku)
            if unit_weight is None:
                unweighable.add(r.depot)
            else:
                weight[r.depot] = weight.get(r.depot, 0.0) + units * float(unit_weight)
        return frozenset(
            depot
            for depot, kg in weight.items()
            if kg < scenario.min_lot_kg and depot not in near and depot not in unweighable
        )

    held_now = held(scenario.release_reserves)
    held_released = held_now if scenario.release_reserves else held(True)
    lots = []
    for r in rows:
        units = shippable(r.available, r.reserve_floor, scenario.release_reserves)
        if r.depot in held_now and units > 0:
            lots.append(HeldLot(r.depot, r.sku, units, units * float(weights[r.sku])))
    lots.sort(key=lambda lot: (str(lot.depot), lot.sku))
    return Lots(
        float(scenario.min_lot_kg),
        float(scenario.min_lot_beyond_km),
        held_now,
        held_released,
        tuple(lots),
    )


def drawn_mask(depot_ids, held: frozenset | None) -> np.ndarray:
    """Per stock row (given its depot id), True where the plan may draw on it."""
    if not held:
        return np.ones(len(depot_ids), dtype=bool)
    return np.fromiter((depot not in held for depot in depot_ids), dtype=bool, count=len(depot_ids))

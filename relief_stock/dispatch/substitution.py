"""Relief categories with substitutes: a need line for a category is filled from any of its items.

Pure functions over the planner's plain data (no app, no database). A category (shelter, bedding,
drinking water ...) measures its need in its own unit (households sheltered, blanket-equivalents,
litres) and lists, in preference order, the items that meet it and how much of the need one unit
covers (a 12 m2 relief tent shelters one household, a tarpaulin half of one, a quilt counts as two
blankets). The data and its sources live in dispatch/data/ (see categories.py).

`expand(scenario, lots)` runs before the per-item rules. For every category it
1. applies rule 1 per item (reserve floors, and the depots the minimum lot holds back: `lots`, from
   min_lot.hold_back) and adds up what the category's items can cover, after the lines that ask for
   one of those items by name took their part;
2. applies rules 2 and 3 on that coverage (allocation.allocate), so two sites short of shelter get
   the same fill rate whatever mix of tents and tarpaulins reaches them;
3. turns each line's coverage into units, item by item in preference order: every line gets the
   preferred item in proportion to what it still lacks, then the next item, and so on.
The result is an ordinary per-item scenario whose lines all fit the supply (planner.plan routes it
at least ton-km) and, per category line, the outcome with the items that filled it and why.

An item listed in two categories serves them from one stock: a unit shipped for one is not counted
again for the other (the categories are taken in the order the scenario lists them).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from . import allocation
from .allocation import DemandLine


@dataclass(frozen=True)
class Member:
    sku: str
    coverage: float  # need units one unit of the item covers


@dataclass(frozen=True)
class Category:
    code: str
    members: tuple[Member, ...]  # in preference order


@dataclass(frozen=True)
class Fill:
    sku: str
    units: int
    coverage: float  # need units these units cover


@dataclass(frozen=True)
class CategoryOutcome:
    """What one category line got: coverage (in the category's unit), from which items, and why."""

    covered: int
    limit: allocation.Limit
    fills: tuple[Fill, ...]
    held_in_reserve: int  # coverage the category's items hold below reserve floors, network-wide
    if_released: int  # coverage this line would get with reserves released (= covered when they are)
    held_back: int = 0  # coverage the minimum lot held back, network-wide
    if_lots_drawn: int | None = None  # coverage with the held-back lots drawn on (None: no min lot)


@dataclass
class Expansion:
    """A per-item scenario standing in for one with category lines, and how to fold its plan back."""

    scenario: object
    original_demands: list
    plain_positions: list  # positions of the original lines that name an item
    outcomes: dict  # original position -> CategoryOutcome

    def fold(self, result):
        """The planner's answer on `scenario`, with one outcome per original line in original order."""
        from .planner import LineOutcome

        plain = iter(result.lines[: len(self.plain_positions)])
        lines = []
        for position, demand in enumerate(self.original_demands):
            if position in self.outcomes:
                o = self.outcomes[position]
                lines.append(
                    LineOutcome(
                        demand.site,
                        None,
                        demand.priority,
                        demand.qty,
                        min(o.covered, demand.qty),
                        o.limit,
                        category=demand.category,
                        fills=o.fills,
                        held_in_reserve=o.held_in_reserve,
                        if_released=min(o.if_released, demand.qty),
                        held_back=o.held_back,
                        if_lots_drawn=None if o.if_lots_drawn is None else min(o.if_lots_drawn, demand.qty),
                    )
                )
            else:
                lines.append(next(plain))
        result.lines = lines
        return result


def expand(scenario, lots=None) -> Expansion | None:
    """The per-item scenario for a scenario with category lines (None when it has none). `lots`
    (min_lot.Lots, or None) names the depots the minimum lot holds back."""
    if not any(getattr(d, "category", None) for d in scenario.demands):
        return None
    categories = {c.code: c for c in scenario.categories}
    # What may ship, and what would with reserves released, each without the depots held back then;
    # `every` and `anywhere` are the same with every depot drawn on.
    shippable, total = defaultdict(int), defaultdict(int)
    every, anywhere = defaultdict(int), defaultdict(int)
    for row in scenario.stock:
        units = allocation.shippable(row.available, row.reserve_floor, scenario.release_reserves)
        every[row.sku] += units
        anywhere[row.sku] += max(row.available, 0)
        if lots is None or row.depot not in lots.held:
            shippable[row.sku] += units
        if lots is None or row.depot not in lots.held_if_released:
            total[row.sku] += max(row.available, 0)
    plain = [p for p, d in enumerate(scenario.demands) if not d.category]
    left = _after_plain(scenario.demands, plain, shippable)
    left_released = _after_plain(scenario.demands, plain, total)
    if lots is not None:
        left_lots = _after_plain(scenario.demands, plain, every)
        left_anywhere = _after_plain(scenario.demands, plain, anywhere)

    by_category = defaultdict(list)
    for position, d in enumerate(scenario.demands):
        if d.category:
            by_category[d.category].append(position)
    order = [c.code for c in scenario.categories if c.code in by_category]
    order += [code for code in by_category if code not in categories]
    outcomes, extra = {}, []
    for code in order:
        members = categories[code].members if code in categories else ()
        lines = [
            DemandLine(p, scenario.demands[p].qty, scenario.demands[p].priority) for p in by_category[code]
        ]
        held = sum(m.coverage * (anywhere[m.sku] - every[m.sku]) for m in members)
        covered, fills, short_class, supply = _fill(members, lines, left)
        if scenario.release_reserves:
            released, supply_released = covered, supply
        else:
            released, _, _, supply_released = _fill(members, lines, left_released)
        held_back, with_lots = 0, None
        if lots is not None:
            held_back = sum(m.coverage * (every[m.sku] - shippable[m.sku]) for m in members)
            with_lots = _fill(members, lines, left_lots)[0]
            supply_released = _fill(members, lines, left_anywhere)[3]  # NO_STOCK: none anywhere
        limits = allocation.explain(
            lines,
            {key: int(value) for key, value in covered.items()},
            short_class,
            None if scenario.release_reserves else {k: int(v) for k, v in released.items()},
            supply_released,
            None if with_lots is None else {k: int(v) for k, v in with_lots.items()},
        )
        for line in lines:
            d = scenario.demands[line.key]
            outcomes[line.key] = CategoryOutcome(
                int(covered[line.key] + 1e-9),
                limits[line.key],
                tuple(fills[line.key]),
                int(held + 1e-9),
                int(released[line.key] + 1e-9),
                int(held_back + 1e-9),
                None if with_lots is None else int(with_lots[line.key] + 1e-9),
            )
            for fill in fills[line.key]:
                extra.append(replace(d, sku=fill.sku, qty=fill.units, category=None))
    demands = [scenario.demands[p] for p in plain] + extra
    return Expansion(
        replace(scenario, demands=demands, categories=[]), list(scenario.demands), plain, outcomes
    )


def _after_plain(demands, plain, supply) -> dict:
    """Units of each item left once the lines naming that item took their share (rules 2 and 3)."""
    left = dict(supply)
    lines_by_sku = defaultdict(list)
    for p in plain:
        lines_by_sku[demands[p].sku].append(DemandLine(p, demands[p].qty, demands[p].priority))
    for sku, lines in lines_by_sku.items():
        given, _ = allocation.allocate(left.get(sku, 0), lines)
        left[sku] = left.get(sku, 0) - sum(given.values())
    return left


def _fill(members, lines, left):
    """Rules 2 and 3 on the category's coverage, then units item by item (takes them from `left`).
    Returns ({key: coverage}, {key: [Fill]}, the short priority class, the coverage supply)."""
    supply = math.floor(sum(m.coverage * max(left.get(m.sku, 0), 0) for m in members) + 1e-9)
    target, short_class = allocation.allocate(supply, lines)
    covered = {line.key: 0.0 for line in lines}
    fills = {line.key: [] for line in lines}
    for member in members:
        wants = []
        for line in lines:
            lacking = target[line.key] - covered[line.key]
            if lacking > 1e-9:
                wants.append(DemandLine(line.key, math.ceil(lacking / member.coverage - 1e-9), 1))
        if not wants or left.get(member.sku, 0) <= 0:
            continue
        units, _ = allocation.allocate(left[member.sku], wants)
        for key, n in units.items():
            if n > 0:
                covered[key] += n * member.coverage
                fills[key].append(Fill(member.sku, n, n * member.coverage))
                left[member.sku] -= n
    return covered, fills, short_class, supply

"""Rules 1-3 of the dispatch planner: how much of one item each demand line gets, and why.

Pure functions over plain numbers. Geography plays no part here: the fill rates are decided on the
supply of the whole network first (rule 3 is about fairness between sites, not nearness); rule 4
(transport.py) then routes exactly these quantities at least ton-km.

1. a depot ships only what exceeds its reserve floor, unless reserves are released, and only if the
   plan draws on it at all: its lot of the needed items reaches the minimum lot, or it is near a
   site (min_lot.py);
2. priority classes 1, 2, 3 are served in order: a class gets nothing while a higher one is short;
3. in the class where supply runs out, each line gets its proportional share of what is left,
   rounded by largest remainder: every line gets the floor or the ceiling of its exact share and
   the class total is exact.
"""

from dataclasses import dataclass
from enum import StrEnum

PRIORITIES = (1, 2, 3)


class Limit(StrEnum):
    """Which rule decided a line's quantity (stored in plan lines; labels in dispatch/presenters.py)."""

    MET = "met"  # fully met
    PROPORTIONAL_SHARE = "proportional_share"  # rule 3: supply ran out in this line's class
    PRIORITY = "priority"  # rule 2: a higher class took all the supply
    RESERVE_FLOOR = "reserve_floor"  # rule 1: releasing reserves would have given this line more
    MIN_LOT = "min_lot"  # rule 1: drawing on the lots the minimum lot held back would have given more
    NO_STOCK = "no_stock"  # nothing of the item can ship anywhere, reserves or not
    EDITED = "edited"  # the officer changed the planned quantity by hand


def shippable(available: int, reserve_floor: int, release_reserves: bool) -> int:
    """Rule 1: what a depot may ship of one item. A floor above the available stock ships nothing."""
    if release_reserves:
        return max(available, 0)
    return max(available - max(reserve_floor, 0), 0)


@dataclass(frozen=True)
class DemandLine:
    key: object  # (site id, sku), or anything hashable and orderable
    qty: int
    priority: int


def allocate(supply: int, lines: list[DemandLine]) -> tuple[dict, int | None]:
    """Rules 2 and 3 for one item: {key: quantity}, and the class where supply ran out (or None).

    Integer arithmetic only, so shares are exact: line i's exact share is qty_i * R / D for what is
    left R and the class demand D; floors are handed out first, then one unit each to the largest
    remainders (ties go to the earlier key, so a plan is reproducible).
    """
    result = {line.key: 0 for line in lines}
    remaining = max(supply, 0)
    for priority in PRIORITIES:
        members = [line for line in lines if line.priority == priority and line.qty > 0]
        demand = sum(line.qty for line in members)
        if demand <= remaining:
            for line in members:
                result[line.key] = line.qty
            remaining -= demand
            continue
        floors = {line.key: line.qty * remaining // demand for line in members}
        leftover = remaining - sum(floors.values())
        by_remainder = sorted(members, key=lambda line: (-(line.qty * remaining % demand), line.key))
        for line in by_remainder[:leftover]:
            floors[line.key] += 1
        result.update(floors)
        return result, priority
    return result, None


def explain(
    lines: list[DemandLine],
    given: dict,
    short_class: int | None,
    given_if_released: dict | None,
    total_if_released: int,
    given_if_lots: dict | None = None,
) -> dict:
    """The rule that limited each line: {key: Limit}.

    `given_if_released` is the allocation had reserves been released (None when they were): a short
    line that would have got more that way is limited by the reserve floor, whatever else applies.
    `given_if_lots` is the allocation had every depot been drawn on (None without a minimum lot): a
    short line that would have got more that way is limited by the minimum lot, before the reserve
    floor, because the officer lowers it on the plan itself while reserves follow the response level
    (the line's numbers say what each would add). `total_if_released` is all the stock there is.
    """
    limits = {}
    for line in lines:
        got = given[line.key]
        if got >= line.qty:
            limits[line.key] = Limit.MET
        elif given_if_lots is not None and given_if_lots[line.key] > got:
            limits[line.key] = Limit.MIN_LOT
        elif given_if_released is not None and given_if_released[line.key] > got:
            limits[line.key] = Limit.RESERVE_FLOOR
        elif total_if_released <= 0:
            limits[line.key] = Limit.NO_STOCK
        elif short_class is not None and line.priority > short_class:
            limits[line.key] = Limit.PRIORITY
        else:
            limits[line.key] = Limit.PROPORTIONAL_SHARE
    return limits

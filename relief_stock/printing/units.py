"""Quantities as a reader says them: "200 tents" and "1 tent" in English, "200 顶" in Chinese, and
document totals that add only like units ("200 tents, 50 boxes"), never 250 of nothing.

The catalogue stores one English unit in the singular (tent, box, sleeping bag, battery); plurals
follow English spelling rules on its last word, which covers every unit we ship.
"""

from collections.abc import Iterable

from flask_babel import ngettext

# ItemInfo and DocumentLine (data.py) are used by their attributes only: data.py imports this module.


def english_plural(unit: str) -> str:
    head, _space, last = unit.rpartition(" ")
    if last.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        last = last[:-1] + "ies"
    elif last:
        last += "s"
    return f"{head} {last}" if head else last


def unit_text(item, quantity: int, lang: str) -> str:
    if lang != "en":
        return item.unit_zh
    return item.unit_en if quantity == 1 else english_plural(item.unit_en)


def quantity_text(item, quantity: int, lang: str) -> str:
    return f"{quantity:,} {unit_text(item, quantity, lang)}"


def totals_by_unit(lines: Iterable, lang: str) -> list[str]:
    """One "quantity unit" per unit as `lang` names it (个 is one unit in Chinese, kit and battery
    two in English), in the order the units first appear."""
    sums: dict[str, tuple] = {}
    for line in lines:
        key = unit_text(line.item, 1, lang)
        item, total = sums.get(key, (line.item, 0))
        sums[key] = (item, total + line.quantity)
    return [quantity_text(item, total, lang) for item, total in sums.values()]


def same_unit(lines: Iterable, lang: str) -> bool:
    return len({unit_text(line.item, 1, lang) for line in lines}) <= 1


def totals_caption(lines: tuple, lang: str) -> str:
    """'Total: 3 lines · 200 tents, 50 boxes' ('合计：3 行 · 200 顶、50 盒')."""
    count = ngettext("Total: %(num)d line", "Total: %(num)d lines", len(lines))
    units = (", " if lang == "en" else "、").join(totals_by_unit(lines, lang))
    return f"{count} · {units}" if units else count

"""The one-line plain summary of where a donation's goods are, per item, in the reader's language:
"1,239 条毛毯：已发放 800 条至苍南、平阳 2 个安置点，439 条在库" and "1,239 blankets (Blanket):
800 blankets distributed to 2 sites (苍南, 平阳), 439 blankets in stock". Presentation only: the
figures come from queries.ItemSummary, which keeps the conservation identity."""

from flask_babel import format_number, get_locale, ngettext
from flask_babel import gettext as _

from ..i18n import localized


def _separators() -> tuple[str, str]:
    """(between clauses, between names): Chinese uses ，and 、."""
    return ("，", "、") if get_locale().language == "zh" else (", ", ", ")


def plural(unit: str, count: int) -> str:
    """An English unit of count for `count` of it ("1 tent", "2 tents", "3 boxes"); Chinese
    measure words do not change."""
    if count == 1 or get_locale().language == "zh" or not unit.isascii() or not unit[-1:].isalpha():
        return unit
    if unit.endswith(("s", "x", "z", "ch", "sh")):
        return unit + "es"
    if unit.endswith("y") and unit[-2:-1] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"


def summary_line(summary) -> str:
    unit, item = localized(summary.item, "unit"), localized(summary.item, "name")
    clause, names = _separators()

    def say(value):
        return {"n": format_number(value), "units": plural(unit, value)}

    parts = []
    if summary.distributed:
        if summary.sites:
            sites, count = names.join(summary.sites), len(summary.sites)
            if summary.issued:
                parts.append(
                    ngettext(
                        "%(n)s %(units)s distributed, %(at_sites)s of them to %(num)d site (%(sites)s)",
                        "%(n)s %(units)s distributed, %(at_sites)s of them to %(num)d sites (%(sites)s)",
                        count,
                        at_sites=format_number(summary.delivered),
                        sites=sites,
                        **say(summary.distributed),
                    )
                )
            else:
                parts.append(
                    ngettext(
                        "%(n)s %(units)s distributed to %(num)d site (%(sites)s)",
                        "%(n)s %(units)s distributed to %(num)d sites (%(sites)s)",
                        count,
                        sites=sites,
                        **say(summary.distributed),
                    )
                )
        else:
            parts.append(_("%(n)s %(units)s distributed", **say(summary.distributed)))
    if summary.in_transit:
        parts.append(_("%(n)s %(units)s on the way", **say(summary.in_transit)))
    if summary.lost:
        parts.append(_("%(n)s %(units)s written off", **say(summary.lost)))
    if summary.in_stock and summary.committed:
        parts.append(
            _(
                "%(n)s %(units)s in stock, %(committed)s of them committed to %(emergencies)s",
                committed=format_number(summary.committed),
                emergencies=names.join(summary.emergencies),
                **say(summary.in_stock),
            )
        )
    elif summary.in_stock:
        parts.append(_("%(n)s %(units)s in stock", **say(summary.in_stock)))
    head = _("%(n)s %(units)s (%(item)s)", item=item, **say(summary.received))
    return _("%(head)s: %(parts)s", head=head, parts=clause.join(parts)) if parts else head

"""The one-line plain summary of where a donation's goods are, per item, in the reader's language:
"1,239 条毛毯：已发放 800 条至苍南、平阳 2 个安置点，439 条在库". Presentation only: the figures come
from queries.ItemSummary, which keeps the conservation identity."""

from flask_babel import format_number, get_locale
from flask_babel import gettext as _

from ..i18n import localized


def _separators() -> tuple[str, str]:
    """(between clauses, between site names): Chinese uses ，and 、."""
    return ("，", "、") if get_locale().language == "zh" else ("; ", ", ")


def summary_line(summary) -> str:
    unit, item = localized(summary.item, "unit"), localized(summary.item, "name")
    clause, names = _separators()

    def n(value):
        return format_number(value)

    parts = []
    if summary.distributed:
        if summary.sites:
            sites = names.join(summary.sites)
            parts.append(
                _(
                    "%(n)s %(unit)s distributed, %(at_sites)s %(unit)s of them at %(count)d sites (%(sites)s)",
                    n=n(summary.distributed),
                    unit=unit,
                    at_sites=n(summary.delivered),
                    count=len(summary.sites),
                    sites=sites,
                )
                if summary.issued
                else _(
                    "%(n)s %(unit)s distributed at %(count)d sites (%(sites)s)",
                    n=n(summary.distributed),
                    unit=unit,
                    count=len(summary.sites),
                    sites=sites,
                )
            )
        else:
            parts.append(_("%(n)s %(unit)s distributed", n=n(summary.distributed), unit=unit))
    if summary.in_transit:
        parts.append(_("%(n)s %(unit)s on the way", n=n(summary.in_transit), unit=unit))
    if summary.lost:
        parts.append(_("%(n)s %(unit)s written off", n=n(summary.lost), unit=unit))
    if summary.in_stock:
        parts.append(_("%(n)s %(unit)s in stock", n=n(summary.in_stock), unit=unit))
    head = _("%(n)s %(unit)s of %(item)s", n=n(summary.received), unit=unit, item=item)
    return _("%(head)s: %(parts)s", head=head, parts=clause.join(parts)) if parts else head

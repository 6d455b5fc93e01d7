"""The feedback letter to a donor (捐赠反馈函): for the donations they made in a period, what was
accepted, where the goods went (sites, emergencies), what was written off and what remains, each
donation with its trace code and a QR code to its public trace page, in Chinese or English.

The figures are the public trace's (donations.reports.rows_of), so the letter and the page agree.
"""

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ..i18n import localized
from . import qr
from .data import depot_info
from .documents import (
    CONTENT_W,
    Column,
    HeaderSpec,
    cell,
    closing,
    lines_table,
    local_text,
    number_text,
    paragraph,
    render_document,
)
from .donor_receipt import trace_url
from .manifest import party_lines

QR_SIZE = 22 * mm


class QrCode(Flowable):
    """A QR code as a flowable, to sit beside the donation it links to."""

    def __init__(self, payload: str, size: float = QR_SIZE):
        super().__init__()
        self.payload, self.size = payload, size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        qr.draw(self.canv, self.payload, 0, 0, self.size)


def _where(row) -> str:
    """Where the units went, in words: sites (with their emergencies) and what is promised."""
    s = row.summary
    parts = [f"{site} {number_text(n)}" for site, n in s.sites.items()]
    if s.issued:
        parts.append(_("issued at depots %(n)s", n=number_text(s.issued)))
    if row.emergencies:
        parts.append(
            _(
                "committed to %(emergencies)s",
                emergencies="、".join(f"{name} {number_text(n)}" for name, n in row.emergencies.items()),
            )
        )
    return ("；" if get_locale().language == "zh" else "; ").join(parts)


def _columns() -> list[Column]:
    return [
        Column(_("Item name"), 44),
        Column(_("Accepted"), 17, "RIGHT"),
        Column(_("Distributed"), 17, "RIGHT"),
        Column(_("Where they went"), 52),
        Column(_("In transit"), 15, "RIGHT"),
        Column(_("Written off"), 16, "RIGHT"),
        Column(_("In stock"), 21, "RIGHT"),
    ]


def _donation_block(donation, rows, summary_line) -> KeepTogether:
    url = trace_url(donation.trace_code)
    heading = Table(
        [
            [
                [
                    paragraph(
                        _(
                            "Donation of %(date)s received at %(depot)s",
                            date=local_text(donation.donated_date),
                            depot=localized(donation.depot, "name"),
                        ),
                        10,
                        bold=True,
                    ),
                    Spacer(1, 1.5 * mm),
                    paragraph(_("Trace code: %(code)s", code=donation.trace_code), 9, bold=True),
                    paragraph(url, 7.5),
                    Spacer(1, 1.5 * mm),
                ]
                + [paragraph(summary_line(r.summary), 8.5) for r in rows if r.summary is not None],
                QrCode(url),
            ]
        ],
        colWidths=[CONTENT_W - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm],
    )
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    table_rows = []
    for row in rows:
        s, line = row.summary, row.line
        if s is None:
            table_rows.append(
                [localized(line.item, "name"), number_text(line.accepted_quantity or 0), "", "", "", "", ""]
            )
            continue
        stock = number_text(s.in_stock)
        if s.committed:
            stock = _("%(n)s (%(committed)s committed)", n=stock, committed=number_text(s.committed))
        table_rows.append(
            [
                f"{localized(line.item, 'name')} ({localized(line.item, 'unit')})",
                number_text(s.received),
                number_text(s.distributed),
                cell(_where(row), 7.5),
                number_text(s.in_transit),
                number_text(s.lost),
                stock,
            ]
        )
    return KeepTogether([heading, Spacer(1, 2 * mm), lines_table(_columns(), table_rows), Spacer(1, 6 * mm)])


def render_feedback_letter(donor, donations, rows, period, lang: str = "zh", signed_by=None) -> bytes:
    """The letter to `donor` about `donations` (donations.reports rows for them) in `period`."""
    from ..donations.summary import summary_line

    start, end = period
    with force_locale(lang):
        story = [
            paragraph(_("Dear %(donor)s,", donor=donor.name), 10.5, bold=True),
            Spacer(1, 2 * mm),
            paragraph(
                _(
                    "Thank you for your donations between %(start)s and %(end)s. Below is what we "
                    "received, where the goods went and what remains, as recorded in our stock ledger.",
                    start=local_text(start),
                    end=local_text(end),
                ),
                9.5,
            ),
            Spacer(1, 5 * mm),
        ]
        for donation in donations:
            story.append(
                _donation_block(donation, [r for r in rows if r.donation.id == donation.id], summary_line)
            )
        story.append(
            closing(
                None,
                _(
                    "Every movement of these goods is recorded in a ledger sealed with our signature, so "
                    "it cannot be changed unnoticed. Scan a QR code, or enter its trace code at %(url)s, "
                    "to follow the goods at any time.",
                    url=trace_url("").rstrip("/") + "/",
                ),
                [
                    _("For the depot (seal): %(name)s", name=signed_by)
                    if signed_by
                    else _("For the depot (seal)")
                ],
            )
        )
        first, single = donations[0], len(donations) == 1
        period_text = _("Period: %(start)s to %(end)s", start=local_text(start), end=local_text(end))
        spec = HeaderSpec(
            title=_("Donation feedback letter"),
            number=first.trace_code if single else f"{local_text(start)} – {local_text(end)}",
            # several donations: the lookup page, each donation's own code is beside it below
            qr_url=trace_url(first.trace_code if single else ""),
            qr_caption=_("Scan to see where the donated goods went."),
            meta=[period_text] if single else [_("Donations: %(n)d", n=len(donations))],
            parties=[
                (_("Donor"), [donor.name, donor.contact_name or "", donor.address or ""]),
                (_("Receiving depot"), party_lines(depot_info(first.depot), None, lang)),
            ],
        )
        return render_document(spec, story)

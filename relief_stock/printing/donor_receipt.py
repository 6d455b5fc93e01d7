"""The donor's receipt (捐赠收据) for a received donation: what was declared, what was accepted and why
any difference, and the trace code with a QR code to the public trace page
(<PUBLIC_BASE_URL>/donations/<trace code>), so the donor can follow the goods without an account.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import localized
from .data import depot_info
from .documents import Column, HeaderSpec, closing, lines_table, local_text, number_text, render_document
from .manifest import party_lines


def trace_url(trace_code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/donations/{trace_code}"


def render_donor_receipt(donation, lang: str = "zh") -> bytes:
    """The receipt PDF of `donation` (a donations.models.Donation) in `lang`."""
    with force_locale(lang):
        columns = [
            Column("#", 8, "RIGHT"),
            Column(_("Item name"), 62),
            Column(_("Declared"), 22, "RIGHT"),
            Column(_("Accepted"), 22, "RIGHT"),
            Column(_("Unit"), 14),
            Column(_("Difference"), 54),
        ]
        rows = []
        for index, line in enumerate(donation.lines, start=1):
            difference = ""
            if line.difference:
                difference = f"{number_text(line.difference)} · {line.difference_reason.label}"
            rows.append(
                [
                    index,
                    localized(line.item, "name"),
                    number_text(line.declared_quantity),
                    number_text(line.accepted_quantity),
                    localized(line.item, "unit"),
                    difference,
                ]
            )
        donor = donation.donor
        donor_lines = [donor.name, donor.contact_name or "", donor.phone or ""]
        story = [
            lines_table(columns, rows),
            closing(
                None,
                _(
                    "Trace code %(code)s: anyone may follow where these goods go at %(url)s.",
                    code=donation.trace_code,
                    url=trace_url(donation.trace_code),
                ),
                [_("Donor"), _("Received and checked by (keeper)")],
            ),
        ]
        spec = HeaderSpec(
            title=_("Donation receipt"),
            number=donation.trace_code,
            qr_url=trace_url(donation.trace_code),
            qr_caption=_("Scan to see where the donated goods went."),
            meta=[
                _("Donated: %(date)s", date=local_text(donation.donated_date)),
                _("Received: %(date)s", date=local_text(donation.received_at)),
            ],
            parties=[
                (_("Donor"), donor_lines),
                (_("Receiving depot"), party_lines(depot_info(donation.depot), None, lang)),
            ],
        )
        return render_document(spec, story)

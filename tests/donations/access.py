"""Donations: the public trace, and the staff pages and API of donors and donations (format:
tests/test_permission_matrix.py)."""

ACCESS = {
    "donations.lookup": "public",
    "donations.trace": "public",
    "donations.checkpoint": "public",
    "donors.donation_receipt": "admin auditor keeper@depot dispatcher@depot",
    "donors.donations": "signed-in",
    "donors.register_donation": "admin keeper",
    "donors.donation": "admin auditor keeper@depot dispatcher@depot",
    "donors.receive_donation": "admin keeper@depot",
    "donors.donors": "signed-in",
    "donors.donor": "signed-in",
    "donors.create_donor": "admin keeper",
    "donors.edit_donor": "admin keeper",
    "donors.import_donors": "admin keeper",
    "donors.import_template": "signed-in",
    "api_donations.list_donors": "signed-in",
    "api_donations.create_donor": "admin keeper",
    "api_donations.get_donor": "signed-in",
    "api_donations.list_donations": "signed-in",
    "api_donations.create_donation": "admin keeper",
    "api_donations.get_donation": "admin auditor keeper@depot dispatcher@depot",
    "api_donations.receive_donation": "admin keeper@depot",
    # Reports: every signed-in role, each seeing the donations of the depots in their scope.
    "donation_reports.donations_xlsx": "signed-in",
    "donation_reports.feedback_letter": "signed-in",
}


def _donor(ctx):
    from relief_stock.database import atomic
    from relief_stock.donations import operations as donation_ops

    with atomic():
        return donation_ops.register_donor(ctx.world.users["admin"], kind="organisation", name="爱心企业")


def _declared_donation(ctx):
    from relief_stock.database import atomic
    from relief_stock.donations import operations as donation_ops

    admin = ctx.world.users["admin"]
    donor = _donor(ctx)
    with atomic():
        return donation_ops.declare_donation(
            admin, donor, ctx.depot, [donation_ops.DeclaredLine(ctx.world.items["QUILT"], 5)]
        )


def _received_donation(ctx):
    from relief_stock.database import atomic
    from relief_stock.donations import operations as donation_ops

    donation = _declared_donation(ctx)
    with atomic():
        donation_ops.receive_donation(
            ctx.world.users["admin"], donation, {donation.lines[0].id: donation_ops.Acceptance(5)}
        )
    return donation


def _declared_code(ctx):
    return {"trace_code": _declared_donation(ctx).trace_code}


def _donor_id(ctx):
    return {"donor_id": _donor(ctx).id}


URL_ARGS = {
    "donors.donation_receipt": lambda ctx: {"trace_code": _received_donation(ctx).trace_code},
    "donors.donation": _declared_code,
    "donors.receive_donation": _declared_code,
    "donors.donor": _donor_id,
    "donors.edit_donor": _donor_id,
    "api_donations.get_donor": _donor_id,
    "api_donations.get_donation": _declared_code,
    "api_donations.receive_donation": _declared_code,
    "donation_reports.feedback_letter": lambda ctx: {"donor_id": _received_donation(ctx).donor_id},
}

"""The public donation trace (format: tests/test_permission_matrix.py)."""

ACCESS = {
    "donations.lookup": "public",
    "donations.trace": "public",
    "donations.checkpoint": "public",
    "donors.donation_receipt": "admin auditor keeper@depot dispatcher@depot",
    # Reports: every signed-in role, each seeing the donations of the depots in their scope.
    "donation_reports.donations_xlsx": "signed-in",
    "donation_reports.feedback_letter": "signed-in",
}


def _received_donation(ctx):
    from relief_stock.database import atomic
    from relief_stock.donations import operations as donation_ops

    admin = ctx.world.users["admin"]
    with atomic():
        donor = donation_ops.register_donor(admin, kind="organisation", name="爱心企业")
        donation = donation_ops.declare_donation(
            admin, donor, ctx.depot, [donation_ops.DeclaredLine(ctx.world.items["QUILT"], 5)]
        )
        donation_ops.receive_donation(admin, donation, {donation.lines[0].id: donation_ops.Acceptance(5)})
    return donation


URL_ARGS = {
    "donors.donation_receipt": lambda ctx: {"trace_code": _received_donation(ctx).trace_code},
    "donation_reports.feedback_letter": lambda ctx: {"donor_id": _received_donation(ctx).donor_id},
}

"""The public trace of donated goods (全程留痕，可查询、可追溯): anyone with a donation code sees where
the donated batches went, without personal data of the people who received them."""


def init_app(app):
    from . import api, donor_views, models, report_views, staff_views, views  # noqa: F401  (models: the tables)

    app.register_blueprint(views.bp)
    app.register_blueprint(staff_views.bp)  # with the routes of donor_views
    app.register_blueprint(report_views.bp)
    api.register(app)
    from flask_babel import lazy_gettext as _l

    from ..auth.permissions import Action
    from ..web import add_nav

    add_nav("donors.donations", _l("Donations"), Action.VIEW, order=85)
    add_nav("donations.lookup", _l("Donation trace"), Action.VIEW, order=90)

"""The public trace of donated goods (全程留痕，可查询、可追溯): anyone with a donation code sees where
the donated batches went, without personal data of the people who received them."""


def init_app(app):
    from . import views

    app.register_blueprint(views.bp)

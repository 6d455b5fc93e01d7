"""Demo data: the real Zhejiang depot network, a relief catalogue, demo users (and, from the stock
domain, living stock). `flask demo load` fills an empty database."""


def init_app(app):
    from . import cli

    cli.register(app)

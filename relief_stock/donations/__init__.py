"""The donations domain (see README's layout)."""


def init_app(app):
    pass

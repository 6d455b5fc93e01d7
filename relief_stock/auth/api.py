"""User API under /api/v1/users."""


def register(app):
    pass

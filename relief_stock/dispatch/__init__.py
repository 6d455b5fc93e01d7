"""Dispatch: emergencies, needs, the optimal and fair plan, and the transfer orders it becomes.

Flow: emergency -> affected sites -> needs (needs.py) -> plan (planner.py over a Scenario built by
queries.py) -> approval -> transfer orders (transfers.py) -> picking, dispatch, receipt (stock ops).
"""


def init_app(app):
    from . import cli, models  # noqa: F401  (models registers the tables)

    cli.register(app)

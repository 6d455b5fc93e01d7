"""The three-site typhoon on the Zhejiang demo network, as a scenario file for the benchmark.

    .venv/bin/python bench/typhoon.py OUT.json

Loads the demo into a throw-away SQLite database, opens a level-III typhoon with sites at the seats of
Cangnan (330327), Pingyang (330326) and Rui'an (330381), 20,000 people in all, estimates the needs
from the standards and exports the live state as a scenario (what `flask dispatch export` writes),
with the web flow's minimum lot (DISPATCH_MIN_LOT_KG 500, DISPATCH_MIN_LOT_BEYOND_KM 50): the file
plans as a web plan would. Set "min_lot_kg" to 0 in it to draw on every depot.
"""

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SITES = (("330327", 8000), ("330326", 6000), ("330381", 6000))
HOUSEHOLD_SIZE = 2.5


def typhoon_scenario() -> dict:
    from flask_migrate import upgrade

    from relief_stock import create_app
    from relief_stock.database import atomic
    from relief_stock.demo import loader
    from relief_stock.dispatch import operations, queries
    from relief_stock.dispatch import scenario as scenario_io
    from relief_stock.dispatch.models import EmergencyKind

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.db", "TESTING": True})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            with atomic():
                loader.load_all()
            from relief_stock.auth.models import User
            from relief_stock.extensions import db
            from relief_stock.network.models import Depot

            admin = db.session.scalars(db.select(User).filter_by(username="dispatcher")).one()
            with atomic():
                e = operations.create_emergency(
                    admin, name="typhoon", kind=EmergencyKind.TYPHOON, response_level=3, days_to_cover=3
                )
                for code, people in SITES:
                    depot = db.session.scalars(db.select(Depot).filter_by(code=code)).one()
                    operations.add_site(
                        admin,
                        e,
                        name=code,
                        depot=depot,
                        lat=None,
                        lng=None,
                        population=people,
                        households=round(people / HOUSEHOLD_SIZE),
                    )
            with atomic():
                operations.estimate_needs(admin, e)
            return scenario_io.scenario_dict(queries.scenario_from_database(e.id))


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(typhoon_scenario(), ensure_ascii=False))

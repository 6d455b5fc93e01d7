"""Alert and norm pages and API (format: tests/test_permission_matrix.py)."""

from sqlalchemy import select

from relief_stock.alerts import operations
from relief_stock.alerts.checks import run_checks
from relief_stock.alerts.models import Alert
from relief_stock.database import atomic
from relief_stock.extensions import db

ACCESS = {
    "alerts.index": "signed-in",
    "alerts.acknowledge": "admin dispatcher@depot keeper@depot",
    "alerts.run_now": "admin",
    "alerts.norms": "signed-in",
    "alerts.set_norm": "admin dispatcher keeper",
    "alerts.set_standard": "admin",
    "alerts.import_xlsx": "admin dispatcher keeper",
    "api_alerts.list_alerts": "signed-in",
    "api_alerts.acknowledge_alert": "admin dispatcher@depot keeper@depot",
    "api_alerts.run_checks_now": "admin",
    "api_alerts.list_norms": "signed-in",
    "api_alerts.put_norm": "admin dispatcher keeper",
}


def shortfall_alert_at(ctx) -> dict:
    """An open shortfall alert at the case's depot: a norm nobody holds, and one check run."""
    with atomic():
        operations.set_norm(ctx.world.users["admin"], ctx.world.items["QUILT"], 10, depot=ctx.depot)
        run_checks()
    alert = db.session.scalar(select(Alert).where(Alert.depot_id == ctx.depot.id))
    return {"alert_id": alert.id}


URL_ARGS = {
    "alerts.acknowledge": shortfall_alert_at,
    "api_alerts.acknowledge_alert": shortfall_alert_at,
}

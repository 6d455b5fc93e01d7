"""The scan benchmark's baseline: the relief-stock app plus one public endpoint that fetches one
batch row by its code and answers it as JSON. Same server, middleware and engine as the scan, minus
what a scan adds (the token, the batch's depot/location/item, the actions, the scan log), so the
ratio scan / lookup is what a scan costs over a bare one-row lookup.

    gunicorn bench.lookup_app:app     (bench/stock_bench.py scan starts it)
"""

from sqlalchemy import select

from relief_stock import create_app
from relief_stock.auth.permissions import public
from relief_stock.extensions import db
from relief_stock.stock.models import Batch

app = create_app()
batches = Batch.__table__


@app.get("/bench/lookup/<code>")
@public
def lookup(code):
    """One indexed row, by code."""
    row = db.session.execute(
        select(batches.c.id, batches.c.quantity, batches.c.status).where(batches.c.code == code)
    ).first()
    return {"id": row.id, "quantity": row.quantity, "status": row.status}

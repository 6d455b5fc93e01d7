"""WSGI entry point for gunicorn: `gunicorn -w 4 -b 0.0.0.0:8000 wsgi:app`.

The scheduler is not started here: run exactly one `flask scheduler` process beside the workers.
"""

from relief_stock import create_app

app = create_app()

"""relief-stock: inventory for disaster-relief reserve depots.

`create_app()` wires the application in the order stock flows through it:
scan -> operation -> ledger and balances -> alerts -> dispatch plan -> manifest -> receipt.
Each domain package exposes `init_app(app)`, which registers its blueprints, API and CLI commands.
"""

import importlib
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# The domains, in the order data flows. Listed by hand (no auto-discovery) so a reader sees the flow.
DOMAINS = (
    "auth",
    "network",
    "catalogue",
    "scanning",  # (1) scan: resolve any printed code
    "stock",  # (2-4) operation, ledger, balances
    "sealing",  # (4) the ledger sealed into a signed hash chain
    "alerts",  # (5) expiry and shortfall against reserve norms
    "dispatch",  # (6) needs, plan, transfer orders
    "printing",  # (7) labels, manifests, picking lists, receipt notes
    "field",  # the keeper's offline field app over (1)-(4) and the transfer steps of (6)
    "donations",  # (8) public trace of donated goods
    "dashboard",
    "audit",  # who changed roles, depot parents and norms
    "demo",
)


def create_app(config=None):
    """Build the application.

    `config` is a config name ("development", "testing", "production") or a mapping of settings
    applied on top of the named config in `RELIEF_STOCK_CONFIG` (default "development").
    """
    from flask import Flask  # here, not above: a planner run imports the package without the web app

    from config import CONFIGS

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_DIR / "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)

    name = config if isinstance(config, str) else os.environ.get("RELIEF_STOCK_CONFIG", "development")
    if name not in CONFIGS:
        raise ValueError(f"unknown config {name!r}; choose one of {', '.join(CONFIGS)}")
    app.config.from_object(CONFIGS[name](app.instance_path))
    if isinstance(config, dict):
        app.config.update(config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
        str(PACKAGE_DIR / domain / "translations")
        for domain in ("",) + DOMAINS
        if (PACKAGE_DIR / domain / "translations").is_dir()
    )

    from . import errors, extensions, i18n, limits, openapi, security, web

    extensions.init_app(app)
    openapi.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    web.init_app(app)
    for domain in DOMAINS:
        importlib.import_module(f"{__name__}.{domain}").init_app(app)
    return app

"""The field app's pages: the app shell (/field/), its web app manifest and its service worker.

The service worker is served from /field/ so that its scope is the app and nothing else: the rest of
the site keeps behaving as plain pages. It keeps the shell and every asset the shell uses (scripts,
styles, icons, the vendored QR decoder) on the phone, under a cache named after a hash of those files,
so a new release replaces the cache and an old phone never mixes versions.
"""

import hashlib
import json
from functools import cache

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.permissions import Action, can, public, requires

bp = Blueprint("field", __name__, url_prefix="/field")

# Static files the shell needs offline (paths under relief_stock/static/).
ASSETS = (
    "css/app.css",
    "css/field.css",
    "js/field/store.js",
    "js/field/camera.js",
    "js/field/app.js",
    "vendor/zxing-wasm/reader/index.js",
    "vendor/zxing-wasm/reader/zxing_reader.wasm",
    "icons/field-192.png",
    "icons/field-512.png",
)


@cache
def _assets_version(static_folder: str) -> str:
    digest = hashlib.sha256()
    for path in ASSETS:
        with open(f"{static_folder}/{path}", "rb") as asset:
            digest.update(asset.read())
    return digest.hexdigest()[:12]


def assets_version() -> str:
    return _assets_version(current_app.static_folder)


@bp.get("/")
@requires(Action.OPERATE_STOCK)
def app_shell():
    """The keeper's field app: scan, batch, receive, issue, move, count, pick and receive orders,
    online or not."""
    depot = current_user.depot
    return render_template(
        "field/app.html",
        depot=depot if depot is not None and can(current_user, Action.OPERATE_STOCK, depot) else None,
        version=assets_version(),
    )


@bp.get("/manifest.webmanifest")
@public  # browsers fetch the manifest without cookies
def manifest():
    """The web app manifest: installs the field app on a phone's home screen."""
    body = {
        "name": str(_l("Relief stock: keeper")),
        "short_name": str(_l("Keeper")),
        "start_url": url_for("field.app_shell"),
        "scope": url_for("field.app_shell"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/field-{n}.png"),
                "sizes": f"{n}x{n}",
                "type": "image/png",
            }
            for n in (192, 512)
        ],
    }
    return current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )


@bp.get("/sw.js")
@public  # the script holds no data; the pages it caches are fetched with the user's cookies
def service_worker():
    """The service worker: the shell and its assets from the phone's cache when there is no network."""
    body = render_template(
        "field/sw.js",
        version=assets_version(),
        shell=url_for("field.app_shell"),
        assets=[url_for("static", filename=path) for path in ASSETS],
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # the browser checks for a new release on each visit
    return response


def register(app):
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav("field.app_shell", _l("Field app"), Action.OPERATE_STOCK, order=1)

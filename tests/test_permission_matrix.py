"""The permission matrix: every endpoint x every role (x a depot in and out of scope).

Walks EVERY endpoint in app.url_map and every HTTP method it answers, as admin, dispatcher (scope
330100 Hangzhou and below), keeper (scope 330102 Shangcheng), auditor and anonymous, and asserts:

- allowed:    no 401, no 403, no redirect to the sign-in page. Bad input may still answer 4xx (an
              empty POST gets 422, an unknown id 404): the request was let in, which is what counts.
- refused:    exactly 403 for a signed-in user; for anonymous a 302 to /login (pages) or 401 (/api/).

Expectations live beside each domain's tests, in tests/<domain>/access.py (app-wide endpoints in
tests/access.py). The test fails for an endpoint without an expectation, and for an expectation
naming an endpoint or method that does not exist. The format:

    ACCESS = {
        "network.tree": "signed-in",                      # every method of the endpoint
        "network.add_location": "admin keeper@depot",
        "api_items.list_items": "signed-in",
        "catalogue.create_item": {"GET": "admin", "POST": "admin"},   # per method, when they differ
    }

A rule is words separated by spaces:
    public         everybody, signed in or not (the only rule that lets anonymous in)
    signed-in      every signed-in role: admin, dispatcher, keeper, auditor
    admin | dispatcher | keeper | auditor     that role, at any depot
    <role>@depot   that role, only when the depot in the URL is inside the role's scope

An endpoint whose rule has a "@depot" word is requested twice per role: with a depot inside both
scoped users' scope (330102) and with one outside (330203, Ningbo); "<role>@depot" then expects
allowed and 403 respectively. Other endpoints are requested once, with 330102.

URL variables are filled by name (`code` -> the depot's code, `sku` -> "QUILT", `user_id` -> the
keeper's id, ...; see DEFAULT_ARGS). An endpoint that needs something else (a batch code, a
transfer number) gets a builder in the same access.py:

    URL_ARGS = {
        "stock.batch": lambda ctx: {"code": some_batch_at(ctx.depot, ctx.world).code},
    }

`ctx` has `world` (the `world` fixture), `depot` (the depot of this case), `make` (factories) and
`app`. Builders must create what they need through the operations, as every test does. Requests
carry no body (pages get an empty form, the API an empty JSON object); roles run from least to most
privileged, each in a fresh client, so an allowed request cannot lock out the next role.

Speed: the matrix has hundreds of cases, so it builds one app and one world per backend for the
whole module (building them took most of each case's time) and puts the database back to that
snapshot after every case: whatever a case wrote is gone before the next one starts.
"""

import importlib
import pkgutil
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from relief_stock import create_app
from relief_stock.auth.models import ApiToken, User
from relief_stock.catalogue.models import Item
from relief_stock.extensions import db
from relief_stock.network.models import Depot
from tests.conftest import BACKENDS, FreshContextClient, _migrate, drop_pg_database, new_pg_database
from tests.factories import PASSWORD, Factories, World

TESTS_DIR = Path(__file__).resolve().parent
ROLES = ("anonymous", "auditor", "keeper", "dispatcher", "admin")  # least privileged first
SIGNED_IN = ("admin", "dispatcher", "keeper", "auditor")
WORLD_USER = {"admin": "admin", "dispatcher": "dispatcher", "keeper": "keeper", "auditor": "auditor"}
IN_SCOPE, OUT_OF_SCOPE = "330102", "330203"
METHODS_SKIPPED = {"HEAD", "OPTIONS"}


@dataclass
class Context:
    world: object
    depot: object
    make: object
    app: object


DEFAULT_ARGS = {
    "code": lambda ctx: ctx.depot.code,
    "sku": lambda ctx: "QUILT",
    "user_id": lambda ctx: ctx.world.users["keeper"].id,
    "token_id": lambda ctx: 1,
    "kind": lambda ctx: "csv",
    "filename": lambda ctx: "css/app.css",
}


def _access_modules():
    names = ["tests.access"] if (TESTS_DIR / "access.py").exists() else []
    for info in pkgutil.iter_modules([str(TESTS_DIR)]):
        if info.ispkg and (TESTS_DIR / info.name / "access.py").exists():
            names.append(f"tests.{info.name}.access")
    return [importlib.import_module(name) for name in names]


def _load_expectations():
    access, url_args, owners = {}, {}, {}
    for module in _access_modules():
        for endpoint, rule in module.ACCESS.items():
            if endpoint in access:
                raise AssertionError(
                    f"{endpoint} has expectations in {owners[endpoint]} and {module.__name__}"
                )
            access[endpoint], owners[endpoint] = rule, module.__name__
        url_args.update(getattr(module, "URL_ARGS", {}))
    return access, url_args


ACCESS, URL_ARGS = _load_expectations()


class _SqliteSnapshot:
    """The world's database file, copied aside once and copied back after each case."""

    def __init__(self, folder: Path, template: Path):
        self.live, self.saved = folder / "matrix.sqlite3", folder / "world.sqlite3"
        shutil.copy(template, self.live)
        self.url = f"sqlite:///{self.live}"

    def save(self):
        shutil.copy(self.live, self.saved)

    def restore(self):
        for leftover in (Path(f"{self.live}-wal"), Path(f"{self.live}-shm")):  # WAL files of the case
            leftover.unlink(missing_ok=True)
        shutil.copy(self.saved, self.live)

    def drop(self):
        pass


class _PostgresSnapshot:
    """The world's rows, copied once into a `world` schema beside the tables and copied back after
    each case (cloning a whole database per case costs seconds; this costs milliseconds)."""

    def __init__(self, server):
        self.server = server
        self.url = new_pg_database(server, prefix="relief_matrix")
        _migrate(self.url)
        self.engine = sa.create_engine(self.url)

    def save(self):
        with self.engine.begin() as connection:
            connection.execute(sa.text("CREATE SCHEMA world"))
            for table in db.metadata.sorted_tables:
                connection.execute(
                    sa.text(f'CREATE TABLE world."{table.name}" AS TABLE public."{table.name}"')
                )

    def restore(self):
        tables = db.metadata.sorted_tables  # parents first, so every foreign key holds on insert
        with self.engine.begin() as connection:
            # DELETE, not TRUNCATE: on a few hundred rows it is many times faster (no new files).
            # Sequences go on counting, so ids handed out after the snapshot are never reused.
            for table in reversed(tables):
                connection.execute(sa.text(f'DELETE FROM public."{table.name}"'))
            for table in tables:
                connection.execute(
                    sa.text(f'INSERT INTO public."{table.name}" SELECT * FROM world."{table.name}"')
                )

    def drop(self):
        self.engine.dispose()
        drop_pg_database(self.server, self.url)


@pytest.fixture(scope="module", params=BACKENDS)
def matrix_app(request, tmp_path_factory):
    """One app and one world per backend for the whole module, and how to put the world back."""
    folder = tmp_path_factory.mktemp("matrix")
    if request.param == "sqlite":
        snapshot = _SqliteSnapshot(folder, request.getfixturevalue("sqlite_template"))
    else:
        snapshot = _PostgresSnapshot(request.getfixturevalue("pg_server"))
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": snapshot.url, "PUBLIC_BASE_URL": "https://relief.example.org"}
    )
    app.instance_path = str(folder / "instance")
    app.test_client_class = FreshContextClient
    with app.app_context():
        Factories().world()
        db.session.remove()
        db.engine.dispose()
    snapshot.save()
    try:
        yield app, snapshot
    finally:
        with app.app_context():
            db.engine.dispose()
        snapshot.drop()


@pytest.fixture
def app(matrix_app):
    """The module's app in a fresh app context; afterwards the database is the world again."""
    app, snapshot = matrix_app
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()  # no connection may hold the file or database while it is replaced
    snapshot.restore()


@pytest.fixture
def world(app):
    """The snapshot's world (see tests/factories.py), read back by code, SKU and username."""
    return World(
        depots={d.code: d for d in db.session.scalars(sa.select(Depot))},
        items={i.sku: i for i in db.session.scalars(sa.select(Item))},
        users={u.username: u for u in db.session.scalars(sa.select(User))},
    )


def _endpoints():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    methods = {}
    for rule in app.url_map.iter_rules():
        methods.setdefault(rule.endpoint, set()).update(rule.methods - METHODS_SKIPPED)
    return {endpoint: sorted(found) for endpoint, found in sorted(methods.items())}


ENDPOINTS = _endpoints()


def _rule_for(endpoint, method):
    rule = ACCESS[endpoint]
    return rule[method] if isinstance(rule, dict) else rule


def _parse(rule: str):
    words = rule.split()
    unknown = [
        w
        for w in words
        if w.split("@")[0] not in ("public", "signed-in", *SIGNED_IN)
        or (w.count("@") and w.split("@")[1] != "depot")
    ]
    assert not unknown, f"unknown words in access rule {rule!r}: {unknown}"
    anywhere = set()
    for word in words:
        if word == "public":
            anywhere |= {"anonymous", *SIGNED_IN}
        elif word == "signed-in":
            anywhere |= set(SIGNED_IN)
        elif "@" not in word:
            anywhere.add(word)
    scoped = {w.split("@")[0] for w in words if w.endswith("@depot")}
    return anywhere, scoped


def _is_scoped(endpoint) -> bool:
    rule = ACCESS.get(endpoint, "")
    rules = rule.values() if isinstance(rule, dict) else [rule]
    return any("@depot" in r for r in rules)


def _cases():
    for endpoint in ENDPOINTS:
        depots = (IN_SCOPE, OUT_OF_SCOPE) if _is_scoped(endpoint) else (IN_SCOPE,)
        for depot in depots:
            yield pytest.param(endpoint, depot, id=f"{endpoint}@{depot}")


def test_every_expectation_names_a_real_endpoint_and_method():
    stale = []
    for endpoint, rule in ACCESS.items():
        if endpoint not in ENDPOINTS:
            stale.append(f"{endpoint}: no such endpoint")
        elif isinstance(rule, dict):
            stale += [f"{endpoint} {m}: not a method of it" for m in rule if m not in ENDPOINTS[endpoint]]
            stale += [f"{endpoint} {m}: no expectation" for m in ENDPOINTS[endpoint] if m not in rule]
    assert not stale, "\n".join(stale)


def _url(app, endpoint, ctx):
    from flask import url_for

    rule = next(app.url_map.iter_rules(endpoint))
    values = URL_ARGS[endpoint](ctx) if endpoint in URL_ARGS else {}
    for name in rule.arguments:
        if name not in values:
            assert name in DEFAULT_ARGS, f"{endpoint}: no builder for URL variable {name!r}; add URL_ARGS"
            values[name] = DEFAULT_ARGS[name](ctx)
    with app.test_request_context():
        return url_for(endpoint, **values)


def _request(client, method, url):
    if url.startswith("/api/"):
        return client.open(url, method=method, json={} if method != "GET" else None)
    return client.open(url, method=method, data={} if method != "GET" else None)


def _verdict(response, url) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 401 or (
        response.status_code == 302 and "/login" in location and not url.startswith("/login")
    ):
        return "login"
    if response.status_code == 403:
        return "forbidden"
    return "allowed"


@pytest.mark.parametrize(("endpoint", "depot_code"), list(_cases()))
def test_access(app, world, make, endpoint, depot_code):
    assert endpoint in ACCESS, (
        f"{endpoint} has no access expectation; add it to tests/<domain>/access.py "
        f"(format: tests/test_permission_matrix.py)"
    )
    depot = world.depots[depot_code]
    in_scope = depot_code == IN_SCOPE
    ctx = Context(world=world, depot=depot, make=make, app=app)
    url = _url(app, endpoint, ctx)
    wrong = []
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            response = client.post("/login", data={"username": WORLD_USER[role], "password": PASSWORD})
            assert response.status_code == 302, f"{role} could not sign in"
        for method in ENDPOINTS[endpoint]:
            anywhere, scoped = _parse(_rule_for(endpoint, method))
            public = "anonymous" in anywhere
            allowed = role in anywhere or (role in scoped and in_scope)
            expected = "allowed" if allowed else ("login" if role == "anonymous" else "forbidden")
            response = _request(client, method, url)
            response.close()
            got = _verdict(response, url)
            if public and got == "login":
                got = "allowed"  # the home page sends visitors to sign in; a wrong password is 401
            if got != expected:
                wrong.append(
                    f"{method} {url} as {role}: expected {expected}, got {response.status_code} {got}"
                )
    assert not wrong, "\n".join(wrong)


def test_api_token_is_refused_once_revoked(app, world, client):
    """Bearer tokens pass the same checks as sessions; a revoked token is anonymous (401)."""
    from relief_stock.auth import operations
    from relief_stock.database import atomic

    with atomic():
        token, secret = operations.issue_token(world.users["keeper"], "scanner")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/depots/", headers=headers).status_code == 200
    assert client.post("/api/v1/items/", json={}, headers=headers).status_code == 403
    with atomic():
        operations.revoke_token(world.users["keeper"], token.id)
    assert client.get("/api/v1/depots/", headers=headers).status_code == 401
    assert ApiToken.hash(secret) == token.token_hash

"""Depot pages through HTTP: the tree, one depot, and the admin forms."""

import secrets


def token() -> dict:
    """The one-time token every write form carries (a fresh one per post)."""
    return {"form_token": secrets.token_urlsafe(8)}


def test_tree_shows_every_depot_with_tier_and_population(client, login_as, world):
    login_as("keeper")
    page = client.get("/depots/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for code in world.depots:
        assert f"/depots/{code}" in page
    assert "City" in page and "1,323,467 people" in page
    assert "New depot" not in page  # keepers do not manage the network


def test_depot_page_lists_children_and_locations(client, login_as, world):
    login_as("admin")
    page = client.get("/depots/330100").get_data(as_text=True)
    assert "/depots/330102" in page and "/depots/330106" in page and "/depots/330203" not in page
    assert client.get("/depots/999999").status_code == 404


def test_admin_creates_edits_and_deactivates_a_depot(client, login_as, world):
    login_as("admin")
    response = client.post(
        "/depots/new",
        data={
            **token(),
            "code": "330108",
            "tier": "county",
            "parent_code": "330100",
            "name_zh": "滨江区仓库",
            "name_en": "Binjiang depot",
            "served_population": "504280",
            "is_active": "1",
        },
    )
    assert response.status_code == 303 and response.location.endswith("/depots/330108")
    response = client.post(
        "/depots/330108/edit",
        data={
            **token(),
            "parent_code": "330100",
            "name_zh": "滨江区备灾仓库",
            "name_en": "Binjiang depot",
            "lat": "30.2",
            "lng": "120.2",
            "is_active": "1",
        },
    )
    assert response.status_code == 303
    page = client.get("/depots/330108").get_data(as_text=True)
    assert "滨江区备灾仓库" in page and "30.2000, 120.2000" in page
    assert client.post("/depots/330108/active", data={**token(), "active": "0"}).status_code == 303
    assert "330108" not in [d["code"] for d in client.get("/api/v1/depots/?active=true").json]


def test_bad_depot_form_names_each_field(client, login_as, world):
    login_as("admin")
    response = client.post(
        "/depots/new",
        data={
            **token(),
            "code": "x",
            "tier": "county",
            "parent_code": "330000",
            "name_zh": "坏",
            "lat": "north",
        },
        headers={"Accept-Language": "en"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use 2 to 12 letters or digits." in page and "Enter a number." in page
    assert "This field is required." in page  # name_en
    # a well-formed form that breaks a rule: a county under the province
    response = client.post(
        "/depots/new",
        data={
            **token(),
            "code": "330999",
            "tier": "county",
            "parent_code": "330000",
            "name_zh": "坏",
            "name_en": "Bad",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422 and "parent must be a City depot" in response.get_data(as_text=True)


def test_deactivating_a_depot_with_active_children_is_refused(client, login_as, world):
    login_as("admin")
    response = client.post(
        "/depots/330100/active", data={**token(), "active": "0"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 409 and "Deactivate the depots under 330100 first" in response.get_data(
        as_text=True
    )


def test_keeper_adds_a_location_to_his_depot_only(client, login_as, world):
    login_as("keeper")
    assert (
        client.post("/depots/330102/locations", data={**token(), "code": "a-01", "name": "货架A"}).status_code
        == 303
    )
    assert "A-01" in client.get("/depots/330102").get_data(as_text=True)
    assert client.post("/depots/330203/locations", data={**token(), "code": "A-01"}).status_code == 403
    response = client.post(
        "/depots/330102/locations", data={**token(), "code": "A-01"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 409 and "Location A-01 exists in this depot." in response.get_data(
        as_text=True
    )


def test_chinese_tree(client, login_as, world):
    login_as("auditor")
    page = client.get("/depots/").get_data(as_text=True)
    assert "仓库网络" in page and "市级" in page

"""The depot API: filters, create, patch, locations, 422 shapes, 404s, and the OpenAPI document."""


def test_list_filters(client, login_as, world):
    login_as("auditor")
    codes = lambda query: [d["code"] for d in client.get(f"/api/v1/depots/?{query}").json]  # noqa: E731
    assert codes("") == ["330000", "330100", "330102", "330106", "330200", "330203"]
    assert codes("tier=city") == ["330100", "330200"]
    assert codes("parent=330100") == ["330102", "330106"]
    assert codes("under=330200") == ["330200", "330203"]
    assert codes("q=330106") == ["330106"]
    response = client.get("/api/v1/depots/?tier=planet")
    assert response.status_code == 422 and "tier" in response.json["errors"]["query"]


def test_get_and_404(client, login_as, world):
    login_as("keeper")
    depot = client.get("/api/v1/depots/330102").json
    assert depot["parent_code"] == "330100" and depot["tier"] == "county"
    assert depot["served_population"] == 1323467 and depot["path"] == "/330000/330100/330102/"
    response = client.get("/api/v1/depots/999999")
    assert response.status_code == 404 and response.json["code"] == 404


def test_create_patch_and_validation_shapes(client, login_as, world):
    login_as("admin")
    response = client.post(
        "/api/v1/depots/",
        json={
            "code": "330108",
            "tier": "county",
            "parent_code": "330100",
            "name_zh": "滨江",
            "name_en": "Binjiang",
            "lat": 30.2,
        },
    )
    assert response.status_code == 201 and response.json["path"] == "/330000/330100/330108/"

    response = client.post("/api/v1/depots/", json={"code": "!", "tier": "moon", "lat": 200})
    assert response.status_code == 422
    body = response.json
    assert {"code", "status", "errors"} <= set(body) and body["code"] == 422
    assert set(body["errors"]["json"]) >= {"code", "tier", "lat", "name_zh", "name_en"}

    response = client.post(
        "/api/v1/depots/",
        json={"code": "330108", "tier": "county", "parent_code": "330100", "name_zh": "x", "name_en": "x"},
    )
    assert response.status_code == 409 and "code" in response.json["errors"]
    response = client.post(
        "/api/v1/depots/",
        json={"code": "330109", "tier": "county", "parent_code": "999999", "name_zh": "x", "name_en": "x"},
    )
    assert response.status_code == 422 and "parent_code" in response.json["errors"]

    # moving a city re-roots its subtree; code and tier are not editable
    response = client.patch(
        "/api/v1/depots/330108", json={"parent_code": "330200", "contact_phone": "0571-1"}
    )
    assert response.status_code == 200 and response.json["path"] == "/330000/330200/330108/"
    assert client.patch("/api/v1/depots/330108", json={"tier": "city"}).status_code == 422
    assert client.patch("/api/v1/depots/330108", json={"is_active": False}).json["is_active"] is False
    assert client.patch("/api/v1/depots/999999", json={}).status_code == 404


def test_locations(client, login_as, world):
    login_as("keeper")
    response = client.post("/api/v1/depots/330102/locations", json={"code": "b-02", "name": "B区"})
    assert response.status_code == 201 and response.json["code"] == "B-02"
    assert [loc["code"] for loc in client.get("/api/v1/depots/330102/locations").json] == ["B-02"]
    assert client.post("/api/v1/depots/330102/locations", json={"code": "B-02"}).status_code == 409
    assert client.post("/api/v1/depots/330102/locations", json={"code": "bad code"}).status_code == 422
    assert client.post("/api/v1/depots/330203/locations", json={"code": "C-1"}).status_code == 403


def test_openapi_is_public_and_lists_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json["paths"]
    assert {
        "/api/v1/depots/",
        "/api/v1/depots/{code}",
        "/api/v1/items/",
        "/api/v1/items/import",
        "/api/v1/users/",
    } <= set(paths)
    assert {"bearerToken", "session"} <= set(response.json["components"]["securitySchemes"])

"""Catalogue pages and item API: filter and search in both languages, admin forms, 422 and 404."""

import secrets


def test_filter_and_search_in_both_languages(client, login_as, world):
    login_as("keeper")
    page = client.get("/items/?category=water").get_data(as_text=True)
    assert "WATER" in page and "QUILT" not in page
    assert "QUILT" in client.get("/items/?q=棉被").get_data(as_text=True)
    assert "QUILT" in client.get("/items/?q=cotton").get_data(as_text=True)
    assert "WATER" not in client.get("/items/?q=quilt").get_data(as_text=True)
    assert [i["sku"] for i in client.get("/api/v1/items/?q=bottled").json] == ["WATER"]
    assert client.get("/api/v1/items/?category=toys").status_code == 422


def test_item_page_and_404(client, login_as, world):
    login_as("auditor")
    page = client.get("/items/WATER", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Bottled water" in page and "12 months" in page and "60 days" in page
    assert client.get("/items/NOPE").status_code == 404
    assert client.get("/api/v1/items/NOPE").status_code == 404


def test_admin_creates_and_edits_an_item(client, login_as, world):
    login_as("admin")
    response = client.post(
        "/items/new",
        data={
            "form_token": secrets.token_hex(8),
            "sku": "LAMP",
            "name_zh": "手电筒",
            "name_en": "Torch",
            "category": "lighting_power",
            "unit_zh": "个",
            "unit_en": "piece",
            "unit_weight_kg": "0.3",
            "is_active": "1",
        },
    )
    assert response.status_code == 303
    response = client.post(
        "/items/LAMP/edit",
        data={
            "form_token": secrets.token_hex(8),
            "name_zh": "强光手电筒",
            "name_en": "Torch",
            "category": "lighting_power",
            "unit_zh": "个",
            "unit_en": "piece",
            "is_perishable": "1",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422 and "A perishable item needs a shelf life." in response.get_data(
        as_text=True
    )
    client.post(
        "/items/LAMP/edit",
        data={
            "form_token": secrets.token_hex(8),
            "name_zh": "强光手电筒",
            "name_en": "Torch",
            "category": "lighting_power",
            "unit_zh": "个",
            "unit_en": "piece",
        },
    )
    item = client.get("/api/v1/items/LAMP").json
    assert item["name_zh"] == "强光手电筒" and item["is_active"] is False  # unticked box
    response = client.post(
        "/items/new",
        data={
            "form_token": secrets.token_hex(8),
            "sku": "LAMP",
            "name_zh": "x",
            "name_en": "x",
            "category": "tools",
            "unit_zh": "个",
            "unit_en": "piece",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 409 and "SKU LAMP exists." in response.get_data(as_text=True)


def test_item_api_create_patch_and_errors(client, login_as, world):
    login_as("admin")
    body = {
        "sku": "GEN-5",
        "name_zh": "发电机",
        "name_en": "Generator 5 kW",
        "category": "lighting_power",
        "unit_zh": "台",
        "unit_en": "unit",
        "unit_weight_kg": "80",
    }
    response = client.post("/api/v1/items/", json=body)
    assert response.status_code == 201 and response.json["unit_weight_kg"] == "80.0000"
    assert client.post("/api/v1/items/", json=body).status_code == 409
    response = client.post("/api/v1/items/", json={"sku": "x y", "category": "toys", "unit_weight_kg": "-1"})
    assert response.status_code == 422
    assert {"sku", "category", "unit_weight_kg", "name_zh"} <= set(response.json["errors"]["json"])
    response = client.patch("/api/v1/items/GEN-5", json={"min_remaining_shelf_life_days": 30})
    assert response.status_code == 200 and response.json["min_remaining_shelf_life_days"] == 30
    assert client.patch("/api/v1/items/GEN-5", json={"sku": "OTHER"}).status_code == 422

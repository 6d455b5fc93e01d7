"""Both languages are complete, and the language follows the user, the browser choice or the header."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_catalogues_complete_and_compiled():
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_accept_language_picks_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert "Sign in" in page and "登录" not in page.replace('lang="zh"', "")


def test_default_is_chinese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and "用户名" in page


def test_switch_is_remembered_and_user_setting_wins(client, world, make):
    client.post("/lang/en")
    assert "Username" in client.get("/login").get_data(as_text=True)
    make.user("zh-user", locale="zh", depot=world.depots["330102"])
    client.post("/login", data={"username": "zh-user", "password": "password-123"})
    assert "总览" in client.get("/dashboard").get_data(as_text=True)

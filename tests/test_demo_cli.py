"""The demo's sign-in list is printed once: `flask demo load` does not repeat what `flask demo users`
(the start banner of scripts/run) prints, and the banner names every demo user."""

from relief_stock.demo.loader import DEMO_USERS


def test_demo_users_are_listed_once_all_of_them(runner):
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    assert not any(password in loaded.output for _u, password, *_ in DEMO_USERS)
    banner = runner.invoke(args=["demo", "users"])
    assert banner.exit_code == 0, banner.output
    listed = [line.split()[0] for line in banner.output.splitlines()[1:] if line.strip()]
    assert listed == [username for username, *_ in DEMO_USERS] and len(listed) == 7
    for username, password, *_ in DEMO_USERS:
        assert f"{username} " in banner.output and password in banner.output

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_alice_logs_in_sees_the_dashboard_and_logs_out(page, live_server, alice, login, artifacts):
    login("alice", PASSWORD)
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert page.get_by_test_id("current-user").inner_text() == "Alice"
    page.screenshot(path=str(artifacts / "login-dashboard.png"), full_page=True)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("button", name="Log in").is_visible()

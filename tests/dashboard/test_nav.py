"""The navigation bar links to the dashboards each person may open, and nothing else."""

import pytest

PAGE = "/dashboard/me/"


@pytest.mark.parametrize(
    ("person", "team_link", "manager_link"),
    [("agent", False, False), ("qa_inspector", True, False), ("supervisor", True, False), ("manager", True, True)],
)
def test_dashboard_links_follow_the_role(client, request, team, person, team_link, manager_link):
    client.force_login(request.getfixturevalue(person))
    page = client.get(PAGE).content.decode()
    assert ('id="nav-team-dashboard"' in page) is team_link
    assert ('id="nav-manager-overview"' in page) is manager_link
    assert 'data-bs-target="#main-nav"' in page  # the menu folds on a phone


def test_anonymous_pages_have_no_menu(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'id="main-nav"' not in page and 'id="language-switch"' in page

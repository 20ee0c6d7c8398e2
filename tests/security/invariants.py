"""Rules that hold for every cell whatever the policy table says: together they define a leak."""

from tests.security.walk import AGENTS, REVIEWER_ONLY, Cell

# Routes anyone may call: logging in, health, the API's description, a webhook whose credential is in its URL.
PUBLIC_ROUTES = {"api:auth-token", "api:ping", "healthz", "api-schema", "api-docs", "api:webhook-chatwoot"}
SIGNED_OUT = ("anonymous", "revoked_token", "deactivated")
# Who may reach the other team's objects: the department's manager (it leads both teams).
OTHER_TEAM_READERS = {"manager"}
OTHER_CUSTOMER = b"buyer-other"


def violations(cells: list[Cell]) -> list[str]:
    found = []
    for cell in cells:
        where = f"{cell.method} {cell.route} [{cell.place}] as {cell.actor}: {cell.status}"
        ok = 200 <= cell.status < 300 or (cell.status in (301, 302, 303) and not cell.login_redirect)
        if cell.status >= 500:
            found.append(f"server error: {where}")
        if cell.actor in SIGNED_OUT and cell.route not in PUBLIC_ROUTES:
            expected_refusal = cell.status == 401 if cell.route.startswith("api:") else cell.login_redirect
            if not expected_refusal:
                found.append(f"signed-out caller not refused: {where}")
        if ok and cell.place == "other" and cell.actor not in OTHER_TEAM_READERS:
            found.append(f"other team's object reached: {where}")
        if ok and cell.place != "-" and cell.actor == "outsider":
            found.append(f"outsider reached an object: {where}")
        if cell.changed and not ok:
            found.append(f"refused request wrote: {where}")
        if (
            cell.method == "GET"
            and cell.place == "other"
            and cell.status == 403
            and cell.actor not in OTHER_TEAM_READERS
        ):
            found.append(f"denied read of a foreign object is 403, not 404 (it tells that the object exists): {where}")
        if cell.actor in AGENTS and REVIEWER_ONLY.encode() in cell.body:
            found.append(f"reviewer-only notes sent to an agent: {where}")
        if cell.actor not in OTHER_TEAM_READERS and OTHER_CUSTOMER in cell.body:
            found.append(f"another team's customer sent: {where}")
    return found

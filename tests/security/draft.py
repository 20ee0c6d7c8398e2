"""Write what a walk observed in the shape of tests/security/policy.py, to compare with it after a change.

ROUTE_POLICY_DRAFT=/tmp/policy.py pytest tests/security -k every_cell && diff tests/security/policy.py /tmp/policy.py
"""

from pathlib import Path

from tests.security.routes import Route
from tests.security.walk import Walk


def policy_draft_write(path: str, routes: list[Route], walk: Walk) -> None:
    current = Path(__file__).with_name("policy.py").read_text()
    header = current.split("# fmt: off")[0]
    lines = [header.rstrip("\n"), "", "# fmt: off", "POLICY = {"]
    for route in routes:
        lines.append(f'    "{route.name}": {{')
        for method in route.methods:
            rows: dict[str, list[str]] = {}
            for cell in walk.cells:
                if cell.route == route.name and cell.method == method:
                    rows.setdefault(cell.place, []).append(str(cell.status))
            if list(rows) == ["-"]:
                lines.append(f'        "{method}": "{" ".join(rows["-"])}",')
            else:
                places = ", ".join(f'"{place}": "{" ".join(statuses)}"' for place, statuses in rows.items())
                lines.append(f'        "{method}": {{{places}}},')
        lines.append("    },")
    lines += ["}", "# fmt: on", ""]
    Path(path).write_text("\n".join(lines))

"""Data and reference queries for `manage.py bench` (PostgreSQL only).

The generated day lives in its own department and source ("bench"), created and
removed by the command, so a bench run never touches real teams' figures.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from teams.models import Membership, Role, Team

UNUSABLE = make_password(None)  # nobody logs in as a benchmark user

BENCH_SOURCE = "bench"
BENCH_TEAM = "Benchmark (generated)"

# The definitions of DESIGN.md written out by hand as one SELECT: what the service's
# statements must match in speed. Same tables, same day window, no writes.
REFERENCE_SQL = """
WITH day_conversations AS (
    SELECT id, agent_id, resolved, rating, ordered, order_amount, category
    FROM conversations_conversation
    WHERE team_id = %(team)s AND started_at >= %(start)s AND started_at < %(end)s
),
messages AS (
    SELECT m.conversation_id, m.sender, m.sent_at,
           lag(m.sender) OVER w AS previous_sender,
           min(m.sent_at) FILTER (WHERE m.sender = 'agent') OVER (w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
               AS reply_at,
           row_number() OVER (PARTITION BY m.conversation_id, m.sender ORDER BY m.sent_at, m.id) AS nth
    FROM conversations_message m JOIN day_conversations d ON d.id = m.conversation_id
    WHERE m.sender IN ('customer', 'agent')
    WINDOW w AS (PARTITION BY m.conversation_id ORDER BY m.sent_at, m.id)
),
per_conversation AS (
    SELECT conversation_id,
           count(*) FILTER (WHERE sender = 'agent') AS agent_messages,
           bool_or(sender = 'customer') AS has_customer,
           max(extract(epoch FROM reply_at - sent_at)) FILTER (WHERE sender = 'customer' AND nth = 1) AS first_response,
           count(*) FILTER (WHERE sender = 'customer' AND previous_sender IS DISTINCT FROM 'customer'
                            AND reply_at IS NOT NULL) AS turns,
           sum(extract(epoch FROM reply_at - sent_at)) FILTER (WHERE sender = 'customer'
                            AND previous_sender IS DISTINCT FROM 'customer' AND reply_at IS NOT NULL) AS turn_seconds
    FROM messages GROUP BY conversation_id
)
SELECT d.agent_id, count(*), sum(coalesce(p.agent_messages, 0)),
       count(*) FILTER (WHERE p.has_customer AND p.first_response IS NULL),
       avg(p.first_response), sum(p.turn_seconds) / nullif(sum(p.turns), 0),
       avg(d.resolved::int), avg(d.rating), 100.0 * count(*) FILTER (WHERE d.rating >= 4) / nullif(count(d.rating), 0),
       avg(d.ordered::int) FILTER (WHERE d.category = 'pre_sales'), sum(d.order_amount)
FROM day_conversations d LEFT JOIN per_conversation p ON p.conversation_id = d.id
GROUP BY d.agent_id
"""

FLOOR_SQL = """
SELECT agent_id, count(*) FROM conversations_conversation
WHERE team_id = %(team)s AND started_at >= %(start)s AND started_at < %(end)s GROUP BY agent_id
"""


def bench_team() -> Team:
    return Team.objects.get_or_create(name=BENCH_TEAM, parent=None, defaults={"timezone": "UTC"})[0]


def bench_data_remove() -> None:
    team = Team.objects.filter(name=BENCH_TEAM, parent=None).first()
    if team is None:
        return
    # Plain DELETEs in SQL: the ORM's cascade would load a million rows into memory first.
    statements = [
        "DELETE FROM conversations_message WHERE conversation_id IN "
        "(SELECT id FROM conversations_conversation WHERE source = %(source)s)",
        "DELETE FROM conversations_conversation WHERE source = %(source)s",
        "DELETE FROM kpi_dailyagentmetric WHERE team_id = %(team)s",
        "DELETE FROM kpi_dailyteammetric WHERE team_id = %(team)s",
        "DELETE FROM kpi_hourlyvolume WHERE team_id = %(team)s",
        "DELETE FROM kpi_stalemetricday WHERE team_id = %(team)s",
        "CREATE TEMPORARY TABLE bench_users AS SELECT user_id FROM teams_membership WHERE team_id = %(team)s",
        "DELETE FROM teams_membership WHERE team_id = %(team)s",
        "DELETE FROM teams_user WHERE id IN (SELECT user_id FROM bench_users)",
        "DROP TABLE bench_users",
        "DELETE FROM teams_team WHERE id = %(team)s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, {"source": BENCH_SOURCE, "team": team.pk})


@transaction.atomic
def bench_data_generate(*, day: dt.date, agents: int, conversations: int, messages_per_conversation: int) -> Team:
    """A realistic-looking day generated inside PostgreSQL (generate_series), not row by row in Python."""
    team = bench_team()
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench-agent-{n}", password=UNUSABLE) for n in range(agents)],
        batch_size=1000,
    )
    Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.AGENT) for u in users], batch_size=1000)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO conversations_conversation
                (source, external_id, team_id, agent_id, channel, customer, category, started_at, resolved,
                 rating, ordered, order_amount, created_at, updated_at)
            SELECT %(source)s, 'b-' || g, %(team)s, agents.ids[1 + g %% %(agents)s], 'web', 'customer-' || g,
                   (ARRAY['pre_sales', 'after_sales', 'complaint', 'tech'])[1 + g %% 4],
                   %(start)s::timestamptz + (g %% 86000) * interval '1 second',
                   g %% 3 <> 0, CASE WHEN g %% 5 = 0 THEN NULL ELSE 1 + g %% 5 END, g %% 7 = 0,
                   CASE WHEN g %% 7 = 0 THEN 100 + g %% 900 ELSE 0 END, now(), now()
            FROM generate_series(1, %(count)s) AS g,
                 (SELECT array_agg(user_id ORDER BY user_id) AS ids FROM teams_membership WHERE team_id = %(team)s) agents
            """,
            {"source": BENCH_SOURCE, "team": team.pk, "agents": agents, "start": start, "count": conversations},
        )
        # Customer and agent messages interleaved, with the odd bot message and unanswered ending.
        cursor.execute(
            """
            INSERT INTO conversations_message (conversation_id, external_id, fingerprint, sender, sent_at, text)
            SELECT c.id, '', 'b' || k,
                   CASE WHEN k %% 7 = 3 THEN 'bot' WHEN (k + c.id) %% 3 = 0 THEN 'agent' ELSE 'customer' END,
                   c.started_at + (k * 17 + c.id %% 13) * interval '1 second', 'generated message'
            FROM conversations_conversation c, generate_series(1, %(per)s) AS k
            WHERE c.source = %(source)s
            """,
            {"source": BENCH_SOURCE, "per": messages_per_conversation},
        )
    return team


def bench_tables_vacuum() -> None:
    """A steady-state table: no dead rows from the previous size's data, fresh statistics."""
    with connection.cursor() as cursor:
        for table in ("conversations_conversation", "conversations_message", "teams_membership"):
            cursor.execute(f"VACUUM ANALYZE {table}")

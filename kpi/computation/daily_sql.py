"""The set-based SQL behind the daily metrics (definitions: DESIGN.md, "Metric definitions").

One statement per table: the messages of the day's conversations go through one
window pass (previous sender, next agent message) and are folded per conversation,
then per agent or per team, and upserted. Bot and system messages are left out
before the window, so they neither start nor end a customer turn. Messages are
ordered by (sent_at, id): time order, arrival order for equal times.

The conversations of a local date are those whose started_at lies in
[utc_start, utc_end): the date's midnights in the team's time zone, computed
in Python, so the same statement works for every time zone and keeps to the
(team, started_at) index.
"""

from django.db import connection

from kpi.definitions import PART_NAMES

_MILLISECONDS = {
    "postgresql": "ROUND(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000)",
    # SQLite stores datetimes as text; julianday() is precise to well under a millisecond here.
    "sqlite": "ROUND((julianday({later}) - julianday({earlier})) * 86400000.0)",
}

_PER_CONVERSATION = """
WITH day_conversations AS (
    SELECT c.id, c.team_id, c.agent_id, c.resolved, c.rating, c.ordered, c.order_amount, c.category
    FROM conversations_conversation c
    WHERE c.team_id IN ({team_placeholders}) AND c.started_at >= %s AND c.started_at < %s
),
ordered_messages AS (
    SELECT m.conversation_id, m.sender, m.sent_at,
           LAG(m.sender) OVER by_time AS previous_sender,
           MIN(CASE WHEN m.sender = 'agent' THEN m.sent_at END)
               OVER (by_time ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_agent_at,
           -- customer messages so far, this one included: 1 on the first customer message
           SUM(CASE WHEN m.sender = 'customer' THEN 1 ELSE 0 END)
               OVER (by_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS customers_so_far
    FROM conversations_message m
    JOIN day_conversations d ON d.id = m.conversation_id
    WHERE m.sender IN ('customer', 'agent')
    WINDOW by_time AS (PARTITION BY m.conversation_id ORDER BY m.sent_at, m.id)
),
day_reviews AS (
    -- submitted QA reviews of the day's conversations (a review with nothing applicable has no total;
    -- blind calibration scores never count)
    SELECT r.conversation_id, COUNT(*) AS reviews, SUM(r.total) AS score_sum
    FROM qa_reviews_review r
    JOIN day_conversations d ON d.id = r.conversation_id
    WHERE r.status IN ('submitted', 'acknowledged', 'disputed', 'resolved') AND r.total IS NOT NULL
      AND r.calibration_id IS NULL
    GROUP BY r.conversation_id
),
per_conversation AS (
    SELECT conversation_id,
           SUM(CASE WHEN sender = 'agent' THEN 1 ELSE 0 END) AS agent_messages,
           MAX(CASE WHEN sender = 'customer' THEN 1 ELSE 0 END) AS has_customer,
           MAX(CASE WHEN sender = 'customer' AND customers_so_far = 1 AND next_agent_at IS NOT NULL
                    THEN {first_response_ms} END) AS first_response_ms,
           SUM(CASE WHEN {turn_answered} THEN 1 ELSE 0 END) AS answered_turns,
           SUM(CASE WHEN {turn_answered} THEN {turn_response_ms} ELSE 0 END) AS turn_response_ms
    FROM ordered_messages
    GROUP BY conversation_id
)
"""

_TURN_ANSWERED = (
    "sender = 'customer' AND (previous_sender IS NULL OR previous_sender = 'agent') AND next_agent_at IS NOT NULL"
)

_AGGREGATES = """
    COUNT(*),
    COALESCE(SUM(p.agent_messages), 0),
    SUM(CASE WHEN p.has_customer = 1 AND p.first_response_ms IS NULL THEN 1 ELSE 0 END),
    COUNT(p.first_response_ms),
    COALESCE(SUM(p.first_response_ms), 0),
    COALESCE(SUM(p.answered_turns), 0),
    COALESCE(SUM(p.turn_response_ms), 0),
    SUM(CASE WHEN d.resolved THEN 1 ELSE 0 END),
    COUNT(d.rating),
    COALESCE(SUM(d.rating), 0),
    SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.category = 'pre_sales' THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.category = 'pre_sales' AND d.ordered THEN 1 ELSE 0 END),
    COALESCE(SUM(d.order_amount), 0),
    COALESCE(SUM(q.reviews), 0),
    COALESCE(SUM(q.score_sum), 0)
"""

# The columns _AGGREGATES fills, in its order: every stored part.
METRIC_COLUMNS = list(PART_NAMES)


def _per_conversation_sql(team_count: int) -> str:
    template = _MILLISECONDS[connection.vendor]
    return _PER_CONVERSATION.format(
        team_placeholders=", ".join(["%s"] * team_count),
        first_response_ms=template.format(later="next_agent_at", earlier="sent_at"),
        turn_answered=_TURN_ANSWERED,
        turn_response_ms=template.format(later="next_agent_at", earlier="sent_at"),
    )


def _insert_sql(*, table: str, key_columns: list[str], select_keys: str, group_by: str, where: str) -> str:
    """INSERT ... SELECT ... ON CONFLICT for one table, reading the CTEs above; binds (date, computed_at)."""
    columns = [*key_columns, "date", *METRIC_COLUMNS, "computed_at"]
    updates = ", ".join(f"{column} = excluded.{column}" for column in [*METRIC_COLUMNS, "computed_at"])
    # Table and column names come from this module's constants; every value is a bound parameter.
    return (
        f"INSERT INTO {table} ({', '.join(columns)})\n"  # nosec B608
        f"SELECT {select_keys}, %s, {_AGGREGATES}, %s\n"
        "FROM day_conversations d LEFT JOIN per_conversation p ON p.conversation_id = d.id\n"
        "LEFT JOIN day_reviews q ON q.conversation_id = d.id\n"
        f"{where} GROUP BY {group_by}\n"
        f"ON CONFLICT ({', '.join([*key_columns, 'date'])}) DO UPDATE SET {updates}"
    )


_AGENT_INSERT = _insert_sql(
    table="kpi_dailyagentmetric",
    key_columns=["team_id", "agent_id"],
    select_keys="d.team_id, d.agent_id",
    group_by="d.team_id, d.agent_id",
    where="WHERE d.agent_id IS NOT NULL",
)
_TEAM_INSERT = _insert_sql(
    table="kpi_dailyteammetric",
    key_columns=["team_id"],
    select_keys="d.team_id",
    group_by="d.team_id",
    where="WHERE 1 = 1",  # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT
)


def daily_upsert_statements(team_count: int) -> list[tuple[str, str]]:
    """The statements to run, each with the parameter layout it binds ("agent", "team" or "both").

    PostgreSQL writes both tables in one statement (data-modifying CTEs), so the
    window pass over the messages runs once; SQLite runs it once per table.
    """
    prefix = _per_conversation_sql(team_count)
    if connection.vendor == "postgresql":
        combined = prefix.rstrip() + ",\nagent_rows AS (\n" + _AGENT_INSERT + "\nRETURNING 1\n)\n" + _TEAM_INSERT
        return [(combined, "both")]
    return [(prefix + _AGENT_INSERT, "agent"), (prefix + _TEAM_INSERT, "team")]

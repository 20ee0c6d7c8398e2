"""The read benchmark of `manage.py bench` (issue 9), PostgreSQL only.

- load.py: the HTTP/1.1 load generator (asyncio streams, keep-alive, closed loop)
- data.py: the generated team with weeks of history, and its removal
- server.py: gunicorn on a free loopback port against the same database
- run.py: the endpoints, the in-process profile, the measurement, the report and its goals
"""

from dashboard.read_bench.run import read_bench

__all__ = ["read_bench"]

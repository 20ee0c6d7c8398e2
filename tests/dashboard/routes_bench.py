"""Route names added for the read benchmark, for tests/teams/test_permission_matrix.py."""

ROUTES: set[str] = {
    "api:ping",  # public by design, no database: tests/dashboard/test_read_bench.py
}

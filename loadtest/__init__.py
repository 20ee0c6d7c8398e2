"""The load test of the hardening issue: `loadtest/locustfile.py` run by `manage.py loadtest` (`.ci/load.sh`).

Only `endpoints` and `runner` are imported by Django; the locustfile runs in its own process (locust
monkey-patches the standard library with gevent, which must never happen inside Django or pytest).
"""

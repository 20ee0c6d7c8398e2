# Two commands on a fresh machine:  `make run` (demo)  and  `make test` (whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test setup setup-dev assets migrate lint security load fuzz format messages clean

run: setup assets migrate  ## Serve the seeded demo on http://127.0.0.1:8000 (SQLite, eager Celery)
	$(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: setup-dev assets  ## Run every test (uses DATABASE_URL / REDIS_URL when set)
	$(VENV)/bin/pytest

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

setup: $(PY)
	$(PIP) install --quiet -r requirements.txt

setup-dev: $(PY)
	$(PIP) install --quiet -r requirements-dev.txt

assets:  ## Front-end libraries from the npm registry, then collected for whitenoise
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) manage.py collectstatic --noinput --verbosity 0

migrate:
	$(PY) manage.py migrate --noinput

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

security:  ## bandit over the project's code, pip-audit over the pinned requirements
	$(VENV)/bin/bandit -q -c pyproject.toml -r .
	bash .ci/pip-audit.sh

load:  ## The load test: the demo scaled to 200 agents / 1M messages, 50 users for 2 minutes (PostgreSQL and Redis on 127.0.0.1)
	bash .ci/load.sh

fuzz:  ## The long API fuzzing run: schemathesis against gunicorn on loopback (PostgreSQL and Redis on 127.0.0.1)
	bash .ci/fuzz.sh

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages:  ## Refresh the translation catalogue after changing user-facing strings
	$(PY) manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'artifacts/*'
	$(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

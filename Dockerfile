# syntax=docker/dockerfile:1
#
# Three stages: `assets` installs the front-end libraries with npm, `build`
# installs the Python dependencies and collects static files, `runtime` is the
# image that runs. Node.js, npm and gettext exist only in the build stages; the
# runtime image is Python, the code, the virtualenv and the collected static files.
#
#   docker build -t cs-platform .
#   docker run --env-file prod.env -p 8000:8000 cs-platform    # gunicorn
#
# See docs/production.md for the worker and beat commands.

FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1


FROM base AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error


FROM base AS build
# gettext provides msgfmt: compilemessages builds the .mo catalogues from locale/*.po.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

WORKDIR /app
COPY . .
# The build context may carry a developer's local state (virtualenv, SQLite demo
# database, .env with secrets); none of it belongs in the image.
RUN rm -rf .venv .git .env node_modules staticfiles media artifacts db.sqlite3 \
        .pytest_cache .ruff_cache
COPY --from=assets /app/node_modules ./node_modules
# The base settings need no database, Redis or secret key, so collectstatic and
# compilemessages run here. node_modules stays in the image: it holds only static
# files, and STATICFILES_DIRS points into it (the system checks warn if it is missing).
RUN export DJANGO_SETTINGS_MODULE=cs_platform.settings.base \
    && python manage.py compilemessages --verbosity 0 \
    && python manage.py collectstatic --noinput --verbosity 0


FROM base AS runtime
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
# Production settings refuse to start without SECRET_KEY, DATABASE_URL and REDIS_URL,
# so a misconfigured container fails at once instead of serving the demo defaults.
# gunicorn reads WEB_CONCURRENCY as its worker count; override it per host.
ENV PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=cs_platform.settings.production \
    WEB_CONCURRENCY=3
USER app
EXPOSE 8000
CMD ["gunicorn", "cs_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

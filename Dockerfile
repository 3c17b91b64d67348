# CoordApp production image: gunicorn serves wsgi:app; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    COORDAPP_INSTANCE=/app/instance

WORKDIR /app

# The PostgreSQL client (pg_dump, pg_restore) for `flask --app wsgi backup` / `restore` and the daily
# backup, from the PostgreSQL project's repository so its major version matches the server in
# docker-compose.yml (16): an older pg_dump refuses a newer server.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && . /etc/os-release \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && apt-get purge -y curl && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Compile the translation catalogs at build time (without building the app: no secret is
# generated into the image), then run as an unprivileged user that owns only instance/ (its files/
# and backups/ folders exist in the image, so the named volumes mounted there start owned by it).
RUN python -c "from coordapp.i18n import compile_catalogs; compile_catalogs()" \
    && useradd --create-home --uid 10001 coordapp \
    && mkdir -p /app/instance/files /app/instance/backups \
    && chown -R coordapp:coordapp /app/instance

USER coordapp
EXPOSE 8000

CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "wsgi:app"]

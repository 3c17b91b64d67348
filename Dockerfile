# CoordApp production image: gunicorn serves wsgi:app; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    COORDAPP_INSTANCE=/app/instance

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Compile the translation catalogs at build time (without building the app: no secret is
# generated into the image), then run as an unprivileged user that owns only instance/.
RUN python -c "from coordapp.i18n import compile_catalogs; compile_catalogs()" \
    && useradd --create-home --uid 10001 coordapp \
    && mkdir -p /app/instance \
    && chown coordapp:coordapp /app/instance

USER coordapp
EXPOSE 8000

CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "wsgi:app"]

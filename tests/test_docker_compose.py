"""docker-compose.yml and the Dockerfile: the production shape, checked without Docker (it does not run here)."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def _healthcheck(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def _config_env_vars() -> set[str]:
    source = (ROOT / "coordapp" / "config.py").read_text()
    return set(re.findall(r"""(?:os\.environ\.get\(|os\.environ\[|_env_bool\()["']([A-Z_]+)["']""", source))


def test_the_seven_services_are_there(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "mailin", "postgres", "redis", "mailpit"}


def test_web_migrates_then_serves_wsgi_app_with_gunicorn(compose):
    command = _command(compose["services"]["web"])
    assert "flask --app wsgi db upgrade &&" in command
    assert command.index("db upgrade") < command.index("gunicorn")
    assert re.search(r"exec gunicorn .*--bind 0\.0\.0\.0:8000 .*wsgi:app", command)
    assert compose["services"]["web"]["ports"] == ["${WEB_BIND:-127.0.0.1}:8000:8000"]  # this machine only


def test_worker_and_beat_run_celery_on_coordapp_worker(compose):
    assert _command(compose["services"]["worker"]).startswith("celery -A coordapp.worker worker")
    assert _command(compose["services"]["beat"]).startswith("celery -A coordapp.worker beat")


@pytest.mark.parametrize(
    "service, probe",
    [
        ("postgres", "pg_isready"),
        ("redis", "redis-cli ping"),
        ("mailpit", "/mailpit readyz"),
        ("web", "/healthz"),
        ("worker", "inspect ping"),
        ("worker", "flask --app wsgi health --require worker"),
        ("beat", "flask --app wsgi health --require worker"),
    ],
)
def test_health_checks(compose, service, probe):
    assert probe in _healthcheck(compose["services"][service])


@pytest.mark.parametrize(
    "service, needs",
    [
        ("web", {"postgres", "redis", "mailpit"}),
        ("worker", {"web", "redis", "mailpit"}),  # a healthy web has applied the migrations
        ("beat", {"web", "redis"}),
    ],
)
def test_services_wait_for_healthy_dependencies(compose, service, needs):
    depends_on = compose["services"][service]["depends_on"]
    assert set(depends_on) == needs
    assert all(condition == {"condition": "service_healthy"} for condition in depends_on.values())
    for dependency in needs:
        assert "healthcheck" in compose["services"][dependency]


def test_app_services_share_the_production_environment(compose):
    environments = [compose["services"][name]["environment"] for name in APP_SERVICES]
    assert environments[0] == environments[1] == environments[2]
    env = environments[0]
    assert env["APP_ENV"] == "production"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # compose refuses to start without it
    assert re.fullmatch(
        r"postgresql\+psycopg://coordapp:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/coordapp", env["DATABASE_URL"]
    )
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert (env["MAIL_SERVER"], str(env["MAIL_PORT"])) == ("mailpit", "1025")
    assert env["BASE_URL"].startswith("${BASE_URL:-http")
    assert env["PROXY_COUNT"] == "${PROXY_COUNT:-1}"  # behind the TLS proxy: per-client rate limits
    assert all(compose["services"][name]["build"] == "." for name in APP_SERVICES)


def test_every_variable_compose_sets_is_one_the_app_reads(compose):
    read = _config_env_vars()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MAIL_SERVER", "BASE_URL"} <= read
    for name in APP_SERVICES:
        assert set(compose["services"][name]["environment"]) <= read, name


def test_postgres_keeps_its_data_in_a_named_volume(compose):
    postgres = compose["services"]["postgres"]
    assert "pgdata:/var/lib/postgresql/data" in postgres["volumes"]
    assert "pgdata" in compose["volumes"]
    env = postgres["environment"]
    assert (env["POSTGRES_USER"], env["POSTGRES_DB"]) == ("coordapp", "coordapp")
    assert env["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_mailpit_serves_its_ui_and_smtp_on_the_usual_ports(compose):
    mailpit = compose["services"]["mailpit"]
    assert any(str(port).endswith("8025:8025") for port in mailpit["ports"])
    assert "1025" in [str(port) for port in mailpit.get("expose", [])]


def test_dockerfile_installs_the_pinned_requirements_and_compiles_catalogs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert re.search(r"^RUN pip install -r requirements\.txt$", dockerfile, re.M)
    assert dockerfile.index("COPY requirements.txt") < dockerfile.index("COPY . .")
    assert "compile_catalogs()" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert re.search(r"^gunicorn==", (ROOT / "requirements.txt").read_text(), re.M)


def test_the_image_has_the_postgresql_client_of_the_servers_major_version(compose):
    """backup/restore call pg_dump/pg_restore; an older pg_dump refuses a newer server."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    major = re.fullmatch(r"postgres:(\d+)", compose["services"]["postgres"]["image"]).group(1)
    install = re.search(r"apt-get install -y --no-install-recommends (postgresql-client-\d+)", dockerfile)
    assert install and install.group(1) == f"postgresql-client-{major}"
    assert "apt.postgresql.org" in dockerfile  # Debian's own client is older than the server
    assert dockerfile.index("postgresql-client") < dockerfile.index("USER ")  # installed as root


def test_the_backup_and_files_volumes_are_shared_by_the_services_that_back_up_and_serve(compose):
    # The worker runs the daily backup (beat schedules it); web lists the archives and writes the files.
    for name in ("web", "worker", "beat"):
        volumes = compose["services"][name]["volumes"]
        assert "backups:/app/instance/backups" in volumes, name
        assert "files:/app/instance/files" in volumes, name
    assert {"backups", "files"} <= set(compose["volumes"])
    # The backup folder is the mounted one: BACKUP_DIR unset (default <instance>/backups) or pointing at it.
    env = compose["services"]["worker"]["environment"]
    assert env.get("BACKUP_DIR", "/app/instance/backups") == "/app/instance/backups"
    assert re.search(r"^ENV .*COORDAPP_INSTANCE=/app/instance", (ROOT / "Dockerfile").read_text(), re.M | re.S)
    assert "mkdir -p /app/instance/files /app/instance/backups" in (ROOT / "Dockerfile").read_text()


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "instance", ".env"} <= ignored

"""Target of `celery -A coordapp.worker worker|beat`."""

from coordapp import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]

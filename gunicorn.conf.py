# Read by gunicorn from the directory it starts in (the project root: Procfile, make stack).
# Its error log must not carry client addresses (portal/gunicorn_logging.py, issue 19).
logger_class = "portal.gunicorn_logging.RedactingLogger"

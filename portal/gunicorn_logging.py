"""gunicorn's error log without client addresses (issue 19, finding 11; ASVS 16.2.5).

gunicorn writes "Invalid request from ip=<address>: ..." for every malformed request, and its
access log is off for the same reason (README, "Running it for real"). This logger class,
named in ``gunicorn.conf.py``, rewrites warnings and errors before they are written: the
``ip=`` field becomes ``ip=-`` and any other IPv4 or IPv6 address becomes ``[address]``.
Start-up lines (the address gunicorn listens on) are left alone.
"""

import logging
import re

from gunicorn.glogging import Logger

_IP_FIELD = re.compile(r"\bip=[^\s:]+(?::\d+)?|\bip=\[[^\]]*\]")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def redact(message: str) -> str:
    message = _IP_FIELD.sub("ip=-", message)
    message = _IPV4.sub("[address]", message)
    return _IPV6.sub("[address]", message)


class _RedactAddresses(logging.Filter):
    def filter(self, record):
        if record.levelno >= logging.WARNING:
            record.msg, record.args = redact(record.getMessage()), ()
        return True


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(_RedactAddresses())

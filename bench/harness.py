"""Shared pieces of the benchmarks: a production-like server, logins, wrk, CPU sampling.

Everything stays on 127.0.0.1, every run is bounded in time, and every process started here is
stopped at the end.
"""

import base64
import contextlib
import hashlib
import hmac
import os
import re
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def production_env(**overrides) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-" + "x" * 50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        # The figures in docs/performance.md were measured without the per-request log line.
        REQUEST_LOG_LEVEL="WARNING",
        SERVER_TIMING="1",
    )
    env.update({k: str(v) for k, v in overrides.items()})
    return env


@contextlib.contextmanager
def server(env: dict, *, bind: str = "127.0.0.1:8200", workers: int = 4, timeout: float = 30):
    """gunicorn with sync workers, DEBUG off; yields the base URL; always stopped. The
    database is migrated first (a no-op when it is up to date)."""
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *command], cwd=ROOT, env=env, check=True
        )
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "portal.wsgi",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://{bind}"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/health/live/", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def totp(secret: str, at: float | None = None) -> str:
    key = base64.b32decode(secret)
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 15
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


def login(base: str, email: str, password: str, totp_secret: str | None = None) -> requests.Session:
    """Log in through the real forms (and TOTP for staff); returns the session with cookies.

    A TOTP code is valid for its 30-second window only (no tolerance) and once: a login that
    fails is tried again in the next window, at most three times."""
    for attempt in range(3):
        try:
            return _login_once(base, email, password, totp_secret)
        except RuntimeError:
            if attempt == 2:
                raise
            time.sleep(30 - time.time() % 30 + 0.5)
    raise AssertionError("unreachable")


def _login_once(base: str, email: str, password: str, totp_secret: str | None) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    if "/2fa/authenticate/" in response.url:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
        response = session.post(
            response.url,
            data={"code": totp(totp_secret), "csrfmiddlewaretoken": token},
            headers={"Referer": response.url},
            timeout=10,
        )
    if "sessionid" not in session.cookies or response.status_code != 200:
        raise RuntimeError(f"login failed for {email} ({response.status_code} at {response.url})")
    if "/2fa/authenticate/" in response.url or "/accounts/login/" in response.url:
        raise RuntimeError(f"login failed for {email}: still at {response.url}")
    return session


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(
    url: str,
    *,
    cookie: str = "",
    seconds: int = 10,
    connections: int = 16,
    threads: int = 2,
    timeout: int = 10,
) -> dict:
    """Load one URL with wrk; returns requests/s, p50 and p99 in ms, the non-2xx count and
    socket errors (``timeouts``: requests slower than ``timeout`` seconds, not in the
    latencies)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", f"{timeout}s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    requests_done = re.search(r"(\d+) requests in", out)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "requests": int(requests_done.group(1)) if requests_done else 0,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(n) for n in errors.groups()[:3]) if errors else 0,
        "timeouts": int(errors.group(4)) if errors else 0,
    }


def server_timing(
    session: requests.Session, url: str, samples: int = 100, *, budget_seconds: float = 60
) -> dict:
    """Median CPU time (``cpu_ms``) and wall time (``app_ms``) of the request inside Python,
    from the Server-Timing header, one request at a time. Stops early once ``budget_seconds``
    have passed, so a very slow page gets fewer samples (``samples`` says how many)."""
    cpu, wall = [], []
    deadline = time.monotonic() + budget_seconds
    for _ in range(samples):
        if cpu and time.monotonic() > deadline:
            break
        header = session.get(url, timeout=120).headers.get("Server-Timing", "")
        match = re.search(r"cpu;dur=([\d.]+)", header)
        if match:
            cpu.append(float(match.group(1)))
        match = re.search(r"app;dur=([\d.]+)", header)
        if match:
            wall.append(float(match.group(1)))
    return {
        "cpu_ms": statistics.median(cpu) if cpu else float("nan"),
        "app_ms": statistics.median(wall) if wall else float("nan"),
        "samples": len(cpu),
    }


def cpu_ms(session: requests.Session, url: str, samples: int = 100) -> float:
    """Median CPU time of the request inside Python, from the Server-Timing header."""
    return server_timing(session, url, samples)["cpu_ms"]


def peak_rss_mb(command: list[str], env: dict | None = None) -> tuple[float, str]:
    """Run a command in a fresh child process; return (its peak RSS in MB, its stdout).

    Measured in a grandchild so that earlier children of this process do not count."""
    import json
    import resource

    probe = (
        "import json, resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "sys.stderr.write(r.stderr);"
        "print(json.dumps({'rc': r.returncode, 'out': r.stdout,"
        " 'kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))"
    )
    del resource
    result = subprocess.run(
        [sys.executable, "-c", probe, *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    if data["rc"] != 0:
        raise RuntimeError(f"{command} failed: {result.stderr[-2000:]}")
    return data["kb"] / 1024, data["out"]


if __name__ == "__main__":
    sys.exit("harness.py is a library for the bench scripts; see bench/README.md")

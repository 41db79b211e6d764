"""The real stack under test (issue 11): processes, not mocks.

Each test session starts its own PostgreSQL cluster, Redis server and S3-compatible bucket
(moto) on free loopback ports, so a test can restart PostgreSQL or stop Redis without touching
the machine's shared services. Each test then starts the portal's processes as the Procfile
runs them in production (two gunicorn web nodes, a Celery worker, Celery beat, DEBUG off) and
stops every one of them at its end. All traffic stays on 127.0.0.1.

Run with ``make integration`` (``.ci/run`` does); ``make test`` leaves these out.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
DEMO_PASSWORD = "portal-demo"
DEMO_TOTP_SECRET = "OUDERPORTAALDEMOTOTPSECRET234567"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, timeout: float, what: str, interval: float = 0.1):
    """Poll ``check()`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except Exception as error:  # a service that is not up yet
            last = error
        else:
            if last:
                return last
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is None:
        pytest.fail("PostgreSQL's server binaries (pg_ctl, initdb) are not installed.")
    return Path(pg_ctl).parent


class Services:
    """PostgreSQL, Redis and moto (S3) of this test session, each restartable."""

    def __init__(self, base: Path):
        self.base = base
        self.pg_port, self.redis_port, self.s3_port = free_port(), free_port(), free_port()
        self.pg_data = base / "pg"
        self.redis_dir = base / "redis"
        self.redis_dir.mkdir()
        self.pg_bin = _pg_bin()
        self._redis = None
        self._moto = None

    # PostgreSQL ------------------------------------------------------------------------
    def start_postgres(self):
        if not self.pg_data.exists():
            self.pg_data.mkdir(mode=0o700)
            if os.geteuid() == 0:
                shutil.chown(self.pg_data, "postgres", "postgres")
            subprocess.run(
                _as_postgres(
                    [
                        str(self.pg_bin / "initdb"),
                        "-D",
                        str(self.pg_data),
                        "-U",
                        "postgres",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                check=True,
                capture_output=True,
            )
        self._pg_ctl("start", "-l", str(self.pg_data / "server.log"))

    def _pg_ctl(self, action: str, *extra: str):
        options = f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self.pg_data} -c fsync=off"
        subprocess.run(
            _as_postgres(
                [str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-w", "-m", "fast"]
                + (["-o", options] if action in ("start", "restart") else [])
                + [*extra, action]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def restart_postgres(self):
        # With its log file: otherwise the new server holds our output pipe open.
        self._pg_ctl("restart", "-l", str(self.pg_data / "server.log"))

    def stop_postgres(self):
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._pg_ctl("stop")

    @property
    def pg_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/portal"

    def sql(self, query: str, params=()):
        """Rows of one query against the portal's database (the test's own connection)."""
        url = self.pg_url.replace("postgres://", "postgresql://")
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def scalar(self, query: str, params=()):
        return self.sql(query, params)[0][0]

    # Redis -----------------------------------------------------------------------------
    def start_redis(self):
        # Append-only file on: queued task messages survive a Redis restart, as they must in
        # production (docs/deployment.md).
        self._redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.redis_dir),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._redis_ping, timeout=10, what="redis")

    def _redis_ping(self):
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop_redis(self):
        if self._redis and self._redis.poll() is None:
            self._redis.terminate()  # SIGTERM: Redis flushes its append-only file and exits
            self._redis.wait(timeout=10)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    # S3 (moto) ---------------------------------------------------------------------------
    def start_s3(self):
        self._moto = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(
            lambda: requests.get(self.s3_url, timeout=1).status_code < 500, timeout=20, what="s3"
        )
        self.s3().create_bucket(
            Bucket="portal-media", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )

    @property
    def s3_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name="eu-west-1",
            aws_access_key_id="integration",
            aws_secret_access_key="integration-secret",
        )

    def bucket_keys(self) -> set[str]:
        keys, token = set(), None
        while True:
            kwargs = {"Bucket": "portal-media", **({"ContinuationToken": token} if token else {})}
            page = self.s3().list_objects_v2(**kwargs)
            keys |= {item["Key"] for item in page.get("Contents", [])}
            if not page.get("IsTruncated"):
                return keys
            token = page["NextContinuationToken"]

    def stop(self):
        self.stop_redis()
        if self._moto and self._moto.poll() is None:
            self._moto.terminate()
            self._moto.wait(timeout=10)
        self.stop_postgres()


@pytest.fixture(scope="session")
def services():
    base = Path(tempfile.mkdtemp(prefix="portal-it-"))
    os.chmod(base, 0o755)  # noqa: S103 - the postgres user must reach its data folder
    found = Services(base)
    try:
        found.start_postgres()
        found.start_redis()
        found.start_s3()
        subprocess.run(
            _as_postgres(
                [
                    str(found.pg_bin / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(found.pg_port),
                    "-U",
                    "postgres",
                    "portal",
                ]
            ),
            check=True,
            capture_output=True,
        )
        env = stack_env(found, base)
        for command in (
            ["manage.py", "migrate", "--verbosity", "0"],
            ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            ["manage.py", "seed_demo", "--force"],
        ):
            subprocess.run(
                [str(BIN / "python"), *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        yield found
    finally:
        found.stop()
        shutil.rmtree(base, ignore_errors=True)


def stack_env(services: Services, base: Path) -> dict:
    """The production environment of every process, pointing at this session's services."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="0",
        SECRET_KEY="integration-tests-only-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1:8000",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=services.pg_url,
        DATABASE_POOL_TIMEOUT="3",
        REDIS_URL=services.redis_url,
        MEDIA_STORAGE="s3",
        MEDIA_DELIVERY="signed-url",
        S3_BUCKET="portal-media",
        S3_ENDPOINT_URL=services.s3_url,
        S3_ACCESS_KEY_ID="integration",
        S3_SECRET_ACCESS_KEY="integration-secret",
        EMAIL_URL=f"filemail://{base / 'mail'}",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        # Faster than production, so that a test waits seconds, not minutes:
        CELERY_VISIBILITY_TIMEOUT="8",  # a task of a killed worker comes back after 8 s
        BEAT_PERIOD_SCALE="0.1",  # interval entries (outbox relay, notifications) every 6 s
        FILES_RESERVATION_SECONDS="4",  # half-made files of a killed worker go after 4 s
        HEALTH_TOKEN="integration-health-token",
        PHOTOS_VARIANTS_SWEEP_AFTER="5",  # the sweeper (every 30 s here) takes photos up after 5 s
        MESSAGING_NOTIFY_DELAY_SECONDS="2",  # e-mail about a new message after 2 s
        PYTHONUNBUFFERED="1",
    )
    return env


class Process:
    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen = None

    def start(self):
        handle = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self._handle = handle
        self.popen = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() reaches the pool children
        )

    def kill(self):
        """SIGKILL to the whole process group: a machine that dies, mid-task."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self):
        if self.popen is None:
            return
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # leftovers of the group
        self._handle.close()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Stack:
    """The Procfile's processes: web (two nodes), worker, beat."""

    def __init__(self, services: Services, base: Path):
        self.services = services
        self.base = base
        self.env = stack_env(services, services.base)
        self.ports = [free_port(), free_port()]
        self.processes: dict[str, Process] = {}
        self._worker_starts = 0

    def url(self, node: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[node]}"

    def _add(self, name: str, command: list[str]) -> Process:
        process = Process(name, command, self.env, self.base / f"{name}.log")
        self.processes[name] = process
        process.start()
        return process

    def start(self):
        for node, port in enumerate(self.ports):
            self._add(
                f"web{node + 1}",
                [
                    str(BIN / "gunicorn"),
                    "portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--worker-class",
                    "sync",
                    "--timeout",
                    "60",
                ],
            )
        self.start_worker()
        self._add(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.base / "beat-schedule"),
            ],
        )
        for node in range(len(self.ports)):
            wait_for(
                lambda node=node: requests.get(f"{self.url(node)}/health/live/", timeout=2).ok,
                timeout=30,
                what=f"web node {node + 1}",
            )

    def start_worker(self, *, concurrency: int = 2):
        self._worker_starts += 1
        log = self.base / f"worker-{self._worker_starts}.log"
        process = Process(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"worker{self._worker_starts}@%h",
            ],
            self.env,
            log,
        )
        self.processes["worker"] = process
        process.start()
        wait_for(lambda: " ready." in process.log_text(), timeout=40, what="the celery worker")
        return process

    def stop(self):
        for process in self.processes.values():
            process.stop()

    def logs(self) -> str:
        parts = []
        for path in sorted(self.base.glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-40:]
            parts.append(f"--- {path.name} ---\n" + "\n".join(lines))
        return "\n".join(parts)

    def run_python(self, code: str) -> str:
        """Run Django code with the stack's environment (a management shell, as an operator
        would); returns what it printed."""
        done = subprocess.run(
            [str(BIN / "python"), "-c", "import django; django.setup()\n" + code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def send_task(self, name: str, *args):
        self.run_python(f"from portal.celery import app; app.send_task({name!r}, args={args!r})")

    def codes(self) -> dict:
        return json.loads(
            self.run_python(
                "import json\n"
                "from daycare.models import Child, Group\n"
                "print(json.dumps({**{c.first_name.lower(): c.code for c in Child.objects.all()},"
                " **{g.name.lower().replace(' ', '_'): g.code for g in Group.objects.all()}}))"
            ).strip()
        )


class Relay:
    """A TCP relay in front of a service that a test can cut, as a network fault would: while
    cut, new connections are refused and open ones are closed (issue 21: S3 outages)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self._listener = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
                with self._lock:
                    self._open.discard(end)

    def cut(self):
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            ends, self._open = list(self._open), set()
        for end in ends:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def restore(self):
        self.start()


@pytest.fixture
def stack(services, tmp_path, request):
    found = Stack(services, tmp_path)
    try:
        found.start()
        yield found
    finally:
        found.stop()
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            print(found.logs())


@pytest.fixture
def relayed_stack(services, tmp_path, request):
    """The stack with its S3 endpoint behind a :class:`Relay` (``stack.relay.cut()``)."""
    relay = Relay(services.s3_port)
    relay.start()
    found = Stack(services, tmp_path)
    found.env["S3_ENDPOINT_URL"] = relay.url
    found.relay = relay
    try:
        found.start()
        yield found
    finally:
        found.stop()
        relay.cut()
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            print(found.logs())


@pytest.fixture
def stack_with(services, tmp_path, request):
    """``stack_with(NAME=value, ...)``: the stack started with these environment variables
    changed (a production default the test needs, say)."""
    made = []

    def _make(**env) -> Stack:
        found = Stack(services, tmp_path)
        found.env.update(env)
        made.append(found)
        found.start()
        return found

    yield _make
    for found in made:
        found.stop()
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            print(found.logs())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# HTTP as a person ----------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_used_totp: set[tuple[str, int]] = set()


def totp(secret: str = DEMO_TOTP_SECRET, *, email: str) -> str:
    """A TOTP code not yet used by this person (allauth refuses a code twice)."""
    import base64
    import hashlib
    import hmac
    import struct

    while True:
        counter = int(time.time() // 30)
        if (email, counter) not in _used_totp:
            _used_totp.add((email, counter))
            break
        time.sleep(30 - time.time() % 30 + 0.2)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 15
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


class Person(requests.Session):
    """A browser of one person: logs in through the real forms, posts with the CSRF token."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        if url.startswith("/"):
            url = self.base + url
        return super().request(method, url, *args, **kwargs)

    def post_form(self, path: str, data: dict | list, *, page: str | None = None, **kwargs):
        """GET ``page`` (default ``path``) for its CSRF token, then POST ``data`` to ``path``."""
        form = self.get(page or path)
        found = CSRF.search(form.text)
        if found is None:  # the form page itself failed (an outage): that is the answer
            return form
        token = found.group(1)
        data = list(data.items()) if isinstance(data, dict) else list(data)
        headers = {"Referer": self.base + (page or path), **kwargs.pop("headers", {})}
        return self.post(
            path, data=[("csrfmiddlewaretoken", token), *data], headers=headers, **kwargs
        )

    def log_in(self, email: str) -> "Person":
        response = self.post_form("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        if "/2fa/authenticate/" in response.url:
            token = CSRF.search(response.text).group(1)
            response = self.post(
                response.url,
                data={"csrfmiddlewaretoken": token, "code": totp(email=email)},
                headers={"Referer": response.url},
            )
        assert response.ok and "/accounts/login/" not in response.url, response.url
        assert "/2fa/authenticate/" not in response.url, "two-factor login failed"
        return self


@pytest.fixture
def person(stack):
    """``person("dewi@example.org", node=1)``: logged in on web node ``node`` (0 or 1)."""
    people = []

    def _person(email: str, node: int = 0) -> Person:
        found = Person(stack.url(node)).log_in(email)
        people.append(found)
        return found

    yield _person
    for found in people:
        found.close()


def jpeg(size=(1200, 900), seed: int = 0, *, gps: bool = False) -> bytes:
    """A photo as a phone makes one: noise (so it does not compress to nothing), EXIF
    orientation and, optionally, a GPS position."""
    import io

    from PIL import Image

    image = Image.effect_noise(size, 60 + seed % 40).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the portal must apply it
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 54.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


sys.path.insert(0, str(ROOT))

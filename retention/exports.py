"""Building the "download everything" ZIP (R16, R21): one file per child, built in a task.

The ZIP is written to a temporary file on disk (files are streamed in from storage chunk by
chunk) and then saved to storage under a random key, so memory does not grow with the photos.
Each feature app adds its part through ``export_child`` (retention/contract.py); this module
adds the child's own record and a readable overview.
"""

import json
import logging
import shutil
import tempfile
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language

from daycare.models import Guardianship
from daycare.services import guardian_label
from files.keys import new_key
from files.services import files_queue_deletion
from retention import modules
from retention.models import EXPORT_DAYS, DataRequest, Export

if TYPE_CHECKING:
    from accounts.models import User
    from daycare.models import Child

log = logging.getLogger(__name__)


def _static_fetcher() -> Any:  # a weasyprint URLFetcher (no type information)
    """WeasyPrint may read our own static files (print CSS, fonts) and nothing else: no network,
    no file system outside the static finders."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):  # type: ignore[misc]  # weasyprint has no type information
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            prefix = EXPORT_BASE.rstrip("/") + settings.STATIC_URL
            if url.startswith(prefix):
                found = finders.find(url[len(prefix) :].split("?", 1)[0])
                if found:
                    with open(found, "rb") as handle:
                        content_type = "text/css" if found.endswith(".css") else None
                        headers = {"Content-Type": content_type} if content_type else {}
                        return URLFetcherResponse(url, body=handle.read(), headers=headers)
            raise ValueError(f"an export PDF may not fetch {url}")

    return StaticOnly()


EXPORT_BASE = "https://export.invalid/"


def html_to_pdf(html: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # WeasyPrint's import turns this process-wide Pillow switch on; the PDFs only hold our own
    # clean images, and uploads elsewhere in this process must keep refusing truncated files.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    pdf: bytes = HTML(string=html, base_url=EXPORT_BASE, url_fetcher=_static_fetcher()).write_pdf()
    return pdf


class ZipExportWriter:
    """The ``writer`` of retention/contract.py: paths are relative to the child's folder."""

    since: datetime | None  # set by write_child: photos added after it only

    def __init__(self, archive: zipfile.ZipFile, root: str):
        self.archive = archive
        self.root = root.strip("/")
        self.paths: list[str] = []

    def _name(self, path: str) -> str:
        parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
        name = "/".join([self.root, *parts]) if self.root else "/".join(parts)
        self.paths.append(name)
        return name

    def add_json(self, path: str, data: "Any") -> None:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        self.archive.writestr(self._name(path), text.encode())

    def add_bytes(self, path: str, data: bytes, *, pdf: bool = True) -> None:
        """Bytes as they are; an HTML document (``.html``) also gets a PDF beside it, so an
        app's print template becomes the readable version (R16: the diary as PDF), unless
        ``pdf=False`` (a page meant for the browser, such as the memories index)."""
        self.archive.writestr(self._name(path), data)
        if pdf and path.lower().endswith(".html"):
            self.add_pdf(path[:-5] + ".pdf", data.decode())

    def add_file(self, path: str, storage_key: str) -> None:
        with (
            default_storage.open(storage_key, "rb") as source,
            self.archive.open(self._name(path), "w", force_zip64=True) as target,
        ):
            shutil.copyfileobj(source, target, 1024 * 1024)

    def add_pdf(self, path: str, html: str) -> None:
        """Convert a complete HTML document (the app's print template) to PDF (WeasyPrint)."""
        self.add_bytes(path, html_to_pdf(html))


def _folder(name: str) -> str:
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in name).strip()
    return safe or "export"


def child_record(child: "Child") -> dict[str, Any]:

    return {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "group": child.group.name,
        "location": child.group.location.name,
        "care_contracts": [
            {
                "group": c.group.name,
                "start_date": c.start_date.isoformat(),
                "end_date": c.end_date.isoformat() if c.end_date else None,
            }
            for c in child.contracts.select_related("group").order_by("start_date")
        ],
        "guardians": [
            guardian_label(g.user)  # a name, never another guardian's e-mail address (R27)
            for g in Guardianship.objects.filter(child=child).select_related("user")
        ],
        "archived_at": child.archived_at.isoformat() if child.archived_at else None,
    }


PERSON_SCHEMA = Path(__file__).resolve().parent / "schema" / "person.schema.json"
PERSON_SCHEMA_VERSION = 1


def _data_requests(person: "User", children: dict[int, str]) -> list[dict[str, Any]]:

    return [
        {
            "kind": r.kind,
            "kind_label": str(r.get_kind_display()),
            "about_child": r.about_child,
            "child": children.get(r.child_id) if r.child_id else None,
            "received_at": r.received_at,
            "deadline": r.deadline,
            "status": r.status,
            "status_label": str(r.get_status_display()),
            "explanation": r.explanation,
            "outcome": r.outcome,
            "closed_at": r.closed_at,
        }
        for r in DataRequest.objects.filter(requested_by=person).order_by("received_at", "pk")
    ]


def person_data(person: "User") -> dict[str, Any]:
    """Everything the portal holds about ``person`` (R21), as Python values (datetimes, dates):
    ``person_json`` makes the machine-readable form, the template the readable one. Each app
    adds its part; ``children`` ({id: first name}) are the person's own children, the only
    children an app may name."""

    children = dict(
        Guardianship.objects.filter(user=person).values_list("child_id", "child__first_name")
    )
    data = {"schema_version": PERSON_SCHEMA_VERSION, "generated_at": timezone.now()}
    for module in modules.PERSON_MODULES:  # in the order of the export
        data.update(module.export_person(person=person, children=children))
    data["data_requests"] = _data_requests(person, children)
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value


def person_json(data: dict[str, Any]) -> dict[str, Any]:
    """The machine-readable form: ISO 8601 dates and times, codes with their labels."""
    return cast(dict[str, Any], _jsonable(data))


def write_child(
    archive: zipfile.ZipFile, *, child: "Child", user: "User", since: datetime | None = None
) -> list[str]:
    writer = ZipExportWriter(archive, _folder(child.first_name))
    writer.since = since  # photos: only those added after it (memories, "since my last")
    record = child_record(child)
    writer.add_json("child.json", record)
    writer.add_pdf(
        "overview.pdf",
        render_to_string(
            "retention/export/overview.html",
            {"child": child, "record": record, "generated": timezone.now()},
        ),
    )
    for module in modules.CHILD_MODULES:
        module.export_child(child=child, user=user, writer=writer)
    return writer.paths


def write_person(archive: zipfile.ZipFile, *, person: "User") -> list[str]:
    """R21: person.json with its schema.json, and the same as a readable person.html and
    person.pdf, in the language of the export."""
    writer = ZipExportWriter(archive, "")
    data = person_data(person)
    writer.add_json("person.json", person_json(data))
    writer.add_bytes("schema.json", PERSON_SCHEMA.read_bytes())
    html = render_to_string(
        "retention/export/person.html", {"person": person, "data": data, "language": get_language()}
    )
    writer.add_bytes("person.html", html.encode())  # and person.pdf beside it
    return writer.paths


def build_export(export: "Export") -> None:
    """Build the ZIP of ``export`` into storage and mark it ready (idempotent per export)."""

    if export.status != Export.Status.PENDING:
        return
    view_as = export.view_as or export.requested_by
    # The key is recorded before the file exists: after a crash, the row (which expires and is
    # cleaned up with its key) still knows the file, so no orphan file is left in storage.
    key = export.storage_key or new_key("exports", "zip")
    Export.objects.filter(pk=export.pk).update(storage_key=key)
    # R25: the asker's language; a person's own export is in that person's language.
    reader = view_as if export.child_id else export.person
    language = getattr(reader, "language", "") or "nl"
    with translation.override(language), tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            if export.child_id:
                # An export is of a child or, without one, of its person.
                write_child(archive, child=export.child, user=view_as, since=export.since)  # type: ignore[arg-type]
            else:
                write_person(archive, person=export.person)  # type: ignore[arg-type]
        size = handle.tell()
        handle.seek(0)
        if default_storage.exists(key):
            default_storage.delete(key)  # a half-written file from a crashed attempt
        saved = default_storage.save(key, File(handle))
        if saved != key:
            files_queue_deletion(keys=[saved])
            raise RuntimeError("storage did not keep the export key")
    now = timezone.now()
    with transaction.atomic():
        locked = Export.objects.select_for_update().filter(pk=export.pk).first()
        if locked is None or locked.status != Export.Status.PENDING:
            # Deleted (or finished) meanwhile: the file we just wrote must not stay behind.

            files_queue_deletion(keys=[key])
            return
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.READY,
            storage_key=key,
            size=size,
            ready_at=now,
            expires_at=now + timedelta(days=EXPORT_DAYS),
        )


def download_name(export: "Export") -> str:
    stamp = (export.ready_at or datetime.now()).strftime("%Y-%m-%d")
    who = export.child.first_name if export.child else "mijn-gegevens"
    return f"ouderportaal-{_folder(who)}-{stamp}.zip"

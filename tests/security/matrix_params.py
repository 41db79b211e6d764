"""How to build a URL for each pattern from the security world (``tests/security/world.py``).

A value is a function ``world -> kwargs`` or ``world -> [kwargs, ...]`` (one URL per variant,
e.g. every photo size). Patterns without arguments need no entry here.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

PHOTO_SIZES = ("thumb", "display", "original")


def code(attr):
    return lambda w: {"code": getattr(w, attr).code}


def child(attr="daan"):
    return lambda w: {"child_code": getattr(w, attr).code}


PARAMS = {
    # daycare
    "staff:group": lambda w: {"code": w.group_a.code},
    "staff:child": code("daan"),
    "daycare_staff:guardian_request": code("guardian_request"),
    "daycare_staff:guardian_request_approve": code("guardian_request"),
    "daycare_staff:guardian_request_refuse": code("guardian_request"),
    "daycare_staff:guardian_request_withdraw": code("guardian_request"),
    "daycare_staff:guardian_remove": lambda w: {
        "code": w.daan.code,
        "guardianship_code": w.chris_of_daan.code,
    },
    "locations_staff:edit": lambda w: {"code": w.loc1.code},
    "locations_staff:closure_add": lambda w: {"code": w.loc1.code},
    "locations_staff:closure_delete": lambda w: {
        "code": w.loc1.code,
        "closure_code": w.closure.code,
    },
    "child": code("daan"),
    "today:child": code("daan"),
    "today:days": code("daan"),
    "daycare:invitation": lambda w: {"token": w.invitation.token},
    "locations:detail": lambda w: {"code": w.loc1.code},
    # consent
    "consent_staff:group": lambda w: {"code": w.group_a.code},
    "consent_staff:history": code("daan"),
    "consent_staff:paper": code("daan"),
    "consent_staff:statement_publish": lambda w: {"version": 1},
    "consent_staff:statement_withdraw": lambda w: {"version": 1},
    "consent:change": lambda w: [
        {"child_code": w.daan.code, "purpose": "photos"},
        {"child_code": w.daan.code, "purpose": "diary"},
    ],
    # diary
    "diary_staff:group": lambda w: {"code": w.group_a.code},
    "diary_staff:shared_note": lambda w: {"code": w.group_a.code},
    "diary_staff:grid": lambda w: {"code": w.group_a.code},
    "diary_staff:child": child(),
    "diary_staff:timeline": child(),
    "diary_staff:print": child(),
    "diary_staff:entry_edit": code("entry"),
    "diary_staff:entry_remove": code("entry"),
    "diary_staff:note_read": code("note"),
    "diary:timeline": child(),
    "diary:note_add": child(),
    "diary:print": child(),
    "diary:note_edit": code("note"),
    "diary:note_remove": code("note"),
    # photos
    "photos_staff:upload": lambda w: {"group_code": w.group_a.code},
    "photos_staff:start_batch": lambda w: {"group_code": w.group_a.code},
    "photos_staff:tag": lambda w: {"group_code": w.group_a.code},
    "photos_staff:delete": lambda w: {"group_code": w.group_a.code, "code": w.photo.code},
    "photos_staff:faces": lambda w: {"group_code": w.group_a.code, "code": w.photo.code},
    "photos_staff:file": lambda w: [{"code": w.photo.code, "size": s} for s in PHOTO_SIZES],
    "photos:gallery": child(),
    "photos:zip": child(),
    "photos:file": lambda w: [{"code": w.photo.code, "size": s} for s in PHOTO_SIZES],
    # absences
    "absences_staff:register": code("daan"),
    "absences:report": code("daan"),
    "absences:withdraw": code("absence"),
    # messaging
    "messaging_staff:inbox": lambda w: {"code": w.group_a.code},
    "messaging_staff:start": lambda w: {"code": w.group_a.code},
    "messaging_staff:conversation": code("conversation"),
    "messaging_staff:retract": lambda w: {
        "code": w.conversation.code,
        "message_code": w.message.code,
    },
    "messaging_staff:attachment": code("attachment"),
    "messaging:conversation": code("conversation"),
    "messaging:retract": lambda w: {"code": w.conversation.code, "message_code": w.message.code},
    "messaging:attachment": code("attachment"),
    # newsletters
    "newsletters_staff:create": lambda w: [{"kind": "news"}, {"kind": "newsletter"}],
    "newsletters_staff:edit": code("news"),
    "newsletters_staff:delete": code("news"),
    "newsletters:detail": code("news"),
    "newsletters:image": code("news"),
    "newsletters:pdf": code("newsletter"),
    "newsletters:attachment": lambda w: {
        "code": w.news.code,
        "attachment_code": w.news_attachment.code,
    },
    # audit
    "audit:child": child(),
    # retention
    "retention_staff:archive_child": code("noor"),
    "retention_staff:archive_export": code("noor"),
    "retention_staff:download": code("export"),
    "retention_staff:request": code("data_request"),
    "retention_staff:request_take": code("data_request"),
    "retention_staff:request_note": code("data_request"),
    "retention_staff:request_export": code("data_request"),
    "retention_staff:request_close": code("data_request"),
    "retention_staff:request_refuse": code("data_request"),
    "retention_staff:request_erase": code("data_request"),
    "retention_staff:request_erase_part": code("data_request"),
    "retention_staff:request_correct_parent": code("data_request"),
    "retention_staff:request_correct_child": code("data_request"),
    "retention_staff:request_correct_entry": code("data_request"),
    "retention:export_child": code("daan"),
    "retention:download": code("export"),
    # push: one of anna's devices
    "push:device": code("push_device"),
    "push:device_remove": code("push_device"),
    # allauth: tokens that do not exist (the pages must refuse them, for everyone).
    "account_confirm_email": lambda w: {"key": "MTA:1tNotAReal:key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "1", "key": "set-password"},
    # Django admin
    "admin:view_on_site": lambda w: {
        "content_type_id": ContentType.objects.get_for_model(w.loc1).pk,
        "object_id": w.loc1.pk,
    },
    "admin:auth_user_password_change": lambda w: {"id": w.anna.pk},
}


def admin_object_kwargs(world, key: str, route: str):
    """``admin:<app>_<model>_<view>`` and the unnamed ``<app>/<model>/<id>/`` redirects: the
    first object of that model (or a made-up id when the world holds none)."""
    app_label, model_name = route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    obj = model.objects.order_by("pk").first()
    return {"object_id": obj.pk if obj else 999999}

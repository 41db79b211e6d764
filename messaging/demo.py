"""Demo conversations: bram and tom about Finn, dewi and sanne about Mila, fleur and lotte about
Lieke's last day (which the retention demo destroys). Idempotent."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from daycare.models import Child
from messaging.models import Conversation, Message, ReadMark, Side

THREADS = [
    (
        "Finn",
        "Slaapje na de lunch",
        [
            (
                "bram",
                Side.PARENT,
                "Hoi Tom, Finn sliep vannacht slecht. Mag hij vandaag wat "
                "eerder naar bed na de lunch?",
            ),
            (
                "tom",
                Side.STAFF,
                "Dag Bram, dat is goed. We leggen hem direct na het eten neer "
                "en laten het je weten als hij niet slaapt.",
            ),
            ("bram", Side.PARENT, "Dank je wel!"),
        ],
    ),
    (
        "Mila",
        "Reservekleding",
        [
            (
                "sanne",
                Side.STAFF,
                "Hallo Dewi, Mila's reservekleding is op. Wilt u morgen een setje meegeven?",
            ),
            ("dewi", Side.PARENT, "Natuurlijk, ik stop morgen een tas in haar bakje."),
            ("sanne", Side.STAFF, "Top, dank u wel."),
        ],
    ),
    (
        "Lieke",
        "Laatste dag",
        [
            ("fleur", Side.PARENT, "Mogen we Liekes tekeningen meenemen op haar laatste dag?"),
            ("lotte", Side.STAFF, "Natuurlijk, we leggen ze klaar in haar bakje."),
        ],
    ),
]


def seed(*, today):
    now = timezone.now()
    for first_name, subject, lines in THREADS:
        child = Child.objects.filter(first_name=first_name).first()
        if child is None or Conversation.objects.filter(child=child, subject=subject).exists():
            continue
        moment = now
        ends = list(child.contracts.values_list("end_date", flat=True))
        if ends and None not in ends:  # a child who left: it took place in its last days
            moment = timezone.make_aware(datetime.combine(max(e for e in ends if e), time(9)))
        start = moment - timedelta(days=1, hours=len(lines))
        authors = {key: User.objects.get(email=f"{key}@example.org") for key, _s, _b in lines}
        conversation = Conversation.objects.create(
            child=child,
            subject=subject,
            started_by=authors[lines[0][0]],
            last_message_at=start + timedelta(hours=len(lines) - 1),
            awaiting_staff_reply=lines[-1][1] == Side.PARENT,
        )
        for i, (key, side, body) in enumerate(lines):
            at = start + timedelta(hours=i)
            Message.objects.create(
                conversation=conversation, author=authors[key], side=side, body=body, created_at=at
            )
            ReadMark.objects.update_or_create(
                conversation=conversation,
                user=authors[key],
                defaults={"side": side, "last_read_at": at},
            )

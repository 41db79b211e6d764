"""The structured day items of a diary entry: what they may contain and how they read.

Stored as JSON on ``DiaryEntry.items``::

    {"meals": [{"moment": "lunch", "amount": "most", "what": "pasta"}],
     "sleep": [{"start": "12:30", "end": "14:05"}],
     "nappies": [{"time": "10:15", "kind": "wet"}],
     "mood": "happy",
     "activities": ["outdoor", "music"]}

Forms build this dict; ``clean_items`` is the single validation (forms and services both use
it), so nothing else can end up in the database.
"""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

MEAL_MOMENTS = [
    ("breakfast", _("breakfast")),
    ("morning_snack", _("morning snack")),
    ("lunch", _("lunch")),
    ("afternoon_snack", _("afternoon snack")),
    ("dinner", _("dinner")),
]
MEAL_AMOUNTS = [
    ("all", _("ate everything")),
    ("most", _("ate most")),
    ("half", _("ate half")),
    ("little", _("ate a little")),
    ("none", _("ate nothing")),
]
NAPPY_KINDS = [
    ("wet", _("wet nappy")),
    ("dirty", _("dirty nappy")),
    ("dry", _("dry nappy")),
    ("toilet", _("used the toilet")),
]
MOODS = [
    ("happy", _("happy")),
    ("content", _("content")),
    ("quiet", _("quiet")),
    ("tired", _("tired")),
    ("sad", _("sad")),
    ("unwell", _("not feeling well")),
]
ACTIVITIES = [
    ("outdoor", _("played outside")),
    ("crafts", _("crafts")),
    ("music", _("music and singing")),
    ("reading", _("reading")),
    ("free_play", _("free play")),
    ("movement", _("movement and dance")),
    ("cooking", _("cooking")),
    ("outing", _("outing")),
]
WHAT_MAX = 100
MAX_PER_LIST = 12


def _time(value) -> str:
    try:
        return datetime.strptime(value, "%H:%M").strftime("%H:%M")
    except (TypeError, ValueError):
        raise DomainError(_("Enter a time as hours and minutes, e.g. 12:30.")) from None


def _choice(value, choices, message):
    if value not in dict(choices):
        raise DomainError(message)
    return value


def _dict(value) -> dict:
    if not isinstance(value, dict):
        raise DomainError(_("The day items are not valid."))
    return value


def _meal(meal: dict) -> dict:
    what = str(meal.get("what", "")).strip()
    if len(what) > WHAT_MAX:
        raise DomainError(_("Describe the meal in at most %(n)s characters.") % {"n": WHAT_MAX})
    return {
        "moment": _choice(meal.get("moment"), MEAL_MOMENTS, _("Choose a meal moment.")),
        "amount": _choice(meal.get("amount"), MEAL_AMOUNTS, _("Choose how much was eaten.")),
        "what": what,
    }


def _sleep(period: dict) -> dict:
    start, end = _time(period.get("start")), _time(period.get("end"))
    if end <= start:
        raise DomainError(_("The end of the sleep must be after its start."))
    return {"start": start, "end": end}


def clean_items(raw) -> dict:
    """A clean items dict, or DomainError naming what is wrong. Empty parts are left out."""
    if not isinstance(raw, dict):
        raise DomainError(_("The day items are not valid."))
    unknown = set(raw) - {"meals", "sleep", "nappies", "mood", "activities"}
    if unknown:
        raise DomainError(_("The day items are not valid."))
    items: dict = {}
    lists = {key: raw.get(key) or [] for key in ("meals", "sleep", "nappies", "activities")}
    for value in lists.values():
        if not isinstance(value, list) or len(value) > MAX_PER_LIST:
            raise DomainError(_("The day items are not valid."))
    meals = [_meal(meal) for meal in map(_dict, lists["meals"])]
    sleep = [_sleep(period) for period in map(_dict, lists["sleep"])]
    nappies = [
        {
            "time": _time(nappy.get("time")),
            "kind": _choice(nappy.get("kind"), NAPPY_KINDS, _("Choose a kind of nappy change.")),
        }
        for nappy in map(_dict, lists["nappies"])
    ]
    activities = []
    for activity in lists["activities"]:
        _choice(activity, ACTIVITIES, _("Choose activities from the list."))
        if activity not in activities:
            activities.append(activity)
    mood = raw.get("mood") or ""
    if mood:
        _choice(mood, MOODS, _("Choose a mood from the list."))
    for key, value in (
        ("meals", meals),
        ("sleep", sleep),
        ("nappies", nappies),
        ("mood", mood),
        ("activities", activities),
    ):
        if value:
            items[key] = value
    return items


def describe(items: dict) -> dict:
    """Items with their labels, ready for a template (no queries)."""
    moments, amounts = dict(MEAL_MOMENTS), dict(MEAL_AMOUNTS)
    kinds, moods, activities = dict(NAPPY_KINDS), dict(MOODS), dict(ACTIVITIES)
    return {
        "meals": [
            {
                "moment": moments.get(m["moment"], ""),
                "amount": amounts.get(m["amount"], ""),
                "what": m.get("what", ""),
            }
            for m in items.get("meals", [])
        ],
        "sleep": items.get("sleep", []),
        "nappies": [
            {"time": n["time"], "kind": kinds.get(n["kind"], "")} for n in items.get("nappies", [])
        ],
        "mood": moods.get(items.get("mood", ""), ""),
        "activities": [activities.get(a, "") for a in items.get("activities", [])],
    }

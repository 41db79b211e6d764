"""The consent rule, in one place (R2, R4, R5, R6). Photo and diary apps use only this API.

For a child and a purpose, consent holds when at least one current guardian's latest decision
is yes and no current guardian's latest decision is no: a withdrawal by either parent wins.
Until any decision exists the state is "undecided", which closes the feature like a refusal.

- ``consent_state(child, purpose)`` and ``consent_states(children)`` for pages (one query for a
  whole list);
- ``children_with_consent(purpose)``: a Child queryset for the inner wall, to filter diary
  entries, photos, thumbnails, downloads, e-mails and exports in SQL; ``consent_holds(purpose,
  child_ref)`` is the same rule as a condition on another model's child column;
- ``rule_holds(latest)``: the rule itself on plain values (the hypothesis test checks it).
"""

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Exists, OuterRef

from consent.models import ConsentDecision, Purpose
from daycare.models import Child, Guardianship


class ConsentState(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    UNDECIDED = "undecided"


def rule_holds(latest_decisions: Iterable[bool]) -> ConsentState:
    """The state from each current guardian's latest decision (True = yes, False = no)."""
    latest = list(latest_decisions)
    if not latest:
        return ConsentState.UNDECIDED
    if False in latest:
        return ConsentState.REFUSED
    return ConsentState.GIVEN


def latest_decisions():
    """Decisions that are the latest of their guardian for that child and purpose, made by a
    person who is still a guardian of the child."""
    newer = ConsentDecision.objects.filter(
        child_id=OuterRef("child_id"),
        purpose=OuterRef("purpose"),
        decided_by_id=OuterRef("decided_by_id"),
        pk__gt=OuterRef("pk"),
    )
    still_guardian = Guardianship.objects.filter(
        child_id=OuterRef("child_id"), user_id=OuterRef("decided_by_id")
    )
    return ConsentDecision.objects.filter(Exists(still_guardian)).exclude(Exists(newer))


def consent_holds(purpose: str, child_ref: str = "pk"):
    """The rule as a condition on the outer query's child (``child_ref`` names its id there,
    e.g. ``"child_id"`` on a photo tag): correlated, so PostgreSQL checks only the rows it
    meets instead of every child of the organisation (``child__in=children_with_consent()``
    did that; bench/queries.py, issue 10)."""
    latest = latest_decisions().filter(purpose=purpose, child_id=OuterRef(child_ref))
    return Exists(latest.filter(given=True)) & ~Exists(latest.filter(given=False))


def children_with_consent(purpose: str):
    """Children whose consent for ``purpose`` holds now: the inner wall in SQL."""
    return Child.objects.filter(consent_holds(purpose))


def consent_states(children) -> dict[int, dict[str, ConsentState]]:
    """``{child_id: {purpose: state}}`` for many children in one query."""
    child_ids = [getattr(child, "pk", child) for child in children]
    found: dict[tuple[int, str], list[bool]] = defaultdict(list)
    rows = (
        latest_decisions()
        .filter(child_id__in=child_ids)
        .values_list("child_id", "purpose", "given")
    )
    for child_id, purpose, given in rows:
        found[(child_id, purpose)].append(given)
    return {
        child_id: {purpose: rule_holds(found[(child_id, purpose)]) for purpose in Purpose.values}
        for child_id in child_ids
    }


def consent_state(child, purpose: str) -> ConsentState:
    return consent_states([child])[child.pk][purpose]


def has_consent(child, purpose: str) -> bool:
    return consent_state(child, purpose) == ConsentState.GIVEN


def own_decisions(user, children) -> dict[int, dict[str, bool | None]]:
    """This guardian's own latest decision per child and purpose (None: not decided yet)."""
    child_ids = [getattr(child, "pk", child) for child in children]
    result = {child_id: dict.fromkeys(Purpose.values) for child_id in child_ids}
    rows = (
        latest_decisions()
        .filter(child_id__in=child_ids, decided_by=user)
        .values_list("child_id", "purpose", "given")
    )
    for child_id, purpose, given in rows:
        result[child_id][purpose] = given
    return result

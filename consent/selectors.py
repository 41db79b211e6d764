"""The consent rule, in one place (R2, R4, R5, R6). Photo and diary apps use only this API.

For a child and a purpose, consent holds when at least one current guardian's latest decision
is yes and no current guardian's latest decision is no: a withdrawal by either parent wins.
Until any decision exists the state is "undecided", which closes the feature like a refusal.

The rule is computed from the decisions (``rule_states``) only when an input changes, by
``consent.projection``, which keeps the result in ``CurrentConsent``; every read below is a
lookup there (issue 16). A missing row reads as undecided (fail closed).

- ``consent_state(child, purpose)`` and ``consent_states(children)`` for pages (one query for a
  whole list);
- ``children_with_consent(purpose)``: a Child queryset for the inner wall, to filter diary
  entries, photos, thumbnails, downloads, e-mails and exports in SQL; ``consent_holds(purpose,
  child_ref)`` is the same as a condition on another model's child column;
- ``rule_holds(latest)``: the rule itself on plain values, and ``rule_states(child_ids)``: the
  rule computed from the decision log (the projection and its nightly check use it).
"""

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef

from consent.models import ConsentDecision, CurrentConsent, ProjectedState, Purpose
from core.db import many_ids
from daycare.models import Child, Guardianship

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User


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


def latest_decisions() -> "QuerySet[ConsentDecision]":
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


def consent_holds(purpose: str, child_ref: str = "pk") -> Exists:
    """Consent for ``purpose`` holds now, as a condition on the outer query's child
    (``child_ref`` names its id there, e.g. ``"child_id"`` on a photo tag): one indexed
    lookup in the projection."""
    return Exists(
        CurrentConsent.objects.filter(
            child_id=OuterRef(child_ref), purpose=purpose, state=ProjectedState.GIVEN
        )
    )


def children_with_consent(purpose: str) -> "QuerySet[Child]":
    """Children whose consent for ``purpose`` holds now: the inner wall in SQL."""
    return Child.objects.filter(
        current_consents__purpose=purpose, current_consents__state=ProjectedState.GIVEN
    )


def rule_states(child_ids: Iterable[int]) -> dict[int, dict[str, ConsentState]]:
    """``{child_id: {purpose: state}}`` computed from the decisions themselves (the log), in
    one query. Only ``consent.projection`` and the nightly verification call it."""
    child_ids = list(child_ids)
    found: dict[tuple[int, str], list[bool]] = defaultdict(list)
    rows = (
        latest_decisions()
        .filter(child_id__in=many_ids(child_ids))
        .values_list("child_id", "purpose", "given")
    )
    for child_id, purpose, given in rows:
        found[(child_id, purpose)].append(given)
    return {
        child_id: {purpose: rule_holds(found[(child_id, purpose)]) for purpose in Purpose.values}
        for child_id in child_ids
    }


def consent_states(children: Iterable[Any]) -> dict[int, dict[str, ConsentState]]:
    """``{child_id: {purpose: state}}`` for many children in one query (the projection)."""
    child_ids = [getattr(child, "pk", child) for child in children]
    result = {
        child_id: dict.fromkeys(Purpose.values, ConsentState.UNDECIDED) for child_id in child_ids
    }
    rows = CurrentConsent.objects.filter(child_id__in=many_ids(child_ids)).values_list(
        "child_id", "purpose", "state"
    )
    for child_id, purpose, state in rows:
        if purpose in Purpose.values and state in ConsentState._value2member_map_:
            result[child_id][purpose] = ConsentState(state)
    return result


def consent_state(child: Child, purpose: str) -> ConsentState:
    return consent_states([child])[child.pk][purpose]


def has_consent(child: Child, purpose: str) -> bool:
    return consent_state(child, purpose) == ConsentState.GIVEN


def own_decisions(user: "User", children: Iterable[Any]) -> dict[int, dict[str, bool | None]]:
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

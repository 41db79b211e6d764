"""R2/R4/R6: for any sequence of decisions by any guardians, the SQL-derived state matches a
plain-Python model of the rule (at least one yes, no no, among current guardians' latest)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent.models import Purpose
from consent.selectors import (
    ConsentState,
    children_with_consent,
    consent_state,
    consent_states,
    rule_holds,
)
from consent.services import consent_decide
from daycare.models import Guardianship
from daycare.services import guardianship_add, guardianship_remove

pytestmark = pytest.mark.django_db

GUARDIANS = ["anna", "chris", "dewi"]
CHILDREN = ["daan", "eva"]

decision = st.tuples(
    st.just("decide"),
    st.sampled_from(GUARDIANS),
    st.sampled_from(CHILDREN),
    st.sampled_from(Purpose.values),
    st.booleans(),
)
membership = st.tuples(
    st.sampled_from(["join", "leave"]),
    st.sampled_from(GUARDIANS),
    st.sampled_from(CHILDREN),
    st.none(),
    st.none(),
)


def model_state(latest, guardians, child, purpose):
    values = [
        latest[(g, child, purpose)] for g in guardians[child] if (g, child, purpose) in latest
    ]
    if not values:
        return ConsentState.UNDECIDED
    if not all(values):
        return ConsentState.REFUSED
    return ConsentState.GIVEN


def test_it_states_the_rule_on_plain_values():
    assert rule_holds([]) == ConsentState.UNDECIDED
    assert rule_holds([True]) == ConsentState.GIVEN
    assert rule_holds([True, False]) == ConsentState.REFUSED
    assert rule_holds([False, False]) == ConsentState.REFUSED
    assert rule_holds([True, True]) == ConsentState.GIVEN


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.one_of(decision, decision, decision, membership), max_size=14))
def test_it_derives_the_state_the_rule_describes(cast, statement, steps):
    with transaction.atomic():
        children = {key: getattr(cast, key) for key in CHILDREN}
        users = {key: getattr(cast, key) for key in GUARDIANS}
        guardians = {
            key: {
                g
                for g in GUARDIANS
                if Guardianship.objects.filter(user=users[g], child=child).exists()
            }
            for key, child in children.items()
        }
        latest = {}
        for action, g, c, purpose, given_ in steps:
            if action == "decide":
                if g not in guardians[c]:
                    continue
                consent_decide(
                    child=children[c], purpose=purpose, given=given_, decided_by=users[g]
                )
                latest[(g, c, purpose)] = given_
            elif action == "join":
                guardianship_add(user=users[g], child=children[c], relation="parent", added_by=None)
                guardians[c].add(g)
            else:
                ended = Guardianship.objects.filter(user=users[g], child=children[c]).first()
                if ended:
                    guardianship_remove(guardianship=ended, removed_by=cast.service, reason="test")
                guardians[c].discard(g)

        states = consent_states(children.values())
        for purpose in Purpose.values:
            allowed = set(
                children_with_consent(purpose)
                .filter(pk__in=[c.pk for c in children.values()])
                .values_list("pk", flat=True)
            )
            for key, child in children.items():
                expected = model_state(latest, guardians, key, purpose)
                assert states[child.pk][purpose] == expected
                assert consent_state(child, purpose) == expected
                assert (child.pk in allowed) == (expected == ConsentState.GIVEN)
        transaction.set_rollback(True)

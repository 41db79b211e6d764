"""Random histories against the consent projection (issue 16): decisions by several guardians,
guardians added and removed, tags set, children archived. After every step the projection
equals the rule computed from the decision log, and what each parent reaches equals what the
rule allows."""

import contextlib

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from consent import projection
from consent.services import consent_decide
from consent.verification import compare
from core.errors import DomainError
from daycare.models import Child, Guardianship
from daycare.services import guardianship_add, guardianship_remove
from photos.models import Photo
from photos.selectors import photos_for_parent
from photos.services import photo_tags_set

pytestmark = pytest.mark.django_db

CHILDREN = ("daan", "eva", "mila")
PARENTS = ("anna", "chris", "dewi")


def test_it_keeps_the_projection_equal_to_the_rule_in_any_history(
    cast, statement, consented, make_photo
):
    photos = [
        make_photo(cast.daan),
        make_photo(cast.daan, cast.mila),
        make_photo(cast.eva, cast.daan),
    ]

    class History(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        @rule(p=st.sampled_from(PARENTS), c=st.sampled_from(CHILDREN), given=st.booleans())
        def decide(self, p, c, given):
            # not a guardian, or archived: refused, nothing recorded
            with contextlib.suppress(DomainError):
                consent_decide(
                    child=Child.objects.get(pk=getattr(cast, c).pk),
                    purpose="photos",
                    given=given,
                    decided_by=cast.users[p],
                )

        @rule(p=st.sampled_from(PARENTS), c=st.sampled_from(CHILDREN))
        def add_guardian(self, p, c):
            guardianship_add(
                child=getattr(cast, c), user=cast.users[p], relation="parent", added_by=None
            )

        @rule(p=st.sampled_from(PARENTS), c=st.sampled_from(CHILDREN))
        def remove_guardian(self, p, c):
            ended = Guardianship.objects.filter(user=cast.users[p], child=getattr(cast, c)).first()
            if ended:
                guardianship_remove(guardianship=ended, removed_by=cast.service, reason="test")

        @rule(n=st.integers(0, 2), tagged=st.sets(st.sampled_from(CHILDREN), max_size=3))
        def tag(self, n, tagged):
            children = list(Child.objects.filter(pk__in=[getattr(cast, c).pk for c in tagged]))
            # a child without consent (or archived) cannot be tagged: refused, nothing changes
            with contextlib.suppress(DomainError):
                photo_tags_set(photo=photos[n], children=children, tagged_by=cast.sanne)

        @rule(c=st.sampled_from(CHILDREN))
        def archive(self, c):
            with transaction.atomic():
                Child.objects.filter(pk=getattr(cast, c).pk).update(archived_at=timezone.now())
                projection.children_changed([getattr(cast, c).pk])

        @invariant()
        def projection_is_the_rule(self):
            assert compare().differences == []

        @invariant()
        def parents_reach_what_the_rule_allows(self):
            from consent.selectors import rule_states

            ids = [getattr(cast, c).pk for c in CHILDREN]
            states = rule_states(ids)
            live = set(Child.objects.filter(archived_at__isnull=True).values_list("pk", flat=True))
            open_ = {pk for pk in ids if pk in live and states[pk]["photos"] == "given"}
            for p in PARENTS:
                user = cast.users[p]
                mine = set(
                    Guardianship.objects.filter(user=user).values_list("child_id", flat=True)
                )
                expected = set()
                for photo in Photo.objects.filter(pk__in=[x.pk for x in photos]):
                    tagged = set(photo.tags.values_list("child_id", flat=True))
                    if tagged and tagged <= open_ and tagged & mine:
                        expected.add(photo.code)
                assert set(photos_for_parent(user).values_list("code", flat=True)) == expected

    run_state_machine_as_test(
        History,
        settings=settings(
            max_examples=15,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        ),
    )

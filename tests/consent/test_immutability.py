"""R6/R7 at the model layer, whatever the caller: a consent decision is never updated or
deleted, except by retention destroying the child (R18); a published privacy statement never
changes; a draft does."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent import retention
from consent.models import ConsentDecision, ImmutableRecordError, PrivacyStatement, Purpose
from consent.services import statement_publish
from daycare.models import Child
from retention import engine
from tests.consent.helpers import in_notice_days
from tests.retention.helpers import make_child

pytestmark = pytest.mark.django_db


def _decisions():
    return list(ConsentDecision.objects.order_by("pk").values())


def _statements():
    return list(PrivacyStatement.objects.order_by("pk").values())


def _save_changed(decision):
    decision.given = not decision.given
    decision.save()


def _save_loaded_copy(decision):
    copy = ConsentDecision.objects.get(pk=decision.pk)
    copy.purpose = Purpose.DIARY
    copy.save()


def _update_one(decision):
    ConsentDecision.objects.filter(pk=decision.pk).update(given=not decision.given)


def _bulk_update(decision):
    decision.given = not decision.given
    ConsentDecision.objects.bulk_update([decision], ["given"])


def _update_or_create(decision):
    ConsentDecision.objects.update_or_create(pk=decision.pk, defaults={"given": False})


FORBIDDEN = {
    "save a change": _save_changed,
    "save unchanged": lambda decision: decision.save(),
    "save with update_fields": lambda decision: decision.save(update_fields=["given"]),
    "save a loaded copy": _save_loaded_copy,
    "delete the instance": lambda decision: decision.delete(),
    "update a queryset": _update_one,
    "update every row": lambda decision: ConsentDecision.objects.update(given=False),
    "delete a queryset": lambda decision: ConsentDecision.objects.filter(pk=decision.pk).delete(),
    "delete every row": lambda decision: ConsentDecision.objects.all().delete(),
    "update through the child": lambda decision: decision.child.consent_decisions.update(
        given=False
    ),
    "delete through the child": lambda decision: decision.child.consent_decisions.all().delete(),
    "bulk_update": _bulk_update,
    "update_or_create": _update_or_create,
}


@pytest.mark.parametrize("operation", sorted(FORBIDDEN))
def test_it_refuses_to_change_or_remove_a_decision(cast, decide, operation):
    decision = decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    decide(cast.daan, Purpose.PHOTOS, False, by=cast.chris)
    before = _decisions()

    # A savepoint, because bulk_update() runs inside an atomic block of its own.
    with pytest.raises(ImmutableRecordError), transaction.atomic():
        FORBIDDEN[operation](decision)

    assert _decisions() == before


def test_it_refuses_to_overwrite_a_decision_with_a_new_instance_carrying_its_pk(cast, decide):
    decision = decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    before = _decisions()
    impostor = ConsentDecision(
        pk=decision.pk,
        child=cast.daan,
        purpose=Purpose.PHOTOS,
        given=False,
        decided_by=cast.anna,
        recorded_by=cast.anna,
        statement=decision.statement,
        channel=decision.channel,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()

    assert _decisions() == before


def test_it_still_appends_decisions(cast, decide):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    decide(cast.daan, Purpose.PHOTOS, False, by=cast.anna)

    assert [d["given"] for d in _decisions()] == [True, False]


def test_it_destroys_decisions_only_of_the_children_given_to_retention(cast, decide):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    decide(cast.daan, Purpose.DIARY, False, by=cast.chris)
    kept = decide(cast.eva, Purpose.PHOTOS, True, by=cast.anna)

    assert ConsentDecision.objects.destroy_for_retention(child_ids=[cast.daan.pk]) == 2

    assert [d["id"] for d in _decisions()] == [kept.pk]
    assert retention.destroy_children([cast.eva.pk]) == {"consent decisions": 1}
    assert retention.destroy_children([cast.eva.pk]) == {"consent decisions": 0}
    assert not ConsentDecision.objects.exists()


def test_it_lets_the_retention_run_destroy_a_child_with_decisions(cast, decide):
    """The schedule (R18) removes the decisions and then the child, whose cascade finds none."""
    child = make_child(
        cast.group_c, contracts=[(date(2020, 1, 6), date(2025, 10, 1))], guardians=[cast.fleur]
    )
    decide(child, Purpose.PHOTOS, True, by=cast.fleur)
    decide(child, Purpose.DIARY, False, by=cast.fleur)
    kept = decide(cast.noor, Purpose.PHOTOS, True, by=cast.fleur)

    report = engine.run(today=date(2026, 11, 25))

    assert report.counts["consent decisions"] == 2
    assert not Child.objects.filter(pk=child.pk).exists()
    assert [d["id"] for d in _decisions()] == [kept.pk]


FROZEN_CHANGES = {
    "version": 99,
    "text_nl": "Andere tekst",
    "text_en": "Other text",
    "summary_nl": "Anders",
    "summary_en": "Different",
    "published_at": None,
}


@pytest.mark.parametrize("field", sorted(FROZEN_CHANGES))
def test_it_refuses_to_change_a_published_statement(statement, field):
    before = _statements()
    setattr(statement, field, FROZEN_CHANGES[field])

    with pytest.raises(ImmutableRecordError, match=field):
        statement.save()
    with pytest.raises(ImmutableRecordError, match=field):
        statement.save(update_fields=[field])
    with pytest.raises(ImmutableRecordError, match=field):
        PrivacyStatement.objects.filter(pk=statement.pk).update(**{field: FROZEN_CHANGES[field]})

    assert _statements() == before


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(["text_nl", "text_en", "summary_nl", "summary_en"]), text=st.text())
def test_it_refuses_any_edit_of_a_published_text(statement, field, text):
    """Property (R7): any text that differs from the published one is refused, even a space."""
    statement.refresh_from_db()
    before = _statements()
    changed = text != getattr(statement, field)
    setattr(statement, field, text)

    if changed:
        with pytest.raises(ImmutableRecordError):
            statement.save()
    else:
        statement.save()

    assert _statements() == before


def test_it_refuses_a_new_instance_carrying_a_published_pk(statement):
    before = _statements()
    impostor = PrivacyStatement(pk=statement.pk, version=1, text_nl="Nep", text_en="Fake")

    with pytest.raises(ImmutableRecordError):
        impostor.save()

    assert _statements() == before


def test_it_refuses_a_queryset_update_that_reaches_a_published_statement(statement):
    PrivacyStatement.objects.create(version=2, text_nl="Concept", text_en="Draft")
    before = _statements()

    with pytest.raises(ImmutableRecordError):
        PrivacyStatement.objects.update(text_nl="Overal anders")

    assert _statements() == before


def test_it_allows_an_unchanged_save_and_the_announcement_of_a_published_statement(statement):
    statement.save()
    moment = timezone.now()
    PrivacyStatement.objects.filter(pk=statement.pk).update(announced_at=moment)
    statement.announced_at = moment
    statement.save(update_fields=["announced_at"])

    statement.refresh_from_db()
    assert statement.announced_at == moment
    assert statement.text_nl == "Privacyverklaring (test)"


def test_it_keeps_a_draft_editable_until_it_is_published(statement):
    draft = PrivacyStatement.objects.create(version=3, text_nl="Concept", text_en="Draft")
    draft.version = 2
    draft.text_nl, draft.text_en = "Nieuwe tekst", "New text"
    draft.summary_nl, draft.summary_en = "Wat is er nieuw", "What is new"
    draft.save()
    PrivacyStatement.objects.filter(pk=draft.pk).update(summary_en="What changed")

    draft.refresh_from_db()
    assert (draft.version, draft.text_nl, draft.summary_en) == (2, "Nieuwe tekst", "What changed")

    statement_publish(statement=draft, effective_on=in_notice_days())
    draft.text_nl = "Te laat"
    with pytest.raises(ImmutableRecordError):
        draft.save()
    draft.refresh_from_db()
    assert draft.text_nl == "Nieuwe tekst"

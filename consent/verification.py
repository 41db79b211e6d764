"""The consent projection checked against the decisions (issue 16).

``compare()`` recomputes the rule from the decision log (``consent.selectors.rule_states``)
for every child and every photo and lists where the projection (``consent.projection``)
differs: a child's state, a photo's ``shareable``, a tag's copies. It only reads. The nightly
job (``verify``) closes and repairs what it finds.
"""

from dataclasses import dataclass, field

from consent.models import CurrentConsent, Purpose
from consent.projection import shareable_by_rule
from consent.selectors import ConsentState, rule_states
from daycare.models import Child
from photos.models import Photo, PhotoTag

CHUNK = 5000


@dataclass(frozen=True)
class Difference:
    kind: str  # "child", "photo" or "tag"
    pk: int  # the child's, photo's or tag's id
    expected: str
    found: str


@dataclass
class Comparison:
    children: int = 0
    photos: int = 0
    differences: list[Difference] = field(default_factory=list)


def _child_differences(result: Comparison) -> set[int]:
    """Compare every child's projected states with the rule; return the children whose photo
    consent holds by the rule and who are not archived."""
    open_children: set[int] = set()
    last = 0
    while True:
        rows = list(
            Child.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "archived_at")[:CHUNK]
        )
        if not rows:
            return open_children
        ids = [pk for pk, _archived in rows]
        last = ids[-1]
        result.children += len(ids)
        expected = rule_states(ids)
        found: dict[tuple[int, str], str] = {
            (child_id, purpose): state
            for child_id, purpose, state in CurrentConsent.objects.filter(
                child_id__in=ids
            ).values_list("child_id", "purpose", "state")
        }
        for child_id, archived_at in rows:
            for purpose in Purpose.values:
                want = str(expected[child_id][purpose])
                have = found.get((child_id, purpose), "missing")
                # A missing row reads as undecided, which is safe only when the rule agrees.
                if have != want:
                    result.differences.append(
                        Difference("child", child_id, f"{purpose}: {want}", f"{purpose}: {have}")
                    )
            if archived_at is None and expected[child_id][Purpose.PHOTOS] == ConsentState.GIVEN:
                open_children.add(child_id)


def _photo_differences(result: Comparison, open_children: set[int]) -> None:
    last = 0
    while True:
        photos = list(
            Photo.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "shareable", "taken_at")[:CHUNK]
        )
        if not photos:
            return
        first, last = photos[0][0], photos[-1][0]
        result.photos += len(photos)
        tags: dict[int, list[tuple[int, int, bool, bool, object]]] = {}
        for tag in PhotoTag.objects.filter(photo_id__gte=first, photo_id__lte=last).values_list(
            "photo_id", "pk", "child_id", "blurred", "shareable", "taken_at"
        ):
            tags.setdefault(tag[0], []).append(tag[1:])
        for photo_id, shareable, taken_at in photos:
            own = tags.get(photo_id, [])
            want = shareable_by_rule(
                ((child_id, blurred) for _pk, child_id, blurred, _s, _t in own), open_children
            )
            if shareable != want:
                result.differences.append(Difference("photo", photo_id, str(want), str(shareable)))
            for tag_id, _child_id, _blurred, tag_shareable, tag_taken_at in own:
                if tag_shareable != want or tag_taken_at != taken_at:
                    result.differences.append(
                        Difference(
                            "tag",
                            tag_id,
                            f"{want} {taken_at:%Y-%m-%d %H:%M:%S}",
                            f"{tag_shareable} {tag_taken_at}",
                        )
                    )


def compare() -> Comparison:
    """Every child and photo: the projection against the rule from the decisions."""
    result = Comparison()
    open_children = _child_differences(result)
    _photo_differences(result, open_children)
    return result

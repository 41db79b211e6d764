"""Start-up checks of the retention wiring (R16-R21): no app's data silently left behind."""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.db.models import Model


def _our_apps() -> "Iterator[AppConfig]":
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            yield config


def _points_to(config: "AppConfig", model: "type[Model]") -> bool:
    return any(
        field.is_relation and field.concrete and field.related_model is model
        for own in config.get_models()
        for field in own._meta.get_fields()
    )


def _unlisted(model: "type[Model]", listed: "Sequence[Any]", exempt: Any) -> "Iterator[str]":
    """The labels of our apps with rows pointing to ``model`` that have no module in ``listed``
    and no reason in ``exempt``."""
    listed_apps = {module.__name__.partition(".")[0] for module in listed}
    for config in _our_apps():
        if config.label in listed_apps or config.label in exempt:
            continue
        if _points_to(config, model):
            yield config.label


@checks.register("retention")
def check_retention_modules(
    app_configs: "Sequence[AppConfig] | None" = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """retention.E001: an app of ours keeps rows about a child (a foreign key to Child) or a
    person (a foreign key to the user) but has no module in retention/modules.py (and no reason
    there why not). retention.E003: an app of ours keeps rows pointing to a user account (R18)
    but is not in ACCOUNT_MODULES (and has no reason in NO_ACCOUNT_MODULE). retention.E002: a
    listed module lacks a function the engine calls (erase_accounts for ACCOUNT_MODULES)."""
    from daycare.models import Child
    from retention import modules

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    errors: list[checks.CheckMessage] = []
    kinds: list[tuple[str, type[Model], Sequence[Any], Any]] = [
        ("child", Child, modules.CHILD_MODULES, modules.NO_CHILD_MODULE),
        ("person", user_model, modules.PERSON_MODULES, modules.NO_PERSON_MODULE),
    ]
    for kind, model, listed, exempt in kinds:
        errors += [
            checks.Error(
                f"App {label!r} keeps data about a {kind} but has no retention module in the list.",
                hint=f"Add {label}/retention.py to retention/modules.py "
                "(retention/contract.py says what it holds).",
                obj=label,
                id="retention.E001",
            )
            for label in _unlisted(model, listed, exempt)
        ]
    errors += [
        checks.Error(
            f"App {label!r} keeps rows pointing to a user account but has no module in "
            "ACCOUNT_MODULES: an erased account would leave them behind.",
            hint=f"Add {label}/retention.py with erase_accounts() to ACCOUNT_MODULES in "
            "retention/modules.py, or the reason why not to NO_ACCOUNT_MODULE.",
            obj=label,
            id="retention.E003",
        )
        for label in _unlisted(user_model, modules.ACCOUNT_MODULES, modules.NO_ACCOUNT_MODULE)
    ]
    for listed, functions in [
        (modules.CHILD_MODULES, modules.CHILD_FUNCTIONS),
        (modules.PERSON_MODULES, modules.PERSON_FUNCTIONS),
        (modules.ACCOUNT_MODULES, modules.ACCOUNT_FUNCTIONS),
    ]:
        for module in listed:
            for name in functions:
                if not callable(getattr(module, name, None)):
                    errors.append(
                        checks.Error(
                            f"{module.__name__} has no {name}(), which the retention engine calls.",
                            hint="See retention/contract.py.",
                            obj=module.__name__,
                            id="retention.E002",
                        )
                    )
    return errors

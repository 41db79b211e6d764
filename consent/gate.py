"""The outer wall (R2): a middleware in front of every photo and diary view.

Mark a view with ``@consent_gate(Purpose.DIARY)`` (the child's code comes from the URL kwarg
``child_code`` unless ``kwarg=`` says otherwise). Before the view runs, the middleware looks up
the child the user may see and the consent state:
- undecided, for a guardian: redirect to the choices page;
- refused or undecided otherwise: the "this feature is off" page (status 403), which tells a
  parent how to change it;
- given: the view runs.
The selectors (``children_with_consent``) are the inner wall; each is tested on its own.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from consent.selectors import ConsentState, consent_state
from daycare.access import get_child_for, is_guardian

if TYPE_CHECKING:
    from accounts.typing import UserRequest


def consent_gate(
    purpose: str, *, kwarg: str = "child_code"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        # Marks read by the gate's system check (functools.wraps' type has no such fields).
        wrapper.consent_purpose = purpose  # type: ignore[attr-defined]
        wrapper.consent_child_kwarg = kwarg  # type: ignore[attr-defined]
        return wrapper

    return decorator


class ConsentGateMiddleware:
    def __init__(self, get_response: Callable[["UserRequest"], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: "UserRequest") -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(request, "consent_gated", False):
            # Never kept by the browser (cache, back button): a withdrawal must be final.
            patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response

    def process_view(
        self,
        request: "UserRequest",
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        purpose = getattr(view_func, "consent_purpose", None)
        if purpose is None:
            return None
        request.consent_gated = True  # type: ignore[attr-defined]  # a mark for __call__
        code = view_kwargs.get(view_func.consent_child_kwarg)  # type: ignore[attr-defined]  # set by consent_gate
        if code is None:
            return None  # views without a child in the URL rely on the inner wall
        child = get_child_for(request.user, code)  # 404 for strangers
        state = consent_state(child, purpose)
        if state == ConsentState.GIVEN:
            request.consented_child = child  # type: ignore[attr-defined]  # for the view
            return None
        guardian = is_guardian(request.user, child)
        if state == ConsentState.UNDECIDED and guardian:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('consent:choices')}?{query}")
        return render(
            request,
            "consent/feature_off.html",
            {"child": child, "purpose": purpose, "state": state, "is_guardian": guardian},
            status=403,
        )

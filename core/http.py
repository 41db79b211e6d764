"""Marks on views that the portal's middleware reads."""

from collections.abc import Callable
from typing import Any

PASSIVE = "portal_passive"


def passive[View: Callable[..., Any]](view: View) -> View:
    """Mark a view whose requests a page makes by itself (polling): they never count as
    activity, so an unattended tablet still reaches its idle timeout (issue 19, ASVS 7.3.1;
    ``portal.security.is_activity``)."""
    setattr(view, PASSIVE, True)
    return view

"""Dashboard panels. A domain registers a panel with a template and a function that builds its
context for the current user; the dashboard renders them in registration (flow) order."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[object], dict]  # current user -> template variables


PANELS: list[Panel] = []


def register_panel(name: str, template: str, context: Callable[[object], dict]) -> None:
    if name not in [panel.name for panel in PANELS]:
        PANELS.append(Panel(name, template, context))

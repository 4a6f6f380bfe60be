"""What the production build ships on a page's first load: only what that page uses (see rxconfig.py).

Three things of Reflex's default build cost a phone on a slow network, and the two plugins here change
them through Reflex's own plugin hooks (the generated .web tree is never edited by hand):

- Reflex's app root imports every "bundled library" as a whole namespace into ``window.__reflex``, for
  components the server creates at run time (``rx.dynamic``, components held in state). The Radix Themes
  plugin bundles ``@radix-ui/themes`` that way, which keeps all of Radix Themes (sliders, menus, context
  menus, radio groups...) in the chunk every route loads, used or not. Clientela has no run-time
  components, so the registry goes back to Reflex's own defaults (React, Emotion, the state and
  contexts) before the root is compiled, and each route carries only the Radix components it renders.
- Radix Themes' ``styles.css`` declares all 31 of its colour scales (light, dark and wide-gamut), about
  70 KB of its 705. ``LeanRadixThemesPlugin`` imports the same sheet as Radix splits it
  (``tokens/colors/<scale>.css``, then ``tokens/base.css``, ``components.css`` and ``utilities.css``), with
  only the scales the app names (``THEME_COLORS``): 10 KB less brotli on a first visit.
- Vite gives each shared icon its own file of ~200 bytes: /customers asked for 16 of them, each a request
  (150 ms apart on 3G, six at a time). The icons go into one chunk (10 KB compressed, every icon of
  the app), cached once for all pages.

And one thing of React Router's: it renders a route change as a React transition, which React renders in
5 ms slices, yielding to (and starting again after) more urgent updates. On a page's first load those are
the server's state, a delta per websocket message: a trace showed the list's first render sliced among
them, its title painted in the same frame as its rows. ``entry.client.js`` gives the router
``useTransitions: false``: a route renders as one task and the state that arrives meanwhile is applied
after it. The rows come no sooner; the list's title is painted ~190 ms before them (docs/performance.md).
"""

from __future__ import annotations

from typing import Any

from reflex_base import constants
from reflex_base.components.dynamic import reset_bundled_libraries
from reflex_base.plugins.base import Plugin
from reflex_base.utils import console
from reflex_components_radix.plugin import RadixThemesPlugin

# The Radix colour scales the app names: its accent (teal) and the gray Radix pairs with it (sage), and
# every ``color_scheme``, ``data-accent-color`` and ``var(--<scale>-N)`` of crm_app/ and assets/ (a unit
# test finds them and fails on one missing here). Another scale would render in the accent's gray.
THEME_COLORS = ("teal", "sage", "gray", "red", "amber", "green", "blue", "indigo", "purple", "orange",
                "grass", "crimson", "violet", "cyan", "brown")
RADIX_THEMES = "@radix-ui/themes"


def radix_stylesheets(colors: tuple[str, ...] = THEME_COLORS) -> tuple[str, ...]:
    """Radix Themes' styles.css in its parts, in its own order, with only ``colors``' scales."""
    parts = ("tokens/base.css", "components.css", "utilities.css")
    return (*(f"{RADIX_THEMES}/tokens/colors/{color}.css" for color in colors),
            *(f"{RADIX_THEMES}/{part}" for part in parts))


class LeanRadixThemesPlugin(RadixThemesPlugin):
    """Reflex's Radix Themes plugin, with only the colour scales the app uses in its style sheet."""

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return radix_stylesheets() if self.enabled else ()


# Reflex's vite.config.js (reflex_base/compiler/templates.py) opens its chunk groups with this line.
GROUPS_ANCHOR = "          groups: [\n"
ICONS_GROUP = '            { test: /node_modules[\\\\/]lucide-react[\\\\/]/, name: "icons" },\n'


def group_icons(vite_config: str) -> str:
    """The Vite config with lucide's icons in one chunk (unchanged, with a warning, if Reflex's template
    no longer has the anchor: the build then works as Reflex made it)."""
    if ICONS_GROUP in vite_config:
        return vite_config
    if vite_config.count(GROUPS_ANCHOR) != 1:
        console.warn("crm_app.frontend_build: vite.config.js lacks one chunk-group list; icons not grouped")
        return vite_config
    return vite_config.replace(GROUPS_ANCHOR, GROUPS_ANCHOR + ICONS_GROUP)


ROUTER_ELEMENT = "createElement(HydratedRouter)"
ROUTER_WITHOUT_TRANSITIONS = "createElement(HydratedRouter, { useTransitions: false })"


def router_without_transitions(entry_client: str) -> str:
    """Reflex's entry.client.js with the router's updates outside transitions (unchanged, with a warning,
    if the template no longer creates the router as this expects)."""
    if ROUTER_WITHOUT_TRANSITIONS in entry_client:
        return entry_client
    if entry_client.count(ROUTER_ELEMENT) != 1:
        console.warn("crm_app.frontend_build: entry.client.js lacks one HydratedRouter; router unchanged")
        return entry_client
    return entry_client.replace(ROUTER_ELEMENT, ROUTER_WITHOUT_TRANSITIONS)


class LeanBundlePlugin(Plugin):
    """No whole-library namespaces in ``window.__reflex``; the icons in one chunk; the router's updates
    outside transitions."""

    def pre_compile(self, **context: Any) -> None:
        # Runs after the pages are compiled and before the app root (Reflex's compile order): the root is
        # written from the registry as it stands here.
        reset_bundled_libraries()
        context["add_modify_task"](constants.ReactRouter.VITE_CONFIG_FILE, group_icons)
        # Reflex writes entry.client.js from its template before it runs the modify tasks.
        context["add_modify_task"](constants.Embed.ENTRY_PATH, router_without_transitions)

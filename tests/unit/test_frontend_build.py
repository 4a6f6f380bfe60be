"""The build plugins: Reflex's real Vite config gets one icon chunk group, no library is bundled whole, and
the style sheet holds the Radix colour scales the code names."""

from __future__ import annotations

import re
from pathlib import Path

from reflex_base import constants
from reflex_base.compiler import templates
from reflex_base.components.dynamic import bundle_library
from reflex_base.registry import RegistrationContext

from crm_app.frontend_build import (
    ICONS_GROUP,
    THEME_COLORS,
    LeanBundlePlugin,
    LeanRadixThemesPlugin,
    group_icons,
    radix_stylesheets,
    router_without_transitions,
)


def reflex_vite_config() -> str:
    return templates.vite_config_template(base="/", hmr=False, force_full_reload=False,
                                          experimental_hmr=False, sourcemap=False)


def test_the_icons_group_joins_reflex_own_chunk_groups_once():
    config = reflex_vite_config()
    grouped = group_icons(config)
    assert grouped.count(ICONS_GROUP) == 1
    assert grouped.index(ICONS_GROUP) < grouped.index('name: "reflex-env"')  # inside the same list
    assert group_icons(grouped) == grouped  # a second compile changes nothing


def test_a_config_without_the_anchor_is_left_as_reflex_made_it():
    assert group_icons("export default {};\n") == "export default {};\n"


def test_pre_compile_drops_whole_library_namespaces_and_patches_the_vite_config():
    bundle_library("@radix-ui/themes")
    tasks: list[tuple[str, object]] = []
    LeanBundlePlugin().pre_compile(add_modify_task=lambda path, fn: tasks.append((path, fn)))
    assert "@radix-ui/themes" not in RegistrationContext.ensure_context().bundled_libraries
    assert "react" in RegistrationContext.ensure_context().bundled_libraries
    assert tasks == [("vite.config.js", group_icons), ("app/entry.client.js", router_without_transitions)]
    assert constants.Embed.ENTRY_PATH == "app/entry.client.js"
    template = (constants.Templates.Dirs.WEB_TEMPLATE / constants.Embed.ENTRY_PATH).read_text()
    assert "createElement(HydratedRouter, { useTransitions: false })" in router_without_transitions(template)


def test_reflex_entry_client_gets_the_router_without_transitions_once():
    template = (constants.Templates.Dirs.WEB_TEMPLATE / constants.Embed.ENTRY_PATH).read_text()
    patched = router_without_transitions(template)
    assert patched.count("useTransitions: false") == 1
    # The rest of Reflex's entry is kept: hydration of the document by React Router.
    assert patched.replace(", { useTransitions: false }", "") == template
    assert router_without_transitions(patched) == patched  # a second compile changes nothing
    assert router_without_transitions("hydrateRoot(document, x);\n") == "hydrateRoot(document, x);\n"


# --- the style sheet's colour scales -------------------------------------------------------------------
RADIX_SCALES = ("gray", "mauve", "slate", "sage", "olive", "sand", "tomato", "red", "ruby", "crimson",
                "pink", "plum", "purple", "violet", "iris", "indigo", "blue", "cyan", "teal", "jade", "green",
                "grass", "brown", "orange", "sky", "mint", "lime", "yellow", "amber", "gold", "bronze")
ROOT = Path(__file__).resolve().parents[2]


def _scales_named_in(text: str) -> set[str]:
    """Radix scales a source names: a quoted name (color_scheme="red", a status's colour) or a variable."""
    names = "|".join(RADIX_SCALES)
    return {a or b for a, b in re.findall(rf"""["'`]({names})["'`]|--({names})-a?\d""", text)}


def test_every_colour_scale_the_code_names_is_in_the_style_sheet():
    sources = [*ROOT.joinpath("crm_app").rglob("*.py"), *ROOT.joinpath("crm_app").rglob("*.jsx"),
               *ROOT.joinpath("assets").rglob("*.css"), ROOT / "rxconfig.py"]
    named = {scale: path.relative_to(ROOT)
             for path in sources for scale in _scales_named_in(path.read_text())}
    missing = {scale: str(path) for scale, path in named.items() if scale not in THEME_COLORS}
    assert not missing, f"add these scales to THEME_COLORS (crm_app/frontend_build.py): {missing}"
    assert {"red", "amber", "green", "blue", "gray"} <= set(named)  # the scan finds what the code uses


def test_the_style_sheet_is_radix_own_split_with_the_app_scales_only():
    sheets = radix_stylesheets(("teal", "sage"))
    assert sheets == ("@radix-ui/themes/tokens/colors/teal.css", "@radix-ui/themes/tokens/colors/sage.css",
                      "@radix-ui/themes/tokens/base.css", "@radix-ui/themes/components.css",
                      "@radix-ui/themes/utilities.css")
    # The accent and its gray (Radix pairs teal with sage), from the app's real theme.
    from rxconfig import config

    plugin = next(p for p in config.plugins if isinstance(p, LeanRadixThemesPlugin))
    assert plugin.get_stylesheet_paths() == radix_stylesheets()
    assert {"teal", "sage"} <= set(THEME_COLORS)
    assert all(scale in RADIX_SCALES for scale in THEME_COLORS)


def test_a_disabled_radix_plugin_adds_no_style_sheet():
    assert LeanRadixThemesPlugin.create_implicit().get_stylesheet_paths() == ()

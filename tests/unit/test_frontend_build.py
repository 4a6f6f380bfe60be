"""The build plugin: Reflex's real Vite config gets one icon chunk group, and no library is bundled whole."""

from __future__ import annotations

from reflex_base.compiler import templates
from reflex_base.components.dynamic import bundle_library
from reflex_base.registry import RegistrationContext

from crm_app.frontend_build import ICONS_GROUP, LeanBundlePlugin, group_icons


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
    assert tasks == [("vite.config.js", group_icons)]

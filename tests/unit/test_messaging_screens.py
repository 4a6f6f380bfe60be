"""Pure helpers of the messaging screens: placeholder insertion at the cursor."""

from __future__ import annotations

from crm_app.states.text_insert import cursor_script, insert_at

TAG = "{{ first_name }}"


def test_the_tag_goes_where_the_browser_says_the_cursor_is():
    assert insert_at("stale", ["Hola , bienvenido", 5, 5], TAG) == "Hola {{ first_name }}, bienvenido"


def test_a_selection_is_replaced_by_the_tag():
    assert insert_at("", ["Hola NOMBRE", 5, 11], TAG) == "Hola {{ first_name }}"


def test_without_a_usable_cursor_the_tag_goes_at_the_end():
    assert insert_at("Hola", None, TAG) == "Hola {{ first_name }}"
    assert insert_at("Hola ", None, TAG) == "Hola {{ first_name }}"
    assert insert_at("", None, TAG) == TAG
    # The browser's value still wins when its positions are nonsense.
    assert insert_at("old", ["Nuevo", 9, 2], TAG) == "Nuevo {{ first_name }}"
    assert insert_at("old", ["x", "1", 1], TAG) == "x {{ first_name }}"


def test_the_cursor_script_names_the_field_safely():
    script = cursor_script('a"b')
    assert 'getElementById("a\\"b")' in script

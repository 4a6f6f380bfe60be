from crm_app.domain.log_changes import change_lines


def test_only_the_values_that_changed_are_listed_before_and_after():
    before = '{"name": "Acme", "country": "EC", "phone": true}'
    after = '{"name": "Acme", "country": "PE", "phone": false}'
    assert change_lines(before, after) == ["country: EC → PE", "phone: ✓ → ✗"]


def test_a_creation_lists_its_values_and_a_removal_ends_in_a_dash():
    assert change_lines("", '{"name": "Org", "country": "EC"}') == ["name: Org", "country: EC"]
    assert change_lines('{"name": "Google", "color": ""}', "") == ["name: Google → —"]


def test_an_event_without_details_has_no_lines():
    assert change_lines("", "{}") == []
    assert change_lines("", "") == []


def test_added_and_dropped_keys_show_a_dash_on_the_missing_side():
    lines = change_lines('{"vip": 2, "v.i.p.": 1}', '{"VIP": 3}')
    assert lines == ["vip: 2 → —", "v.i.p.: 1 → —", "VIP: — → 3"]


def test_a_snapshot_cut_short_or_not_an_object_is_shown_whole():
    assert change_lines('{"name": "Ac', '["a"]') == ['{"name": "Ac → ["a"]']



def test_nested_objects_read_as_dotted_names_and_lists_as_their_items():
    after = '{"person": {"label_es": "Sucursal", "help_es": "", "required": false, "options": ["N", "S"]}}'
    expected = ["person.label_es: Sucursal", "person.required: ✗", "person.options: N, S"]
    assert change_lines("", after) == expected
    assert change_lines('{"tags": ["a", "b"]}', '{"tags": ["a"]}') == ["tags: a, b → a"]

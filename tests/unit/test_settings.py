"""Settings: safe defaults on a laptop, refusal of unsafe ones in production."""

from __future__ import annotations

import pytest

from crm_app.settings import DEV_SECRET, SettingsError, get_settings, load_settings

GOOD_SECRET = "k3Jq9vX2mPz8Lr4tW6yB1nC5dF7gH0sA"  # 32 characters


def test_development_defaults():
    settings = load_settings({})
    assert settings.env == "development"
    assert settings.secret_key == DEV_SECRET
    assert settings.is_sqlite and settings.database_url.endswith("data/clientela.db")
    assert settings.port == 3000
    assert settings.cors_origins == ("http://localhost:3000",)
    assert settings.state_manager == "disk"
    assert not settings.cookie_secure


def test_production_refuses_the_default_secret():
    with pytest.raises(SettingsError, match="CRM_SECRET_KEY"):
        load_settings({"CRM_ENV": "production"})


def test_production_refuses_a_short_secret():
    with pytest.raises(SettingsError, match="CRM_SECRET_KEY"):
        load_settings({"CRM_ENV": "production", "CRM_SECRET_KEY": GOOD_SECRET[:31]})


def test_production_accepts_a_proper_secret():
    settings = load_settings({"CRM_ENV": "production", "CRM_SECRET_KEY": GOOD_SECRET,
                              "CRM_PUBLIC_URL": "https://crm.example.com/"})
    assert settings.is_production
    assert settings.cookie_secure
    assert settings.public_url == "https://crm.example.com"
    assert settings.cors_origins == ("https://crm.example.com",)


def test_production_refuses_wildcard_cors():
    with pytest.raises(SettingsError, match="CORS"):
        load_settings({"CRM_ENV": "production", "CRM_SECRET_KEY": GOOD_SECRET,
                       "CRM_CORS_ORIGINS": "https://a.example.com, *"})


def test_wildcard_cors_allowed_outside_production():
    assert load_settings({"CRM_CORS_ORIGINS": "*"}).cors_origins == ("*",)


def test_redis_state_manager_requires_a_url():
    with pytest.raises(SettingsError, match="CRM_REDIS_URL"):
        load_settings({"CRM_STATE_MANAGER": "redis"})


def test_redis_url_selects_the_redis_state_manager():
    settings = load_settings({"CRM_REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert settings.state_manager == "redis"


@pytest.mark.parametrize(("variables", "needle"), [
    ({"CRM_ENV": "staging"}, "CRM_ENV"),
    ({"CRM_STATE_MANAGER": "files"}, "CRM_STATE_MANAGER"),
    ({"CRM_DEFAULT_LANGUAGE": "fr"}, "CRM_DEFAULT_LANGUAGE"),
    ({"CRM_LOG_FORMAT": "xml"}, "CRM_LOG_FORMAT"),
    ({"CRM_NODES": "0"}, "CRM_NODES"),
])
def test_unknown_values_are_refused(variables, needle):
    with pytest.raises(SettingsError, match=needle):
        load_settings(variables)


def test_lists_and_numbers_are_parsed():
    settings = load_settings({"CRM_PORT": "8080", "CRM_CORS_ORIGINS": " https://a.test , ,https://b.test ",
                              "CRM_SESSION_IDLE_MINUTES": "30", "CRM_COOKIE_SECURE": "yes"})
    assert settings.port == 8080
    assert settings.public_url == "http://localhost:8080"
    assert settings.cors_origins == ("https://a.test", "https://b.test")
    assert settings.session_idle_minutes == 30
    assert settings.cookie_secure


def test_tests_run_with_test_settings():
    settings = get_settings()
    assert settings.env == "test"
    assert settings.secret_key != DEV_SECRET
    assert "data/clientela.db" not in settings.database_url


def test_env_fixture_changes_settings_for_one_test(env):
    assert env(CRM_LOGIN_WINDOW_MINUTES="5").login_window_minutes == 5
    assert get_settings().login_window_minutes == 5


def test_env_fixture_changes_do_not_leak():
    assert get_settings().login_window_minutes == 15


PG = "postgresql+psycopg://postgres@127.0.0.1:5432/clientela"


def test_several_nodes_refuse_sqlite():
    with pytest.raises(SettingsError, match="CRM_NODES=2 needs PostgreSQL"):
        load_settings({"CRM_NODES": "2", "CRM_REDIS_URL": "redis://127.0.0.1:6379/0"})


def test_several_nodes_refuse_state_kept_on_one_node():
    with pytest.raises(SettingsError, match="CRM_NODES=3 needs the tabs' state in Redis"):
        load_settings({"CRM_NODES": "3", "CRM_DATABASE_URL": PG})


def test_several_nodes_on_postgresql_and_redis():
    settings = load_settings({"CRM_NODES": "2", "CRM_DATABASE_URL": PG,
                              "CRM_REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert settings.nodes == 2 and settings.state_manager == "redis"


def test_production_logs_json_and_development_text():
    assert load_settings({}).log_format == "text"
    production = load_settings({"CRM_ENV": "production", "CRM_SECRET_KEY": GOOD_SECRET})
    assert production.log_format == "json"


def test_worker_in_app_reads_the_new_name_and_the_old_one():
    assert load_settings({"CRM_WORKER_IN_APP": "false"}).messaging.worker_in_app is False
    assert load_settings({"CRM_OUTBOX_IN_APP": "false"}).messaging.worker_in_app is False
    assert load_settings({}).messaging.worker_in_app is True

"""``python -m crm_app check-settings``: make prod and the systemd units run it first, so a refused
configuration is one clear line and exit code 2, before any process starts."""

from __future__ import annotations

import pytest

from crm_app.__main__ import main


def test_a_refused_configuration_says_why_and_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("CRM_NODES", "2")
    monkeypatch.setenv("CRM_DATABASE_URL", "sqlite:///data/x.db")
    with pytest.raises(SystemExit) as ended:
        main(["check-settings"])
    assert ended.value.code == 2
    assert "Clientela will not start: CRM_NODES=2 needs PostgreSQL" in capsys.readouterr().err


def test_a_good_configuration_is_summed_up(monkeypatch, capsys):
    monkeypatch.setenv("CRM_NODES", "2")
    monkeypatch.setenv("CRM_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/clientela")
    monkeypatch.setenv("CRM_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("CRM_STATE_MANAGER", "redis")
    main(["check-settings"])
    assert "PostgreSQL, state in redis, 2 node(s)" in capsys.readouterr().out

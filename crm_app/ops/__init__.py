"""Operator tooling: the one-machine production topology (``python -m crm_app.ops.prod``)."""

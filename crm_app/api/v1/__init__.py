"""The public REST API, version 1: ``/api/v1``, mounted under crm_app.api.build().

Its own FastAPI app, so its OpenAPI document (``/api/v1/openapi.json``) and docs page (``/api/v1/docs``)
describe the public API only, never the app's internal routes (session, files, imports).
"""

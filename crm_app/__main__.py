"""Operator commands: ``python -m crm_app <command>`` (see ``--help``).

They talk to the database named by CRM_DATABASE_URL, like the app, through the same services.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from crm_app.db import session_scope
from crm_app.domain.countries import COUNTRIES
from crm_app.domain.errors import ValidationFailed
from crm_app.i18n import LANGUAGES, error_text
from crm_app.services.organizations import AdminInput, OrganizationInput, add_admin, create_organization

DEMO_PASSWORD = "demo-clientela-2026"


def _password(args: argparse.Namespace) -> str:
    # Never require a password on the command line (shell history); env or prompt instead.
    if args.password_env and os.environ.get(args.password_env):
        return os.environ[args.password_env]
    if not sys.stdin.isatty():
        sys.exit(f"set the password in ${args.password_env} or run interactively")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        sys.exit("the passwords do not match")
    return first


def _fail(exc: ValidationFailed) -> None:
    for field, error in exc.errors.items():
        print(f"{field}: {error_text(error, 'en')}", file=sys.stderr)
    sys.exit(2)


def cmd_create_organization(args: argparse.Namespace) -> None:
    country = COUNTRIES.get(args.country.upper())
    org = OrganizationInput(
        name=args.name, country=args.country.upper(),
        currency=(args.currency or (country.currency if country else "")).upper(),
        language=args.language, timezone=args.timezone or (country.timezone if country else "UTC"),
    )
    admin = AdminInput(name=args.admin_name, email=args.admin_email, password=_password(args))
    try:
        with session_scope() as session:
            dto = create_organization(session=session, org=org, admin=admin)
    except ValidationFailed as exc:
        _fail(exc)
    print(f"organization {dto.id} '{dto.name}' created with admin {args.admin_email}")


def cmd_create_admin(args: argparse.Namespace) -> None:
    admin = AdminInput(name=args.name, email=args.email, password=_password(args))
    try:
        with session_scope() as session:
            user_id = add_admin(session=session, organization_id=args.organization_id, admin=admin)
    except ValidationFailed as exc:
        _fail(exc)
    print(f"admin {user_id} <{args.email}> added to organization {args.organization_id}")


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from crm_app.services.demo import seed_demo

    result = seed_demo(customers=args.customers, country=args.country.upper(), password=DEMO_PASSWORD,
                       sales=args.sales)
    for line in result:
        print(line)


def cmd_worker(args: argparse.Namespace) -> None:
    import signal
    import threading

    from crm_app import logs
    from crm_app.jobs import outbox, runner, webhook_delivery
    from crm_app.settings import get_settings

    logs.configure(get_settings())  # JSON lines in production, as the app nodes write
    log = logging.getLogger("crm_app.worker")
    stop = threading.Event()

    def stopping(signum: int, _frame: object) -> None:
        # Stop claiming; each loop finishes the message (webhook, job) in hand and gives back the rest
        # of its batch, then the process exits 0. A kill -9 instead leaves the rest to the leases.
        log.info("worker received %s: finishing the work in hand, then exiting", signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stopping)
    # Messages and webhooks in a thread each, background jobs (imports) in this one: a long import never
    # delays a message, and a receiver that keeps timing out never delays an e-mail.
    loops = [threading.Thread(target=outbox.run_forever, args=(stop,), name="outbox-worker"),
             threading.Thread(target=webhook_delivery.run_forever, args=(stop,), name="webhook-worker")]
    for loop in loops:
        loop.start()
    runner.run_forever(stop)
    for loop in loops:
        loop.join()
    log.info("worker stopped")


def cmd_check_settings(args: argparse.Namespace) -> None:
    """Refuse, with the reason and exit code 2, what production must not start with (make prod and the
    systemd units run this before any process starts, so the operator reads one line, not a traceback)."""
    from crm_app.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except (SettingsError, ValueError) as exc:
        print(f"Clientela will not start: {exc}", file=sys.stderr)
        sys.exit(2)
    backend = "SQLite" if settings.is_sqlite else "PostgreSQL"
    print(f"settings OK: {settings.env}, {backend}, state in {settings.state_manager}, "
          f"{settings.nodes} node(s)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crm_app", description="Clientela operator commands")
    sub = parser.add_subparsers(dest="command", required=True)

    org = sub.add_parser("create-organization", help="create another organization with its first admin")
    org.add_argument("--name", required=True)
    org.add_argument("--country", required=True, help="ISO code: " + ", ".join(sorted(COUNTRIES)))
    org.add_argument("--currency", help="ISO 4217 code (default: the country's)")
    # Without --language the organization gets its country's (Portuguese in Brazil, else Spanish).
    org.add_argument("--language", default="", choices=["", *LANGUAGES])
    org.add_argument("--timezone", help="IANA zone (default: the country's)")
    org.add_argument("--admin-name", required=True)
    org.add_argument("--admin-email", required=True)
    org.add_argument("--password-env", default="CRM_ADMIN_PASSWORD",
                     help="environment variable holding the password (else prompted)")
    org.set_defaults(func=cmd_create_organization)

    adm = sub.add_parser("create-admin", help="add an admin to an existing organization")
    adm.add_argument("--organization-id", type=int, required=True)
    adm.add_argument("--name", required=True)
    adm.add_argument("--email", required=True)
    adm.add_argument("--password-env", default="CRM_ADMIN_PASSWORD")
    adm.set_defaults(func=cmd_create_admin)

    demo = sub.add_parser("seed-demo", help="a demo organization with users (and customers)")
    demo.add_argument("--customers", type=int, default=0, help="how many demo customers to add")
    demo.add_argument("--sales", type=int, default=0,
                      help="how many demo sales to add among the customers (and a tenth as many work orders)")
    demo.add_argument("--country", default="EC")
    demo.set_defaults(func=cmd_seed_demo)

    worker = sub.add_parser(
        "worker",
        help="deliver queued messages (e-mail, SMS, WhatsApp) and webhooks; run background jobs (imports)")
    worker.set_defaults(func=cmd_worker)

    check = sub.add_parser("check-settings", help="check the environment's settings; exit 2 with the reason")
    check.set_defaults(func=cmd_check_settings)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()

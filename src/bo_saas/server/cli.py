"""The ``bo-saas`` command line."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

import click

from bo_saas.lib.settings import PROJECT_ROOT, Settings, SettingsError, load_settings


def _settings(*, start_embedded: bool = True) -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    if start_embedded and settings.uses_embedded_services:
        from bo_saas.lib.embedded import export_to_environment, with_embedded_services

        click.echo(f"using embedded PostgreSQL and Redis under {settings.data_dir}", err=True)
        settings = with_embedded_services(settings)
        export_to_environment(settings)
    return settings


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    # SIGTERM's default action ends Python on the spot, skipping `finally` blocks and exit hooks: the
    # embedded servers and the demo's worker would outlive the process. Exiting normally runs them.
    raise SystemExit(128 + signum)


@click.group()
def main() -> None:
    """bo-saas: back-office work for many client companies, one platform."""
    from bo_saas.server.registry import load

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    load()  # every command runs with the domains' hooks in place


@main.command()
def migrate() -> None:
    """Create the database if needed, apply migrations, set up the runtime role."""
    from bo_saas.lib.migrate import MigrationError
    from bo_saas.lib.migrate import migrate as run_migrations

    try:
        run_migrations(_settings(), echo=click.echo)
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--host", default=None, help="address to bind (default BO_HOST)")
@click.option("--port", default=None, type=int, help="port (default BO_PORT)")
@click.option("--workers", default=1, show_default=True, help="server processes")
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Run the HTTP API."""
    import uvicorn

    settings = _settings()
    uvicorn.run(
        "bo_saas.server.app:app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="warning",
        access_log=False,
        # The app believes X-Forwarded-For only from BO_TRUSTED_PROXIES (server/client_address.py).
        proxy_headers=False,
    )


@main.command()
@click.option("--processes", default=1, show_default=True)
@click.option("--threads", default=4, show_default=True)
def worker(processes: int, threads: int) -> None:
    """Run the background job worker (dramatiq)."""
    from bo_saas.server.worker import run_worker

    sys.exit(run_worker(_settings(), processes=processes, threads=threads))


@main.command()
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="file (default: stdout)")
def openapi(output: Path | None) -> None:
    """Write the OpenAPI document (what the frontend's typed client is generated from)."""
    from bo_saas.server.openapi_document import offline_app, openapi_document, render

    text = render(openapi_document(offline_app()))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.group()
def tenants() -> None:
    """Tenant manifests: onboarding as reviewed files."""


@tenants.command("apply")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def tenants_apply(path: Path) -> None:
    """Create or update tenants from a manifest file or a folder of *.toml (idempotent)."""
    from bo_saas.server.registry import load
    from bo_saas.tenancy.manifests import apply_command

    sys.exit(apply_command(_settings(), path, load().manifest_sections, click.echo))


@tenants.command("export")
@click.argument("slug")
def tenants_export(slug: str) -> None:
    """Print a tenant's manifest as it stands."""
    from bo_saas.server.registry import load
    from bo_saas.tenancy.manifest_sections import ManifestError
    from bo_saas.tenancy.manifests import export_command

    try:
        click.echo(export_command(_settings(), slug, load().manifest_sections), nl=False)
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from None


@main.group()
def plans() -> None:
    """Plan files: prices as reviewed files."""


@plans.command("apply")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def plans_apply(path: Path) -> None:
    """Apply plan files (a file or a folder of *.toml): a changed plan gets a new version (idempotent)."""
    from bo_saas.billing.plan_apply import apply_command
    from bo_saas.server.registry import load

    sys.exit(apply_command(_settings(), path, {meter.code: meter for meter in load().meters}, click.echo))


@main.group()
def billing() -> None:
    """Invoices: billing runs and usage checks."""


@billing.command("run")
@click.option("--period", default=None, help="YYYY-MM (default: the last month ended in every time zone)")
@click.option("--tenant", "tenant_slug", default=None, help="bill only this tenant (its slug)")
@click.option("--dry-run", is_flag=True, help="compute every invoice, write none")
def billing_run(period: str | None, tenant_slug: str | None, dry_run: bool) -> None:
    """Make (or recompute) each tenant's draft invoice for an ended period; a rerun makes no invoice twice."""
    from bo_saas.billing.errors import BillingRunRefused
    from bo_saas.billing.run_command import run_command

    try:
        sys.exit(run_command(_settings(), period, tenant_slug, dry_run, click.echo))
    except BillingRunRefused as exc:
        raise click.ClickException(exc.message) from None


@billing.command("check")
@click.option("--period", default=None, help="YYYY-MM (default: the last month ended in every time zone)")
@click.option("--tenant", "tenant_slug", default=None, help="check only this tenant (its slug)")
def billing_check(period: str | None, tenant_slug: str | None) -> None:
    """Compare done work with recorded usage per tenant and meter; list every difference (exit 1 if any)."""
    from bo_saas.billing.check_command import check_command
    from bo_saas.billing.errors import BillingRunRefused

    try:
        sys.exit(check_command(_settings(), period, tenant_slug, click.echo))
    except (BillingRunRefused, ValueError) as exc:
        raise click.ClickException(str(getattr(exc, "message", exc))) from None


@main.group()
def staff() -> None:
    """Provider staff."""


@staff.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["provider_admin", "provider_agent"]), required=True)
@click.option("--name", default=None, help="display name (default: the email's local part)")
@click.option("--skills", default="", help="comma-separated skill codes, e.g. data_entry,support")
@click.option("--tenants", "tenant_slugs", default="", help="comma-separated tenant slugs to assign")
@click.option("--capacity", default=5, show_default=True, type=click.IntRange(0, 1000))
def staff_add(email: str, role: str, name: str | None, skills: str, tenant_slugs: str, capacity: int) -> None:
    """Add a staff member; the password is read from standard input."""
    from bo_saas.identity.staff_cli import StaffCliError, add_staff

    password = (
        sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty()
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        message = asyncio.run(
            add_staff(
                _settings(),
                email=email,
                role=role,
                name=name,
                password=password,
                skills=[s for s in skills.split(",") if s],
                tenant_slugs=[t for t in tenant_slugs.split(",") if t],
                capacity=capacity,
            )
        )
    except StaffCliError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(message)


@main.group()
def hr() -> None:
    """The HR desk's personal data keys."""


@hr.command("rotate-keys")
def hr_rotate_keys() -> None:
    """Reseal every employee's personal data with the first key of BO_HR_KEYS (then the old key can go)."""
    from bo_saas.hr.crypto import SealedDataError
    from bo_saas.hr.rotate_command import rotate_command

    try:
        sys.exit(rotate_command(_settings(), click.echo))
    except SealedDataError as exc:
        raise click.ClickException(f"{exc}; put the key back in BO_HR_KEYS (after the new one) and run again") from None


@main.group()
def mail() -> None:
    """The Support desk's inbound mail."""


@mail.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to bind")
@click.option("--port", default=2525, show_default=True, type=click.IntRange(1, 65535), help="port")
def mail_serve(host: str, port: int) -> None:
    """Run the SMTP listener: mail to a support channel's address becomes a ticket. SIGTERM/Ctrl-C stop it."""
    from bo_saas.lib.broker import setup_broker
    from bo_saas.server.observability import configure_logging
    from bo_saas.support.smtp_listener import serve as serve_mail

    settings = _settings()
    configure_logging(settings)
    setup_broker(settings.redis_url)  # the ingest's jobs (acknowledgements, notices) go out through the outbox
    asyncio.run(serve_mail(settings, host=host, port=port))


@main.command()
@click.option("--port", default=None, type=int, help="port (default BO_PORT)")
def demo(port: int | None) -> None:
    """Everything in one go: embedded services if needed, migrations, demo tenants, staff and requests, worker and API.

    Ctrl-C or SIGTERM stops all of it: the API, the worker, and the embedded servers (at exit).
    """
    from bo_saas.billing.plan_apply import apply_command as apply_plans
    from bo_saas.identity.staff_cli import ensure_demo_staff
    from bo_saas.lib.migrate import migrate as run_migrations
    from bo_saas.server.demo import add_sample_requests, banner
    from bo_saas.server.registry import load
    from bo_saas.tenancy.manifests import apply_command

    settings = _settings()
    run_migrations(settings, echo=click.echo)
    # Plans first: a tenant's subscription starts on its plan's latest version.
    meters = {meter.code: meter for meter in load().meters}
    if apply_plans(settings, PROJECT_ROOT / "plans", meters, click.echo) != 0:
        raise click.ClickException("the plan files were rejected")
    manifests = PROJECT_ROOT / "tenants"
    if apply_command(settings, manifests, load().manifest_sections, click.echo) != 0:
        raise click.ClickException("the demo tenant manifests were rejected")
    for line in [*asyncio.run(ensure_demo_staff(settings)), *add_sample_requests(settings)]:
        click.echo(line)
    port = port or settings.port
    worker_process = subprocess.Popen([sys.executable, "-m", "bo_saas.server.cli", "worker"])
    try:
        click.echo(banner(f"http://{settings.host}:{port}", manifests.glob("*.toml")))
        serve.callback(host=None, port=port, workers=1)
    finally:
        _stop(worker_process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM, then a bounded wait; the worker forwards it to dramatiq, which finishes its jobs in hand."""
    import psutil

    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        # dramatiq runs in a session of its own (server/worker.py): kill its processes too, not just ours.
        for stuck in [*psutil.Process(process.pid).children(recursive=True), psutil.Process(process.pid)]:
            stuck.kill()
        process.wait()


if __name__ == "__main__":
    main()

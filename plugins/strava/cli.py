"""``momentum strava …``: connect, subscriptions, backfill, status, disconnect.

Registered through the plugin's ``momentum_cli`` hook. Each command opens the local
coach in ``--home`` (SQLite, settings from ``momentum.toml`` and the environment).
"""

from __future__ import annotations

import typer

from momentum.cli import ATHLETE_HELP, athlete_of, fail, local_coach
from momentum.plugins.strava.settings import strava_settings


def register(cli: typer.Typer) -> None:
    """Add the ``strava`` command group to the root CLI."""
    strava = typer.Typer(help="Strava: connect, webhooks and backfill.", no_args_is_help=True)

    @strava.command("connect")
    def connect_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        port: int = typer.Option(8725, help="Local port for Strava's redirect (127.0.0.1)."),
        browser: bool = typer.Option(True, "--browser/--no-browser", help="Open the page."),
        timeout: float = typer.Option(300.0, help="Seconds to wait for the redirect."),
    ) -> None:
        """Authorize Momentum on Strava (OAuth) and store the tokens."""
        from momentum.plugins.strava.oauth import connect, describe

        with local_coach(ctx) as app:
            token = connect(
                app,
                athlete_of(app, athlete),
                port=port,
                open_browser=browser,
                timeout=timeout,
                announce=typer.echo,
            )
            typer.echo(f"Connected: {describe(token, app.clock.now())}")

    @strava.command("status")
    def status_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
    ) -> None:
        """Show the Strava connection (never the tokens) and the subscription in use."""
        from momentum.plugins.strava.oauth import describe, status_json
        from momentum.plugins.strava.tokens import PROVIDER

        with local_coach(ctx) as app:
            athlete_id = athlete_of(app, athlete)
            token = app.storage.get_token(athlete_id, PROVIDER)
            if as_json:
                import json

                subscription = strava_settings(app.settings).subscription_id or None
                status = status_json(athlete_id, token, subscription, app.clock.now())
                typer.echo(json.dumps(status))
                return
            if token is None:
                typer.echo(f"{athlete_id}: not connected (run: momentum strava connect)")
            else:
                typer.echo(f"{athlete_id}: {describe(token, app.clock.now())}")
            sub = strava_settings(app.settings).subscription_id or "none configured"
            typer.echo(f"webhook subscription: {sub}")

    @strava.command("subscribe")
    def subscribe_cmd(
        ctx: typer.Context,
        callback_url: str = typer.Argument(
            ..., help="Public URL of the coach (…/strava/webhook is added if missing)."
        ),
    ) -> None:
        """Create the webhook subscription (the coach must be reachable at the URL)."""
        from momentum.plugins.strava.source import WEBHOOK_PATH
        from momentum.plugins.strava.subscriptions import remember, subscribe

        url = callback_url.rstrip("/")
        if not url.endswith(WEBHOOK_PATH):
            url += WEBHOOK_PATH
        with local_coach(ctx) as app:
            sub_id = subscribe(strava_settings(app.settings), url)
            path = remember(app.settings.home, sub_id)
            typer.echo(f"Subscribed: id {sub_id} → {url} (saved to {path})")

    @strava.command("subscriptions")
    def subscriptions_cmd(ctx: typer.Context) -> None:
        """List the application's webhook subscriptions."""
        from momentum.plugins.strava.subscriptions import list_subscriptions

        with local_coach(ctx) as app:
            found = list_subscriptions(strava_settings(app.settings))
            if not found:
                typer.echo("No subscriptions.")
            for sub in found:
                typer.echo(f"{sub.id}\t{sub.callback_url}\t{sub.created_at}")

    @strava.command("unsubscribe")
    def unsubscribe_cmd(
        ctx: typer.Context,
        subscription_id: int = typer.Argument(None, help="Which one (default: the only one)."),
    ) -> None:
        """Delete a webhook subscription."""
        from momentum.plugins.strava.subscriptions import list_subscriptions, remember, unsubscribe

        with local_coach(ctx) as app:
            settings = strava_settings(app.settings)
            if subscription_id is None:
                found = list_subscriptions(settings)
                if len(found) != 1:
                    raise fail(f"{len(found)} subscriptions; say which id to delete")
                subscription_id = found[0].id
            unsubscribe(settings, subscription_id)
            if settings.subscription_id in ("", str(subscription_id)):
                remember(app.settings.home, None)
            typer.echo(f"Unsubscribed {subscription_id}.")

    @strava.command("backfill")
    def backfill_cmd(
        ctx: typer.Context,
        weeks: int = typer.Option(8, "--weeks", min=1, help="How many weeks back."),
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        refetch: bool = typer.Option(False, help="Import activities already stored again."),
    ) -> None:
        """Import past Strava activities (no reviews are sent for them)."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from momentum.plugins.strava.backfill import backfill

        with local_coach(ctx) as app:
            columns = (TextColumn("{task.description:<44}"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, transient=False) as progress:
                task = progress.add_task("Listing Strava activities…", total=None)

                def on_start(total: int) -> None:
                    progress.update(task, total=total, description="Importing")

                def on_item(label: str) -> None:
                    progress.update(task, advance=1, description=label[:44])

                def on_wait(seconds: float, which: str) -> None:
                    progress.update(
                        task, description=f"Waiting {seconds:.0f} s (Strava {which} limit)"
                    )

                report = backfill(
                    app,
                    athlete_of(app, athlete),
                    weeks,
                    refetch=refetch,
                    on_start=on_start,
                    on_item=on_item,
                    on_wait=on_wait,
                )
            typer.echo(
                f"{report.imported} imported, {report.skipped} already stored, "
                f"{len(report.failed)} failed (of {report.found} in {weeks} weeks)"
            )
            for activity_id, reason in report.failed:
                typer.echo(f"  {activity_id}: {reason}")
            if report.stopped:
                typer.echo(report.stopped)

    @strava.command("disconnect")
    def disconnect_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        yes: bool = typer.Option(False, "--yes", help="Don't ask."),
    ) -> None:
        """Revoke Momentum's Strava access and delete the activities that came from it."""
        from momentum.plugins.strava.api import make_client
        from momentum.plugins.strava.sync import delete_strava_data, keeper_for

        with local_coach(ctx) as app:
            athlete_id = athlete_of(app, athlete)
            if not yes:
                typer.confirm(f"Delete {athlete_id}'s Strava activities and tokens?", abort=True)
            try:
                token = keeper_for(app).valid_token(athlete_id)
                make_client(
                    strava_settings(app.settings), access_token=token.access_token
                ).deauthorize()
            except Exception as exc:  # already revoked on Strava's side: still clean up here
                typer.echo(f"(Strava did not confirm the revocation: {exc})")
            deleted = delete_strava_data(app, athlete_id)
            typer.echo(f"Disconnected; deleted {deleted} Strava activities and the tokens.")

    cli.add_typer(strava, name="strava")

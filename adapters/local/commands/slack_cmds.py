"""``momentum slack …``: set up the Slack app the coach talks through."""

from __future__ import annotations

import typer


def register(cli: typer.Typer) -> None:
    """Add ``momentum slack manifest`` to the root CLI."""
    slack = typer.Typer(help="Slack: create the app the coach talks through.", no_args_is_help=True)

    @slack.command("manifest")
    def manifest(
        url: str = typer.Option(
            None,
            "--url",
            help="The coach's public base URL (HTTP mode: Slack posts to <url>/slack/events). "
            "Leave out for Socket Mode.",
        ),
        socket_mode: bool = typer.Option(
            None,
            "--socket-mode/--http",
            help="Force Socket Mode or HTTP (default: Socket Mode unless --url is given).",
            show_default=False,
        ),
        name: str = typer.Option("Momentum", "--name", help="The app's name in Slack."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of YAML."),
    ) -> None:
        """Print a Slack app manifest with exactly the scopes the coach needs."""
        from momentum.adapters.slack.manifest import build_manifest, to_json, to_yaml

        try:
            data = build_manifest(name=name, url=url, socket_mode=socket_mode)
        except ValueError as exc:
            raise typer.BadParameter(f"{exc}: pass --url https://…") from exc
        typer.echo(to_json(data) if as_json else to_yaml(data), nl=False)

    cli.add_typer(slack, name="slack")

"""Hook specifications. Every hook is documented with a short example;
``docs/hooks.md`` is generated from these docstrings (``python -m momentum.core.plugins.docs``)
and ``tests/unit/test_hooks_doc.py`` fails when a hook lacks either, or the file is stale."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from momentum.core.dashboard.registry import DashboardExtension
    from momentum.core.plugins.types import (
        ChatPlatform,
        DataSource,
        Domain,
        FileImporter,
        ModelProvider,
        Readiness,
        Tool,
    )
    from momentum.core.ports.scheduler import RecurringJob

hookspec = pluggy.HookspecMarker("momentum")


@hookspec
def momentum_data_sources() -> list[DataSource]:
    """Return the data sources this plugin provides (an activity service, a ring, files).

    A source that also satisfies ``WebhookSource`` gets its ``webhook_path`` routed to it
    by every adapter: its ``handle_webhook(app, request)`` verifies the request, defers the
    slow half with ``app.scheduler.defer(DeferredJob(...))`` and answers at once.

    Example::

        class Oura:
            name = "oura"
            description = "sleep and readiness from the Oura ring"
            webhook_path = "/oura/webhook"

            def handle_webhook(self, app, request):
                app.scheduler.defer(DeferredJob("oura.fetch", {"body": request.body.decode()}))
                return HttpResponse.text(200, "ok")


        @hookimpl
        def momentum_data_sources():
            return [Oura()]
    """
    raise NotImplementedError


@hookspec
def momentum_file_importers() -> list[FileImporter]:
    """Return file importers; ``momentum import`` picks one by file suffix.

    ``read(path, athlete)`` returns activity records, or raises ``InputError`` naming the
    file and what was wrong.

    Example::

        class CsvImporter:
            name = "laps-csv"
            extensions = (".laps.csv",)

            def read(self, path, athlete):
                return [parse_row(row, athlete) for row in rows_of(path)]


        @hookimpl
        def momentum_file_importers():
            return [CsvImporter()]
    """
    raise NotImplementedError


@hookspec
def momentum_domains() -> list[Domain]:
    """Return the coaching domains this plugin provides (running, sleep, meals), each with
    its recurring jobs, a folder of prompt templates and its part of each message of the
    coach loop.

    Core's loop asks every domain for a ``Brief`` at the morning check-in
    (``Domain.checkin``), the Monday plan (``weekly_plan``) and the Sunday weekly review
    (``weekly_review``), each ``(app, athlete_id, local_date) -> Brief | None``, and joins
    them into ONE message: alerts first and verbatim, one model call for the words over all
    facts, each domain's lines under its title, then the first next step. The tone is
    decided once: the state of the domain the athlete is furthest behind on (the largest
    ``missed_days``, read through that brief's own ``state`` when it brings one; ties go to
    the leading domain). A domain with any of these steps gets the loop's jobs
    (``checkin`` Tue–Sun 6 am, ``monday_plan`` Mon 6 am, ``weekly_refresh`` Sun 9 pm)
    without declaring them. ``screen(text)`` returns a safety message decided by code for
    untrusted words (chat) before any model; ``simulate(app, athlete_id, start, end)`` fills
    one person's records offline for ``momentum demo --domain NAME``. A domain with a
    ``writer(app, Wording) -> (words, model)`` writes the loop's words with its own prompts
    and leads the message (running). A domain that holds the conversation itself
    (running: chat tools, run reviews) sets ``engine`` (the app's coach) and ``composer``
    (the offline last link of the model chain); its check-in, plan and review still go
    through the loop.

    Example::

        from momentum import Brief, Domain, hookimpl
        from momentum.core import observations


        def checkin(app, athlete_id, day):
            night = observations.read(app.storage, athlete_id, "oura", "sleep", day)
            if night is None:
                return None  # nothing to say: the message goes out without this domain
            hours = night.values["total_sleep_duration"] / 3600
            return Brief(
                "sleep",
                "Sleep",
                facts={"slept": f"{hours:.1f} h last night"},
                lines=(f"Last night: {hours:.1f} h",),
                next_step="Lights out by 22:45",
                missed_days=0 if hours >= 7 else 1,
            )


        @hookimpl
        def momentum_domains():
            prompts = Path(__file__).parent / "prompts"
            return [Domain("sleep", "A sleep coach", checkin=checkin, prompt_dir=prompts)]
    """
    raise NotImplementedError


@hookspec
def momentum_tools() -> list[Tool]:
    """Return tools the model may call from chat. Each tool runs bound to one athlete
    (``ToolContext``) and must touch only that athlete's records.

    Example::

        def bedtime(ctx, args):
            return f"{ctx.athlete_id}: aim for lights out at {args.get('time', '22:30')}"


        @hookimpl
        def momentum_tools():
            spec = ToolSpec("bedtime", "Suggest a bedtime", {"type": "object"})
            return [Tool(spec, bedtime)]
    """
    raise NotImplementedError


@hookspec
def momentum_scheduled_jobs() -> list[RecurringJob]:
    """Return recurring jobs (local-time, once per local day) this plugin adds, besides its
    domains'. A job carries its own ``run(app, athlete_id, local_date)``; the tick of every
    target (``momentum serve``, the clouds) runs it when it is due in the athlete's zone.

    Example::

        def wind_down(app, athlete_id, local_date):
            athlete = app.storage.get_athlete(athlete_id)
            app.chat.direct_message(athlete.chat_user_id, "Screens off in 30 minutes.")


        @hookimpl
        def momentum_scheduled_jobs():
            return [RecurringJob("wind_down", hour=21, minute=30, run=wind_down)]
    """
    raise NotImplementedError


@hookspec
def momentum_readiness(app: Any, athlete_id: str, day: Any) -> Readiness | None:
    """Return the athlete's ``Readiness`` on local date ``day`` from this plugin's data
    (``None`` when it has none). The morning check-in adds its ``facts`` to the day's
    facts, and when one asks to ``soften`` it, today's session is softened before the
    message is written and the message says ``reason`` in one line. Read stored data
    only (no network): the check-in must not wait on a source.

    Example::

        @hookimpl
        def momentum_readiness(app, athlete_id, day):
            night = my_nights(app, athlete_id).get(day)
            if night is None:
                return None
            short = night.hours < 6
            return Readiness(
                "ring",
                facts={"sleep": f"{night.hours:.1f} h"},
                soften=short,
                reason=f"you slept {night.hours:.1f} h" if short else "",
            )
    """
    raise NotImplementedError


@hookspec
def momentum_activity_stored(app: Any, activity: Any) -> None:
    """A data source has just stored ``activity`` (an ``Activity``, new or imported
    again); called before the coach reviews it. A source that keeps its own record of the
    same session (a Peloton class that another source also delivered) folds it in here, so the
    athlete keeps one activity and one review. Store through ``app.storage``; return
    nothing. An implementation that raises is logged, not disabled: the activity stays.

    Example::

        @hookimpl
        def momentum_activity_stored(app, activity):
            if activity.source != "treadmill":
                fold_my_copy_into(app, activity)
    """
    raise NotImplementedError


@hookspec
def momentum_deferred_handlers() -> dict[str, Any]:
    """Return ``{kind: handler(app, job)}`` for deferred jobs this plugin queues, so the
    second half of "ack now, work later" runs on every cloud.

    Example::

        def fetch(app, job):
            app.storage.put_activity(download(job.payload["id"]))


        @hookimpl
        def momentum_deferred_handlers():
            return {"oura.fetch": fetch}
    """
    raise NotImplementedError


@hookspec
def momentum_chat_platforms() -> list[ChatPlatform]:
    """Return the chat platforms this plugin provides (Slack, Teams). The coach speaks
    through the one chosen by ``chat`` in ``momentum.toml`` (or the first whose
    credentials are set); a platform that can verify requests gets its routes installed.
    Import the platform's SDK inside the callables, never at registration.

    Example::

        @hookimpl
        def momentum_chat_platforms():
            return [
                ChatPlatform(
                    "teams",
                    build_chat=lambda settings: TeamsChat(teams_settings(settings)),
                    can_post=lambda settings: bool(teams_settings(settings).app_password),
                    receives=lambda settings: bool(teams_settings(settings).app_password),
                    install=install_routes,  # app.routes["/teams/messages"] = ...
                )
            ]
    """
    raise NotImplementedError


@hookspec
def momentum_model_providers() -> list[ModelProvider]:
    """Return model providers. ``[model] provider`` in ``momentum.toml`` picks one; its
    ``build(model_settings, model_id)`` is called for ``[model] model`` and each of the
    ``fallbacks``, and the offline composer always comes last.

    Example::

        @hookimpl
        def momentum_model_providers():
            return [
                ModelProvider(
                    "openrouter",
                    build=lambda settings, model: OpenRouterModel(settings.api_key.reveal(), model),
                    env={"api_key": "OPENROUTER_API_KEY"},
                )
            ]
    """
    raise NotImplementedError


@hookspec
def momentum_settings() -> dict[str, type[Any]]:
    """Return ``{section: schema}``: the typed settings this plugin reads from its own
    ``[section]`` of ``momentum.toml``. A schema is a frozen dataclass; an ``ENV`` class
    attribute maps fields to environment variables (default ``MOMENTUM_<SECTION>_<FIELD>``),
    and ``Secret`` fields may also come through the Secrets port. The whole file is
    validated at start; read the values with ``app.settings.section(section, schema)``.

    Example::

        @dataclass(frozen=True)
        class OuraSettings:
            ENV: ClassVar[dict[str, str]] = {"token": "OURA_TOKEN"}
            token: Secret = field(default_factory=lambda: Secret(""))
            days_back: int = 14


        @hookimpl
        def momentum_settings():
            return {"oura": OuraSettings}
    """
    raise NotImplementedError


@hookspec
def momentum_dashboard() -> list[DashboardExtension]:
    """Return what this plugin adds to the dashboard: sections on the Overview (figures and
    charts built from the athlete's stored data) and pages of its own. Build from stored
    data only; every number comes from the plugin's own analytics, the page only draws.

    Example::

        @hookimpl
        def momentum_dashboard():
            return [
                DashboardExtension(
                    "meals",
                    sections=(DashboardSection("meals", intake_model, intake_charts),),
                    pages=(DashboardPage("meals", "Meals", meals_model, meals_charts, "meals.j2"),),
                    templates=Path(__file__).parent / "templates",
                )
            ]
    """
    raise NotImplementedError


@hookspec
def momentum_cli(cli: Any) -> None:
    """Add commands to the ``momentum`` CLI; ``cli`` is the root ``typer.Typer``.
    ``momentum.cli`` opens the local coach in ``--home`` for a command (``local_coach``)
    and turns errors into the CLI's one-line ``error: …``.

    Example::

        @hookimpl
        def momentum_cli(cli):
            @cli.command("oura-sync")
            def oura_sync(ctx: typer.Context):
                with local_coach(ctx) as app:
                    print(sync(app, athlete_of(app, None)))
    """
    raise NotImplementedError

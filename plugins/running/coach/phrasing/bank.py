"""The phrase bank: per slot, per coaching style, sentence patterns with preconditions.

Styles differ in their words, not in their facts: *encouraging* is warm, *analytical*
leads with the data and the reason, *tough love* is short and direct. ``any`` phrases are
shared by every style. See :mod:`momentum.plugins.running.coach.phrasing` for the pattern syntax.
"""

from __future__ import annotations

from momentum.plugins.running.coach.phrasing import Facts, Phrase


def _runs(facts: Facts) -> int:
    try:
        return int(facts.get("runs_done", "0") or 0)
    except ValueError:
        return 0


def many_runs(facts: Facts) -> bool:
    """Two or more runs banked this week (what "momentum is real" claims)."""
    return _runs(facts) >= 2


def one_run(facts: Facts) -> bool:
    """Exactly one run banked this week."""
    return _runs(facts) == 1


def no_runs(facts: Facts) -> bool:
    """Nothing banked yet this week."""
    return _runs(facts) == 0


def thriving(facts: Facts) -> bool:
    """The state is thriving."""
    return facts.get("state") == "thriving"


def easy_run(facts: Facts) -> bool:
    """The run was aerobic by its zones (what "aerobic brick" claims)."""
    return facts.get("run_type", "easy") in ("easy", "recovery")


def no_show(facts: Facts) -> bool:
    """No treadmill show is known."""
    return not facts.get("show")


_LOW_ACTIONS = (
    "[pick one show you'll only let yourself watch on the treadmill|"
    "text a friend and ask who's up for an easy walk this week|"
    "build a short list of three routes you'd actually enjoy|"
    "choose a new show to save for treadmill time|"
    "ask a friend to join you for a walk this weekend|"
    "map out one new route you'd like to explore]"
)
_LOW_SHOW = (
    "[line up the next episode of {show} and save it for the treadmill|"
    "keep {show} for the treadmill only|queue {show} where the treadmill can see it]"
)
_LOW_QUESTIONS = (
    "[what would make getting started feel easy again|"
    "what's been taking up your energy lately|"
    "what kind of movement sounds good right now|"
    "what would a really small first step look like|"
    "which day this week looks least crowded|"
    "what would help most this week]?"
)
_FRAGILE_ASK = (
    "[anything going on this week, or just the usual crush|what's been getting in the way|"
    "is something up, or just a busy stretch|what's the week been like|"
    "anything I should know about|how's life outside running]?"
)
_FRAGILE_SMALL = (
    "[even 15 easy minutes counts|a 20-minute walk-jog is plenty|"
    "shoes on and one easy loop is a win|ten minutes out the door is enough|"
    "an easy jog around the block counts|a short, easy shuffle does the job]."
)
_STEPS = (
    "[lay the kit out now so the only decision left is the door|"
    "pick the time slot now and put it in the calendar|"
    "start with ten easy minutes; the rest usually follows|"
    "set a reminder for when you'll start|"
    "decide the route now so there's nothing to think about later|"
    "eat something light two hours before and go|"
    "tell someone when you're going; it makes it real|"
    "keep the first ten minutes slower than feels necessary]."
)
_REST = (
    "[an easy walk and an early night count as training|"
    "let the legs soak up the work; a short walk is plenty|"
    "sleep and food are the session today|"
    "rest is where the fitness lands]"
)

_GREETINGS = (
    "[Good to see you this morning|New day, same plan|Morning|Hello again|Here we go again|"
    "Fresh start today|Rise and shine|Another morning, another step]"
)
_TALLIES = "[Week so far|Running count|Log check|Tally|Status|Progress|Checkpoint|Count]"
_PUSHES = (
    "[now don't coast|keep it rolling|don't get comfortable|no letting up|that's the standard|"
    "good, now more of it|hold that line|no slacking now]"
)

_LOW_LEADS = {
    "encouraging": (
        "No training talk this morning",
        "Let's leave workouts out of it today",
        "Let's not talk workouts today",
        "Forget training for a moment",
        "No workout on the menu today",
        "Training can wait this morning",
    ),
    "analytical": (
        "The lowest-friction restart isn't a workout",
        "Restarts stick when step one isn't training",
        "One input today, and it isn't a workout",
        "Habit research says a cue before a workout",
        "Skip the training metrics today",
        "Today's variable isn't training load",
    ),
    "tough_love": (
        "No workout today, but no dodging either",
        "Forget the training plan for today",
        "You don't need a workout, you need a start",
        "No training talk, just one job",
        "Workouts later; first this",
        "Training can wait; this can't",
    ),
}
"""Low-state openers: each says "no workout/training" (the talk's motivation prime)."""

BANK: dict[str, dict[str, tuple[Phrase, ...]]] = {
    # -- check-in, low: a motivation prime, then one gentle question --------------------
    "checkin.low.prime": {
        style: (
            Phrase("[" + "|".join(leads) + "]: " + _LOW_ACTIONS + ".", no_show),
            Phrase("[" + "|".join(leads) + "]: " + _LOW_SHOW + "."),
        )
        for style, leads in _LOW_LEADS.items()
    },
    "checkin.low.question": {
        "encouraging": (
            Phrase(
                "[Tell me|Honest question|Curious|When you're ready|Quick one|Gently]: "
                + _LOW_QUESTIONS
            ),
        ),
        "analytical": (
            Phrase(
                "[Useful data point|To plan around it|One variable to check|For the next plan|"
                "To size the restart|So I can adjust]: " + _LOW_QUESTIONS
            ),
        ),
        "tough_love": (
            Phrase(
                "[Be straight with me|Answer this|No dodging|Level with me|Simple question|"
                "Real talk]: " + _LOW_QUESTIONS
            ),
        ),
    },
    # -- check-in, fragile: name the gap, one open question, one small step -------------
    "checkin.fragile.gap": {
        "encouraging": (
            Phrase("No runs since {last_run_day}, {athlete}: " + _FRAGILE_ASK),
            Phrase("[Quiet since {last_run_day}|Nothing since {last_run_day}]: " + _FRAGILE_ASK),
            Phrase("It's been a few quiet days, {athlete}: " + _FRAGILE_ASK),
        ),
        "analytical": (
            Phrase("Last run: {last_run_day}, {athlete}; " + _FRAGILE_ASK),
            Phrase(
                "[No runs logged since {last_run_day}|The log stops at {last_run_day}]: "
                + _FRAGILE_ASK
            ),
            Phrase("A few days without data, {athlete}: " + _FRAGILE_ASK),
        ),
        "tough_love": (
            Phrase("No runs since {last_run_day}, {athlete}, so " + _FRAGILE_ASK),
            Phrase(
                "[{last_run_day} was the last run|Nothing since {last_run_day}]: " + _FRAGILE_ASK
            ),
            Phrase("A few days off the rails, {athlete}: " + _FRAGILE_ASK),
        ),
    },
    "checkin.fragile.nudge": {
        "encouraging": (
            Phrase(
                "[If a window opens today|If you get a gap at lunch|Should the evening free up|"
                "If the day allows|If there's a pocket of time|Whenever it fits], "
                + _FRAGILE_SMALL,
                no_show,
            ),
            Phrase(
                "[If a window opens today|If you get a gap at lunch|Should the evening free up|"
                "If the day allows|If there's a pocket of time|Whenever it fits], "
                "[queue {show} so starting is a no-brainer|let {show} on the treadmill do the "
                "pulling|save the next {show} episode for the treadmill]."
            ),
        ),
        "analytical": (
            Phrase(
                "[The smallest effective dose today|What keeps the streak alive|"
                "The minimum that keeps the habit|What counts on the chart today|"
                "The restart threshold|Enough to reset the count]: " + _FRAGILE_SMALL,
                no_show,
            ),
            Phrase(
                "[The smallest effective dose today|What keeps the streak alive|"
                "The minimum that keeps the habit|What counts on the chart today|"
                "The restart threshold|Lowest friction today]: [{show} queued on the treadmill|"
                "one {show} episode on the treadmill|the treadmill plus {show}]."
            ),
        ),
        "tough_love": (
            Phrase(
                "[Find the slot today|No perfect day is coming|Make it happen today|"
                "Today, not tomorrow|Get it done today|Stop negotiating]: " + _FRAGILE_SMALL,
                no_show,
            ),
            Phrase(
                "[Find the slot today|No perfect day is coming|Make it happen today|"
                "Today, not tomorrow|Get it done today|Stop negotiating]: [{show} is waiting on "
                "the treadmill|treadmill and {show}, go|{show} only plays on the treadmill]."
            ),
        ),
    },
    # -- check-in, on track or thriving ------------------------------------------------
    "checkin.open": {
        "encouraging": (
            Phrase(
                "[Momentum is real this week|This week is humming|The week is building nicely|"
                "Lovely rhythm this week]: {runs_done} runs banked.",
                lambda f: thriving(f) and many_runs(f),
            ),
            Phrase(
                _GREETINGS + ", {athlete}[: {runs_done} runs in so far|: {runs_done} runs done "
                "this week|: {runs_done} runs on the board|: {runs_done} runs in the bank].",
                many_runs,
            ),
            Phrase(
                _GREETINGS + ", {athlete}[: one run in so far|: the first run of the week is "
                "done|: one run on the board|: the week has its first run].",
                one_run,
            ),
            Phrase(
                _GREETINGS + ", {athlete}[|: a fresh week to fill|: the week starts today|"
                ": a blank page this week].",
                no_runs,
            ),
        ),
        "analytical": (
            Phrase(
                _TALLIES + ": {runs_done} runs[ banked| logged|, on the chart| so far].",
                many_runs,
            ),
            Phrase(
                _TALLIES + ": one run[ banked| logged|, the first of the week| so far].", one_run
            ),
            Phrase(
                _TALLIES + ": [no runs yet; the count starts today|zero runs, and that's just "
                "the calendar|nothing logged yet this week|an empty log, as every Monday].",
                no_runs,
            ),
        ),
        "tough_love": (
            Phrase(
                "[{runs_done} runs in|{runs_done} runs done|{runs_done} runs banked|"
                "{runs_done} on the board], " + _PUSHES + ".",
                many_runs,
            ),
            Phrase(
                "[One run in|One run done|One on the board|One down], [now back it up|don't stop "
                "there|the next one matters more|make it two|keep going|that's a start|"
                "don't let it be the only one|build on it].",
                one_run,
            ),
            Phrase(
                "[Clean sheet this week|Nothing on the board yet|Zero so far|New week], "
                "[time to start|let's get moving|no more waiting|today counts|put one on the "
                "board|start strong|first one today|make it count].",
                no_runs,
            ),
        ),
    },
    "checkin.today": {
        "encouraging": (
            Phrase(
                "[Today is {today_session}|Today brings {today_session}|"
                "On the menu today: {today_session}]: " + _STEPS
            ),
        ),
        "analytical": (
            Phrase(
                "[Today's session: {today_session}|Planned today: {today_session}|"
                "Today's input: {today_session}]; " + _STEPS
            ),
        ),
        "tough_love": (
            Phrase(
                "[Today: {today_session}, no excuses|Today's job: {today_session}|"
                "{today_session} today, done and dusted]: " + _STEPS
            ),
        ),
    },
    "checkin.rest": {
        "encouraging": (
            Phrase(
                "[Rest day today|Today is a rest day|No session today]: "
                + _REST
                + "[, and tomorrow brings {tomorrow_session}|; {tomorrow_session} tomorrow]."
            ),
            Phrase("[Rest day today|Today is a rest day|No session today]: " + _REST + "."),
        ),
        "analytical": (
            Phrase(
                "[Rest day: adaptation happens now|Planned rest|Recovery day]; "
                + _REST
                + "[, before {tomorrow_session} tomorrow|; next up {tomorrow_session}]."
            ),
            Phrase("[Rest day: adaptation happens now|Planned rest|Recovery day]; " + _REST + "."),
        ),
        "tough_love": (
            Phrase(
                "[Rest today, and mean it|Day off|Rest day, no sneaky miles]: "
                + _REST
                + "[; {tomorrow_session} tomorrow, so be ready|, then {tomorrow_session}]."
            ),
            Phrase("[Rest today, and mean it|Day off|Rest day, no sneaky miles]: " + _REST + "."),
        ),
    },
    # -- review -------------------------------------------------------------------------
    "review.easy": {
        "encouraging": (
            Phrase(
                "[Nice, controlled run|Good steady run|That's another aerobic brick in the wall|"
                "Lovely easy work|Patient running, well done]: {z2_share} in Z1–Z2.",
                easy_run,
            ),
        ),
        "analytical": (
            Phrase(
                "[Aerobic session|Easy-zone run|Base work|Polarised-model easy day|"
                "Below-threshold run]: {z2_share} of the time in Z1–Z2.",
                easy_run,
            ),
        ),
        "tough_love": (
            Phrase(
                "[Easy run done right|Disciplined easy run|That's how easy looks|"
                "Held back, good|Kept it honest]: {z2_share} in Z1–Z2.",
                easy_run,
            ),
        ),
    },
    "review.quality": {
        "encouraging": (
            Phrase(
                "[Real quality work today|That was a proper hard session|"
                "Big effort in there]: {hard_minutes} min in Z4–Z5, so [treat tomorrow as easy|"
                "keep the next run gentle]."
            ),
        ),
        "analytical": (
            Phrase(
                "[Quality session|High-intensity work|Above-threshold stimulus]: "
                "{hard_minutes} min in Z4–Z5 ({run_type}), [the 20 in 80/20|"
                "which makes this week's hard day]."
            ),
        ),
        "tough_love": (
            Phrase(
                "[That one had teeth|Hard work, logged|You went to the well]: "
                "{hard_minutes} min in Z4–Z5, [now recover like you mean it|"
                "so tomorrow stays easy, no heroics]."
            ),
        ),
    },
}

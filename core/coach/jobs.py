"""The coach loop's recurring jobs, in each athlete's local time: the morning check-in, the
Monday plan and the Sunday-night weekly review.

Every domain with the matching step (``Domain.checkin``, ``weekly_plan``,
``weekly_review``) gets them without declaring them; a domain may declare the same names
itself (the first declaration wins). Kept apart from :mod:`momentum.core.coach.loop` so
listing jobs at a cold start loads nothing else.
"""

from __future__ import annotations

from momentum.core.ports.scheduler import RecurringJob

CHECKIN = RecurringJob(
    "checkin", hour=6, weekdays=(1, 2, 3, 4, 5, 6), description="6 am check-in, Tue–Sun"
)
MONDAY_PLAN = RecurringJob(
    "monday_plan", hour=6, weekdays=(0,), description="6 am Monday: the week laid out"
)
WEEKLY_REFRESH = RecurringJob(
    "weekly_refresh",
    hour=21,
    weekdays=(6,),
    description="Sunday 9 pm: weekly review and plan refresh",
)

STEP_JOBS: dict[str, RecurringJob] = {
    "checkin": CHECKIN,
    "weekly_plan": MONDAY_PLAN,
    "weekly_review": WEEKLY_REFRESH,
}
"""Each Domain step and the recurring job that asks for it."""

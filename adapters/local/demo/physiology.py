"""A runner's body, for the demo's simulator: oxygen cost, steady-state heart rate, lag.

This models the simulated runner, it does not analyse anything. The chain per second:

* **Metabolic cost.** Running: the ACSM running equation's horizontal term
  (0.2 ml O2·kg⁻¹ per metre, *ACSM's Guidelines for Exercise Testing and Prescription*)
  scaled by Minetti's energy cost of running on a gradient relative to the flat,
  ``C(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i² + 19.5i + 3.6`` J·kg⁻¹·m⁻¹ (Minetti et al.,
  *J Appl Physiol* 93:1039, 2002; ``i`` is the gradient as a fraction, valid ±0.45).
  Walking (below :data:`WALK_RUN_SPEED`): the ACSM walking equation,
  ``0.1·v + 1.8·v·i`` ml·kg⁻¹·min⁻¹ with ``v`` in m/min (uphill only).
* **Steady-state heart rate.** Gross VO2 (net + 3.5 resting) as a fraction ``x`` of the
  runner's effective VO2max, then Swain's relation ``%HRmax = 0.64·%VO2max + 37``
  (Swain et al., *Med Sci Sports Exerc* 26:112, 1994), plus an offset for accumulated
  fatigue, times a cardiac-drift factor that grows with time on feet (faster indoors, with
  no airflow, and when fatigued).
* **Kinetics.** Heart rate moves toward that steady state as a first-order lag, faster on
  the way up than on the way down, with AR(1) noise on top.

Fitness (from recent training) improves running economy a little, so the same pace costs
fewer beats as the weeks go on.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

WALK_RUN_SPEED = 1.6
"""m/s (5.8 km/h): below this the runner walks (the treadmill's incline hikes)."""
RESTING_VO2 = 3.5
"""ml·kg⁻¹·min⁻¹: one MET."""
ACSM_RUN_HORIZONTAL = 0.2
"""ml O2·kg⁻¹·m⁻¹ for level running (ACSM)."""
ACSM_WALK_HORIZONTAL = 0.1
"""ml O2·kg⁻¹·m⁻¹ for level walking (ACSM)."""
ACSM_WALK_VERTICAL = 1.8
"""ml O2·kg⁻¹ per metre climbed while walking (ACSM)."""


def minetti_cost(grade: float) -> float:
    """Energy cost of running in J·kg⁻¹·m⁻¹ at ``grade`` (a fraction; clamped to ±0.45)."""
    i = max(-0.45, min(0.45, grade))
    return 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6


FLAT_COST = minetti_cost(0.0)


def net_vo2(speed: float, grade: float, grade_cost: float | None = None) -> float:
    """Net oxygen cost (ml·kg⁻¹·min⁻¹) of moving at ``speed`` m/s on ``grade`` (fraction).

    ``grade_cost`` is ``minetti_cost(grade)`` when the caller already has it.
    """
    if speed <= 0:
        return 0.0
    metres_per_min = speed * 60.0
    if speed < WALK_RUN_SPEED:
        climb = ACSM_WALK_VERTICAL * metres_per_min * max(0.0, grade)
        return ACSM_WALK_HORIZONTAL * metres_per_min + climb
    cost = minetti_cost(grade) if grade_cost is None else grade_cost
    return ACSM_RUN_HORIZONTAL * metres_per_min * cost / FLAT_COST


SteadyState = Callable[[float, float, float, float | None], float]
"""``(speed m/s, grade, elapsed s, minetti_cost(grade) or None) -> bpm`` for one session."""


@dataclass(frozen=True)
class BodyState:
    """How the runner arrives at a session: ``fitness`` and ``fatigue`` are unitless
    (1.0 ≈ a typical week's training for this runner), from the simulator's own load
    bookkeeping (see :mod:`momentum.adapters.local.demo.history`)."""

    fitness: float = 0.5
    fatigue: float = 0.5


@dataclass(frozen=True)
class Runner:
    """The simulated runner's physiology. Defaults fit the talk's athlete: Z2 (Friel, LTHR
    162) at about 7:20 min/km on the flat and ~10:30 min/km at 8 % on the treadmill."""

    resting_hr: float = 52.0
    max_hr: float = 182.0
    vo2max: float = 50.0
    """Effective VO2max in the units of the cost equations above (economy folded in)."""
    mass_kg: float = 76.4
    tau_up_s: float = 30.0
    tau_down_s: float = 50.0
    drift_per_hour: float = 0.035
    """Fractional rise of steady-state HR per hour on feet (outdoors, fresh)."""
    indoor_drift_factor: float = 1.5
    fatigue_bpm: float = 5.0
    """Extra beats at a given effort per unit of fatigue."""
    fatigue_drift_factor: float = 0.5
    economy_gain: float = 0.04
    """Fraction of oxygen cost saved per unit of fitness."""
    noise_bpm: float = 0.6
    noise_phi: float = 0.9

    def steady_state_hr(
        self,
        speed: float,
        grade: float,
        *,
        elapsed_s: float = 0.0,
        state: BodyState | None = None,
        indoor: bool = False,
        grade_cost: float | None = None,
    ) -> float:
        """The heart rate this effort settles at after ``elapsed_s`` on feet (bpm).

        ``grade_cost`` is ``minetti_cost(grade)`` when the caller already has it.
        """
        return self.steady_state(state or BodyState(), indoor=indoor)(
            speed, grade, elapsed_s, grade_cost
        )

    def steady_state(self, state: BodyState, *, indoor: bool = False) -> SteadyState:
        """:meth:`steady_state_hr` for one session, with its per-session constants folded
        in (the simulator calls it once a second)."""
        economy = 1.0 - self.economy_gain * state.fitness
        fatigue_bpm = self.fatigue_bpm * state.fatigue
        drift_rate = self.drift_per_hour * (1.0 + self.fatigue_drift_factor * state.fatigue)
        if indoor:
            drift_rate *= self.indoor_drift_factor
        drift_per_s = drift_rate / 3600.0
        max_hr, vo2max = self.max_hr, self.vo2max

        def hr(
            speed: float, grade: float, elapsed_s: float, grade_cost: float | None = None
        ) -> float:
            """Steady-state bpm for this session (see :meth:`steady_state_hr`)."""
            fraction = (net_vo2(speed, grade, grade_cost) * economy + RESTING_VO2) / vo2max
            base = max_hr * (0.64 * fraction + 0.37) + fatigue_bpm
            drift = 1.0 + drift_per_s * elapsed_s * min(1.0, fraction / 0.6)
            return min(max_hr, base * drift)

        return hr

    def power_watts(self, speed: float, grade: float) -> float:
        """A treadmill's running-power estimate: ``mass·v·(1.0 + g·i)`` watts (the kind of
        simple mechanical estimate consoles show; not a physiological measure)."""
        return self.mass_kg * max(0.0, speed) * (1.0 + 9.81 * max(0.0, grade))

    def cadence(self, speed: float, rng: random.Random) -> float:
        """Steps per minute at ``speed``: a walking cadence below the walk–run speed."""
        if speed <= 0.2:
            return 0.0
        jitter = (rng.random() + rng.random() - 1.0) * 3.0
        if speed < WALK_RUN_SPEED:
            return round(100 + 12 * speed + jitter)
        return round(152 + 9 * (speed - 2.2) + jitter)


def triangular_noise(rng: random.Random, sd: float) -> float:
    """Zero-mean noise with standard deviation ``sd``: the sum of two uniforms (a
    triangular distribution), much cheaper than a Gaussian and smooth enough once
    filtered by the AR(1) processes that use it."""
    return (rng.random() + rng.random() - 1.0) * sd * _TRIANGULAR_SCALE


_TRIANGULAR_SCALE = math.sqrt(6.0)


class HeartRateTrace:
    """Heart rate second by second: a first-order lag toward the steady state, plus AR(1)
    noise."""

    def __init__(self, runner: Runner, rng: random.Random, start_hr: float | None = None):
        self.runner = runner
        self.rng = rng
        self.hr = start_hr if start_hr is not None else runner.resting_hr + 28.0
        self._noise = 0.0
        self._alpha_up = 1.0 - math.exp(-1.0 / runner.tau_up_s)
        self._alpha_down = 1.0 - math.exp(-1.0 / runner.tau_down_s)

    def step(self, target: float, dt: float = 1.0) -> float:
        """Advance ``dt`` seconds toward ``target``; the observed (noisy) heart rate."""
        runner = self.runner
        if dt == 1.0:
            alpha = self._alpha_up if target > self.hr else self._alpha_down
        else:
            tau = runner.tau_up_s if target > self.hr else runner.tau_down_s
            alpha = 1.0 - math.exp(-dt / tau)
        self.hr += (target - self.hr) * alpha
        self._noise = runner.noise_phi * self._noise + triangular_noise(self.rng, runner.noise_bpm)
        observed = self.hr + self._noise
        if observed > runner.max_hr:
            return runner.max_hr
        return observed if observed > runner.resting_hr else runner.resting_hr

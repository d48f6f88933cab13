"""The suggestion model: training on the event log and ranking for one profile.

Pure numpy, no database: `fit()` is what the worker's training task runs (after reading the
log) and what `make bench ONLY=recs` times; `rank()` is what every request runs. See
docs/decisions/0010-personal-suggestions.md.

What it learns, all from counts:
- next steps: for each service, the services profiles used within the next `LAGS` events
  after it (weighted 1/lag), normalised per service and damped by the target's popularity so
  that "what people do next" is not just "what is popular"; top `NEIGHBOURS` kept per service;
- popularity overall, per month of the year (seasonality), per neighbourhood and per persona,
  each smoothed toward the city-wide figure so small segments are not noise.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

LAGS = 3
NEIGHBOURS = 40
TRANSITION_PRIOR = 5.0  # a service seen before few others tells little about what is next
SEGMENT_PRIOR = 50.0  # events: a segment with fewer looks mostly like the city as a whole
HISTORY_DECAY = 0.6
HISTORY_WEIGHT = 0.45  # share of the next step explained by the history, when there is one
NOTABLE_LIFT = 1.3


@dataclass
class Model:
    items: np.ndarray  # service id per item index (int64)
    neighbours: np.ndarray  # (items, K) int32, -1 where empty
    weights: np.ndarray  # (items, K) float32: P(neighbour next | item), rows sum to < 1
    popularity: np.ndarray  # (items,) float32, sums to 1
    by_month: np.ndarray  # (12, items) float32: share of the month / share of the year
    segments: np.ndarray  # (neighbourhoods + personas, items) float32 shares
    segment_keys: list[str]  # "n:<neighbourhood id>" or "p:<persona>", one per row above
    index: dict[int, int] = field(default_factory=dict)  # service id → item index
    segment_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {int(s): i for i, s in enumerate(self.items)}
        self.segment_index = {k: i for i, k in enumerate(self.segment_keys)}

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            items=self.items,
            neighbours=self.neighbours,
            weights=self.weights,
            popularity=self.popularity,
            by_month=self.by_month,
            segments=self.segments,
            segment_keys=np.array(self.segment_keys, dtype=str),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes | memoryview) -> Model:
        arrays = np.load(io.BytesIO(bytes(data)), allow_pickle=False)
        return cls(
            items=arrays["items"],
            neighbours=arrays["neighbours"],
            weights=arrays["weights"],
            popularity=arrays["popularity"],
            by_month=arrays["by_month"],
            segments=arrays["segments"],
            segment_keys=[str(k) for k in arrays["segment_keys"]],
        )


def _shares(counts: np.ndarray, prior: np.ndarray, strength: float = SEGMENT_PRIOR) -> np.ndarray:
    """Counts → shares, pulled toward `prior` as if it had `strength` events of its own."""
    return ((counts + strength * prior) / (counts.sum() + strength)).astype(np.float32)


def fit(
    *,
    items: np.ndarray,
    event_profile: np.ndarray,
    event_item: np.ndarray,
    event_time: np.ndarray,
    profile_neighbourhood: np.ndarray,
    profile_personas: np.ndarray,
    neighbourhood_ids: np.ndarray,
    personas: list[str],
) -> Model:
    """Train on an event log.

    `items`: service id per item index. Events: parallel arrays of profile index, item index
    and time (seconds since the epoch). Profiles: `profile_neighbourhood[p]` is an index into
    `neighbourhood_ids` (-1 unknown) and `profile_personas[p]` a bit mask over `personas`.
    """
    n = len(items)
    event_profile = np.asarray(event_profile, dtype=np.int64)
    event_item = np.asarray(event_item, dtype=np.int64)
    event_time = np.asarray(event_time, dtype=np.int64)
    order = np.lexsort((event_time, event_profile))
    p, i, t = event_profile[order], event_item[order], event_time[order]

    # Next steps: co-occurrence of (earlier, later) within LAGS events of the same profile,
    # as the probability of each later service given the earlier one.
    pair_counts = np.zeros(n * n, dtype=np.float64)
    for lag in range(1, LAGS + 1):
        same = (p[lag:] == p[:-lag]) & (i[lag:] != i[:-lag])
        codes = i[:-lag][same] * n + i[lag:][same]
        pair_counts += np.bincount(codes, minlength=n * n) / lag
    pairs = pair_counts.reshape(n, n)
    counts = np.bincount(i, minlength=n).astype(np.float64)
    popularity = (counts + 1.0) / (counts.sum() + n)
    scores = pairs / (pairs.sum(axis=1, keepdims=True) + TRANSITION_PRIOR)
    k = min(NEIGHBOURS, max(n - 1, 1))
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k] if n > 1 else np.zeros((n, 0), int)
    top_scores = np.take_along_axis(scores, top, axis=1)
    rank = np.argsort(-top_scores, axis=1)
    neighbours = np.take_along_axis(top, rank, axis=1).astype(np.int32)
    weights = np.take_along_axis(top_scores, rank, axis=1).astype(np.float32)
    neighbours[weights <= 0] = -1

    # Seasonality: each month's share of an item against the item's share of the year.
    months = (t // 86400 * 86400).astype("datetime64[s]").astype("datetime64[M]")
    month_of_year = (months.astype(np.int64) % 12).astype(np.int64)
    by_month = np.ones((12, n), dtype=np.float32)
    for m in range(12):
        chosen = i[month_of_year == m]
        if len(chosen):
            share = _shares(np.bincount(chosen, minlength=n).astype(np.float64), popularity)
            by_month[m] = np.clip(share / popularity, 0.2, 5.0)

    # Segments: neighbourhoods, then personas.
    keys: list[str] = [f"n:{int(x)}" for x in neighbourhood_ids] + [f"p:{x}" for x in personas]
    segments = np.zeros((len(keys), n), dtype=np.float32)
    nb = np.asarray(profile_neighbourhood, dtype=np.int64)[p]
    known = nb >= 0
    nb_counts = np.bincount(nb[known] * n + i[known], minlength=len(neighbourhood_ids) * n).reshape(
        len(neighbourhood_ids), n
    )
    for row in range(len(neighbourhood_ids)):
        segments[row] = _shares(nb_counts[row].astype(np.float64), popularity)
    masks = np.asarray(profile_personas, dtype=np.int64)[p]
    for j, _persona in enumerate(personas):
        chosen = i[(masks >> j) & 1 == 1]
        segments[len(neighbourhood_ids) + j] = _shares(
            np.bincount(chosen, minlength=n).astype(np.float64), popularity
        )
    return Model(
        items=np.asarray(items, dtype=np.int64),
        neighbours=neighbours,
        weights=weights,
        popularity=popularity.astype(np.float32),
        by_month=by_month,
        segments=segments,
        segment_keys=keys,
    )


# --- Ranking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    service_id: int
    score: float
    reason: str  # "history", "neighbourhood", "persona", "city"
    because: int | None = None  # for "history": the service id that led here
    persona: str = ""


def rank(
    model: Model,
    *,
    history: list[int],
    month: int,
    neighbourhood_id: int | None,
    personas: list[str],
    exclude: set[int] | frozenset[int] = frozenset(),
    limit: int = 10,
) -> list[Ranked]:
    """The probability of each service being this profile's next, and why.

    Background: city popularity in this month, times the neighbourhood's lift and the mean
    lift of the profile's personas (each lift = segment share / city share). With a history
    (`history`: service ids, newest first; empty without consent), a mixture with what
    followed its last few services. Each result names the part that weighed most."""
    n = len(model.items)
    if n == 0:
        return []
    season = model.by_month[month - 1]
    base = model.popularity * season
    place_lift = np.ones(n, dtype=np.float32)
    seg = model.segment_index.get(f"n:{neighbourhood_id}") if neighbourhood_id else None
    if seg is not None:
        place_lift = model.segments[seg] / model.popularity
    persona_rows = [
        model.segment_index[f"p:{x}"]
        for x in personas
        if x != "resident" and f"p:{x}" in model.segment_index
    ]
    persona_lift = np.ones(n, dtype=np.float32)
    persona_best = np.zeros(n, dtype=np.int64)
    if persona_rows:
        lifts = model.segments[persona_rows] / model.popularity
        persona_lift = lifts.mean(axis=0)
        persona_best = np.argmax(lifts, axis=0)
    background = base * place_lift * persona_lift
    background = background / background.sum()

    seen = [model.index[s] for s in history if s in model.index]
    total = background
    sequential = None
    because_row = None
    if seen and model.neighbours.shape[1]:
        recent = seen[:5]
        contributions = np.zeros((len(recent), n), dtype=np.float32)
        for h, item in enumerate(recent):
            row = model.neighbours[item]
            valid = row >= 0
            contributions[h, row[valid]] = model.weights[item][valid] * HISTORY_DECAY**h
        decay = sum(HISTORY_DECAY**h for h in range(len(recent)))
        sequential = contributions.sum(axis=0) / decay
        # Whatever the history leaves unexplained follows the background.
        sequential = sequential + (1 - sequential.sum()) * background
        total = (1 - HISTORY_WEIGHT) * background + HISTORY_WEIGHT * sequential
        because_row = np.argmax(contributions, axis=0)
    total = total.copy()
    blocked = [model.index[s] for s in exclude if s in model.index] + seen
    if blocked:
        total[blocked] = -1.0
    top = np.argpartition(-total, min(limit, n - 1))[: limit + 1] if n > limit else np.arange(n)
    top = top[np.argsort(-total[top])][:limit]
    out = []
    for item in top.tolist():
        if total[item] < 0:
            continue
        reason, because, persona = "city", None, ""
        history_lift = total[item] / background[item] if sequential is not None else 0.0
        best = max(history_lift, float(place_lift[item]), float(persona_lift[item]))
        if best < NOTABLE_LIFT:
            pass
        elif history_lift == best and because_row is not None:
            reason = "history"
            because = int(model.items[seen[int(because_row[item])]])
        elif place_lift[item] == best:
            reason = "neighbourhood"
        else:
            reason = "persona"
            persona = personas_in_rows(model, persona_rows)[int(persona_best[item])]
        out.append(Ranked(int(model.items[item]), float(total[item]), reason, because, persona))
    return out


def personas_in_rows(model: Model, rows: list[int]) -> list[str]:
    return [model.segment_keys[r][2:] for r in rows]


def popularity_ranking(model: Model, *, month: int, exclude: set[int], limit: int) -> list[int]:
    """The plain "most used this month" list (a baseline and the last-resort fallback)."""
    scores = model.popularity * model.by_month[month - 1]
    order = np.argsort(-scores)
    return [int(model.items[i]) for i in order if int(model.items[i]) not in exclude][:limit]


def journey_next_steps(journeys: list[list[int]], done: set[int]) -> list[tuple[int, int]]:
    """For each declared journey (its steps' service ids, in order), the first step not done:
    (journey position, service id). Journeys come before anything the model ranks."""
    out = []
    for position, steps in enumerate(journeys):
        remaining = [s for s in steps if s not in done]
        if remaining:
            out.append((position, remaining[0]))
    return out

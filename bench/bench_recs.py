"""Personal suggestions: quality beside popularity baselines, training time, serving latency.

Quality: an event log generated from the real 311 data and the demo catalog
(bench/recs_data.py, documented in docs/decisions/0010), split by time: every profile's
events before SPLIT train the model (cityhall.personalization.recommender.fit, the function
the worker's training task runs) and the baselines; each profile's first event after SPLIT
on a service it had not used before is the answer to find. Ours is what `suggestions_for`
does: the next step of a declared life event first, then `recommender.rank`. Measured in the
same run: city popularity (all of the training period, and its last 90 days) and persona
popularity. hit@5, NDCG@10, catalog coverage of the top 10, and hit@5 per neighbourhood
(those with at least MIN_PLACE test profiles).
Training: `fit` on 1,000,000 profiles and about 5,000,000 events (the generated log tiled
five times with shifted dates). Serving: p99 of the real `suggestions_for(profile)` on
database profiles (consent, address, personas, history, journeys) with the trained model
stored, and over HTTP through gunicorn (GET /api/v1/me/suggestions) beside /healthz and the
signed-in GET /api/v1/me (the cost of a session, the middleware and the API for any
signed-in request).
"""

from __future__ import annotations

import gc
import math
import os
import statistics
import time
from collections import defaultdict

import numpy as np
from django.core.management import call_command

from bench import recs_data
from bench.gunicorn import SERVER_SECRET_KEY, serve
from bench.httpload import load

PROFILES = int(os.environ.get("BENCH_RECS_PROFILES", "200000"))
TILES = int(os.environ.get("BENCH_RECS_TILES", "5"))
MAX_TEST = int(os.environ.get("BENCH_RECS_MAX_TEST", "40000"))
MIN_PLACE = 100
SERVING_PROFILES = 300


def _fit_inputs(city: recs_data.City, log: recs_data.EventLog, mask: np.ndarray) -> dict:
    from cityhall.accounts.models import Persona

    personas = list(Persona.values)
    bits = {p: 1 << j for j, p in enumerate(personas)}
    return {
        "items": city.items,
        "event_profile": log.profile[mask],
        "event_item": log.item[mask],
        "event_time": log.time[mask],
        "profile_neighbourhood": log.profile_neighbourhood,
        "profile_personas": np.array(
            [sum(bits[p] for p in ps) for ps in log.profile_personas], dtype=np.int64
        ),
        "neighbourhood_ids": city.neighbourhood_ids,
        "personas": personas,
    }


def _test_cases(
    log: recs_data.EventLog, split: int, limit: int, per_profile: int = 3, seed: int = 5
) -> list[tuple]:
    """(profile, history newest first, target item, target time, first?) for each profile's
    next `per_profile` services after the split that it had not used before. The model only
    knows events before the split; the history is live, as in the product (events are
    recorded as they happen, the model is retrained nightly)."""
    bounds = np.flatnonzero(np.diff(log.profile)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(log.profile)]])
    cases = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        times = log.time[s:e]
        cut = int(np.searchsorted(times, split))
        if cut == e - s:
            continue
        items = log.item[s:e].tolist()
        history = list(dict.fromkeys(reversed(items[:cut])))
        found = 0
        for k in range(cut, e - s):
            target = items[k]
            if target not in history:
                cases.append(
                    (int(log.profile[s]), list(history), target, int(times[k]), found == 0)
                )
                found += 1
                if found == per_profile:
                    break
            history = [target] + [h for h in history if h != target]
    rng = np.random.default_rng(seed)
    if len(cases) > limit:
        cases = [cases[i] for i in sorted(rng.choice(len(cases), size=limit, replace=False))]
    return cases


def _month(ts: int) -> int:
    return int(np.datetime64(ts, "s").astype("datetime64[M]").astype(np.int64) % 12) + 1


def _score(ranked: list[int], target: int) -> tuple[float, float]:
    rank = ranked.index(target) + 1 if target in ranked[:10] else None
    hit5 = 1.0 if rank and rank <= 5 else 0.0
    return hit5, (1.0 / math.log2(rank + 1) if rank else 0.0)


def _evaluate(city, log, model, split) -> dict[str, float]:
    from cityhall.personalization import recommender

    n = len(city.items)
    train = log.time < split
    counts = np.bincount(log.item[train], minlength=n).astype(float)
    recent = np.bincount(
        log.item[train & (log.time >= split - 90 * recs_data.DAY)], minlength=n
    ).astype(float)
    persona_counts: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n))
    owners = log.profile[train]
    for persona in {p for ps in log.profile_personas for p in ps}:
        has = np.array([persona in ps for ps in log.profile_personas])
        persona_counts[persona] = np.bincount(log.item[train][has[owners]], minlength=n).astype(
            float
        )
    shares = {p: c / max(c.sum(), 1.0) for p, c in persona_counts.items()}
    popular = np.argsort(-counts)
    popular_recent = np.argsort(-recent)
    journeys = {slug: steps for slug, (_p, steps) in city.journeys.items()}
    first_steps = [steps[0] for steps in journeys.values() if steps]
    openers = {
        steps[0]: slug
        for slug, steps in journeys.items()
        if steps and first_steps.count(steps[0]) == 1
    }

    def top(order: np.ndarray, seen: set[int]) -> list[int]:
        return [int(i) for i in order[:40] if int(i) not in seen][:10]

    methods = ["ours", "model_only", "popularity", "popularity_90d", "persona_popularity"]
    hits: dict[str, list[float]] = {m: [] for m in methods}
    ndcg: dict[str, list[float]] = {m: [] for m in methods}
    shown: dict[str, set[int]] = {m: set() for m in methods}
    by_place: dict[str, dict[int, list[float]]] = {m: defaultdict(list) for m in methods}
    first_hits: dict[str, list[float]] = {m: [] for m in methods}
    cases = _test_cases(log, split, MAX_TEST)
    serve_samples = []
    for profile, history, target, at, is_first in cases:
        seen = set(history)
        personas = log.profile_personas[profile]
        place = int(log.profile_neighbourhood[profile])
        history_ids = [int(city.items[i]) for i in history]
        started = time.perf_counter()
        ranked = recommender.rank(
            model,
            history=history_ids,
            month=_month(at),
            neighbourhood_id=int(city.neighbourhood_ids[place]),
            personas=personas,
            limit=10,
        )
        serve_samples.append(time.perf_counter() - started)
        index = model.index
        model_only = [index[r.service_id] for r in ranked]
        first: list[int] = []
        declared = log.declared.get(profile)
        if declared and declared[1] < split:
            steps = journeys[declared[0]]
            first = [s for _pos, s in recommender.journey_next_steps([steps], seen)]
        ours = first + [i for i in model_only if i not in first]
        # As in the product: a recent service that opens a journey not declared puts that
        # journey's card (not a service, so never a hit) in the next place.
        opened = next((openers[h] for h in history[:3] if h in openers), None)
        if opened and not (declared and declared[0] == opened and declared[1] < split):
            ours.insert(len(first), -1)
        ours = ours[:10]
        specific = [p for p in personas if p != "resident"] or ["resident"]
        persona_score = sum(shares[p] for p in specific)
        lists = {
            "ours": ours,
            "model_only": model_only,
            "popularity": top(popular, seen),
            "popularity_90d": top(popular_recent, seen),
            "persona_popularity": top(np.argsort(-persona_score), seen),
        }
        for name, items in lists.items():
            h, g = _score(items, target)
            hits[name].append(h)
            ndcg[name].append(g)
            shown[name].update(i for i in items if i >= 0)
            by_place[name][place].append(h)
            if is_first:
                first_hits[name].append(h)
    out: dict[str, float] = {"recs_test_profiles": float(len(cases))}
    for name in methods:
        prefix = "recs" if name == "ours" else f"recs_{name}"
        out[f"{prefix}_hit5"] = statistics.mean(hits[name])
        out[f"{prefix}_ndcg10"] = statistics.mean(ndcg[name])
        out[f"{prefix}_coverage"] = len(shown[name]) / n
        out[f"{prefix}_hit5_first_after_split"] = statistics.mean(first_hits[name])
        places = [statistics.mean(v) for v in by_place[name].values() if len(v) >= MIN_PLACE]
        out[f"{prefix}_hit5_neighbourhood_min"] = min(places)
        out[f"{prefix}_hit5_neighbourhood_max"] = max(places)
        if name == "ours":
            out["recs_neighbourhoods_scored"] = float(len(places))
    out["recs_best_baseline_hit5"] = max(
        out[f"recs_{b}_hit5"] for b in ("popularity", "popularity_90d", "persona_popularity")
    )
    out["recs_hit5_ratio_to_best_baseline"] = out["recs_hit5"] / out["recs_best_baseline_hit5"]
    out["recs_rank_inproc_p99_ms"] = _p99(serve_samples) * 1000
    return out


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def _serving_profiles(city, log, model) -> list:
    """Database residents shaped like the generated ones: consent (two in three), a saved
    address in their neighbourhood, personas, their last events, some declared journeys."""
    from cityhall.accounts import actions as account_actions
    from cityhall.accounts.models import ConsentRecord, Profile, SavedAddress, User
    from cityhall.catalog.models import LifeEvent
    from cityhall.personalization.models import (
        DeclaredLifeEvent,
        EngagementEvent,
        EventKind,
        SuggestionModel,
    )
    from cityhall.places.models import Address

    SuggestionModel.objects.create(events=len(log.item), data=model.to_bytes())
    addresses: dict[int, int] = {}
    for pk, nb in Address.objects.exclude(neighbourhood=None).values_list("id", "neighbourhood"):
        addresses.setdefault(nb, pk)
    life_events = dict(LifeEvent.objects.values_list("slug", "id"))
    rng = np.random.default_rng(11)
    chosen = rng.choice(len(log.profile_neighbourhood), size=SERVING_PROFILES, replace=False)
    starts = np.searchsorted(log.profile, chosen)
    ends = np.searchsorted(log.profile, chosen, side="right")
    events, consents, saved, declared = [], [], [], []
    for k, generated in enumerate(chosen.tolist()):
        user = User.objects.create_user(email=f"recs-bench-{k}@example.org")
        profile = account_actions.create_primary_profile(actor=user)
        Profile.objects.filter(pk=profile.pk).update(
            personas=log.profile_personas[generated], name=f"Resident {k}"
        )
        nb = int(city.neighbourhood_ids[log.profile_neighbourhood[generated]])
        if nb in addresses:
            saved.append(SavedAddress(profile=profile, address_id=addresses[nb]))
        if k % 3:
            consents.append(
                ConsentRecord(
                    account=user, purpose="personalisation", granted=True, text_version="bench"
                )
            )
        for item in log.item[starts[k] : ends[k]][-10:].tolist():
            events.append(
                EngagementEvent(
                    profile=profile, kind=EventKind.VIEW, service_id=int(city.items[item])
                )
            )
        if k % 5 == 0:
            slug = list(life_events)[k % len(life_events)]
            declared.append(DeclaredLifeEvent(profile=profile, life_event_id=life_events[slug]))
    SavedAddress.objects.bulk_create(saved)
    ConsentRecord.objects.bulk_create(consents)
    EngagementEvent.objects.bulk_create(events, batch_size=2000)
    DeclaredLifeEvent.objects.bulk_create(declared)
    return list(User.objects.filter(email__startswith="recs-bench-").order_by("id"))


def _serving(users) -> dict[str, float]:
    from cityhall.accounts.queries import profiles_for
    from cityhall.personalization.queries import forget, suggestions_for

    forget()
    profiles = [profiles_for(u)[0] for u in users]
    for profile in profiles[:20]:
        suggestions_for(profile)
    samples, cpu = [], []
    load_before = os.getloadavg()[0]
    for _round in range(10):
        for profile in profiles:
            started, started_cpu = time.perf_counter(), time.thread_time()
            suggestions_for(profile)
            samples.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - started_cpu)
    # Wall-clock time is the figure; the CPU time of the same calls shows how much of the
    # tail is this code and how much is waiting for a core the machine's other work holds.
    return {
        "recs_serve_p99_ms": _p99(samples) * 1000,
        "recs_serve_p50_ms": statistics.median(samples) * 1000,
        "recs_serve_cpu_p99_ms": _p99(cpu) * 1000,
        "recs_load_average_1m": max(load_before, os.getloadavg()[0]),
    }


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _http(users) -> dict[str, float]:
    cookie = _session_cookie(users[1])  # one with consent, history and an address
    with serve() as port:
        headers = {"Cookie": cookie}
        load(port, ["/api/v1/me/suggestions"], seconds=2, headers=headers)  # warm up
        floor = load(port, ["/healthz"], seconds=5)
        signed_in = load(port, ["/api/v1/me"], seconds=5, headers=headers)
        api = load(port, ["/api/v1/me/suggestions"], seconds=8, headers=headers)
    return {
        "recs_http_p99_ms": api["p99_ms"],
        "recs_http_p50_ms": api["p50_ms"],
        "recs_http_qps": api["qps"],
        "recs_http_errors": float(api["errors"]),
        "recs_baseline_healthz_http_p99_ms": floor["p99_ms"],
        "recs_baseline_signed_in_me_http_p99_ms": signed_in["p99_ms"],
        "recs_baseline_signed_in_me_http_p50_ms": signed_in["p50_ms"],
    }


def run() -> dict[str, float]:
    call_command("migrate", verbosity=0)
    from cityhall.demo.loader import load_demo_city
    from cityhall.personalization import recommender

    load_demo_city()
    city = recs_data.load_city()
    real = recs_data.read_real_data()
    started = time.perf_counter()
    log = recs_data.generate(city, real, PROFILES)
    generated_s = time.perf_counter() - started
    split = int(recs_data.SPLIT.timestamp())
    train = log.time < split
    model = recommender.fit(**_fit_inputs(city, log, train))
    results: dict[str, float] = {
        "recs_profiles": float(PROFILES),
        "recs_events": float(len(log.item)),
        "recs_train_events": float(train.sum()),
        "recs_items": float(len(city.items)),
        "recs_generate_s": generated_s,
    }
    results.update(_evaluate(city, log, model, split))

    big = recs_data.tile(log, TILES)
    inputs = _fit_inputs(city, big, np.ones(len(big.item), dtype=bool))
    started = time.perf_counter()
    recommender.fit(**inputs)
    results["recs_train_s"] = time.perf_counter() - started
    results["recs_train_profiles"] = float(len(big.profile_neighbourhood))
    results["recs_train_events_timed"] = float(len(big.item))
    del big, inputs

    users = _serving_profiles(city, log, model)
    # A web process holds none of the evaluation's millions of objects; with them alive,
    # every full garbage collection walks them and lands in the serving tail.
    del log, model, city, real
    gc.collect()
    results.update(_serving(users))
    results.update(_http(users))
    print(
        f"\nrecs: {results['recs_events']:,.0f} generated events for {PROFILES:,} profiles; "
        f"trained on events before {recs_data.SPLIT.date()}, tested on each profile's next "
        "three new services (live history). "
        f"hit@5 ours {results['recs_hit5']:.3f} (model alone {results['recs_model_only_hit5']:.3f})"
        f" vs best baseline {results['recs_best_baseline_hit5']:.3f}: "
        f"×{results['recs_hit5_ratio_to_best_baseline']:.2f}."
    )
    return results

"""A realistic, honest event log for the suggestion benchmark (docs/decisions/0010).

Built from the demo city's real catalog (services, their personas, seasons and editorial
"related" links, the life-event journeys) and the real 311 data in ../shared/data:

- 311 requests: which request types residents ask for, how often, in which neighbourhood and
  month, from the Baltimore sample (resident channels only: Phone, Web, API, Email, Mail; the
  city's own "proactive"/internal rows are left out). Each neighbourhood's mix is its own
  counts shrunk toward the city's (a pseudo-count of 30), so places differ as they really do
  but a neighbourhood with 20 requests is not pure noise. Seasonality per agency prefix
  (SW-, HCD-, TRS-, …) by month. Request types from SF and NYC get the catalog's popularity.
- Service pages (information and transactions): the catalog's popularity, ×3 for a service
  meant for one of the profile's personas, ×3 in its season's months; the snow season follows
  Boston's real "Sidewalk Not Shoveled" monthly counts, the other seasons a calendar.
- Profiles: neighbourhood drawn from Baltimore's request counts per neighbourhood; personas
  drawn with fixed rates (renter share varies by neighbourhood, Beta(4, 4)); events per
  profile 1 + negative binomial (mean about 5), spread over two years.
- Sequences (assumptions, not measured): after a service page, 30% of the time the next
  visit within a day is one of its related services; after a request, 15% report the same
  type again within weeks and 15% another type of the same department; 30% of profiles go
  through a life event in the two years (chosen by persona, moving most often, school in late
  summer, extreme weather in winter) and take its steps in order, each with probability 0.75,
  days apart, among their other events; 35% of those declare it on the site.

The recommender never sees these rules: it learns from the log alone. The journeys are the
catalog's, which the product also uses for residents who declare a life event; the benchmark
reports the model with and without that source.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
RESIDENT_CHANNELS = {"Phone", "Web", "API", "Email", "Mail"}
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
SPLIT = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
DAY = 86400

SHARE_311 = 0.45
RELATED_FOLLOW = 0.30
REPEAT_SAME = 0.15
REPEAT_DEPARTMENT = 0.15
LIFE_EVENT_RATE = 0.30
STEP_TAKEN = 0.75
DECLARES = 0.35
NEIGHBOURHOOD_PSEUDOCOUNT = 30.0
SEASON_MONTHS = {
    "tax": {1, 2, 3, 4},
    "snow": {12, 1, 2, 3},
    "election": {9, 10, 11},
    "summer": {5, 6, 7, 8},
    "school": {7, 8, 9},
    "heat": {6, 7, 8, 9},
}
PERSONA_RATES = {
    "parent": 0.25,
    "senior": 0.17,
    "business_owner": 0.06,
    "student": 0.07,
    "veteran": 0.06,
    "caregiver": 0.08,
}


def slugify(text: str, max_length: int = 100) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].rstrip("-")


@dataclass
class City:
    items: np.ndarray  # service ids
    slugs: list[str]
    kind: np.ndarray  # 0 Baltimore 311, 1 other 311, 2 service page
    department: np.ndarray
    popularity: np.ndarray
    personas: list[set[str]]
    season: list[str]
    related: list[list[int]]
    neighbourhood_ids: np.ndarray
    neighbourhood_slugs: list[str]
    journeys: dict[str, tuple[set[str], list[int]]]  # slug → (personas, step item indexes)


def load_city() -> City:
    """The demo catalog and places, as loaded in the benchmark database."""
    from cityhall.catalog.models import LifeEvent, Service
    from cityhall.places.models import Neighbourhood

    rows = list(
        Service.objects.filter(is_published=True)
        .order_by("id")
        .values_list(
            "id", "slug", "request_type__source", "department_id", "popularity", "personas",
            "season",
        )
    )  # fmt: skip
    index = {r[0]: i for i, r in enumerate(rows)}
    related: list[list[int]] = [[] for _ in rows]
    for source, target in Service.related.through.objects.values_list(
        "from_service_id", "to_service_id"
    ):
        if source in index and target in index:
            related[index[source]].append(index[target])
    journeys = {}
    for event in LifeEvent.objects.prefetch_related("steps"):
        steps = [index[s.service_id] for s in event.steps.all() if s.service_id in index]
        journeys[event.slug] = (set(event.personas or []), steps)
    places = list(Neighbourhood.objects.order_by("id").values_list("id", "slug"))
    return City(
        items=np.array([r[0] for r in rows], dtype=np.int64),
        slugs=[r[1] for r in rows],
        kind=np.array([0 if r[2] == "baltimore" else 1 if r[2] else 2 for r in rows]),
        department=np.array([r[3] for r in rows]),
        popularity=np.array([max(float(r[4] or 0.0), 0.02) for r in rows]),
        personas=[set(r[5] or []) for r in rows],
        season=[r[6] or "" for r in rows],
        related=related,
        neighbourhood_ids=np.array([p[0] for p in places], dtype=np.int64),
        neighbourhood_slugs=[p[1] for p in places],
        journeys=journeys,
    )


@dataclass
class RealData:
    type_counts: Counter  # Baltimore service slug → resident requests
    by_place: dict[str, Counter]  # neighbourhood slug → service slug → requests
    place_counts: Counter
    prefix_months: dict[str, np.ndarray]  # agency prefix → 12 monthly shares × 12
    snow_months: np.ndarray  # Boston "Sidewalk Not Shoveled" by month, mean 1


def read_real_data(root: Path = SHARED) -> RealData:
    type_counts: Counter = Counter()
    by_place: dict[str, Counter] = defaultdict(Counter)
    place_counts: Counter = Counter()
    prefix_months: dict[str, np.ndarray] = defaultdict(lambda: np.ones(12))
    with (root / "baltimore-311" / "requests-sample.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["MethodReceived"] not in RESIDENT_CHANNELS or "Proactive" in row["SRType"]:
                continue
            slug = f"baltimore-{slugify(row['SRType'], 80)}"
            type_counts[slug] += 1
            month = int(row["CreatedDate"][:2]) - 1
            prefix_months[row["SRType"].split("-")[0]][month] += 1
            if row["Neighborhood"]:
                place = slugify(row["Neighborhood"])
                by_place[place][slug] += 1
                place_counts[place] += 1
    snow = np.ones(12)
    with gzip.open(root / "boston-open311" / "requests.jsonl.gz", "rt") as handle:
        for line in handle:
            if '"Sidewalk Not Shoveled"' in line:
                snow[int(json.loads(line)["requested_datetime"][5:7]) - 1] += 1
    months = {k: v / v.mean() for k, v in prefix_months.items()}
    return RealData(type_counts, by_place, place_counts, months, snow / snow.mean())


@dataclass
class EventLog:
    profile: np.ndarray
    item: np.ndarray
    time: np.ndarray
    profile_neighbourhood: np.ndarray  # index into City.neighbourhood_ids
    profile_personas: list[list[str]]
    declared: dict[int, tuple[str, int]]  # profile → (life event slug, declared at)


def generate(city: City, real: RealData, profiles: int, seed: int = 2026) -> EventLog:
    rng = np.random.default_rng(seed)
    n = len(city.items)
    slug_index = {s: i for i, s in enumerate(city.slugs)}

    # Places: where residents live, in proportion to their requests in the real data.
    known = [i for i, s in enumerate(city.neighbourhood_slugs) if real.place_counts.get(s)]
    weights = np.array([real.place_counts[city.neighbourhood_slugs[i]] for i in known], float)
    home = np.array(known)[rng.choice(len(known), size=profiles, p=weights / weights.sum())]
    renter_share = rng.beta(4, 4, size=len(city.neighbourhood_ids))

    # Personas.
    personas: list[list[str]] = []
    renter = rng.random(profiles) < renter_share[home]
    draws = {p: rng.random(profiles) < rate for p, rate in PERSONA_RATES.items()}
    owner = ~renter & (rng.random(profiles) < 0.8)
    landlord = owner & (rng.random(profiles) < 0.12)
    for p in range(profiles):
        mine = ["resident"]
        if renter[p]:
            mine.append("renter")
        elif owner[p]:
            mine.append("property_owner")
            if landlord[p]:
                mine.append("landlord")
        mine += [name for name, hit in draws.items() if hit[p]]
        personas.append(mine)

    # 311: the city's mix, each neighbourhood's own (shrunk toward it), seasonal by agency.
    city_311 = np.zeros(n)
    for slug, count in real.type_counts.items():
        if slug in slug_index:
            city_311[slug_index[slug]] = count
    other = city.kind == 1
    city_311[other] = city.popularity[other] * city_311.sum() * 0.1 / city.popularity[other].sum()
    city_311 /= city_311.sum()
    season_311 = np.ones((12, n))
    for slug, i in slug_index.items():
        if city.kind[i] == 0:
            prefix = slug.removeprefix("baltimore-").split("-")[0].upper()
            season_311[:, i] = real.prefix_months.get(prefix, np.ones(12))
    place_mix = np.tile(city_311, (len(city.neighbourhood_ids), 1))
    for row, place in enumerate(city.neighbourhood_slugs):
        counts = np.zeros(n)
        for slug, count in real.by_place.get(place, {}).items():
            if slug in slug_index:
                counts[slug_index[slug]] = count
        place_mix[row] = (counts + NEIGHBOURHOOD_PSEUDOCOUNT * city_311) / (
            counts.sum() + NEIGHBOURHOOD_PSEUDOCOUNT
        )

    # Service pages: popularity × persona × season.
    pages = city.kind == 2
    season_pages = np.ones((12, n))
    for i, season in enumerate(city.season):
        if season == "snow":
            season_pages[:, i] = np.clip(real.snow_months, 0.3, 3.0)
        elif season:
            for month in SEASON_MONTHS[season]:
                season_pages[month - 1, i] = 3.0

    # How many background events each profile has, and when.
    counts = 1 + rng.negative_binomial(1.2, 1.2 / (1.2 + 2.3), size=profiles)
    owner_of = np.repeat(np.arange(profiles), counts)
    span = (END - START).total_seconds()
    times = START.timestamp() + rng.random(len(owner_of)) * span
    months = times.astype(np.int64).astype("datetime64[s]").astype("datetime64[M]")
    months = months.astype(np.int64) % 12
    is_311 = rng.random(len(owner_of)) < SHARE_311
    items = np.zeros(len(owner_of), dtype=np.int64)

    # 311 events: sample per neighbourhood, keep with the month's seasonal weight.
    for row in np.unique(home[owner_of[is_311]]):
        chosen = np.flatnonzero(is_311 & (home[owner_of] == row))
        pending = chosen
        while len(pending):
            picks = rng.choice(n, size=len(pending), p=place_mix[row])
            keep = rng.random(len(pending)) < season_311[months[pending], picks] / 3.0
            items[pending[keep]] = picks[keep]
            pending = pending[~keep]

    # Page events: one persona of the profile leads (resident for most), per month.
    lead = np.array([rng.choice(p[1:]) if len(p) > 1 else "resident" for p in personas])
    page_events = np.flatnonzero(~is_311)
    lead_of = lead[owner_of[page_events]]
    for persona in np.unique(lead_of):
        affinity = np.array([3.0 if persona in ps else 1.0 for ps in city.personas])
        for month in range(12):
            group = page_events[(lead_of == persona) & (months[page_events] == month)]
            if not len(group):
                continue
            w = np.where(pages, city.popularity * affinity * season_pages[month], 0.0)
            items[group] = rng.choice(n, size=len(group), p=w / w.sum())

    profile_list = [owner_of]
    item_list = [items]
    time_list = [times]

    # Sequences: related pages, repeat requests, same-department requests.
    follow = (~is_311) & (rng.random(len(items)) < RELATED_FOLLOW)
    extra_p, extra_i, extra_t = [], [], []
    for e in np.flatnonzero(follow):
        options = city.related[items[e]]
        if options:
            extra_p.append(owner_of[e])
            extra_i.append(options[rng.integers(len(options))])
            extra_t.append(times[e] + rng.random() * DAY)
    by_department: dict[int, np.ndarray] = {}
    for dept in np.unique(city.department[city.kind < 2]):
        members = np.flatnonzero((city.department == dept) & (city.kind < 2))
        by_department[int(dept)] = members
    roll = rng.random(len(items))
    for e in np.flatnonzero(is_311 & (roll < REPEAT_SAME + REPEAT_DEPARTMENT)):
        if roll[e] < REPEAT_SAME:
            target = items[e]
        else:
            members = by_department[int(city.department[items[e]])]
            w = city_311[members] + 1e-6
            target = members[rng.choice(len(members), p=w / w.sum())]
        extra_p.append(owner_of[e])
        extra_i.append(target)
        extra_t.append(times[e] + rng.exponential(20) * DAY)

    # Life events: a journey through the catalog's steps, in order, days apart.
    declared: dict[int, tuple[str, int]] = {}
    slugs = list(city.journeys)
    base = {"moving-to-the-city": 3.0, "moving-within-the-city": 2.0}
    for p in np.flatnonzero(rng.random(profiles) < LIFE_EVENT_RATE):
        mine = set(personas[p])
        w = np.array(
            [
                base.get(s, 1.0) * (2.0 if city.journeys[s][0] & (mine - {"resident"}) else 1.0)
                * (1.0 if not city.journeys[s][0] or city.journeys[s][0] & mine else 0.1)
                for s in slugs
            ]
        )  # fmt: skip
        slug = slugs[rng.choice(len(slugs), p=w / w.sum())]
        start = START.timestamp() + rng.random() * span
        if slug == "extreme-weather":
            start = dt.datetime(int(2025 + rng.integers(2)), 1, 5, tzinfo=dt.UTC).timestamp()
        elif slug == "child-starting-school":
            start = dt.datetime(int(2025 + rng.integers(2)), 8, 1, tzinfo=dt.UTC).timestamp()
        start += rng.random() * 20 * DAY
        if rng.random() < DECLARES:
            declared[int(p)] = (slug, int(start))
        at = start
        for step in city.journeys[slug][1]:
            if rng.random() < STEP_TAKEN:
                at += rng.exponential(4.0) * DAY
                extra_p.append(p)
                extra_i.append(step)
                extra_t.append(at)

    profile_list.append(np.array(extra_p, dtype=np.int64))
    item_list.append(np.array(extra_i, dtype=np.int64))
    time_list.append(np.array(extra_t))
    profile = np.concatenate(profile_list)
    item = np.concatenate(item_list)
    time = np.concatenate(time_list)
    inside = time < END.timestamp()
    profile, item, time = profile[inside], item[inside], time[inside].astype(np.int64)
    order = np.lexsort((time, profile))
    return EventLog(
        profile=profile[order],
        item=item[order],
        time=time[order],
        profile_neighbourhood=home,
        profile_personas=personas,
        declared=declared,
    )


def tile(log: EventLog, times: int, seed: int = 7) -> EventLog:
    """A bigger log for timing: the same residents' patterns copied with new ids and each copy
    shifted by up to a month."""
    rng = np.random.default_rng(seed)
    profiles = len(log.profile_neighbourhood)
    shift = (rng.random(times) * 30 * DAY).astype(np.int64)
    return EventLog(
        profile=np.concatenate([log.profile + k * profiles for k in range(times)]),
        item=np.tile(log.item, times),
        time=np.concatenate([log.time + shift[k] for k in range(times)]),
        profile_neighbourhood=np.tile(log.profile_neighbourhood, times),
        profile_personas=log.profile_personas * times,
        declared={},
    )

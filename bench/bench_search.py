"""Search quality and speed, each beside its baselines, measured in the same run.

Quality: labelled queries written as residents write (typos, synonyms, Spanish, life
situations, long sentences), scored with MRR@10 and hit@3 for our engine, the databases' own
full-text search (SQLite FTS5, PostgreSQL tsvector when a server is reachable) and plain BM25.
Query sets in bench/data (each described in its .md file):
- search_queries.jsonl ("_tuning") and search_queries_tuning_blind.jsonl ("_tuning_blind"):
  the sets the engine's weights and synonyms are tuned against; their figures are optimistic;
- search_queries_heldout.jsonl ("_heldout"): written from the catalog's titles, never tuned on;
- search_queries_blind.jsonl ("_blind"): written by someone who never saw the catalog, labelled
  by someone else, never tuned on.
The headline keys (search_mrr10, search_hit3, search_baseline_*) pool every query never tuned
against (held-out + blind), as pre-registered in search_queries_blind.md.
Speed: in-process latency on the demo catalog and on generated 10k and 50k catalogs; index
build time and memory; HTTP latency and throughput through gunicorn (2 workers), with the
health check endpoint as the framework's floor.
"""

from __future__ import annotations

import json
import math
import os
import random
import sqlite3
import statistics
import time
import tracemalloc
import urllib.parse
from collections import Counter
from pathlib import Path

from django.core.management import call_command

from bench.gunicorn import serve
from bench.httpload import load

DATA = Path(__file__).resolve().parent / "data"
QUERIES = Path(os.environ.get("BENCH_SEARCH_QUERIES") or DATA / "search_queries.jsonl")
HELDOUT = Path(os.environ.get("BENCH_SEARCH_HELDOUT") or DATA / "search_queries_heldout.jsonl")
BLIND = DATA / "search_queries_blind.jsonl"
TUNING_BLIND = DATA / "search_queries_tuning_blind.jsonl"


def _queries(path: Path = QUERIES) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _score(ranked: list[list[str]], queries: list[dict]) -> tuple[float, float]:
    rr, hit3 = [], []
    for keys, q in zip(ranked, queries, strict=True):
        relevant = set(q["relevant"])
        rank = next((i + 1 for i, k in enumerate(keys[:10]) if k in relevant), None)
        rr.append(1 / rank if rank else 0.0)
        hit3.append(1.0 if rank and rank <= 3 else 0.0)
    return statistics.mean(rr), statistics.mean(hit3)


def _doc_text(doc) -> str:
    return "\n".join(text for f in doc.fields.values() for text in f.values())


class PlainBM25:
    """Textbook BM25 over the same text: no stemming, typos or synonyms."""

    def __init__(self, docs) -> None:
        from cityhall.search.text import words

        self.words = words
        self.keys = [d.key for d in docs]
        self.tfs = [Counter(words(_doc_text(d))) for d in docs]
        self.lengths = [sum(tf.values()) for tf in self.tfs]
        self.avg = sum(self.lengths) / len(self.lengths)
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, tf in enumerate(self.tfs):
            for t in tf:
                self.postings.setdefault(t, []).append(i)

    def search(self, query: str, limit: int = 10) -> list[str]:
        scores: Counter[int] = Counter()
        for term in set(self.words(query)):
            for i in self.postings.get(term, ()):
                tf = self.tfs[i][term]
                norm = 1.2 * (1 - 0.75 + 0.75 * self.lengths[i] / self.avg)
                scores[i] += self.idf[term] * tf * 2.2 / (tf + norm)
        return [self.keys[i] for i, _ in scores.most_common(limit)]


class SqliteFTS:
    """SQLite FTS5 with its bm25() ranking, unicode61 tokenizer folding accents."""

    def __init__(self, docs) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            [(d.key, " ".join(d.title.values()), _doc_text(d)) for d in docs],
        )

    def search(self, query: str, limit: int = 10) -> list[str]:
        from cityhall.search.text import words

        terms = [f'"{w}"' for w in words(query)]
        if not terms:
            return []
        rows = self.db.execute(
            "SELECT key FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 5.0, 1.0) LIMIT ?",
            (" OR ".join(terms), limit),
        )
        return [r[0] for r in rows]


class PostgresFTS:
    """PostgreSQL full-text search: a tsvector per document (title weighted A), the 'simple'
    configuration with unaccent-free folding done by us, OR of the query words, ts_rank_cd."""

    def __init__(self, docs, url: str) -> None:
        import psycopg

        from cityhall.search.text import fold

        self.fold = fold
        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute(
            "CREATE TEMP TABLE bench_docs (key text, title text, body text, "
            "doc tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A') || "
            "to_tsvector('simple', body)) STORED)"
        )
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO bench_docs (key, title, body) VALUES (%s, %s, %s)",
                [(d.key, fold(" ".join(d.title.values())), fold(_doc_text(d))) for d in docs],
            )
        self.conn.execute("CREATE INDEX ON bench_docs USING gin (doc)")

    def search(self, query: str, limit: int = 10) -> list[str]:
        from cityhall.search.text import words

        terms = words(query)
        if not terms:
            return []
        rows = self.conn.execute(
            "SELECT key FROM bench_docs, to_tsquery('simple', %s) q WHERE doc @@ q "
            "ORDER BY ts_rank_cd(doc, q) DESC LIMIT %s",
            (" | ".join(terms), limit),
        )
        return [r[0] for r in rows]


def _postgres_url() -> str | None:
    url = os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres"
    )
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=2).close()
    except Exception:
        return None
    return url


def _synthetic(docs, size: int, seed: int = 7):
    """Bigger catalogs: demo documents recombined with place names and extra words."""
    from cityhall.places.models import Neighbourhood
    from cityhall.search.engine import IndexDoc

    rng = random.Random(seed)
    places = list(Neighbourhood.objects.values_list("name", flat=True)) or ["Downtown"]
    out = list(docs)
    i = 0
    while len(out) < size:
        base = rng.choice(docs)
        place = rng.choice(places)
        extra = rng.choice(docs)
        i += 1
        out.append(
            IndexDoc(
                key=f"gen:{i}",
                kind=base.kind,
                object_id=1_000_000 + i,
                url=base.url,
                title={k: f"{v} – {place}" for k, v in base.title.items()},
                snippet=base.snippet,
                fields={
                    **base.fields,
                    "title": {k: f"{v} {place}" for k, v in base.fields["title"].items()},
                    "body": {
                        k: f"{v} {extra.fields['title'].get(k, '')} {place}"
                        for k, v in base.fields.get("body", {"en": "", "es": ""}).items()
                    },
                },
                popularity=base.popularity * rng.random(),
            )
        )
    return out


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def _inprocess(engine, queries: list[dict], rounds: int = 3) -> float:
    samples = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            engine.search(q["q"], limit=10)
            samples.append((time.perf_counter() - started) * 1000)
    return _p99(samples)


def _build(docs, synonyms):
    from cityhall.search.engine import SearchEngine

    started = time.perf_counter()
    engine = SearchEngine(docs, synonyms)
    seconds = time.perf_counter() - started
    tracemalloc.start()  # a second build, traced: tracing slows it, so it is not timed
    traced = SearchEngine(docs, synonyms)
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    return engine, seconds, held / 1e6


def _http(queries: list[dict]) -> dict[str, float]:
    with serve() as port:
        search_paths = [
            "/api/v1/search?" + urllib.parse.urlencode({"q": q["q"], "lang": q["lang"]})
            for q in queries
        ]
        suggest_paths = [
            "/api/v1/search/suggest?"
            + urllib.parse.urlencode({"q": q["q"][: max(3, len(q["q"]) // 2)]})
            for q in queries
        ]
        load(port, search_paths[:50], seconds=2)  # warm both workers' indexes
        floor = load(port, ["/healthz"], seconds=5)
        search = load(port, search_paths, seconds=10)
        suggest = load(port, suggest_paths, seconds=6)
    return {
        "search_http_p99_ms": search["p99_ms"],
        "search_http_p50_ms": search["p50_ms"],
        "search_http_qps": search["qps"],
        "search_http_errors": float(search["errors"] + suggest["errors"]),
        "search_suggest_http_p99_ms": suggest["p99_ms"],
        "search_baseline_healthz_http_p99_ms": floor["p99_ms"],
        "search_baseline_healthz_http_qps": floor["qps"],
    }


def run() -> dict[str, float]:
    call_command("migrate", verbosity=0)
    from cityhall.demo.loader import load_demo_city
    from cityhall.search.index import build_documents, synonym_groups
    from cityhall.search.queries import search_catalog

    load_demo_city()
    tuning, heldout = _queries(QUERIES), _queries(HELDOUT)
    blind, tuning_blind = _queries(BLIND), _queries(TUNING_BLIND)
    queries = tuning + heldout + blind + tuning_blind  # latency is measured on all of them
    docs, synonyms = build_documents(), synonym_groups()
    slug_keys = _slug_keys()
    fts, bm25 = SqliteFTS(docs), PlainBM25(docs)
    pg_url = _postgres_url()
    pg = PostgresFTS(docs, pg_url) if pg_url else None
    rankers = {  # "" is ours; the others are the baselines, over the same documents
        "": lambda q: [
            f"{r.type}:{r.id}" for r in search_catalog(q["q"], lang=q["lang"], record=False).results
        ],
        "fts": lambda q: fts.search(q["q"]),
        "bm25": lambda q: bm25.search(q["q"]),
    }
    if pg is not None:
        rankers["pg_fts"] = lambda q: pg.search(q["q"])
    query_sets = {
        "": heldout + blind,  # the headline: every query never tuned against
        "_heldout": heldout,
        "_blind": blind,
        "_tuning": tuning,
        "_tuning_blind": tuning_blind,
    }
    results: dict[str, float] = {
        f"search_queries{label or '_never_tuned'}": float(len(qset))
        for label, qset in query_sets.items()
    }
    for label, qset in query_sets.items():
        best_baseline = 0.0
        for name, ranker in rankers.items():
            ranked = [[slug_keys.get(k, k) for k in ranker(q)] for q in qset]
            mrr, hit3 = _score(ranked, qset)
            prefix = "search" + label + (f"_baseline_{name}" if name else "")
            results[f"{prefix}_mrr10"], results[f"{prefix}_hit3"] = mrr, hit3
            if name:
                best_baseline = max(best_baseline, mrr)
            else:
                for kind in sorted({q.get("kind", "") for q in qset}):
                    idx = [i for i, q in enumerate(qset) if q.get("kind", "") == kind]
                    results[f"search{label}_mrr10_{kind}"] = _score(
                        [ranked[i] for i in idx], [qset[i] for i in idx]
                    )[0]
        results[f"search{label}_mrr10_gap_to_best_baseline"] = (
            results[f"search{label}_mrr10"] - best_baseline
        )
    if pg is not None:
        pg.conn.close()
    print(
        "\nsearch quality: search_mrr10, search_hit3 and search_baseline_* pool every query never "
        f"tuned against ({len(heldout)} held-out, written from the catalog's titles, and "
        f"{len(blind)} blind, written without seeing the catalog); each set also has its own "
        "keys. *_tuning and *_tuning_blind are the sets the engine was tuned on (optimistic)."
    )
    for size in (len(docs), 10_000, 50_000):
        engine, seconds, mb = _build(_synthetic(docs, size), synonyms)
        label = "demo" if size == len(docs) else f"{size // 1000}k"
        results[f"search_inproc_p99_ms_{label}"] = _inprocess(engine, queries)
        if size == 10_000:
            results["search_build_s_per_10k"] = seconds
            results["search_mem_mb_per_10k"] = mb
        if size == 50_000:
            results["search_build_s_50k"] = seconds
            results["search_baseline_bm25_inproc_p99_ms_50k"] = _inprocess(
                PlainBM25(_synthetic(docs, size)), queries, rounds=1
            )
    results["search_demo_documents"] = float(len(docs))
    results.update(_http(queries))
    return results


def _slug_keys() -> dict[str, str]:
    """Map "service:12" to "service:pay-parking-ticket" so labels can use slugs."""
    from cityhall.catalog.models import Article, LifeEvent, Service

    out = {}
    for kind, model in (("service", Service), ("article", Article), ("life_event", LifeEvent)):
        for pk, slug in model.objects.values_list("pk", "slug"):
            out[f"{kind}:{pk}"] = f"{kind}:{slug}"
    return out

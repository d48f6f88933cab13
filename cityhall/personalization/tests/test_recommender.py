"""The model itself: it learns next steps from sequences, and survives storage."""

import numpy as np

from cityhall.personalization import recommender


def _log(sequences, start=1_700_000_000):
    profile, item, time = [], [], []
    for p, seq in enumerate(sequences):
        for k, i in enumerate(seq):
            profile.append(p)
            item.append(i)
            time.append(start + 86400 * k)
    return {
        "items": np.array([101, 102, 103, 104, 105]),
        "event_profile": np.array(profile),
        "event_item": np.array(item),
        "event_time": np.array(time),
        "profile_neighbourhood": np.array([0 if p % 2 else 1 for p in range(len(sequences))]),
        "profile_personas": np.array([1] * len(sequences)),
        "neighbourhood_ids": np.array([7, 8]),
        "personas": ["parent"],
    }


def test_learns_what_comes_next_not_just_what_is_popular():
    # 0 → 1 → 2 is a journey; 4 is the most used item overall, unrelated to the journey.
    sequences = [[0, 1, 2]] * 30 + [[4, 4, 3, 4]] * 40
    model = recommender.fit(**_log(sequences))
    ranked = recommender.rank(
        model, history=[101], month=1, neighbourhood_id=None, personas=[], limit=2
    )
    assert ranked[0].service_id == 102
    assert ranked[0].reason == "history" and ranked[0].because == 101
    cold = recommender.rank(model, history=[], month=1, neighbourhood_id=None, personas=[])
    assert cold[0].service_id == 105 and cold[0].reason == "city"


def test_history_and_exclusions_are_never_suggested():
    model = recommender.fit(**_log([[0, 1, 2]] * 10))
    ranked = recommender.rank(
        model, history=[101], month=1, neighbourhood_id=7, personas=[], exclude={102}, limit=5
    )
    ids = [r.service_id for r in ranked]
    assert 101 not in ids and 102 not in ids and 103 in ids


def test_neighbourhood_popularity_differs_by_place():
    # Odd profiles live in neighbourhood 7 (index 0) and use item 3; even ones use item 2.
    sequences = [[3] if p % 2 else [2] for p in range(400)]
    model = recommender.fit(**_log(sequences))
    here = recommender.rank(model, history=[], month=1, neighbourhood_id=7, personas=[], limit=1)
    there = recommender.rank(model, history=[], month=1, neighbourhood_id=8, personas=[], limit=1)
    assert here[0].service_id == 104 and there[0].service_id == 103


def test_round_trip_through_bytes():
    model = recommender.fit(**_log([[0, 1, 2]] * 5))
    again = recommender.Model.from_bytes(model.to_bytes())
    assert again.index == model.index
    assert np.array_equal(again.neighbours, model.neighbours)
    assert again.segment_keys == model.segment_keys

"""Suggestions speak the resident's language, falling back to English where a text is missing."""

from django.utils import translation

from cityhall.personalization.queries import RuleInfo, ServiceInfo


def test_titles_and_reasons_follow_the_active_language():
    service = ServiceInfo(1, "pet-license", "Pet licence", "Licencia de mascota", "")
    rule = RuleInfo(1, "You have a dog", "", frozenset(), frozenset(), frozenset())
    with translation.override("es"):
        assert service.title == "Licencia de mascota"
        assert rule.reason == "You have a dog"  # no Spanish text yet: English, not blank
    with translation.override("en"):
        assert service.title == "Pet licence"

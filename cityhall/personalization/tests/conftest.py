import pytest

from cityhall.personalization.queries import forget


@pytest.fixture(autouse=True)
def _fresh_suggestion_state():
    forget()
    yield
    forget()

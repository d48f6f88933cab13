import pytest

from cityhall.cases import actions
from cityhall.cases.models import Channel
from cityhall.open311.actions import create_api_key
from cityhall.testing import make_request_type


@pytest.fixture
def pothole_type(db):
    return make_request_type(
        group_en="Streets & sidewalks",
        descriptors=[{"code": "deep", "name_en": "Deep", "name_es": "Profundo"}],
    )


@pytest.fixture
def case(pothole_type):
    """One request at 3600 Falls Rd (39.33, -76.635), filed through the real action."""
    created, _ = actions.submit_case(
        actor=None,
        service_code="pothole",
        description="Deep hole",
        channel=Channel.WEB,
        address_text="3600 Falls Rd",
        contact_email="private@example.org",
    )
    return created


@pytest.fixture
def api_key(pothole_type):
    return create_api_key(actor=None, name="Partner app")[1]

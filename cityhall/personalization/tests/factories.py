"""Test data for suggestions: a small catalog with the moving journey, and consent."""

from __future__ import annotations

from typing import Any

from cityhall.accounts.actions import set_consent
from cityhall.accounts.models import ConsentPurpose
from cityhall.personalization.queries import forget
from cityhall.testing import make_service


def make_moving_catalog() -> dict[str, Any]:
    """Five services, the moving journey over three of them, and a seasonal one."""
    from cityhall.catalog.models import LifeEvent, LifeEventStep

    water = make_service("start-stop-water-service", "Start water service", popularity=0.5)
    trash = make_service("trash-recycling-schedule", "Trash day", popularity=0.6)
    permit = make_service("residential-parking-permit", "Parking permit", popularity=0.4)
    tax = make_service(
        "senior-property-tax-credit", "Senior tax credit", popularity=0.2, personas=["senior"]
    )
    pothole = make_service("pothole-report", "Report a pothole", popularity=0.9)
    moving = LifeEvent.objects.create(
        slug="moving-to-the-city",
        title_en="Moving to the city",
        title_es="Mudarse a la ciudad",
        summary_en="New here? Start with these.",
        summary_es="¿Recién llegado?",
        personas=["resident"],
    )
    for position, service in enumerate([water, trash, permit], start=1):
        LifeEventStep.objects.create(
            life_event=moving, position=position, service=service, note_en=f"Step {position}"
        )
    forget()
    return {
        "water": water,
        "trash": trash,
        "permit": permit,
        "tax": tax,
        "pothole": pothole,
        "moving": moving,
    }


def consent(user: Any, granted: bool = True) -> None:
    set_consent(actor=user, purpose=ConsentPurpose.PERSONALISATION, granted=granted)

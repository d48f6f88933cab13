"""Reads for open data: where the files are, which may be served, and the DCAT-US catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cityhall.opendata.dictionary import COLUMNS, DATASET_SLUG, FORMATS
from cityhall.opendata.models import Publication


def open_data_dir() -> Path:
    return Path(getattr(settings, "OPEN_DATA_DIR", settings.DATA_DIR / "open-data"))


def latest_publication() -> Publication | None:
    return Publication.objects.order_by("-published_at", "-pk").first()


def published_file(name: str) -> tuple[Path, str]:
    """A file of the latest publication and its content type. Only names that publication
    lists are served (never a path built from the request), so nothing else can be reached."""
    publication = latest_publication()
    if publication is None or name not in publication.files:
        raise Http404
    extension = name.rsplit(".", 1)[-1]
    path = open_data_dir() / name
    if extension not in FORMATS or not path.is_file():
        raise Http404
    return path, FORMATS[extension]


def dictionary() -> list[tuple[str, str, str]]:
    return [(name, kind, str(meaning)) for name, kind, meaning in COLUMNS]


def catalog(base_url: str) -> dict[str, Any]:
    """The DCAT-US 1.1 catalog (data.json): the service requests dataset with a distribution
    for every file, the public scorecard, and our Open311 API."""
    city = getattr(settings, "CITY_NAME", "City")
    publication = latest_publication()
    modified = (publication.published_at if publication else timezone.now()).date().isoformat()
    publisher = {"@type": "org:Organization", "name": f"{city} City Hall"}
    contact = {
        "@type": "vcard:Contact",
        "fn": f"{city} City Hall open data",
        "hasEmail": "mailto:"
        + getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "opendata@example.org"),
    }

    def url(name: str, *args: Any) -> str:
        return base_url + reverse(name, args=args)

    distributions = []
    for name, info in (publication.files if publication else {}).items():
        extension = name.rsplit(".", 1)[-1]
        is_dictionary = name.endswith("-dictionary.csv")
        distributions.append(
            {
                "@type": "dcat:Distribution",
                "title": "Data dictionary"
                if is_dictionary
                else f"Service requests ({extension.upper()})",
                "downloadURL": url("opendata:file", name),
                "mediaType": FORMATS[extension].split(";")[0],
                "format": extension.upper(),
                "byteSize": info.get("bytes"),
            }
        )
    requests_dataset = {
        "@type": "dcat:Dataset",
        "identifier": url("opendata:index") + "#" + DATASET_SLUG,
        "title": f"{city} service requests (311)",
        "description": (
            "Every request residents made to the city (potholes, dumping, street lights and "
            "more), anonymised: no names, contacts or accounts; descriptions only where they "
            "are public and screened; locations of requests about a person or a home coarsened."
        ),
        "keyword": ["311", "service requests", "open311"],
        "modified": modified,
        "publisher": publisher,
        "contactPoint": contact,
        "accessLevel": "public",
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "accrualPeriodicity": "R/P1D",
        "describedBy": url("opendata:file", f"{DATASET_SLUG}-dictionary.csv"),
        "describedByType": "text/csv",
        "landingPage": url("opendata:index"),
        "distribution": distributions,
    }
    scorecard = {
        "@type": "dcat:Dataset",
        "identifier": url("insights:scorecard"),
        "title": f"{city} department service levels (scorecard)",
        "description": "Each department's requests, deadlines met and time to close, daily.",
        "keyword": ["scorecard", "performance", "311"],
        "modified": timezone.localdate().isoformat(),
        "publisher": publisher,
        "contactPoint": contact,
        "accessLevel": "public",
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "accrualPeriodicity": "R/P1D",
        "landingPage": url("insights:scorecard"),
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": "Scorecard (CSV)",
                "downloadURL": url("insights:scorecard") + "?format=csv",
                "mediaType": "text/csv",
                "format": "CSV",
            }
        ],
    }
    open311 = {
        "@type": "dcat:Dataset",
        "identifier": url("open311:discovery", "json"),
        "title": f"{city} Open311 GeoReport v2 API",
        "description": "Live service requests and request types through the Open311 standard.",
        "keyword": ["open311", "api", "311"],
        "modified": modified,
        "publisher": publisher,
        "contactPoint": contact,
        "accessLevel": "public",
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "landingPage": url("open311:discovery", "json"),
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": "Open311 requests (API)",
                "accessURL": url("open311:requests", "json"),
                "format": "API",
                "mediaType": "application/json",
                "conformsTo": "http://wiki.open311.org/GeoReport_v2/",
            },
            {
                "@type": "dcat:Distribution",
                "title": "Open311 services (API)",
                "accessURL": url("open311:services", "json"),
                "format": "API",
                "mediaType": "application/json",
                "conformsTo": "http://wiki.open311.org/GeoReport_v2/",
            },
        ],
    }
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": url("opendata:catalog"),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": [requests_dataset, scorecard, open311],
    }

"""Load the demo city: real departments, request types, neighbourhoods and addresses (see
data/SOURCES.md), plus made-up staff and about 200 households. Safe to run again: every row
is found by a natural key first, so a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.db import transaction

from cityhall.accounts import actions as account_actions
from cityhall.accounts.models import Persona, Profile, Topic, User
from cityhall.audit.actions import record_read
from cityhall.catalog.models import ServiceType
from cityhall.org import actions as org_actions
from cityhall.org.models import Department, Role
from cityhall.places.models import Address, Neighbourhood
from cityhall.places.queries import normalise_address

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "city-hall-demo-2026"
# Demo staff share one published TOTP secret so anyone trying the demo can sign in as staff
# (`cityhall demo_code` prints the current code). Never used outside the demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF_DOMAIN = "staff.cityhall.example"
RESIDENT_COUNT = 200

FIRST_NAMES = [
    "Maria",
    "James",
    "Aaliyah",
    "Jose",
    "Linda",
    "DeShawn",
    "Mei",
    "Robert",
    "Fatima",
    "Luis",
    "Grace",
    "Tyrone",
    "Ana",
    "Michael",
    "Keisha",
    "Carlos",
    "Emily",
    "Darnell",
    "Rosa",
    "David",
    "Priya",
    "Marcus",
    "Sofia",
    "William",
    "Imani",
    "Juan",
    "Hannah",
    "Andre",
    "Lucia",
    "Kevin",
]
LAST_NAMES = [
    "Johnson",
    "Garcia",
    "Williams",
    "Martinez",
    "Brown",
    "Nguyen",
    "Jones",
    "Rodriguez",
    "Davis",
    "Lopez",
    "Miller",
    "Hernandez",
    "Wilson",
    "Gonzalez",
    "Moore",
    "Perez",
    "Taylor",
    "Kim",
    "Thomas",
    "Sanchez",
    "Jackson",
    "Ramirez",
    "White",
    "Torres",
    "Harris",
    "Rivera",
]
CHILD_NAMES = ["Mia", "Noah", "Zoe", "Elijah", "Camila", "Jayden", "Aria", "Mateo", "Nia", "Leo"]
ELDER_NAMES = ["Abuela Carmen", "Grandpa Joe", "Nana Ruth", "Abuelo Tomás", "Aunt Bernice"]


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_reference_data(report: LoadReport) -> None:
    report.add(
        "departments", org_actions.load_departments(actor=None, items=_read("departments.json"))
    )
    departments = {d.code: d for d in Department.objects.all()}
    for item in _read("service_types.json"):
        _, created = ServiceType.objects.update_or_create(
            code=item["code"][:100],
            defaults={
                "name_en": item["name_en"][:200],
                "name_es": item["name_es"][:200],
                "group_en": item.get("group_en", "")[:100],
                "group_es": item.get("group_es", "")[:100],
                "department": departments[item["department"]],
                "sla_days": item.get("sla_days"),
                "source": item.get("source", ""),
                "source_code": str(item.get("source_code", ""))[:200],
                "descriptors": item.get("descriptors", []),
            },
        )
        report.add("service types", int(created))
    for item in _read("neighbourhoods.json"):
        lng, lat = item["centroid"]
        _, created = Neighbourhood.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "boundary": item["boundary"],
                "centroid_lat": lat,
                "centroid_lng": lng,
            },
        )
        report.add("neighbourhoods", int(created))
    neighbourhoods = {n.slug: n for n in Neighbourhood.objects.all()}
    existing = set(Address.objects.values_list("normalised", flat=True))
    new_addresses = []
    for item in _read("addresses.json"):
        normalised = normalise_address(item["line"])
        if normalised in existing:
            continue
        existing.add(normalised)
        new_addresses.append(
            Address(
                line=item["line"],
                normalised=normalised,
                postcode=item.get("postcode", ""),
                lat=item["lat"],
                lng=item["lng"],
                neighbourhood=neighbourhoods.get(item.get("neighbourhood") or ""),
            )
        )
    Address.objects.bulk_create(new_addresses, batch_size=500)
    report.add("addresses", len(new_addresses))


def _demo_user(
    email: str, password_hash: str, first: str = "", last: str = ""
) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user:
        return user, False
    user = User.objects.create(
        email=email, password=password_hash, first_name=first, last_name=last
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    account_actions.create_primary_profile(actor=user)
    return user, True


def _ensure_totp(user: User) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def load_staff(report: LoadReport, password_hash: str) -> list[User]:
    staff: list[User] = []
    city_roles = [
        ("admin", Role.CITY_ADMIN, "Alex", "Admin"),
        ("auditor", Role.AUDITOR, "Ada", "Audit"),
    ]
    for local, role, first, last in city_roles:
        user, created = _demo_user(f"{local}@{STAFF_DOMAIN}", password_hash, first, last)
        _ensure_totp(user)
        org_actions.grant_role(actor=None, user=user, role=role)
        report.add("staff", int(created))
        staff.append(user)
    per_department = [
        ("agent", Role.AGENT),
        ("caseworker", Role.CASEWORKER),
        ("supervisor", Role.SUPERVISOR),
        ("dept-admin", Role.DEPARTMENT_ADMIN),
    ]
    for department in Department.objects.order_by("code"):
        for local, role in per_department:
            email = f"{local}.{department.code}@{STAFF_DOMAIN}"
            user, created = _demo_user(email, password_hash, local.title(), department.name_en)
            _ensure_totp(user)
            org_actions.grant_role(actor=None, user=user, role=role, department=department)
            report.add("staff", int(created))
            staff.append(user)
    return staff


def load_residents(report: LoadReport, password_hash: str, staff: list[User]) -> None:
    rng = random.Random(2026)  # fixed seed: the same households every time
    addresses = list(Address.objects.order_by("pk").values_list("pk", flat=True))
    personas, topics = Persona.values, Topic.values
    agents = [s for s in staff if s.email.startswith("agent.")]
    for i in range(RESIDENT_COUNT):
        # Draw every random choice for this household first, so that the sequence (and so
        # every later household) is the same whether or not this one already exists.
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = "resident@example.org" if i == 0 else f"{first}.{last}.{i}@example.org".lower()
        spanish = rng.random() < 0.3
        size = rng.choices([1, 2, 3, 4], weights=[35, 30, 25, 10])[0]
        primary_fields = {
            "name": f"{first} {last}",
            "language": "es" if spanish else "en",
            "personas": ["resident", *rng.sample(personas, k=rng.randint(0, 2))],
            "interests": rng.sample(topics, k=rng.randint(1, 4)),
            "digest": rng.choice(["immediate", "daily"]),
        }
        home_pk = rng.choice(addresses) if addresses else None
        members: list[dict[str, Any]] = []
        for extra in range(size - 1):
            elder = extra == 1 and rng.random() < 0.5
            name = rng.choice(ELDER_NAMES if elder else CHILD_NAMES)
            members.append(
                {
                    "name": name,
                    "language": "es" if spanish or name.startswith("Abuel") else "en",
                    "personas": ["senior"] if elder else ["student"],
                    "interests": rng.sample(topics, k=rng.randint(0, 2)),
                    "idempotency_key": f"demo-{i}-{extra}",
                }
            )
        wants_personal = rng.random() < 0.6
        wants_sharing = rng.random() < 0.5
        viewed_by = rng.choice(agents) if agents and rng.random() < 0.15 else None
        with transaction.atomic():
            user, created = _demo_user(email, password_hash, first, last)
            if not created:
                continue
            report.add("residents")
            primary = Profile.objects.get(account=user, is_primary=True)
            account_actions.update_profile(actor=user, profile=primary, **primary_fields)
            if home_pk is not None:
                home = Address.objects.get(pk=home_pk)
                account_actions.add_saved_address(
                    actor=user, profile=primary, address_text=home.line, label="Home"
                )
            for member in members:
                account_actions.create_profile(actor=user, **member)
                report.add("profiles")
            if wants_personal:
                account_actions.set_consent(actor=user, purpose="personalisation", granted=True)
            if wants_sharing:
                account_actions.set_consent(actor=user, purpose="sharing", granted=True)
            if viewed_by is not None:
                record_read(
                    actor=viewed_by,
                    action="resident.record_viewed",
                    summary="Viewed the resident record while answering a phone call",
                    subject=user,
                    obj=user,
                    detail={"demo": True},
                )


HOLIDAYS = [
    ("2026-01-01", "New Year's Day"), ("2026-01-19", "Martin Luther King Jr. Day"),
    ("2026-02-16", "Presidents' Day"), ("2026-05-25", "Memorial Day"),
    ("2026-06-19", "Juneteenth"), ("2026-07-03", "Independence Day (observed)"),
    ("2026-09-07", "Labor Day"), ("2026-10-12", "Indigenous Peoples' Day"),
    ("2026-11-11", "Veterans Day"), ("2026-11-26", "Thanksgiving Day"),
    ("2026-12-25", "Christmas Day"), ("2027-01-01", "New Year's Day"),
    ("2027-01-18", "Martin Luther King Jr. Day"), ("2027-02-15", "Presidents' Day"),
    ("2027-05-31", "Memorial Day"), ("2027-06-18", "Juneteenth (observed)"),
    ("2027-07-05", "Independence Day (observed)"), ("2027-09-06", "Labor Day"),
    ("2027-11-11", "Veterans Day"), ("2027-11-25", "Thanksgiving Day"),
    ("2027-12-24", "Christmas Day (observed)"),
]  # fmt: skip
TEAMS = {
    "transportation": ["Street crews, north", "Street crews, south"],
    "sanitation": ["Collections", "Cleaning and dumping"],
    "street-lighting": ["Lighting crews"],
}
RESPONSE_TEMPLATES = [
    (
        None,
        "Scheduled",
        "A crew is scheduled. We will update this request when the work is done.",
        "Hay una cuadrilla programada. Actualizaremos esta solicitud cuando terminemos.",
    ),
    (
        None,
        "Fixed",
        "The problem has been fixed. Thank you for reporting it.",
        "El problema está resuelto. Gracias por avisarnos.",
    ),
    (
        None,
        "Not city property",
        "This is on private property, so the city cannot fix it. We have told the owner.",
        "Esto está en una propiedad privada y la ciudad no puede arreglarlo. Avisamos al dueño.",
    ),
]
OPEN_DEMO_CASES = 80


def load_case_history(report: LoadReport) -> None:
    """Real closed Baltimore requests, moved in time so the latest is a week ago, then a
    live queue of open requests filed through the normal action, some past their deadline."""
    import datetime as dt

    from django.utils import timezone

    from cityhall.cases import actions as case_actions
    from cityhall.cases.models import Case, Channel, Holiday, ResponseTemplate
    from cityhall.org.models import Team

    for day, name in HOLIDAYS:
        _, created = Holiday.objects.get_or_create(date=day, defaults={"name": name})
        report.add("holidays", int(created))
    for code, names in TEAMS.items():
        department = Department.objects.filter(code=code).first()
        for name in names if department else []:
            _, created = Team.objects.get_or_create(department=department, name=name)
            report.add("teams", int(created))
    for department, title, body_en, body_es in RESPONSE_TEMPLATES:
        _, created = ResponseTemplate.objects.get_or_create(
            title=title, defaults={"department": department, "body_en": body_en, "body_es": body_es}
        )
        report.add("response templates", int(created))

    rows = _read("case_history.json")
    latest = max(dt.datetime.fromisoformat(r[2]) for r in rows)
    shift = timezone.now() - dt.timedelta(days=7) - timezone.make_aware(latest)
    items = []
    for i, (code, area, created_text, hours, channel) in enumerate(rows):
        came_in = timezone.make_aware(dt.datetime.fromisoformat(created_text)) + shift
        items.append(
            {
                "key": str(i),
                "service_code": code,
                "neighbourhood": area,
                "created_at": came_in,
                "closed_at": came_in + dt.timedelta(hours=hours),
                "channel": channel,
            }
        )
    report.add("past cases", case_actions.record_past_cases(actor=None, items=items, source="demo"))
    case_actions.rebuild_resolution_times()

    rng = random.Random(311)
    addresses = list(Address.objects.order_by("pk")[:400])
    recent = [r for r in rows[-1500:] if r[1]]
    for i in range(OPEN_DEMO_CASES):
        # Every random draw first, so a second load makes the same choices (and files nothing).
        code, *_ = rng.choice(recent)
        address = rng.choice(addresses)
        description = rng.choice(DEMO_DESCRIPTIONS)
        channel = rng.choice([Channel.WEB, Channel.WEB, Channel.API, Channel.PHONE, Channel.SMS])
        age = dt.timedelta(hours=rng.randint(1, 21 * 24))
        case, created = case_actions.submit_case(
            actor=None,
            service_code=code,
            description=description,
            channel=channel,
            address_text=address.line,
            idempotency_key=f"demo-open-{i}",
        )
        if not created:
            continue
        report.add("open cases")
        # Spread arrival over the last three weeks, so some are past their deadline.
        Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - age)
        case_actions.route_case(case_id=case.pk)


DEMO_DESCRIPTIONS = [
    "It has been like this for a week.",
    "Getting worse after the rain.",
    "Please send someone, it is dangerous at night.",
    "Neighbours have noticed it too.",
    "Near the corner, by the bus stop.",
]


def load_demo_city() -> LoadReport:
    from cityhall.catalog.loader import load_catalog
    from cityhall.personalization.actions import load_eligibility_rules
    from cityhall.search.actions import bump_index_version

    report = LoadReport()
    password_hash = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        load_reference_data(report)
        for what, n in load_catalog().items():
            report.add(what, n)
        staff = load_staff(report, password_hash)
        load_offices_and_collection(report)
        report.add("eligibility rules", load_eligibility_rules())  # for "For you"
    load_residents(report, password_hash, staff)
    load_case_history(report)
    load_connected_services(report)
    bump_index_version()
    return report


def load_offices_and_collection(report: LoadReport) -> None:
    """Offices with opening hours, and a trash/recycling weekday for every neighbourhood."""
    from cityhall.org.models import Department, Office
    from cityhall.places.models import CollectionSchedule, Neighbourhood

    departments = dict(Department.objects.values_list("code", "pk"))
    for row in _read("offices.json"):
        _office, created = Office.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_en": row["name_en"],
                "name_es": row["name_es"],
                "department_id": departments.get(row.get("department", "")),
                "address": row.get("address", ""),
                "phone": row.get("phone", ""),
                "keywords": row.get("keywords", ""),
                "hours": row["hours"],
                "closed_on_holidays": row.get("closed_on_holidays", True),
                "is_main": row.get("is_main", False),
            },
        )
        report.add("offices", int(created))
    anchor = dt.date(2026, 1, 5)
    existing = set(CollectionSchedule.objects.values_list("neighbourhood_id", flat=True))
    fresh = [
        CollectionSchedule(
            neighbourhood_id=pk,
            trash_weekday=position % 5,
            recycling_weekday=position % 5,
            recycling_every_other_week=True,
            recycling_anchor=anchor,
        )
        for position, pk in enumerate(
            Neighbourhood.objects.order_by("name").values_list("pk", flat=True)
        )
        if pk not in existing
    ]
    CollectionSchedule.objects.bulk_create(fresh)
    report.add("collection schedules", len(fresh))


# The demo "City Parking" app (cityhall/demo/parking) signs residents in through the city.
PARKING_CLIENT_ID = "city-parking-demo"
PARKING_URL = os.environ.get("PARKING_PUBLIC_URL", "http://127.0.0.1:8001")


def parking_client_secret() -> str:
    """Demo only: a fixed secret both processes know (a real department gets theirs from
    `cityhall oidc-client create`)."""
    return os.environ.get("PARKING_CLIENT_SECRET", "demo-parking-secret-not-for-production")


def parking_webhook_secret() -> str:
    return os.environ.get("PARKING_WEBHOOK_SECRET", "demo-parking-webhook-secret")


def load_connected_services(report: LoadReport) -> None:
    from allauth.idp.oidc.models import Client

    from cityhall.sso.actions import configure_client
    from cityhall.sso.models import ConnectedService, SharedField

    client, created = Client.objects.get_or_create(
        id=PARKING_CLIENT_ID, defaults={"name": "City Parking", "type": Client.Type.CONFIDENTIAL}
    )
    configure_client(
        client,
        secret=parking_client_secret(),
        redirect_uris=[f"{PARKING_URL}/callback"],
        post_logout_redirect_uris=[f"{PARKING_URL}/"],
    )
    ConnectedService.objects.update_or_create(
        client=client,
        defaults={
            "name": "City Parking",
            "webhook_url": f"{PARKING_URL}/webhooks/city",
            "allowed_fields": [SharedField.NAME, SharedField.ADDRESS],
            "webhook_secret": parking_webhook_secret(),
        },
    )
    report.add("connected services", 1 if created else 0)

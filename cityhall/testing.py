"""Factories for tests: build data through the real actions wherever an action exists."""

from __future__ import annotations

import itertools
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from cityhall.accounts import actions as account_actions
from cityhall.accounts.models import User
from cityhall.org.models import Department, Role, StaffMembership
from cityhall.places.models import Address, Neighbourhood
from cityhall.places.queries import normalise_address

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_resident(email: str | None = None, *, password: str = PASSWORD, **extra: Any) -> User:
    email = email or f"resident{next(_seq)}@example.org"
    user = User.objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    account_actions.create_primary_profile(actor=user)
    return user


def make_department(code: str = "transportation", name: str = "Transportation") -> Department:
    department, _ = Department.objects.get_or_create(
        code=code, defaults={"name_en": name, "name_es": f"{name} (es)"}
    )
    return department


def give_totp(user: User) -> str:
    """Activate TOTP and recovery codes as allauth would; returns the base32 secret."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def make_staff(
    role: Role,
    department: Department | None = None,
    *,
    email: str | None = None,
    with_mfa: bool = True,
) -> User:
    user = make_resident(email or f"staff{next(_seq)}@city.example")
    if role not in (Role.CITY_ADMIN, Role.AUDITOR) and department is None:
        department = make_department()
    StaffMembership.objects.create(user=user, department=department, role=role)
    if with_mfa:
        give_totp(user)
    return user


def has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user).exists()


def make_neighbourhood(slug: str = "hampden", name: str = "Hampden") -> Neighbourhood:
    square = [[-76.65, 39.32], [-76.62, 39.32], [-76.62, 39.34], [-76.65, 39.34], [-76.65, 39.32]]
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "boundary": {"type": "Polygon", "coordinates": [square]},
            "centroid_lat": 39.33,
            "centroid_lng": -76.635,
        },
    )
    return neighbourhood


def make_address(line: str = "3600 Falls Rd", postcode: str = "21211") -> Address:
    address, _ = Address.objects.get_or_create(
        normalised=normalise_address(line),
        defaults={
            "line": line,
            "postcode": postcode,
            "lat": 39.33,
            "lng": -76.635,
            "neighbourhood": make_neighbourhood(),
        },
    )
    return address


# --- Browser helpers (Playwright pages) ------------------------------------------------------


def browser_sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.axe.check(page)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def confirm_password_if_asked(page: Any, password: str = PASSWORD) -> None:
    """Sensitive pages ask to re-enter the password when the sign-in was not by password."""
    if "/accounts/reauthenticate/" in page.url:
        page.axe.check(page)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()


# --- Catalog ---------------------------------------------------------------------------------


def make_service(slug: str, title_en: str, title_es: str = "", **extra: Any) -> Any:
    from cityhall.catalog.models import Service

    department = extra.pop("department", None) or make_department()
    return Service.objects.create(
        slug=slug,
        department=department,
        title_en=title_en,
        title_es=title_es or title_en,
        summary_en=extra.pop("summary_en", f"About {title_en}."),
        summary_es=extra.pop("summary_es", f"Sobre {title_es or title_en}."),
        **extra,
    )


def make_article(slug: str, title_en: str, body_en: str, **extra: Any) -> Any:
    from cityhall.catalog.models import Article

    return Article.objects.create(
        slug=slug,
        title_en=title_en,
        title_es=extra.pop("title_es", title_en),
        body_en=body_en,
        body_es=extra.pop("body_es", body_en),
        **extra,
    )


def fresh_search_index() -> None:
    """Make the next search rebuild from the database (as after a publish)."""
    from cityhall.search.actions import bump_index_version
    from cityhall.search.index import forget
    from cityhall.search.queries import forget_learned_boosts

    bump_index_version()
    forget()
    forget_learned_boosts()


def browser_sign_in_with_code(page: Any, email: str, secret: str) -> None:
    """Password, then the current TOTP code (waiting for the next window if already used)."""
    import time

    browser_sign_in(page, email)
    for _ in range(2):
        page.fill("input[name=code]", current_totp(secret))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        if page.locator("input[name=code]").count() == 0:
            return
        time.sleep(31 - time.time() % 30)
    raise AssertionError("The two-step code was not accepted")


def current_totp(secret: str) -> str:
    """The authenticator code for now, never one about to expire (TOTP windows are 30 s)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 27:
        time.sleep(30.2 - time.time() % 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def make_request_type(
    code: str = "pothole", department: Department | None = None, **extra: Any
) -> Any:
    """A 311 request type ("Pothole" in Transportation by default) with the Falls Rd address
    in Hampden to report it at."""
    from cityhall.catalog.models import ServiceType

    make_address("3600 Falls Rd")
    fields = {"name_en": "Pothole", "name_es": "Bache", "sla_days": 3} | extra
    return ServiceType.objects.create(
        code=code, department=department or make_department("transportation", "Transportation"),
        **fields,
    )  # fmt: skip

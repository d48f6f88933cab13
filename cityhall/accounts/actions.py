"""Every write to accounts, profiles, addresses, consent and deletion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cityhall.accounts.consent import CONSENT_TEXTS
from cityhall.accounts.models import (
    ConsentPurpose,
    ConsentRecord,
    DeletionRequest,
    DeletionStatus,
    Digest,
    Persona,
    PhoneVerification,
    Profile,
    SavedAddress,
    Topic,
    User,
)
from cityhall.audit.actions import record_write
from cityhall.core.phones import normalise_phone
from cityhall.places.queries import find_address

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
PROFILE_FIELDS = {
    "name",
    "personas",
    "language",
    "interests",
    "notify_email",
    "notify_sms",
    "notify_in_app",
    "sms_phone",
    "quiet_hours_start",
    "quiet_hours_end",
    "digest",
}


def _clean_profile_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate profile fields; raise ValidationError keyed by field, all problems at once."""
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if isinstance(value, str) and "\x00" in value:
            errors[name] = [_("Remove the invisible null character.")]
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        errors["__all__"] = [_("Unknown fields: %s") % ", ".join(sorted(unknown))]
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            errors["name"] = [_("Enter a name for this profile.")]
        elif len(name) > 80:
            errors["name"] = [_("Use 80 characters or fewer.")]
        fields["name"] = name
    if "personas" in fields:
        personas = list(dict.fromkeys(str(p) for p in fields["personas"] or []))
        bad = [p for p in personas if p not in Persona.values]
        if bad:
            errors["personas"] = [_("Unknown persona: %s") % ", ".join(map(str, bad))]
        fields["personas"] = personas
    if "interests" in fields:
        interests = list(dict.fromkeys(str(t) for t in fields["interests"] or []))
        bad = [t for t in interests if t not in Topic.values]
        if bad:
            errors["interests"] = [_("Unknown topic: %s") % ", ".join(map(str, bad))]
        fields["interests"] = interests
    if "language" in fields and fields["language"] not in LANGUAGE_CODES:
        errors["language"] = [_("Choose English or Spanish.")]
    if "digest" in fields:
        fields["digest"] = str(fields["digest"])
    if "digest" in fields and fields["digest"] not in Digest.values:
        errors["digest"] = [_("Choose how often to hear from us.")]
    if "sms_phone" in fields:
        phone = "".join(ch for ch in (fields["sms_phone"] or "") if ch.isdigit() or ch == "+")
        if phone and not (10 <= len(phone.lstrip("+")) <= 15):
            errors["sms_phone"] = [_("Enter a mobile number with 10 to 15 digits.")]
        fields["sms_phone"] = phone
    if errors:
        raise ValidationError(errors)
    return fields


def _check_sms_ready(profile: Profile) -> None:
    """Rules about the profile as a whole, checked after the changes are applied."""
    if profile.notify_sms and not profile.sms_phone:
        raise ValidationError({"sms_phone": [_("Add a mobile number to get text messages.")]})
    if (profile.quiet_hours_start is None) != (profile.quiet_hours_end is None):
        raise ValidationError(
            {"quiet_hours_end": [_("Give both a start and an end for quiet hours.")]}
        )


@transaction.atomic
def create_primary_profile(*, actor: User) -> Profile:
    """Called once at sign-up: every account starts with a profile for its holder."""
    existing = Profile.objects.filter(account=actor, is_primary=True).first()
    if existing:
        return existing
    name = actor.get_full_name() or actor.email.split("@")[0]
    profile = Profile.objects.create(account=actor, name=name, is_primary=True)
    ConsentRecord.objects.bulk_create(
        ConsentRecord(account=actor, purpose=p, granted=False, text_version=v)
        for p, (v, _text) in CONSENT_TEXTS.items()
    )
    return profile


def create_profile(
    *, actor: User, idempotency_key: str | None = None, **fields: Any
) -> tuple[Profile, bool]:
    """Add a household profile. Returns (profile, created); a retried key returns the first."""
    fields = _clean_profile_fields(dict(fields))
    if "name" not in fields:
        raise ValidationError({"name": [_("Enter a name for this profile.")]})
    key = (idempotency_key or "").strip()[:64] or None
    try:
        with transaction.atomic():
            User.objects.select_for_update().get(pk=actor.pk)
            if key:
                previous = Profile.objects.filter(account=actor, creation_key=key).first()
                if previous:
                    return previous, False
            count = Profile.objects.filter(account=actor).count()
            if count >= settings.MAX_PROFILES_PER_ACCOUNT:
                raise ValidationError(
                    {
                        "__all__": [
                            _(
                                "An account can hold up to %(max)d profiles. Remove one "
                                "before adding another."
                            )
                            % {"max": settings.MAX_PROFILES_PER_ACCOUNT}
                        ]
                    }
                )
            profile = Profile(account=actor, creation_key=key, **fields)
            _check_sms_ready(profile)
            profile.save()
            return profile, True
    except IntegrityError:
        if not key:
            raise
        # Two retries raced on the same key: the other one won.
        previous = Profile.objects.filter(account=actor, creation_key=key).first()
        if previous:
            return previous, False
        raise


@transaction.atomic
def update_profile(*, actor: User, profile: Profile, **fields: Any) -> Profile:
    if profile.account_id != actor.pk:
        raise PermissionError("Not your profile")
    fields = _clean_profile_fields(dict(fields))
    for name, value in fields.items():
        setattr(profile, name, value)
    _check_sms_ready(profile)
    profile.save()
    return profile


@transaction.atomic
def delete_profile(*, actor: User, profile: Profile) -> None:
    if profile.account_id != actor.pk:
        raise PermissionError("Not your profile")
    if profile.is_primary:
        raise ValidationError(
            {"__all__": [_("The account holder's own profile can't be removed.")]}
        )
    profile.delete()


def add_saved_address(
    *,
    actor: User,
    profile: Profile,
    address_text: str,
    label: str = "",
    unit: str = "",
    idempotency_key: str | None = None,
) -> tuple[SavedAddress, bool]:
    if profile.account_id != actor.pk:
        raise PermissionError("Not your profile")
    errors: dict[str, list[str]] = {}
    address_text = (address_text or "").strip()
    label, unit = (label or "").strip(), (unit or "").strip()
    address = None
    if not address_text:
        errors["address"] = [_("Enter a street address, for example 3016 Thorndale Ave.")]
    elif len(address_text) > 200:
        errors["address"] = [_("Use 200 characters or fewer.")]
    else:
        address = find_address(address_text)
        if address is None:
            errors["address"] = [
                _(
                    "We couldn't find that address in the city's address list. Check the "
                    "house number and street, or choose one of the suggestions."
                )
            ]
    if len(label) > 40:
        errors["label"] = [_("Use 40 characters or fewer.")]
    if len(unit) > 20:
        errors["unit"] = [_("Use 20 characters or fewer.")]
    if errors:
        raise ValidationError(errors)
    assert address is not None
    key = (idempotency_key or "").strip()[:64] or None
    try:
        with transaction.atomic():
            if key:
                previous = SavedAddress.objects.filter(profile=profile, creation_key=key).first()
                if previous:
                    return previous, False
            if SavedAddress.objects.filter(profile=profile, address=address, unit=unit).exists():
                raise ValidationError({"address": [_("This address is already saved.")]})
            saved = SavedAddress.objects.create(
                profile=profile, address=address, label=label, unit=unit, creation_key=key
            )
            return saved, True
    except IntegrityError:
        previous = (
            SavedAddress.objects.filter(profile=profile, creation_key=key).first() if key else None
        )
        if previous:
            return previous, False
        raise ValidationError({"address": [_("This address is already saved.")]}) from None


@transaction.atomic
def remove_saved_address(*, actor: User, saved: SavedAddress) -> None:
    if saved.profile.account_id != actor.pk:
        raise PermissionError("Not your address")
    saved.delete()


@transaction.atomic
def set_consent(*, actor: User, purpose: str, granted: bool) -> ConsentRecord:
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": [_("Unknown consent.")]})
    version, _text = CONSENT_TEXTS[ConsentPurpose(purpose)]
    return ConsentRecord.objects.create(
        account=actor, purpose=purpose, granted=granted, text_version=version
    )


def request_deletion(*, actor: User) -> DeletionRequest:
    """Schedule the account's anonymisation after a grace period the resident can cancel in."""
    from cityhall.accounts.tasks import anonymise_account_task

    with transaction.atomic():
        User.objects.select_for_update().get(pk=actor.pk)
        existing = DeletionRequest.objects.filter(
            account=actor, status=DeletionStatus.PENDING
        ).first()
        if existing:
            return existing
        due = timezone.now() + dt.timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
        request = DeletionRequest.objects.create(account=actor, scheduled_for=due)
        transaction.on_commit(
            lambda: anonymise_account_task.using(run_after=due).enqueue(request.pk)
        )
        return request


@transaction.atomic
def cancel_deletion(*, actor: User) -> bool:
    updated = DeletionRequest.objects.filter(account=actor, status=DeletionStatus.PENDING).update(
        status=DeletionStatus.CANCELLED, finished_at=timezone.now()
    )
    return bool(updated)


def anonymise_account(*, request_id: int) -> bool:
    """Carry out a due deletion. Idempotent: a retried or duplicated task does nothing twice.

    The user row stays, emptied, so records staff can see (cases, audit) keep pointing at
    "a deleted resident" instead of vanishing or keeping personal data.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.status != DeletionStatus.PENDING:
            return False
        if request.scheduled_for > timezone.now():
            return False
        user = User.objects.select_for_update().get(pk=request.account_id)
        # Other apps that hold this person's details forget them in the same transaction.
        for eraser in settings.PERSONAL_DATA_ERASERS:
            import_string(eraser)(user=user, email=user.email, phone=user.phone)
        session_keys = list(
            UserSession.objects.filter(user=user).values_list("session_key", flat=True)
        )
        Session.objects.filter(session_key__in=session_keys).delete()
        UserSession.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Profile.objects.filter(account=user).delete()
        ConsentRecord.objects.filter(account=user).delete()
        PhoneVerification.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}@invalid.example"
        user.first_name = ""
        user.last_name = ""
        user.phone = ""
        user.phone_verified_at = None
        user.is_active = False
        user.set_unusable_password()
        user.anonymised_at = timezone.now()
        user.save()
        request.status = DeletionStatus.COMPLETED
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "finished_at"])
        record_write(
            actor=None,
            action="account.anonymised",
            summary="Account anonymised at the resident's request",
            subject=user,
            obj=user,
        )
        return True


# --- Verifying a mobile number ---------------------------------------------------------------

PHONE_CODE_MINUTES = 30


def _phone_code_hash(phone: str, code: str) -> str:
    import hashlib
    import hmac

    return hmac.new(
        settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def start_phone_verification(*, actor: Any, phone: str) -> tuple[str, str]:
    """Returns (normalised phone, code). The resident texts "VERIFY <code>" from that phone."""
    import secrets

    normalised = normalise_phone(phone)
    if not normalised:
        raise ValidationError({"phone": [_("Enter a mobile number with its area code.")]})
    code = f"{secrets.randbelow(1_000_000):06d}"
    PhoneVerification.objects.filter(user=actor, verified_at__isnull=True).delete()
    PhoneVerification.objects.create(
        user=actor,
        phone=normalised,
        code_hash=_phone_code_hash(normalised, code),
        expires_at=timezone.now() + dt.timedelta(minutes=PHONE_CODE_MINUTES),
    )
    record_write(actor=actor, action="account.phone_verification_started", summary="Phone check")
    return normalised, code


@transaction.atomic
def confirm_phone_by_text(*, phone: str, code: str) -> User | None:
    """Called for an inbound "VERIFY <code>" text from `phone`. The number then belongs to that
    account alone (any other account that had it verified loses it)."""

    pending = (
        PhoneVerification.objects.select_for_update()
        .select_related("user")
        .filter(
            phone=phone,
            code_hash=_phone_code_hash(phone, code.strip()),
            verified_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if pending is None or not pending.user.is_active:
        return None
    now = timezone.now()
    pending.verified_at = now
    pending.save(update_fields=["verified_at"])
    User.objects.filter(phone=phone).exclude(pk=pending.user_id).update(
        phone="", phone_verified_at=None
    )
    user = pending.user
    user.phone, user.phone_verified_at = phone, now
    user.save(update_fields=["phone", "phone_verified_at"])
    record_write(
        actor=user, action="account.phone_verified", summary="Mobile number verified", subject=user
    )
    return user

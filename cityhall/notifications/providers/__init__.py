"""Provider adapters, chosen by settings."""

from __future__ import annotations

from django.conf import settings

from cityhall.notifications.providers.base import Provider


def configured_providers() -> dict[str, Provider]:
    from cityhall.notifications.providers.email import EmailProvider

    providers: dict[str, Provider] = {"email": EmailProvider()}
    if getattr(settings, "TWILIO_ACCOUNT_SID", ""):
        from cityhall.notifications.providers.twilio import TwilioSmsProvider

        providers["sms"] = TwilioSmsProvider.from_settings()
    return providers

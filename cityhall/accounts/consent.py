"""The words residents agree to. Change the text, bump the version: old consents keep theirs."""

from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import ConsentPurpose

CONSENT_TEXTS = {
    ConsentPurpose.PERSONALISATION: (
        "2026-11-v1",
        _(
            "Use what I do on this site (services I view, searches, requests I make) to suggest "
            "services for me. Without it you still get suggestions based on your profile, "
            "neighbourhood and the season."
        ),
    ),
    ConsentPurpose.SHARING: (
        "2026-11-v1",
        _(
            "Let city departments I use see the details I keep here (name, contact, addresses) "
            "so I don't have to tell each of them again."
        ),
    ),
    ConsentPurpose.SMS: (
        "2026-11-v1",
        _(
            "Send me text messages about things I ask to be told about. Message and data rates "
            "may apply. Reply STOP to any message to stop."
        ),
    ),
}

"""The data dictionary of the service requests dataset: every column, its type and meaning."""

from django.utils.translation import gettext_lazy as _

DATASET_SLUG = "service-requests"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}

COLUMNS = [
    ("service_request_id", "string", _("The request number (the same as in Open311).")),
    ("service_code", "string", _("The request type's code (Open311 service_code).")),
    ("service_name", "string", _("The request type.")),
    ("department", "string", _("The department that handles it, when routed.")),
    ("status", "string", _("received, assigned, in_progress, scheduled, resolved or closed.")),
    ("channel", "string", _("How it came in: web, api, open311, sms, email, phone, internal.")),
    ("requested_datetime", "datetime", _("When it came in (ISO 8601, local time with offset).")),
    ("updated_datetime", "datetime", _("When it last changed.")),
    ("closed_datetime", "datetime", _("When it was resolved or closed; empty while open.")),
    ("expected_datetime", "datetime", _("The service-level deadline, when the type has one.")),
    ("closed_in_time", "boolean", _("Closed by the deadline (empty when open or no deadline).")),
    ("days_to_close", "number", _("Days from coming in to being closed, one decimal.")),
    ("reopened", "boolean", _("Whether the requester reopened it at least once.")),
    ("neighbourhood", "string", _("The neighbourhood it is in.")),
    ("address", "string", _("Street address; empty for requests about a person or a home.")),
    ("lat", "number", _("Latitude (WGS84). Coarsened for requests about a person or a home.")),
    ("long", "number", _("Longitude (WGS84). Coarsened likewise.")),
    (
        "location_precision",
        "string",
        _("exact; coarsened (the centre of a hexagon about 500 m across, 3 decimals); or none."),
    ),
    (
        "description",
        "string",
        _(
            "The requester's description, only from channels whose descriptions are public "
            "(web, apps, Open311), with emails, phone numbers, names and long numbers removed; "
            "empty otherwise and for requests about a person or a home."
        ),
    ),
]
FIELD_NAMES = [c[0] for c in COLUMNS]

"""Departments and the staff who work in them."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name_en = models.CharField(max_length=120)
    name_es = models.CharField(max_length=120)
    summary_en = models.CharField(max_length=300, blank=True)
    summary_es = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if translation.get_language() == "es" else self.name_en


class Team(models.Model):
    """A group inside a department that works its own queue (e.g. "Street crews, north")."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["department__name_en", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="team_name_per_department")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    AGENT = "agent", _("311 agent")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    DEPARTMENT_ADMIN = "department_admin", _("Department admin")
    CITY_ADMIN = "city_admin", _("City admin")
    AUDITOR = "auditor", _("Auditor")


# Roles that may look at a resident's personal data (each look is audited).
RESIDENT_DATA_ROLES = frozenset(
    {Role.AGENT, Role.CASEWORKER, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
)
AUDIT_ROLES = frozenset({Role.AUDITOR, Role.CITY_ADMIN})
CITY_WIDE_ROLES = frozenset({Role.CITY_ADMIN, Role.AUDITOR})


class StaffMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Empty for city-wide roles (city admin, auditor).",
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"], name="unique_membership_per_department"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(department__isnull=True),
                name="unique_city_wide_membership",
            ),
        ]

    def __str__(self) -> str:
        where = self.department.code if self.department else "city-wide"
        return f"{self.user} · {self.get_role_display()} · {where}"


class Office(models.Model):
    """A place residents can visit (City Hall, a library, the permit counter) and when it is
    open. `hours` maps a weekday number (0 = Monday, as text) to a list of [opens, closes]
    pairs in local time ("08:30"); a missing day is closed. Offices that close on city
    holidays follow `cases.Holiday`."""

    slug = models.SlugField(max_length=64, unique=True)
    name_en = models.CharField(max_length=120)
    name_es = models.CharField(max_length=120)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="offices"
    )
    address = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    keywords = models.CharField(
        max_length=300, blank=True, help_text="Words residents use for it, English and Spanish."
    )
    hours = models.JSONField(default=dict, blank=True)
    closed_on_holidays = models.BooleanField(default=True)
    is_main = models.BooleanField(
        default=False, help_text="The office meant when a resident does not say which."
    )

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return self.name_es if translation.get_language() == "es" else self.name_en

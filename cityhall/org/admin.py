"""City admins configure departments, staff roles and reference data in Django's admin.

Only city admins (with a second factor, enforced by the staff middleware) get in, and every
change made here lands in the audit log.
"""

from typing import Any

from allauth.idp.oidc.admin import ClientAdmin
from allauth.idp.oidc.models import Client
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityhall.audit.actions import record_write
from cityhall.audit.models import AuditEvent
from cityhall.cases.models import Holiday, ResponseTemplate, RoutingRule
from cityhall.catalog.models import ServiceType
from cityhall.open311.models import ApiKey
from cityhall.org.models import Department, Office, StaffMembership, Team
from cityhall.org.queries import is_city_admin
from cityhall.places.models import Address, CollectionSchedule, Neighbourhood
from cityhall.search.actions import (
    clean_synonym_terms,
    request_index_refresh,
    save_synonym_group,
)
from cityhall.search.models import SynonymGroup
from cityhall.sso.models import ConnectedService, SharedField


class CityAdminSite(admin.AdminSite):
    site_header = "City administration"
    site_title = "City administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and is_city_admin(request.user))


city_admin_site = CityAdminSite(name="cityadmin")


class AuditedAdmin(admin.ModelAdmin):
    """Every write through the admin becomes an audit row in the same transaction."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_city_admin(request.user)

    has_module_permission = has_view_permission  # type: ignore[assignment]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_city_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_city_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_city_admin(request.user)

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        verb = "changed" if change else "added"
        record_write(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.{verb}",
            summary=f"{str(obj._meta.verbose_name).capitalize()} “{obj}” {verb}",
            obj=obj,
            detail={"fields": list(form.changed_data)},
        )

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        record_write(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.deleted",
            summary=f"{str(obj._meta.verbose_name).capitalize()} “{obj}” deleted",
            obj=obj,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Department, site=city_admin_site)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name_en", "name_es", "code", "is_active"]
    search_fields = ["name_en", "name_es", "code"]


@admin.register(StaffMembership, site=city_admin_site)
class StaffMembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "department", "team", "created_at"]
    list_filter = ["role", "department"]
    search_fields = ["user__email"]
    autocomplete_fields = ["department"]
    raw_id_fields = ["user"]


@admin.register(Team, site=city_admin_site)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "department"]
    list_filter = ["department"]
    search_fields = ["name"]


@admin.register(RoutingRule, site=city_admin_site)
class RoutingRuleAdmin(AuditedAdmin):
    """Type and/or area → department and team; the most specific active rule wins."""

    list_display = ["service_type", "neighbourhood", "department", "team", "is_active"]
    list_filter = ["is_active", "department"]
    autocomplete_fields = ["service_type", "neighbourhood", "department", "team"]


@admin.register(Holiday, site=city_admin_site)
class HolidayAdmin(AuditedAdmin):
    list_display = ["date", "name"]


@admin.register(ResponseTemplate, site=city_admin_site)
class ResponseTemplateAdmin(AuditedAdmin):
    list_display = ["title", "department"]
    list_filter = ["department"]


@admin.register(ServiceType, site=city_admin_site)
class ServiceTypeAdmin(AuditedAdmin):
    list_display = ["name_en", "department", "group_en", "sla_days", "sla_working_days", "source"]
    list_filter = ["department", "source"]
    search_fields = ["name_en", "name_es", "code"]


@admin.register(Neighbourhood, site=city_admin_site)
class NeighbourhoodAdmin(AuditedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    exclude = ["boundary"]


@admin.register(CollectionSchedule, site=city_admin_site)
class CollectionScheduleAdmin(AuditedAdmin):
    list_display = ["neighbourhood", "trash_weekday", "recycling_weekday"]
    list_filter = ["trash_weekday"]
    search_fields = ["neighbourhood__name"]


@admin.register(Office, site=city_admin_site)
class OfficeAdmin(AuditedAdmin):
    """Opening hours as JSON: {"0": [["08:30", "16:30"]], …} with 0 = Monday."""

    list_display = ["name_en", "department", "is_main", "closed_on_holidays"]
    search_fields = ["name_en", "name_es", "keywords"]


@admin.register(Address, site=city_admin_site)
class AddressAdmin(AuditedAdmin):
    list_display = ["line", "postcode", "neighbourhood"]
    search_fields = ["normalised"]
    raw_id_fields = ["neighbourhood"]


class SynonymGroupForm(forms.ModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["terms", "is_active"]
        help_texts = {"terms": 'A JSON list, for example ["trash", "garbage", "basura"].'}

    def clean_terms(self) -> list[str]:
        try:
            return clean_synonym_terms(self.cleaned_data["terms"])
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["terms"]) from None


@admin.register(SynonymGroup, site=city_admin_site)
class SynonymGroupAdmin(AuditedAdmin):
    """Words residents use for the same thing; search picks up changes within seconds."""

    form = SynonymGroupForm
    list_display = ["__str__", "is_active", "updated_at"]
    list_filter = ["is_active"]

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        save_synonym_group(  # the action audits and refreshes the index
            actor=request.user,
            terms=form.cleaned_data["terms"],
            is_active=form.cleaned_data["is_active"],
            group=obj,  # type: ignore[arg-type]
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        super().delete_model(request, obj)
        request_index_refresh()


@admin.register(ApiKey, site=city_admin_site)
class ApiKeyAdmin(AuditedAdmin):
    """Keys are issued with `cityhall open311-key create NAME`; here they can be revoked."""

    list_display = ["name", "prefix", "is_active", "created_at"]
    fields = ["name", "prefix", "is_active"]
    readonly_fields = ["prefix"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


@admin.register(AuditEvent, site=city_admin_site)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "kind", "action", "summary"]
    list_filter = ["kind"]
    search_fields = ["actor_label", "action", "summary"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_city_admin(request.user)

    has_module_permission = has_view_permission  # type: ignore[assignment]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConnectedServiceForm(forms.ModelForm):
    allowed_fields = forms.MultipleChoiceField(
        choices=SharedField.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("A service is only ever sent the fields ticked here."),
    )  # fmt: skip

    class Meta:
        model = ConnectedService
        fields = ["name", "department", "client", "webhook_url", "allowed_fields", "is_active"]


@admin.register(ConnectedService, site=city_admin_site)
class ConnectedServiceAdmin(AuditedAdmin):
    """A department system: its OIDC client (`cityhall oidc-client create`), its webhook and
    the fields residents' changes may carry to it. The webhook secret is shown once saved."""

    form = ConnectedServiceForm
    list_display = ["name", "department", "client", "webhook_url", "is_active"]
    readonly_fields = ["webhook_secret"]


city_admin_site.register(Client, ClientAdmin)

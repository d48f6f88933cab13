from django.conf import settings
from django.conf.urls.i18n import i18n_patterns  # noqa: F401
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog  # noqa: F401

from cityhall.api import api
from cityhall.org.admin import city_admin_site

urlpatterns = [
    path("", include("cityhall.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("cityhall.accounts.urls")),
    path("staff/", include("cityhall.org.urls")),
    path("admin/", city_admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

admin.site.site_header = settings.CITY_NAME

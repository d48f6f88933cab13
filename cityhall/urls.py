from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cityhall.api import api
from cityhall.org.admin import city_admin_site
from cityhall.search import views as search_views
from cityhall.sso import views as sso_views

urlpatterns = [
    path("", include("cityhall.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("cityhall.accounts.urls")),
    path("services/", include("cityhall.catalog.urls")),
    path("", include("cityhall.cases.urls")),
    path("search/", include("cityhall.search.urls")),
    path("", include("cityhall.notifications.urls")),
    path("", include("cityhall.sso.urls")),
    path("", include("cityhall.personalization.urls")),
    path("", include("cityhall.assistant.urls")),
    path("", include("cityhall.insights.urls")),
    path("", include("cityhall.opendata.urls")),
    # The city's OpenID Connect provider: allauth's, with our consent step in front.
    path("identity/o/authorize", sso_views.authorization),
    path("identity/o/logout", sso_views.logout),
    path("", include("allauth.idp.urls")),
    path("staff/catalog/", include("cityhall.catalog.staff_urls")),
    path("staff/search/", search_views.analytics, name="search_analytics"),
    path("staff/", include("cityhall.org.urls")),
    path("admin/", city_admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("cityhall.open311.urls")),
    path("intake/", include("cityhall.intake.urls")),
]

admin.site.site_header = settings.CITY_NAME

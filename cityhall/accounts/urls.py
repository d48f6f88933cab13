from django.urls import path

from cityhall.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_home, name="home"),
    path("profiles/new/", views.profile_create, name="profile_create"),
    path("profiles/switch/", views.profile_switch, name="profile_switch"),
    path("profiles/<int:profile_id>/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:profile_id>/delete/", views.profile_delete, name="profile_delete"),
    path("profiles/<int:profile_id>/addresses/", views.address_add, name="address_add"),
    path(
        "profiles/<int:profile_id>/addresses/<int:address_id>/remove/",
        views.address_remove,
        name="address_remove",
    ),
    path("addresses/suggest/", views.address_suggestions, name="address_suggestions"),
    path("phone/", views.phone, name="phone"),
    path("consent/", views.consent, name="consent"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/data.json", views.data_export, name="data_export"),
    path("privacy/delete/", views.deletion_request, name="deletion_request"),
    path("privacy/delete/cancel/", views.deletion_cancel, name="deletion_cancel"),
]

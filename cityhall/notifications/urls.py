from django.urls import path

from cityhall.notifications import views

app_name = "notifications"

urlpatterns = [
    path("account/inbox/", views.inbox, name="inbox"),
    path("account/notifications/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/twilio/status", views.twilio_status, name="twilio_status"),
    path("staff/notifications/", views.dashboard, name="dashboard"),
    path("staff/notifications/templates/", views.templates, name="templates"),
    path(
        "staff/notifications/templates/<str:kind>/<str:channel>/<str:language>/",
        views.template_edit,
        name="template",
    ),
    path("staff/notifications/campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("staff/notifications/campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("staff/notifications/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
]

from django.urls import path

from cityhall.personalization import views

app_name = "personalization"

urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("for-you/dismiss/", views.dismiss, name="dismiss"),
    path("for-you/personalisation/", views.switch, name="switch"),
    path("for-you/life-events/", views.declare, name="declare"),
    path("for-you/journeys/<slug:slug>/", views.journey, name="journey"),
    path("for-you/journeys/<slug:slug>/steps/", views.journey_step, name="journey_step"),
    path("for-you/journeys/<slug:slug>/remove/", views.journey_withdraw, name="journey_withdraw"),
]

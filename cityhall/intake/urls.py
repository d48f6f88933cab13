from django.urls import path

from cityhall.intake import views

app_name = "intake"
urlpatterns = [
    path("sms/twilio", views.twilio_sms, name="twilio_sms"),
    path("email/inbound", views.inbound_email, name="inbound_email"),
]

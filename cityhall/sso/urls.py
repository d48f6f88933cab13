from django.urls import path

from cityhall.sso import views

app_name = "sso"

urlpatterns = [
    path("account/connected/", views.connected_services, name="connected"),
    path("account/tell-us-once/", views.tell_us_once, name="tell"),
]

from django.urls import path

from cityhall.audit import views as audit_views
from cityhall.org import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("residents/", views.resident_search, name="resident_search"),
    path("residents/<int:resident_id>/", views.resident_record, name="resident_record"),
    path("audit/", audit_views.audit_search, name="audit"),
]

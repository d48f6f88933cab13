from django.urls import path

from cityhall.cases import views

app_name = "cases"
urlpatterns = [
    path("report/<slug:service_code>/", views.report, name="report"),
    path("cases/<str:reference>/", views.detail, name="detail"),
    path("account/cases/", views.my_cases, name="mine"),
]

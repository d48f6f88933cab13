from django.urls import path

from cityhall.cases import views

app_name = "cases"
urlpatterns = [
    path("report/<slug:service_code>/", views.report, name="report"),
    path("report/<slug:service_code>/nearby/", views.nearby, name="nearby"),
    path("cases/<str:reference>/", views.detail, name="detail"),
    path("cases/<str:reference>/photos/<str:token>/", views.photo, name="photo"),
    path("cases/<str:reference>/follow/", views.follow, name="follow"),
    path("cases/<str:reference>/reopen/", views.reopen, name="reopen"),
    path("cases/<str:reference>/rate/", views.rate, name="rate"),
    path("account/cases/", views.my_cases, name="mine"),
    path("staff/cases/", views.queue, name="queue"),
    path("staff/cases/bulk/", views.bulk, name="bulk"),
    path("staff/cases/views/", views.save_view, name="save_view"),
    path("staff/cases/views/<int:view_id>/delete/", views.delete_view, name="delete_view"),
    path("staff/cases/new/", views.phone_intake, name="phone_intake"),
    path("staff/cases/<str:reference>/", views.staff_case, name="staff_case"),
]

from django.urls import path

from cityhall.catalog import views

app_name = "catalog_staff"
urlpatterns = [
    path("", views.staff_catalog, name="index"),
    path("<slug:kind>/<int:object_id>/edit/", views.staff_edit, name="edit"),
    path("revisions/<int:revision_id>/", views.staff_revision, name="revision"),
    path("revisions/<int:revision_id>/decide/", views.staff_decide, name="decide"),
]

from django.urls import path, re_path

from cityhall.opendata import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/data.json", views.catalog, name="catalog"),
    re_path(
        r"^open-data/files/(?P<name>[a-z0-9-]+\.(?:csv|json|geojson))$",
        views.published_file,
        name="file",
    ),
]

from django.urls import path

from cityhall.insights import views

app_name = "insights"

urlpatterns = [
    path("staff/insights/", views.dashboard, name="dashboard"),
    path("staff/insights/panels/<slug:name>.csv", views.panel_csv, name="panel_csv"),
    path("staff/insights/map/", views.city_map, name="map"),
    path("staff/insights/equity/", views.equity, name="equity"),
    path("scorecard/", views.scorecard, name="scorecard"),
]

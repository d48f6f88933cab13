from django.urls import path

from cityhall.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("life-events/<slug:slug>/", views.life_event, name="life_event"),
    path("for/<slug:persona>/", views.persona, name="persona"),
    path("topics/<slug:topic>/", views.topic, name="topic"),
    path("help/<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/", views.service, name="service"),
]

from django.urls import path

from cityhall.assistant import views

app_name = "assistant"

urlpatterns = [
    path("assistant/", views.chat, name="chat"),
    path("assistant/transcript/", views.transcript, name="transcript"),
    path("staff/assistant/", views.staff_queue, name="staff_queue"),
    path("staff/assistant/insights/", views.staff_insights, name="staff_insights"),
    path(
        "staff/assistant/questions/<int:question_id>/",
        views.staff_question,
        name="staff_question",
    ),
    path(
        "staff/assistant/<str:public_id>/",
        views.staff_conversation,
        name="staff_conversation",
    ),
]

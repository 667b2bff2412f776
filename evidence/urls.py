from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("new/", views.evidence_create, name="create"),
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/edit/", views.evidence_edit, name="edit"),
    path("<int:pk>/file/", views.evidence_attachment, name="attachment"),
    path("part-two/", views.part_two, name="part_two"),
    path("part-two/<int:number>/", views.part_two_question, name="question"),
    path("part-two/<int:number>/conclusion/", views.part_two_conclusion, name="conclusion"),
    path("prompts/", views.ofsted_prompts, name="prompts"),
    path("conversations/", views.conversations, name="conversations"),
    path("conversations/new/", views.conversation_create, name="conversation_new"),
    path("conversations/pupil/<int:pk>/new/", views.conversation_create, name="conversation_create"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path("conversations/<int:pk>/review/", views.conversation_review, name="conversation_review"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/round/", views.survey_round_create, name="survey_round"),
]

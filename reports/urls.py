from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("sef/", views.sef, name="sef"),
    path("sef/governor/", views.sef_governor, name="sef_governor"),
    path("sef/edit/", views.sef_edit, name="sef_edit"),
    path("sef/sign-off/", views.sef_sign_off, name="sef_sign_off"),
    path("sef/signed/<int:pk>/", views.sign_off, name="sign_off"),
    path("sef/signed/<int:pk>/governor/", views.sign_off_governor, name="sign_off_governor"),
    path("prompts/", views.prompts, name="prompts"),
    path("prompts/edit/", views.prompts_edit, name="prompts_edit"),
    path("case-studies/", views.case_studies, name="case_studies"),
    path("case-studies/new/<int:pk>/", views.case_study_create, name="case_study_create"),
    path("case-studies/<int:pk>/", views.case_study, name="case_study"),
    path("case-studies/<int:pk>/edit/", views.case_study_edit, name="case_study_edit"),
]

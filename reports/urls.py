from django.urls import path

from . import inspection_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("sef/", views.sef, name="sef"),
    path("sef/governor/", views.sef_governor, name="sef_governor"),
    path("sef/edit/", views.sef_edit, name="sef_edit"),
    path("sef/framework/", views.sef_framework, name="sef_framework"),
    path("inclusion/", views.inclusion, name="inclusion"),
    path("inclusion/governor/", views.inclusion_governor, name="inclusion_governor"),
    path("sef/sign-off/", views.sef_sign_off, name="sef_sign_off"),
    path("sef/signed/<int:pk>/", views.sign_off, name="sign_off"),
    path("sef/signed/<int:pk>/governor/", views.sign_off_governor, name="sign_off_governor"),
    path("prompts/", views.prompts, name="prompts"),
    path("prompts/edit/", views.prompts_edit, name="prompts_edit"),
    path("case-studies/", views.case_studies, name="case_studies"),
    path("case-studies/new/<int:pk>/", views.case_study_create, name="case_study_create"),
    path("case-studies/<int:pk>/", views.case_study, name="case_study"),
    path("case-studies/<int:pk>/edit/", views.case_study_edit, name="case_study_edit"),
    path("trust/governor-pack/", views.governor_pack, name="governor_pack"),
    # Inspection: the case sample, each pupil's journey, the SEN information report
    path("sample/", inspection_views.sample, name="sample"),
    path("sample/add/<int:pk>/", inspection_views.sample_add, name="sample_add"),
    path("sample/remove/<int:pk>/", inspection_views.sample_remove, name="sample_remove"),
    path("journey/<int:pk>/", inspection_views.journey, name="journey"),
    path("journey/<int:pk>/anonymised/", inspection_views.journey_anonymised, name="journey_anonymised"),
    path("information-report/", inspection_views.information_report, name="information_report"),
    path(
        "information-report/edit/", inspection_views.information_report_edit, name="information_report_edit"
    ),
    path(
        "information-report/redraft/",
        inspection_views.information_report_redraft,
        name="information_report_redraft",
    ),
]

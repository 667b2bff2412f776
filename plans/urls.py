from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("pupil/<int:pk>/", views.pupil_plans, name="pupil"),
    path("pupil/<int:pk>/support-plan/new/", views.plan_new, name="plan_new"),
    path("pupil/<int:pk>/support-plans/", views.plan_history, name="plan_history"),
    path("pupil/<int:pk>/passport/", views.passport, name="passport"),
    path("pupil/<int:pk>/passport/edit/", views.passport_edit, name="passport_edit"),
    path("pupil/<int:pk>/ehc-plan/new/", views.ehcp_new, name="ehcp_new"),
    path("support-plan/<int:pk>/", views.plan_detail, name="plan"),
    path("support-plan/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("support-plan/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("ehc-plan/<int:pk>/", views.ehcp_detail, name="ehcp"),
    path("ehc-plan/<int:pk>/edit/", views.ehcp_edit, name="ehcp_edit"),
    path("ehc-plan/<int:pk>/review/", views.ehcp_review_new, name="ehcp_review_new"),
    path("ehcp-review/<int:pk>/", views.ehcp_review, name="ehcp_review"),
]

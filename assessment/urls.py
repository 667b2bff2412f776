from django.urls import path

from . import views, views_engagement, views_frameworks

app_name = "assessment"

urlpatterns = [
    path("grid/", views.grid, name="grid"),
    path("grid/export.csv", views.grid_csv, name="grid_csv"),
    path("pupils.csv", views.pupils_csv, name="pupils_csv"),
    path("scheme/", views.scheme, name="scheme"),
    path("scheme/points/<int:year>/", views.scheme_points, name="scheme_points"),
    path("scheme/subjects/", views.scheme_subjects, name="scheme_subjects"),
    path("scheme/bands/<slug:kind>/", views.scheme_bands, name="scheme_bands"),
    path("pupil/<int:pk>/targets/", views.pupil_targets, name="pupil_targets"),
    path("pupil/<int:pk>/support/", views.support_observation_add, name="support_add"),
    path("pupil/<int:pk>/engagement/", views_engagement.engagement, name="engagement"),
    path("pupil/<int:pk>/engagement/add/", views_engagement.engagement_add, name="engagement_add"),
    path("engagement/<int:pk>/edit/", views_engagement.engagement_edit, name="engagement_edit"),
    path("pupil/<int:pk>/outcomes/", views_engagement.statutory_outcomes, name="statutory_outcomes"),
    path("frameworks/", views_frameworks.framework_list, name="frameworks"),
    path("frameworks/add/<slug:kind>/", views_frameworks.framework_add, name="framework_add"),
    path("frameworks/<int:pk>/", views_frameworks.framework_edit, name="framework_edit"),
    path("frameworks/place/", views_frameworks.place_pupils, name="place_pupils"),
    path("pupil/<int:pk>/frameworks/", views_frameworks.pupil_placements, name="pupil_placements"),
]

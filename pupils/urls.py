from django.urls import path

from . import picker, views

app_name = "pupils"

urlpatterns = [
    path("", views.pupil_list, name="list"),
    path("new/", views.pupil_create, name="create"),
    path("pick/", picker.pupil_search, name="pick"),
    path("<int:pk>/edit/", views.pupil_edit, name="edit"),
    path("<int:pk>/sen-status/", views.pupil_sen_status, name="sen_status"),
    path("<int:pk>/concern/", views.pupil_concern, name="concern"),
    path("<int:pk>/archive/", views.pupil_archive, name="archive"),
    path("<int:pk>/restore/", views.pupil_restore, name="restore"),
    path("<int:pk>/data.json", views.pupil_data_export, name="data_export"),
    path("<int:pk>/access-log.csv", views.pupil_access_log_csv, name="access_log_csv"),
]

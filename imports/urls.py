from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_index, name="index"),
    path("ctf-export/", views.ctf_export, name="ctf_export"),
    path("template/<slug:kind>/", views.import_template, name="template"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/confirm/", views.batch_confirm, name="confirm"),
]

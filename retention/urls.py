from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.review, name="review"),
    path("periods/", views.policy_edit, name="policy_edit"),
    path("holds/", views.hold_set, name="hold_set"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
    path("purge/", views.purge, name="purge"),
]

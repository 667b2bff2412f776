from django.urls import path

from . import views

app_name = "trusts"
urlpatterns = [
    path("", views.comparison_page, name="comparison"),
]

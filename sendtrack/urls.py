from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pupils import views as pupil_views
from schools import views as school_views

from . import views

urlpatterns = [
    path("", school_views.home, name="home"),
    path("school/switch/", school_views.switch_school, name="switch_school"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("pupils/", include("pupils.urls")),
    path("register/", pupil_views.sen_register, name="sen_register"),
    path("assessment/", include("assessment.urls")),
    path("imports/", include("imports.urls")),
    path("attendance/", include("attendance.urls")),
    path("interventions/", include("interventions.urls")),
    path("evidence/", include("evidence.urls")),
    path("plans/", include("plans.urls")),
    path("gaps/", include("gaps.urls")),
    path("reports/", include("reports.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler403 = "sendtrack.views.permission_denied"

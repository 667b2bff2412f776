from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from overview import views as overview_views
from pupils import urls as pupil_urls
from pupils import views as pupil_views
from schools import views as school_views

from . import views

# The pupil page belongs to the overview app (it reads every app) but keeps its place among the
# pupil URLs, in the same namespace.
pupil_patterns = [path("<int:pk>/", overview_views.pupil_detail, name="detail"), *pupil_urls.urlpatterns]

urlpatterns = [
    path("", overview_views.home, name="home"),
    path("start/grid/", overview_views.my_grid, name="my_grid"),
    path("school/switch/", school_views.switch_school, name="switch_school"),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("pupils/", include((pupil_patterns, "pupils"))),
    path("register/", pupil_views.sen_register, name="sen_register"),
    path("assessment/", include("assessment.urls")),
    path("imports/", include("imports.urls")),
    path("attendance/", include("attendance.urls")),
    path("interventions/", include("interventions.urls")),
    path("evidence/", include("evidence.urls")),
    path("plans/", include("plans.urls")),
    path("gaps/", include("gaps.urls")),
    path("graduated/", include("graduated.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("jobs.urls")),
    path("trust/", include("trusts.urls")),
    path("retention/", include("retention.urls")),
    path("healthz", views.healthz, name="healthz"),
    # settings.ADMIN_URL: "admin/" unless production names another path (README, "The admin site").
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "sendtrack.views.bad_request"
handler403 = "sendtrack.views.permission_denied"
handler500 = "sendtrack.views.server_error"

"""The dashboards: home, the national overview and the programme page (the programme's dashboard).

Included at the root without a namespace, so the URL names stay "home", "national" and
"programme_detail" (DESIGN §5: the URL map is stable).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("national/", views.national, name="national"),
    # The programme page is the programme dashboard (DESIGN §5); it draws on every app.
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
]

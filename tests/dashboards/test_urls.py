"""dashboards/urls.py owns the dashboard routes; their names and paths are those of DESIGN §5."""

from django.urls import resolve, reverse

from config import urls as root_urls
from dashboards import urls, views

NAMES = {"home", "national", "programme_detail"}


def test_dashboard_routes_keep_their_names_and_paths():
    assert reverse("home") == "/"
    assert reverse("national") == "/national/"
    assert reverse("programme_detail", args=[7]) == "/programmes/7/"
    assert resolve("/").func is views.home
    assert resolve("/national/").func is views.national
    assert resolve("/programmes/7/").func is views.programme_detail


def test_the_dashboards_urlconf_owns_them_and_the_root_only_includes_it():
    assert {p.name for p in urls.urlpatterns} == NAMES
    assert not NAMES & {getattr(p, "name", None) for p in root_urls.urlpatterns}

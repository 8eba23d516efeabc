"""The standard cast (who may see what):

- serang_staff: Staff of Kota Serang. Reads and writes Serang's candidates, placements, training, cohorts.
- serang_official: Official of Kota Serang. Reads Serang; every write answers 403.
- serang_admin: Agreement admin of Kota Serang. Writes Serang's agreements, partners, programmes.
- blitar_staff: Staff of Kota Blitar. Serang's records answer 404.
- serang_dpo / blitar_dpo: Data-protection officer of the municipality. Reads its candidates, works its
  data subject requests and breaches; changes no candidate.
- national_viewer: no municipality; reads every municipality, writes nothing.
- superuser: everything.
Anonymous visitors are redirected to the login page.
"""

import functools
import importlib

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import Role, User
from core.models import Municipality
from tests.clients import LanguageClient


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Municipalities and role groups come from data migrations. A transactional test (live
    server, browser) ends with a flush that removes them, so such tests load them again
    (idempotent) and every test starts from the same reference data."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    # The data migrations name models as they were then (Municipality lived in programmes), so they
    # run on the models of their time; then the permission move of programmes 0003 runs as it did.
    historical = _apps_after_role_groups()
    if not Municipality.objects.filter(code="36.73").exists():
        importlib.import_module("programmes.migrations.0002_load_municipalities").load(historical, None)
    importlib.import_module("accounts.migrations.0003_role_groups").create_groups(historical, None)
    importlib.import_module("programmes.migrations.0003_municipality_in_core").move_content_type(apps, None)
    for module, function in LATER_REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


# Data migrations after the role groups (permissions of later apps, ready templates), replayed on
# today's models after a flush; add each new one here.
LATER_REFERENCE_DATA = [
    ("protection.migrations.0002_role_permissions", "grant"),
    ("messaging.migrations.0002_ready_templates", "load"),
    ("messaging.migrations.0003_role_permissions", "grant"),
    ("api.migrations.0002_agreement_admin_manages_clients", "grant"),
    ("privacy.migrations.0002_role_permissions", "grant"),
    ("privacy.migrations.0002_role_permissions", "load_policies"),
    ("scholarships.migrations.0002_role_permissions", "grant"),
]


@functools.cache
def _apps_after_role_groups():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state(("accounts", "0003_role_groups")).apps


@pytest.fixture
def serang(db) -> Municipality:
    return Municipality.objects.get(code="36.73")


@pytest.fixture
def blitar(db) -> Municipality:
    return Municipality.objects.get(code="35.72")


def make_user(username: str, role: Role | None, municipality: Municipality | None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password="correct-horse-battery", municipality=municipality, **extra
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def serang_staff(serang) -> User:
    return make_user("serang.staff", Role.STAFF, serang)


@pytest.fixture
def serang_official(serang) -> User:
    return make_user("serang.official", Role.OFFICIAL, serang)


@pytest.fixture
def serang_admin(serang) -> User:
    return make_user("serang.admin", Role.AGREEMENT_ADMIN, serang, is_staff=True)


@pytest.fixture
def blitar_staff(blitar) -> User:
    return make_user("blitar.staff", Role.STAFF, blitar)


@pytest.fixture
def serang_dpo(serang) -> User:
    return make_user("serang.dpo", Role.DATA_PROTECTION_OFFICER, serang)


@pytest.fixture
def blitar_dpo(blitar) -> User:
    return make_user("blitar.dpo", Role.DATA_PROTECTION_OFFICER, blitar)


@pytest.fixture
def national_viewer(db) -> User:
    return make_user("national.viewer", Role.NATIONAL_VIEWER, None)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", password="correct-horse-battery")


def _client_for(user: User) -> Client:
    client = LanguageClient()
    client.force_login(user)
    return client


@pytest.fixture
def client() -> Client:
    """An anonymous visitor (pytest-django's client, taking `language=` per request)."""
    return LanguageClient()


@pytest.fixture
def staff_client(serang_staff) -> Client:
    return _client_for(serang_staff)


@pytest.fixture
def official_client(serang_official) -> Client:
    return _client_for(serang_official)


@pytest.fixture
def admin_client_serang(serang_admin) -> Client:
    return _client_for(serang_admin)


@pytest.fixture
def blitar_client(blitar_staff) -> Client:
    return _client_for(blitar_staff)


@pytest.fixture
def national_client(national_viewer) -> Client:
    return _client_for(national_viewer)


@pytest.fixture
def superuser_client(superuser) -> Client:
    return _client_for(superuser)

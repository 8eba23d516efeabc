from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import require_perm
from programmes.selectors import get_programme_for_user

from . import reports
from .exports import xlsx_response
from .selectors import home_dashboard, national_overview, programme_dashboard, programme_funnels
from .tables import placements_url


def _scope(user) -> str:
    return user.municipality.name if user.municipality_id else _("All municipalities")


def _render(request, template, context, tables, *, subject=""):
    """The dashboard page, or with ?export=<table> that table as XLSX."""
    today = context["today"]
    key = request.GET.get("export")
    if key:
        table = next((t for t in tables if t.key == key), None)
        if table is None:
            raise Http404
        return xlsx_response(table, scope=_scope(request.user), subject=subject, today=today)
    return render(request, template, {**context, "tables": {t.key: t for t in tables}, "scope": _scope(request.user)})


@require_GET
@login_required
def home(request):
    """The dashboard of the user's scope; national viewers get the national view."""
    user = request.user
    if user.sees_all_municipalities and not user.is_superuser:
        return _national(request)
    today = timezone.localdate()
    dashboard = home_dashboard(user=user, today=today)
    tables = [reports.programmes_table(dashboard.programmes), reports.cohorts_table(dashboard.cohorts)]
    context = {"today": today, "dashboard": dashboard}
    return _render(request, "dashboards/home.html", context, tables, subject=_("Dashboard"))


@require_GET
@login_required
def national(request):
    """Municipalities side by side, for users who read every municipality."""
    require_perm(request.user, "accounts.view_all_municipalities")
    return _national(request)


def _national(request):
    user = request.user
    today = timezone.localdate()
    tables = [
        reports.municipalities_table(national_overview(user=user)),
        reports.programmes_table(programme_funnels(user=user)),
    ]
    return _render(request, "dashboards/national.html", {"today": today}, tables, subject=_("National view"))


@require_GET
@login_required
def programme_detail(request, pk):
    """The programme dashboard: funnel against target, breakdowns, pace and projection."""
    programme = get_programme_for_user(request.user, pk)
    today = timezone.localdate()
    dashboard = programme_dashboard(user=request.user, programme=programme, today=today)
    context = {
        "today": today,
        "programme": programme,
        "dashboard": dashboard,
        # A ministry programme seen by one office: the counts are that office's, the target is national.
        "partial_scope": programme.agreement.municipality_id is None and request.user.municipality_id is not None,
        "projection_level": reports.projection_level(dashboard),
        "links": {
            "total": placements_url(programme=programme.pk),
            "registered": placements_url(programme=programme.pk, reached="registered"),
            "ready": placements_url(programme=programme.pk, reached="ready"),
            "departed": placements_url(programme=programme.pk, reached="departed"),
            "ended": placements_url(programme=programme.pk, stage="ended"),
        },
    }
    return _render(
        request,
        "dashboards/programme_detail.html",
        context,
        reports.programme_tables(dashboard),
        subject=programme.name,
    )

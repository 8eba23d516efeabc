from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from placements.models import PlacementStage
from programmes.selectors import get_programme_for_user

from .selectors import home_programmes


@require_GET
@never_cache
def healthz(request):
    """Liveness for a load balancer: 200 with the database reachable, 503 when it is not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


@login_required
def home(request):
    rows = home_programmes(user=request.user)
    return render(request, "dashboards/home.html", {"rows": rows, "stages": PlacementStage.pipeline()})


@require_GET
@login_required
def programme_detail(request, pk):
    programme = get_programme_for_user(request.user, pk)
    return render(request, "dashboards/programme_detail.html", {"programme": programme})

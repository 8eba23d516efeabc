from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import database_reachable


@require_GET
@never_cache
def healthz(request):
    """Liveness for a load balancer: 200 with the database reachable, 503 when it is not."""
    if not database_reachable():
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@login_required
def placement_list(request):
    page = Paginator(selectors.placement_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "placements/placement_list.html", {"page_obj": page})


@require_GET
@login_required
def placement_detail(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk)
    return render(request, "placements/placement_detail.html", {"placement": placement})

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@login_required
def candidate_list(request):
    page = Paginator(selectors.candidate_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "candidates/candidate_list.html", {"page_obj": page})


@require_GET
@login_required
def candidate_detail(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk)
    return render(request, "candidates/candidate_detail.html", {"candidate": candidate})

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@login_required
def agreement_list(request):
    page = Paginator(selectors.agreement_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "programmes/agreement_list.html", {"page_obj": page})


@require_GET
@login_required
def agreement_detail(request, pk):
    agreement = selectors.get_agreement_for_user(request.user, pk)
    return render(request, "programmes/agreement_detail.html", {"agreement": agreement})


@require_GET
@login_required
def programme_list(request):
    page = Paginator(selectors.programme_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "programmes/programme_list.html", {"page_obj": page})

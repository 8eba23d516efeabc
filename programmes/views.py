"""Agreements (with their stage timeline), partners and programmes. Thin: selectors, forms, services."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import may_create, require_create
from core.errors import post_only
from core.forms import add_service_errors
from core.paging import paginate, querystring

from . import selectors, services
from .filters import AgreementFilter, PartnerFilter, ProgrammeFilter
from .forms import AgreementForm, DemandFormSet, PartnerForm, ProgrammeForm, StageMoveForm, demands_from
from .models import Programme

logger = logging.getLogger(__name__)


# --- agreements ----------------------------------------------------------------------------------


@require_GET
@login_required
def agreement_list(request):
    filterset = AgreementFilter(
        request.GET or None, queryset=selectors.agreement_list(user=request.user), user=request.user
    )
    page = paginate(request, filterset.qs)
    return render(
        request,
        "programmes/agreement_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "querystring_without_page": querystring(request.GET),
            "show_municipality": request.user.sees_all_municipalities,
            "can_add": may_create(request.user, "programmes.add_agreement"),
        },
    )


def _agreement_page(request, agreement, move_form=None, status=200):
    can_write = selectors.can_write_agreement(request.user, agreement)
    programmes = list(selectors.agreement_programmes(agreement=agreement))
    if can_write and move_form is None:
        move_form = StageMoveForm(agreement=agreement)
    return render(
        request,
        "programmes/agreement_detail.html",
        {
            "agreement": agreement,
            "events": selectors.agreement_timeline(agreement=agreement),
            "programmes": programmes,
            "history": selectors.change_history(objs=[agreement]),
            "programme_history": selectors.change_history(objs=programmes),
            "can_write": can_write,
            "move_form": move_form if can_write else None,
        },
        status=status,
    )


@require_GET
@login_required
def agreement_detail(request, pk):
    agreement = selectors.get_agreement_for_user(request.user, pk)
    return _agreement_page(request, agreement)


@post_only("programmes:agreement_detail")
@login_required
def agreement_move(request, pk):
    agreement = selectors.get_agreement_for_user(request.user, pk, write=True)
    form = StageMoveForm(request.POST, request.FILES, agreement=agreement)
    if form.is_valid():
        try:
            event = services.agreement_move_stage(agreement=agreement, user=request.user, **form.move_data())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Moved to “%(stage)s” on the timeline.") % {"stage": event.get_stage_display()},
            )
            return redirect("programmes:agreement_detail", pk=agreement.pk)
    return _agreement_page(request, agreement, move_form=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def agreement_create(request):
    require_create(request.user, "programmes.add_agreement")
    form = AgreementForm(
        request.POST or None,
        user=request.user,
        partners=selectors.partner_list(user=request.user),
        creating=True,
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.AGREEMENT_FIELDS}
        try:
            agreement = services.agreement_create(
                municipality=form.cleaned_data.get("municipality"),
                data=data,
                stage=form.cleaned_data["stage"],
                stage_entered_on=form.cleaned_data["stage_entered_on"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("programmes:agreement_detail", pk=agreement.pk)
    return render(request, "programmes/agreement_form.html", {"form": form, "agreement": None})


@require_http_methods(["GET", "POST"])
@login_required
def agreement_edit(request, pk):
    agreement = selectors.get_agreement_for_user(request.user, pk, write=True)
    form = AgreementForm(
        request.POST or None,
        instance=agreement,
        user=request.user,
        partners=selectors.partner_list(user=request.user),
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.AGREEMENT_FIELDS}
        try:
            services.agreement_update(user=request.user, agreement=agreement, data=data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("programmes:agreement_detail", pk=agreement.pk)
    return render(request, "programmes/agreement_form.html", {"form": form, "agreement": agreement})


@require_GET
@login_required
def agreement_document(request, event_id):
    """The document of a stage event, as an attachment, to users who may read the agreement."""
    event = selectors.get_stage_event_for_user(request.user, event_id)
    if not event.document:
        raise Http404
    try:
        handle = event.document.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    # Ids only: file names can carry personal data.
    logger.info("agreement document downloaded: event=%s user=%s", event.pk, request.user.pk)
    response = FileResponse(
        handle, as_attachment=True, filename=event.document_name or "document.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- partners ------------------------------------------------------------------------------------


@require_GET
@login_required
def partner_list(request):
    filterset = PartnerFilter(request.GET or None, queryset=selectors.partner_list_for_page(user=request.user))
    page = paginate(request, filterset.qs)
    return render(
        request,
        "programmes/partner_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "querystring_without_page": querystring(request.GET),
            "can_add": may_create(request.user, "programmes.add_partner"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def partner_create(request):
    require_create(request.user, "programmes.add_partner")
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_create(user=request.user, data=form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("programmes:partner_list")
    return render(request, "programmes/partner_form.html", {"form": form, "partner": None})


@require_http_methods(["GET", "POST"])
@login_required
def partner_edit(request, pk):
    partner = selectors.get_partner_for_user(request.user, pk, write=True)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(user=request.user, partner=partner, data=form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("programmes:partner_list")
    return render(request, "programmes/partner_form.html", {"form": form, "partner": partner})


# --- programmes ----------------------------------------------------------------------------------


@require_GET
@login_required
def programme_list(request):
    filterset = ProgrammeFilter(request.GET or None, queryset=selectors.programme_list(user=request.user))
    page = paginate(request, filterset.qs)
    return render(
        request,
        "programmes/programme_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "querystring_without_page": querystring(request.GET),
            "can_add": may_create(request.user, "programmes.add_programme"),
        },
    )


def _programme_form_page(request, programme):
    """Create (programme None) or edit, with the demand per occupation as an inline formset."""
    agreements = selectors.agreements_writable_by(user=request.user)
    form = ProgrammeForm(request.POST or None, instance=programme, agreements=agreements)
    formset = DemandFormSet(request.POST or None, instance=programme, prefix="demands")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "agreement"}
        try:
            if programme.pk is None:
                programme = services.programme_create(
                    user=request.user,
                    agreement=form.cleaned_data["agreement"],
                    data=data,
                    demands=demands_from(formset),
                )
            else:
                data["agreement"] = form.cleaned_data["agreement"]
                services.programme_update(
                    user=request.user, programme=programme, data=data, demands=demands_from(formset)
                )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Programme saved."))
            return redirect(reverse("programme_detail", args=[programme.pk]))
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "formset": formset, "programme": programme if programme.pk else None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def programme_create(request):
    require_create(request.user, "programmes.add_programme")
    return _programme_form_page(request, Programme())


@require_http_methods(["GET", "POST"])
@login_required
def programme_edit(request, pk):
    programme = selectors.get_programme_for_user(request.user, pk, write=True)
    return _programme_form_page(request, programme)

"""Send a template to a list (a training batch, a cohort, the candidate list's filter, a programme's
shortlist, the people of a kind of reminder), follow the
statuses, and a person's consents and messages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import persons_only, require_perm
from candidates.selectors import candidate_list, get_candidate_for_user
from core.errors import post_only
from core.forms import add_service_errors
from core.paging import paginate, querystring
from placements.reminders import PERSON_KINDS
from placements.reminders import kind_label as reminder_kind_label
from placements.selectors import get_batch_for_user, get_cohort_for_user
from programmes.selectors import get_programme_for_user

from . import selectors, services
from .forms import ContactConsentForm, ContactConsentWithdrawForm, TemplateChoiceForm
from .models import Broadcast, Message
from .placeholders import PLACEHOLDERS
from .providers import NotSigned, reporting_provider
from .recipients import build_list, shortlist_label

SKIPPED_SHOWN = 50


def _back_to_candidate(request, pk) -> str:
    return reverse("candidates:candidate_detail", args=[pk])


def _back_to_consent_candidate(request, pk) -> str:
    return reverse("candidates:candidate_detail", args=[selectors.get_consent_for_user(request.user, pk).candidate_id])


@require_GET
@login_required
@persons_only
def broadcast_list(request):
    page = paginate(request, selectors.broadcast_list(user=request.user))
    return render(
        request,
        "messaging/broadcast_list.html",
        {
            "page_obj": page,
            "querystring_without_page": "",
            "can_send": request.user.has_perm("messaging.add_broadcast"),
        },
    )


def _source(request) -> tuple[str, dict, str]:
    """The list to send to, from the URL: checked against the user's scope (404 when not theirs)."""
    source = request.GET.get("source", "")
    user = request.user
    try:
        if source == Broadcast.Source.BATCH:
            batch = get_batch_for_user(user, int(request.GET["batch"]))
            return source, {"batch": batch.pk}, batch.name
        if source == Broadcast.Source.COHORT:
            cohort = get_cohort_for_user(user, int(request.GET["cohort"]))
            return source, {"cohort": cohort.pk}, cohort.name
        if source == Broadcast.Source.SHORTLIST:
            programme = get_programme_for_user(user, int(request.GET["programme"]))
            shown = request.GET.get("list", "eligible")
            if shown not in ("eligible", "missing"):
                raise Http404
            return source, {"programme": programme.pk, "list": shown}, shortlist_label(programme, shown)
        if source == Broadcast.Source.REMINDERS:
            kind = request.GET["kind"]
            if kind not in PERSON_KINDS:
                raise Http404
            return source, {"kind": kind}, reminder_kind_label(kind)
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    if source == Broadcast.Source.CANDIDATES:
        filters = {k: request.GET.getlist(k) for k in request.GET if k not in ("source", "template", "page", "sort")}
        # A NIK never goes into a URL or a stored list definition: a full NIK search is dropped.
        if any(len(v.strip()) == 16 and v.strip().isdigit() for v in filters.get("q", [])):
            filters.pop("q")
        return source, {"filters": filters}, _("Candidate list")
    raise Http404


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def send_to_list(request):
    require_perm(request.user, "messaging.add_broadcast")
    source, source_query, label = _source(request)
    templates = selectors.template_list(user=request.user)
    data = request.POST if request.method == "POST" else (request.GET if "template" in request.GET else None)
    form = TemplateChoiceForm(data, templates=templates)
    preview = sample = None
    if form.is_bound and form.is_valid():
        template = form.cleaned_data["template"]
        if request.method == "POST":
            try:
                broadcast = services.broadcast_create(
                    user=request.user, template=template, source=source, source_query=source_query, label=label
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The messages are being prepared and sent."))
                return redirect("messaging:broadcast_detail", pk=broadcast.pk)
        preview = build_list(user=request.user, template=template, source=source, source_query=source_query)
        first = preview.to_send[0] if preview.to_send else (preview.recipients[0] if preview.recipients else None)
        if first is not None:
            sample = {"person": first.candidate, **services.template_preview(template=template, values=first.values)}
    return render(
        request,
        "messaging/send.html",
        {
            "form": form,
            "label": label,
            "source": source,
            "preview": preview,
            "skipped_shown": preview.skipped[:SKIPPED_SHOWN] if preview else [],
            "sample": sample,
            "list_query": querystring(request.GET, "template"),
        },
    )


@require_GET
@login_required
@persons_only
def broadcast_detail(request, pk):
    broadcast = selectors.get_broadcast_for_user(request.user, pk)
    status = request.GET.get("status", "")
    page = paginate(request, selectors.broadcast_messages(broadcast=broadcast, status=status))
    context = {
        "broadcast": broadcast,
        "counts": selectors.broadcast_counts(broadcast=broadcast),
        "statuses": Message.Status.choices,
        "page_obj": page,
        "status": status,
        "querystring_without_page": querystring(request.GET, "page"),
        "unfinished": selectors.unfinished(broadcast=broadcast),
    }
    if request.htmx:
        return render(request, "messaging/includes/_broadcast_statuses.html", context)
    return render(request, "messaging/broadcast_detail.html", context)


@require_GET
@login_required
@persons_only
def template_preview(request, pk):
    """A template filled with a real person's data (one of the user's candidates)."""
    template = selectors.get_template_for_user(request.user, pk)
    person = None
    raw = request.GET.get("candidate", "")
    if raw.isdigit():
        person = get_candidate_for_user(request.user, int(raw))
    else:
        person = candidate_list(user=request.user).order_by("full_name", "pk").first()
    values = {name: f"{{{name}}}" for name in PLACEHOLDERS}
    if person is not None:
        placement = person.placements.select_related("programme").order_by("-stage_changed_at").first()
        values.update(name=person.full_name, programme=placement.programme.name if placement else "")
    rendered = services.template_preview(template=template, values=values)
    return render(request, "messaging/template_preview.html", {"template": template, "person": person, **rendered})


@require_GET
@login_required
@persons_only
def candidate_section(request, pk):
    """The messages and contact consents on a person's page (loaded into it by htmx)."""
    candidate = get_candidate_for_user(request.user, pk)
    return render(request, "messaging/includes/_candidate_section_body.html", _candidate_context(request, candidate))


def _candidate_context(request, candidate, *, consent_form=None):
    consents = list(selectors.candidate_consents(candidate=candidate))
    return {
        "candidate": candidate,
        "consents": consents,
        "candidate_messages": selectors.candidate_messages(candidate=candidate)[:50],
        "consent_form": consent_form or ContactConsentForm(),
        "withdraw_form": ContactConsentWithdrawForm(),
        "can_record": request.user.has_perm("messaging.add_contactconsent"),
    }


@post_only(_back_to_candidate)
@login_required
@persons_only
def consent_give(request, pk):
    require_perm(request.user, "messaging.add_contactconsent")
    candidate = get_candidate_for_user(request.user, pk)
    form = ContactConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_give(
                user=request.user,
                candidate=candidate,
                channel=form.cleaned_data["channel"],
                given_on=form.cleaned_data["given_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Consent to be contacted recorded."))
            return redirect("candidates:candidate_detail", pk=candidate.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("candidates:candidate_detail", pk=candidate.pk)


@post_only(_back_to_consent_candidate)
@login_required
@persons_only
def consent_withdraw(request, pk):
    consent = selectors.get_consent_for_user(request.user, pk, write=True)
    form = ContactConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                user=request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("Withdrawal recorded: nothing more is sent on this channel."))
            return redirect("candidates:candidate_detail", pk=consent.candidate_id)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("candidates:candidate_detail", pk=consent.candidate_id)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def delivery_report(request, provider):
    """A provider's delivery reports (no user: the provider's signature is the authentication). 404 for
    a provider that is unknown or has no secret configured, 403 for a request it did not sign."""
    found = reporting_provider(provider)
    if found is None:
        raise Http404
    if request.method == "GET" and "hub.challenge" in request.GET:
        # WhatsApp Cloud checks the address once, with the verify token set on both sides.
        token = request.GET.get("hub.verify_token", "")
        if (
            provider == "whatsapp_cloud"
            and settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN
            and constant_time_compare(token, settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN)
        ):
            return HttpResponse(request.GET["hub.challenge"], content_type="text/plain")
        return HttpResponseForbidden()
    try:
        reports = found.delivery_reports(request)
    except NotSigned:
        return HttpResponseForbidden()
    for report in reports:
        if report.delivered:
            services.message_mark_delivered(provider=found.name, provider_message_id=report.provider_message_id)
        else:
            services.message_mark_failed(
                provider=found.name, provider_message_id=report.provider_message_id, reason=report.reason
            )
    return HttpResponse(status=204 if provider != "whatsapp_cloud" else 200)

"""The page of a job a user started (progress, polled by htmx; how long it took) and its file."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import get_user_job_for_user


@require_GET
@login_required
def user_job_detail(request, pk):
    job = get_user_job_for_user(request.user, pk)
    template = "jobs/includes/_user_job_status.html" if request.htmx else "jobs/user_job_detail.html"
    return render(request, template, {"job": job})


@require_GET
@login_required
def user_job_download(request, pk):
    job = get_user_job_for_user(request.user, pk)
    if not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.file_name or job.file.name.rsplit("/", 1)[-1],
        content_type=job.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

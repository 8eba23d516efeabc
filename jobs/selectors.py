from django.http import Http404

from .models import UserJob


def get_user_job_for_user(user, pk) -> UserJob:
    """Only the user who started a job sees it, and only while in the same municipality: 404 otherwise."""
    try:
        return UserJob.objects.get(
            pk=pk, requested_by_id=user.pk, municipality_id=getattr(user, "municipality_id", None)
        )
    except UserJob.DoesNotExist as exc:
        raise Http404 from exc

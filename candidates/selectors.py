"""Reads of candidates and their documents, scoped to the user's municipality."""

from django.db.models import QuerySet

from accounts.access import get_for_user, scope_queryset

from .models import Candidate, Document


def candidate_list(*, user) -> QuerySet[Candidate]:
    return scope_queryset(Candidate.objects.select_related("municipality"), user, "municipality")


def get_candidate_for_user(user, pk, *, write: bool = False) -> Candidate:
    return get_for_user(
        Candidate.objects.select_related("municipality"),
        user,
        pk,
        field="municipality",
        write_perm="candidates.change_candidate" if write else None,
    )


def get_document_for_user(user, pk, *, write: bool = False) -> Document:
    return get_for_user(
        Document.objects.select_related("candidate", "candidate__municipality"),
        user,
        pk,
        field="candidate__municipality",
        write_perm="candidates.change_document" if write else None,
    )

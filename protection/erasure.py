"""What erasure removes from protection (candidates.extensions erasure listener, registered in apps.py):
the worker's contact details abroad and at home, the cases' free-text descriptions and their
document files. The rows stay, so the protection dashboard counts the same (types, severities,
statuses, outcomes, contacts and their dates)."""

from django.db import transaction

from .models import Case, CaseDocument, ContactRecord


def erase_protection_data(*, candidate) -> None:
    ContactRecord.objects.filter(placement__candidate=candidate).update(
        phone_abroad="",
        messaging_abroad="",
        employer_address="",
        accommodation_address="",
        emergency_contact_name="",
        emergency_contact_phone="",
        emergency_contact_relation="",
    )
    Case.objects.filter(placement__candidate=candidate).update(description="")
    documents = CaseDocument.objects.filter(case__placement__candidate=candidate)
    files = [(d.file.storage, d.file.name) for d in documents if d.file]
    documents.update(file="", original_filename="")

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)

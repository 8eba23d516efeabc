"""The models every app stands on: the municipality (the unit of scoping) and the timestamp base."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Municipality(models.Model):
    """A regency (kabupaten) or city (kota), with its Kemendagri code, e.g. 36.73 Kota Serang."""

    class Kind(models.TextChoices):
        KOTA = "kota", _("City (kota)")
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")

    code = models.CharField(_("Kemendagri code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    province_code = models.CharField(_("province code"), max_length=2)
    province = models.CharField(_("province"), max_length=100)

    class Meta:
        # Moved from the programmes app without touching the table (core/migrations/0001).
        db_table = "programmes_municipality"
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def nik_prefix(self) -> str:
        """The first four digits of a NIK issued here: 36.73 → 3673."""
        return self.code.replace(".", "")

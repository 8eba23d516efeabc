from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN §2. Each is a group of the same name, created by a migration."""

    STAFF = "Staff", _("Staff (petugas)")
    OFFICIAL = "Official", _("Official (pejabat)")
    AGREEMENT_ADMIN = "Agreement admin", _("Agreement admin")
    NATIONAL_VIEWER = "National viewer", _("National viewer")
    DATA_PROTECTION_OFFICER = "Data-protection officer", _("Data-protection officer")


class User(AbstractUser):
    # Null only for national users (ministry staff) and superusers.
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # The interface language the user chose with the language switch; empty: Bahasa Indonesia.
    language = models.CharField(_("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_all_municipalities", _("Can read the records of every municipality")),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def sees_all_municipalities(self) -> bool:
        return self.is_superuser or self.has_perm("accounts.view_all_municipalities")

    @property
    def role_names(self) -> list[str]:
        """The user's roles, for display (one query, cached on the instance by the caller's use)."""
        return [g.name for g in self.groups.all()]


class SavedFilter(models.Model):
    """A list's filters saved by one user under a name: the list's path and its query string."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("name"), max_length=60)
    path = models.CharField(_("list"), max_length=100)
    querystring = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "name"], name="savedfilter_unique_user_path_name"),
        ]
        indexes = [
            # The saved filters shown above one list for one user.
            models.Index(fields=["user", "path"], name="savedfilter_user_path_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.querystring}" if self.querystring else self.path


class Session(AbstractBaseSession):
    """A database session that knows its user, so that all of a user's sessions can be ended at once
    (deactivation) without decoding every session in the table."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=True
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.user_id or '-'} until {self.expire_date:%Y-%m-%d %H:%M}"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore

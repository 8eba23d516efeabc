"""Third-party apps under names a labour office reads, in its language (the admin's app list)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig
from pghistory.apps import PGHistoryConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockouts")


class HistoryConfig(PGHistoryConfig):
    verbose_name = _("Change history")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Job queue")

"""The messaging jobs (run by `manage.py db_worker`)."""

from django.conf import settings

from jobs.queue import retrying, task

from . import sending, services


@task()
def prepare_broadcast(broadcast_id: int) -> int:
    return services.broadcast_prepare(broadcast_id=broadcast_id)


@task()
@retrying(
    delays=lambda: settings.MESSAGING_RETRY_DELAYS,
    retry_on=(sending.ProviderUnavailable,),
    on_retry=sending.requeue,
    on_give_up=sending.give_up,
)
def send_message(message_id: str) -> str:
    return sending.send_one(message_id)


@task()
def email_daily_reminders() -> int:
    from .reminders import email_reminders_to_staff

    return email_reminders_to_staff()

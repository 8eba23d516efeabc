"""The messaging jobs (run by `manage.py db_worker`)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs.queue import enqueue, retrying, task

from . import sending, services

logger = logging.getLogger(__name__)


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
def send_messages(message_ids: list[str]) -> dict[str, int]:
    """First attempt for a chunk of a send's messages (one job per chunk keeps the queue small). A
    message whose provider is down gets its own send_message job for its later attempts."""
    outcomes: dict[str, int] = {}
    for message_id in message_ids:
        try:
            outcome = sending.send_one(message_id)
        except sending.ProviderUnavailable as exc:
            delays = settings.MESSAGING_RETRY_DELAYS
            with transaction.atomic():
                if delays:
                    sending.requeue(exc, 1, message_id)
                    retry = send_message.using(run_after=timezone.now() + timedelta(seconds=delays[0]))
                    enqueue(retry, message_id, attempt=2)
                    outcome = "retry"
                else:
                    sending.give_up(exc, 1, message_id)
                    outcome = "failed"
        except Exception as exc:
            # One broken message must not strand the rest of the chunk without a job.
            logger.exception("message %s failed unexpectedly", message_id)
            sending.fail(message_id, f"unexpected error: {type(exc).__name__}")
            outcome = "failed"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@task()
def email_daily_reminders() -> int:
    from .reminders import email_reminders_to_staff

    return email_reminders_to_staff()

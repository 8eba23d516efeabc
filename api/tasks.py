"""The webhook jobs (run by `manage.py db_worker`)."""

from jobs.queue import task

from . import webhooks


@task()
def deliver_webhook(message_id: int) -> str:
    """Deliver one outbox message; a failure queues the next attempt itself (api.webhooks)."""
    return webhooks.deliver_message(message_id)


@task()
def deliver_stranded_webhooks() -> str:
    """The daily sweep: deliver due messages whose job was lost (a worker killed mid-delivery)."""
    run = webhooks.deliver_due(limit=5000)
    return f"delivered {run.delivered}, failed attempts {run.failed_attempts}, gave up {run.gave_up}"

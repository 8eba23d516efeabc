"""Run queued jobs inside a test, with django-tasks-db's own Worker.run_task (claim, run, record).

The worker's loop itself (Worker.run) closes database connections between jobs, which a test
transaction cannot survive; test_worker_process runs the real `db_worker` command instead.
"""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_jobs(*, include_future: bool = False, max_jobs: int | None = None) -> int:
    """Run every ready job (with include_future, also those scheduled for later) until none is left,
    or max_jobs have run. Returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while max_jobs is None or ran < max_jobs:
        ready = DBTaskResult.objects.filter(status="READY") if include_future else DBTaskResult.objects.ready()
        job = ready.order_by("run_after", "enqueued_at").first()
        if job is None:
            return ran
        job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1
        assert ran < SAFETY_LIMIT, "a job that queues itself forever?"
    return ran


SAFETY_LIMIT = 50_000

from huey.contrib.djhuey import db_task

from jamaat.analysis import services


@db_task(retries=2, retry_delay=60)
def build_report(job_id: int) -> None:
    """Render a ReportJob in the background (progress 0–100 stored on the job)."""
    services.run_job(job_id)

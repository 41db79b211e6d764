from celery import shared_task

from files.services import files_delete_pending


@shared_task  # type: ignore[untyped-decorator]  # Celery has no type information
def delete_pending_files_task() -> int:
    return files_delete_pending()

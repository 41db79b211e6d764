from celery import shared_task

from push import services


@shared_task
def push_event_task(kind, key, child_ids, user_ids, ref, exclude_user_id):
    """After the commit of a diary entry, a tagging, a message, news or a data request."""
    return services.push_event(
        kind=kind,
        key=key,
        child_ids=child_ids,
        user_ids=user_ids,
        ref=ref,
        exclude_user_id=exclude_user_id,
    )


@shared_task
def send_due_pushes_task():
    """Beat, every minute: pushes held through quiet hours or for a digest, then clean up."""
    sent = services.pushes_send_due()
    services.pushes_forget_sent()
    return sent

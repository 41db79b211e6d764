from celery import shared_task

from messaging.services import messaging_send_due_notifications


@shared_task
def send_due_notifications_task():
    """Run every minute by beat (portal/celery.py): send the e-mails that are due."""
    return messaging_send_due_notifications()

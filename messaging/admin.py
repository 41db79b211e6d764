"""No admin for messages: they are private between a family and the group staff (R12). Access
requests and deletion go through the retention app (messaging/retention.py)."""

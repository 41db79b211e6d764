"""What the apps' Django admins share."""


class ReadOnlyAdminMixin:
    """Nothing can be added, changed or deleted through this admin (or inline): the records
    are written by the portal's services, where each step is checked and recorded. Put it
    before ``admin.ModelAdmin`` (or an inline class) in the bases."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

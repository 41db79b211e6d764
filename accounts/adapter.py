from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: guardians join through an invitation for their child."""

    def is_open_for_signup(self, request):
        return False

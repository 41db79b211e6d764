class DomainError(Exception):
    """A write refused for a reason the person can act on; the message is shown to them."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)

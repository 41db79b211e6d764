"""Which storage errors are worth trying again (issue 21).

An S3 outage shows up as botocore's connection errors, which are not ``OSError``: a task that
retried only on ``OSError`` gave up at once and its work was lost. Throttling and 5xx answers
of the bucket are transient too; a missing key, a refused signature or bad parameters are not.
"""

from botocore.exceptions import ClientError, HTTPClientError, IncompleteReadError
from botocore.exceptions import ConnectionError as BotoConnectionError

try:  # boto3 wraps failures of its managed transfers (upload_fileobj, download_fileobj)
    from boto3.exceptions import S3TransferFailedError, S3UploadFailedError
except ImportError:  # pragma: no cover - boto3 comes with django-storages[s3]
    S3TransferFailedError = S3UploadFailedError = ()

TRANSIENT_CODES = {
    "InternalError",
    "RequestTimeout",
    "ServiceUnavailable",
    "SlowDown",
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
}


def is_transient_storage_error(error: BaseException) -> bool:
    if isinstance(error, FileNotFoundError):
        return False  # the key is gone (a photo deleted meanwhile): trying again changes nothing
    if isinstance(
        error,
        OSError
        | BotoConnectionError
        | HTTPClientError
        | IncompleteReadError
        | S3UploadFailedError
        | S3TransferFailedError,
    ):
        return True
    if isinstance(error, ClientError):
        response = error.response or {}
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or response.get("Error", {}).get("Code") in TRANSIENT_CODES
    return False

"""The client's address, for the rate limits and the login lockout."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies of ours stand in front: then the
    address the outermost of them saw, read from the right of X-Forwarded-For (each
    proxy appends the address it received the request from, so the entries further
    left were written by the client and prove nothing)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return forwarded[-proxies]

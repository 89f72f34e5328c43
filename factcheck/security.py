"""Headers every response carries, and CSRF for session-backed forms."""

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


SECURITY_HEADERS = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
]


def init_app(app) -> None:
    csrf.init_app(app)

    @app.after_request
    def set_security_headers(response):
        # A view may have set them all already (the readers' endpoint builds
        # its headers in one go); otherwise add the whole set.
        if "Content-Security-Policy" not in response.headers:
            response.headers.extend(SECURITY_HEADERS)
        return response

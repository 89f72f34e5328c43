"""Flask's signed-cookie sessions, without work for requests that carry none.

Most requests to the service come from readers' browsers with no session
cookie. Flask builds an itsdangerous serializer for every request before
looking at the cookie; here a request without the cookie gets an empty
session straight away, and the serializer is built once per secret key.
"""

from flask.sessions import SecureCookieSessionInterface


class LeanSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if key not in self._serializers:
            self._serializers[key] = super().get_signing_serializer(app)
        return self._serializers[key]

    def open_session(self, app, request):
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

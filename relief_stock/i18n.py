"""Language choice: the user's own setting, else the language picked on this browser, else
Accept-Language, else Chinese (the depots' working language)."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user

from .extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and scheduled jobs: messages in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def localized(obj, field: str) -> str:
    """`obj.<field>_zh` or `obj.<field>_en` for the current language, falling back to the other."""
    from flask_babel import get_locale

    primary, fallback = ("en", "zh") if str(get_locale()) == "en" else ("zh", "en")
    return getattr(obj, f"{field}_{primary}", None) or getattr(obj, f"{field}_{fallback}", "")


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    from flask_babel import get_locale

    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["get_locale"] = get_locale

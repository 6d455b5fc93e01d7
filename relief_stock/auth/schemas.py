"""User, password and token schemas for the user pages, "my account" and the users API.

Shape and type only; auth/operations.py decides the rules (unique usernames, password length, a
keeper or dispatcher needs a depot as scope).
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..fields import Choice, Flag, PrintedText, Text
from .models import Role

LOCALES = ("zh", "en")
USERNAME = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$", error=_l("Use 2 to 64 letters, digits, '.', '_' or '-'.")
)


class UserSchema(Schema):
    """A user as the API shows it and as an administrator creates one."""

    id = fields.Integer(dump_only=True)
    username = Text(required=True, validate=USERNAME)
    display_name = PrintedText(required=True, max_length=128)
    password = Text(required=True, load_only=True)
    role = Choice(Role, required=True)
    depot_code = Text(load_default=None, allow_none=True)  # the scope of a keeper or dispatcher
    locale = Text(
        load_default=None, allow_none=True, validate=validate.OneOf(LOCALES, error=_l("Choose zh or en."))
    )
    phone = Text(load_default=None, allow_none=True, max_length=32)
    is_active = Flag(load_default=True)
    last_login_at = fields.DateTime(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class UserUpdateSchema(UserSchema):
    """What an administrator may change; the username stays, a password here resets it."""

    class Meta:
        exclude = ("username",)

    password = Text(load_only=True, load_default=None, allow_none=True)


class LanguageSchema(Schema):
    locale = Text(
        load_default=None, allow_none=True, validate=validate.OneOf(LOCALES, error=_l("Choose zh or en."))
    )


class PasswordChangeSchema(Schema):
    current_password = Text(required=True)
    new_password = Text(required=True)
    confirm_password = Text(required=True)

    @validates_schema
    def _confirmed(self, data, **kwargs):
        if data.get("new_password") != data.get("confirm_password"):
            raise ValidationError(_l("The two passwords differ."), "confirm_password")


class PasswordResetSchema(Schema):
    new_password = Text(required=True)


class TokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, max_length=64)
    prefix = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True)
    revoked_at = fields.DateTime(dump_only=True)

"""The donation a URL names by its trace code, loaded and access-checked once (`permissions.loads`)
for the staff pages and the API alike: a user outside the receiving depot is refused (403) before any
form or body is read."""

from ..auth.permissions import Action, at_depot, loads
from .lookups import donation_by_code

donation_to_view = loads("trace_code", donation_by_code, at_depot(Action.VIEW), into="donation")
donation_to_receive = loads("trace_code", donation_by_code, at_depot(Action.OPERATE_STOCK), into="donation")

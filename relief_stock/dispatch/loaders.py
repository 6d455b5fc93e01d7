"""The objects dispatch URLs name, each loaded and access-checked once (`permissions.loads`) for the
pages and the API alike: a stranger is refused (403) before any form or body is read."""

from ..auth.permissions import Action, at_sender, loads, require_deliver, require_receive
from ..stock.lookups import transfer_by_number
from . import queries
from .operations import require_approver, require_emergency

# Planning: PLAN_DISPATCH inside the emergency's scope.
emergency_to_plan = loads("emergency_id", queries.emergency_by_id, require_emergency, into="e")
plan_to_edit = loads(
    "plan_id", queries.plan_by_id, lambda user, p: require_emergency(user, p.emergency), into="p"
)
plan_to_approve = loads("plan_id", queries.plan_by_id, require_approver, into="p")  # see require_approver

# Transfer orders: the keepers of the sending depot pick and dispatch; dispatchers over it cancel and
# cut lines; the receiving depot's keepers receive; a site's delivery is confirmed by `may_deliver`.
order_to_pick = loads("number", transfer_by_number, at_sender(Action.OPERATE_STOCK), into="t")
order_to_plan = loads("number", transfer_by_number, at_sender(Action.PLAN_DISPATCH), into="t")
order_to_receive = loads("number", transfer_by_number, require_receive, into="t")
order_to_deliver = loads("number", transfer_by_number, require_deliver, into="t")

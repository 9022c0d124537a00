"""Read paths of the customer archive, always through the caller's data scope (a record by id out of
scope answers 404) — one module per concern: `archive` (customers, one customer, the CUS-9
timeline, the unscoped phone and ID matches), `changes` (CUS-4), `contacts` (CUS-1), `assignment`
(CUS-7); `masks` (SEC-2: personal data masked or read in full) is their building block.

What other apps (cases, claims, customer governance) may use is named here; import the concern
module itself (`from kefu.customers.queries import archive`) to call it.
"""

from kefu.customers.queries.archive import customer, customers, find_by_phone, may_view
from kefu.customers.queries.masks import mask_address, mask_id, masked_phone, may_see_full

__all__ = [
    "customer",
    "customers",
    "find_by_phone",
    "mask_address",
    "mask_id",
    "masked_phone",
    "may_see_full",
    "may_view",
]

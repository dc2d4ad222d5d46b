"""The breach store on the single table: idempotent, order-insensitive writes and Query-only reads.

One class, `BreachStore`, assembled from one module per idea: `writes` (breaches, in guarded batches),
`records` (report outcomes), `reads` (queries and page tokens), over `base` (client, retries, serialisation).
"""

from slawatch.store.base import TRANSIENT_CODES
from slawatch.store.reads import BreachReads, Page, iter_pages
from slawatch.store.records import ReportRecords
from slawatch.store.writes import BREACHES_PER_TRANSACTION, BreachWrites, WriteSummary


class BreachStore(BreachWrites, ReportRecords, BreachReads):
    """The store the handlers, the CLI and the demo use."""


__all__ = ["BREACHES_PER_TRANSACTION", "TRANSIENT_CODES", "BreachStore", "Page", "WriteSummary", "iter_pages"]

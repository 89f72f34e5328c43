"""The store: the only code that reads or writes the database tables.

One module per aggregate, each a part of ``Store`` over one shared
connection (``base.StoreBase``): articles, claims and citations, accounts,
reader views, search and export rows. Every operation that writes more than
one row runs inside one transaction (``Store.transaction``), so a failure
leaves nothing half-written; each write that matters to the newsroom also
appends to the audit log in the same transaction. Looking a record up by id
raises NotFound when it is missing; ``find_*`` lookups return None.
"""

from ..models import SYSTEM, Actor
from .accounts import Accounts
from .articles import Articles, ImportResult
from .assignments import Assignments
from .buckets import LookupBuckets
from .bulk import BulkActions
from .claim_list import ClaimList
from .similar import SimilarClaims
from .links import ClaimLinks
from .comments import Comments
from .publications import PUBLIC_CLAIMS
from .database import backup, content_version, data_version, open_database, utcnow
from .desk import DeskFigures
from .exports import ExportRows
from .published_pages import PublishedPages
from .reanchoring import Reanchoring
from .readers import ReaderViews
from .search import Search


class Store(Articles, ClaimLinks, Reanchoring, ClaimList, BulkActions, Comments, Assignments,
            Accounts, ReaderViews, LookupBuckets, SimilarClaims, Search, ExportRows,
            PublishedPages, DeskFigures):
    """Every aggregate's operations on one connection."""


__all__ = ["Store", "Actor", "SYSTEM", "ImportResult", "PUBLIC_CLAIMS", "open_database", "utcnow",
           "data_version", "content_version", "backup"]

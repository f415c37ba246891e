"""Identity resolution: CRM customers linked to their social profiles, with a link table.

:func:`link_identities` applies deterministic rules (a handle the customer gave, an equal
email), then a probabilistic splink model (DuckDB backend) with documented blocking rules and
comparisons, trained by expectation maximisation, and links each profile to at most one
customer (each customer to at most one profile per platform) above a threshold. Every source
record gets a row in the link table with its unified customer id and the rule or probability
that put it there, so each merge can be explained and undone. :func:`linkage_accuracy`
scores links against known truth (precision, recall, F1 over thresholds).

Examples
--------
>>> name_equivalence().query("spelling == 'liz'")["given_name"].tolist()
['elizabeth']
"""

from scrm_lab.identity._accuracy import linkage_accuracy
from scrm_lab.identity._link import IdentityLinks, link_identities
from scrm_lab.identity._names import name_equivalence
from scrm_lab.identity._prepare import handle_keys

__all__ = [
    "IdentityLinks",
    "handle_keys",
    "link_identities",
    "linkage_accuracy",
    "name_equivalence",
]

"""The feature apps' retention modules (retention/contract.py), imported at start-up.

The engine and the exports call exactly these, in this order; ``retention/checks.py`` stops
start-up when an app of ours that keeps data about a child or a person, or rows pointing to a
user account, is missing here, or a module here lacks a function the engine calls.
"""

from absences import retention as absences
from accounts import retention as accounts
from audit import retention as audit
from consent import retention as consent
from daycare import retention as daycare
from diary import retention as diary
from messaging import retention as messaging
from newsletters import retention as newsletters
from photos import retention as photos
from push import retention as push

# Data about a child, in destruction order: ``destroy_children`` and ``export_child``. The
# daycare rows (guardianships, contracts, invitations, the child) go last, by the engine itself.
CHILD_MODULES = [messaging, photos, diary, absences, consent, audit]
CHILD_FUNCTIONS = ("destroy_children", "export_child")

# Data about a person, in the order of the person's own export (R21): ``export_person``.
PERSON_MODULES = [accounts, daycare, consent, messaging, newsletters, diary, absences, push, audit]
PERSON_FUNCTIONS = ("export_person",)

# What goes when a guardian's account is erased (R18), in this order, accounts last:
# ``erase_accounts(user_ids)``.
ACCOUNT_MODULES = [consent, messaging, newsletters, push, accounts]
ACCOUNT_FUNCTIONS = ("erase_accounts",)

# Apps of ours with rows about a child or a person that need no module of the kind, and why
# (the check accepts them; anything else missing stops start-up).
NO_CHILD_MODULE = {
    "daycare": "the child itself and its guardianships and contracts: the engine destroys them",
    "retention": "the engine's own tables (exports, data requests)",
    "push": "pushes still to be sent, kept two days; they go with the child (on_delete CASCADE)",
}
NO_PERSON_MODULE = {
    "retention": "the person's data requests: added to the export by retention/exports.py",
    "photos": "photos are data about the children in them: in the child's export",
}

# Apps of ours with rows pointing to a user account that need no ``erase_accounts``, and why.
# The engine erases only guardians with no child left (never staff), after destroying their
# children's rows; the user row itself stays, emptied by accounts.
NO_ACCOUNT_MODULE = {
    "daycare": "guardianships, requests, invitations and their history are about a child: the "
    "engine destroys them with it; staff assignments are staff's, never erased",
    "diary": "entries (author, read by) are about a child: they go with it (destroy_children)",
    "absences": "absences (reported by) are about a child: they go with it (destroy_children)",
    "audit": "access log entries are about a child: they go with it (destroy_children)",
    "photos": "batches, uploads, tags and face decisions are written by staff, never erased",
    "retention": "the engine's own erase_accounts drops the person's exports and the words "
    "of their data requests",
}

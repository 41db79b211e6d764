"""What each feature app gives the retention schedule (R16-R21).

An app that stores data about a child has a module ``<app>/retention.py`` with two functions,
listed in ``retention.modules.CHILD_MODULES`` (imported at start-up; the system check in
retention/checks.py fails when an app of ours with such data has no module there, or a module
lacks a function). The retention app calls them; it never writes to other apps' tables itself.

    def destroy_children(child_ids: list[int]) -> dict[str, int]:
        '''Delete everything of this app that belongs to these children, in bulk (no per-row
        signals), and queue the storage keys of their files with
        ``files.services.files_queue_deletion(keys=...)`` in the same transaction. Return what
        was removed as {kind: count}, e.g. {"diary entries": 40}: kinds and counts only, no
        personal data. Called inside a transaction, for a bounded batch of children. Must be
        idempotent: running it again for the same ids removes nothing more and fails nothing.'''

    def export_child(*, child, user, writer) -> None:
        '''Add this app's data about ``child`` to an export for ``user`` (a guardian, or
        customer service for an access request), limited to what that person may see
        (consent!). ``writer`` has:
            writer.add_json(path: str, data) -> None          # JSON-serialisable data
            writer.add_bytes(path: str, data: bytes) -> None
            writer.add_file(path: str, storage_key: str) -> None   # streamed from storage
            writer.add_pdf(path: str, html: str) -> None      # a full HTML document -> PDF
        An HTML document added with add_bytes("x.html", ...) also gets "x.pdf" beside it
        (WeasyPrint; it may load our own static files, e.g. a print stylesheet, nothing else).
        Paths are relative inside the child's folder, e.g. "photos/2026-11-03/0001.jpg".'''

An app that stores data about a person (what they wrote, chose or did) also has, for the
person's own access export (R21):

    def export_person(*, person, children) -> dict:
        '''This app's part of everything the portal holds about ``person``: {section: value},
        merged into person.json (see retention/schema/person.schema.json, which documents
        every section) and rendered readable in retention/export/person.html. Values are
        Python values (datetimes stay datetimes: the JSON gets ISO 8601, the readable part
        words); a coded value comes with its ``<name>_label`` (get_FOO_display).
        ``children`` is {child id: first name} of the person's own children: the only children
        the part may name (``children.get(id)`` gives None for any other). Another guardian is
        named only by ``daycare.services.guardian_label``, never by e-mail address.'''

The apps with it are ``retention.modules.PERSON_MODULES``.

An app that keeps something of a guardian's account that must go when the account is erased
(R18: the guardian's last child destroyed) has, listed in ``retention.modules.ACCOUNT_MODULES``:

    def erase_accounts(user_ids: list[int]) -> None:
        '''Erase this app's part of these accounts, in the caller's transaction (the one that
        destroys the children). accounts comes last: it empties the user rows.'''

An app of ours with a foreign key to the user and no such module gives the reason in
``retention.modules.NO_ACCOUNT_MODULE`` (the system check fails start-up otherwise).

The child modules, in destruction order: messaging, photos, diary, absences, consent, audit
(the access log: in the export, who on the staff accessed the child's data). The daycare rows
(guardianships, contracts, invitations, the child) are destroyed last by the retention app
itself, which also picks the accounts to erase (guardians with no child left, never staff).
"""

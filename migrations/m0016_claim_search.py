"""The claim desk's search (issue 15): every claim across articles.

- ``claims_fts``: FTS5 over each claim's quote, label and rationale, with
  the trigram tokenizer. Trigrams find a term inside any word in any
  script: Chinese and Japanese are written without spaces, so a word index
  (unicode61) would hold a whole sentence as one token. Terms shorter than
  three characters are matched by the store with instr() instead
  (annotations/store/claim_list.py). External content: the text stays in
  ``claims``; triggers keep the index in step with the working copy.
- Indexes for the list's two keyset orders (newest update, newest creation),
  and for its commonest filters in update order (assignee: "my claims",
  author, verdict), so a filtered page reads its rows in order instead of
  sorting every match.
"""

from . import migrations

COLUMNS = ("exact", "label", "rationale")
_NEW = ", ".join(f"new.{c}" for c in COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in COLUMNS)
_NAMES = ", ".join(COLUMNS)


@migrations()
def m0016_claim_search(db):
    db.execute(f"CREATE VIRTUAL TABLE claims_fts USING fts5({_NAMES}, content='claims',"
               " content_rowid='id', tokenize='trigram')")
    db.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")
    db.execute(f"""CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
        INSERT INTO claims_fts (rowid, {_NAMES}) VALUES (new.id, {_NEW});
    END""")
    db.execute(f"""CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
        INSERT INTO claims_fts (claims_fts, rowid, {_NAMES}) VALUES ('delete', old.id, {_OLD});
    END""")
    db.execute(f"""CREATE TRIGGER claims_fts_update AFTER UPDATE OF {_NAMES} ON claims BEGIN
        INSERT INTO claims_fts (claims_fts, rowid, {_NAMES}) VALUES ('delete', old.id, {_OLD});
        INSERT INTO claims_fts (rowid, {_NAMES}) VALUES (new.id, {_NEW});
    END""")
    for columns in ("updated_at", "created_at", "assignee_id, updated_at",
                    "created_by, updated_at", "verdict, updated_at"):
        name = "_".join(c.strip().removesuffix("_at").removesuffix("_id")
                        for c in columns.split(","))
        db.execute(f"CREATE INDEX idx_claims_by_{name} ON claims({columns})")

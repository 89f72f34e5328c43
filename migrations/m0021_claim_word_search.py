"""Claim search at a million claims (issue 15's figures): a word index, and
a trigram index that can answer two-character terms.

- ``claims_words``: whole words (unicode61: case and diacritics folded).
  The trigram index answered a search for "budget" by intersecting the
  position lists of "bud", "udg", "dge" and "get", each shared by every
  word that holds it; a word is one short list. ``claims_words_terms``
  (fts5vocab) tells how many claims hold a word: the similar-claim search
  leaves out words most claims hold.
- ``claims_fts`` is rebuilt over each column followed by two spaces (the
  view ``claims_fts_source``), so that every occurrence of a term of one or
  two characters, at the end of a column too, starts a trigram ("東京"
  starts "東京の" or "東京 "). Most Chinese words are two characters: the
  store asks for the trigrams that start with the term
  (``claims_fts_terms``) instead of scanning every claim.
External content both: the text stays in ``claims``; triggers keep both
indexes in step with the working copy.
"""

from . import migrations

COLUMNS = ("exact", "label", "rationale")
_NAMES = ", ".join(COLUMNS)


def _values(row: str, padded: bool) -> str:
    return ", ".join(f"{row}.{c} || '  '" if padded else f"{row}.{c}" for c in COLUMNS)


def _index(db, name: str, content: str, tokenize: str, padded: bool) -> None:
    db.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({_NAMES}, content='{content}',"
               f" content_rowid='id', tokenize='{tokenize}')")
    db.execute(f"INSERT INTO {name} ({name}) VALUES ('rebuild')")
    db.execute(f"CREATE VIRTUAL TABLE {name}_terms USING fts5vocab({name}, row)")
    new, old = _values("new", padded), _values("old", padded)
    db.execute(f"""CREATE TRIGGER {name}_insert AFTER INSERT ON claims BEGIN
        INSERT INTO {name} (rowid, {_NAMES}) VALUES (new.id, {new});
    END""")
    db.execute(f"""CREATE TRIGGER {name}_delete AFTER DELETE ON claims BEGIN
        INSERT INTO {name} ({name}, rowid, {_NAMES}) VALUES ('delete', old.id, {old});
    END""")
    db.execute(f"""CREATE TRIGGER {name}_update AFTER UPDATE OF {_NAMES} ON claims BEGIN
        INSERT INTO {name} ({name}, rowid, {_NAMES}) VALUES ('delete', old.id, {old});
        INSERT INTO {name} (rowid, {_NAMES}) VALUES (new.id, {new});
    END""")


@migrations()
def m0021_claim_word_search(db):
    _index(db, "claims_words", "claims", "unicode61 remove_diacritics 2", padded=False)
    for trigger in ("insert", "delete", "update"):
        db.execute(f"DROP TRIGGER claims_fts_{trigger}")
    db.execute("DROP TABLE claims_fts")
    db.execute("CREATE VIEW claims_fts_source (id, exact, label, rationale) AS SELECT id,"
               f" {_values('claims', True)} FROM claims")
    _index(db, "claims_fts", "claims_fts_source", "trigram", padded=True)

-- The locality domain (hubs/locality): every record is kept whole in its
-- stored format (adapters/internal/localityrec: JSON in a versioned
-- envelope), keyed by kind and id, with the columns reads select by: the
-- area, the person it names (for erasure) and its date.
CREATE TABLE locality_records (
	kind    TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	area    TEXT    NOT NULL DEFAULT '',
	person  TEXT    NOT NULL DEFAULT '',
	on_at   INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL CHECK (version >= 1),
	body    TEXT    NOT NULL,
	UNIQUE (kind, id)
) STRICT;
CREATE INDEX locality_records_on ON locality_records (kind, on_at);
CREATE INDEX locality_records_area ON locality_records (kind, area, on_at);
CREATE INDEX locality_records_person ON locality_records (person, kind) WHERE person <> '';

CREATE TABLE locality_receipts (
	key    TEXT    PRIMARY KEY,
	hash   TEXT    NOT NULL,
	result TEXT    NOT NULL,
	at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The dementia domain: every record is kept whole in its stored format
-- (adapters/internal/dementiarec: JSON in a versioned envelope), keyed by
-- kind and id, with the columns reads select by: parent (an action's
-- member, a review's year) and on_at (the date a list is ordered by).
CREATE TABLE dementia_records (
	kind    TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	parent  TEXT    NOT NULL DEFAULT '',
	on_at   INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL CHECK (version >= 1),
	body    TEXT    NOT NULL,
	UNIQUE (kind, id)
) STRICT;
CREATE INDEX dementia_records_on ON dementia_records (kind, on_at);
CREATE INDEX dementia_records_parent ON dementia_records (kind, parent, on_at);

CREATE TABLE dementia_receipts (
	key    TEXT    PRIMARY KEY,
	hash   TEXT    NOT NULL,
	result TEXT    NOT NULL,
	at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

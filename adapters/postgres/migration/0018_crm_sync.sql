-- The CRM sync state (adapters/crm), per source (a plugin, by the name the
-- host gives it): the cursor after the last batch stored, the link of each
-- CRM record stored (the domain id and the CRM version stored), and named
-- marks, such as a push feed's high-water mark.
CREATE TABLE crm_cursors (
	source text NOT NULL PRIMARY KEY,
	cursor text NOT NULL
);

CREATE TABLE crm_links (
	source      text   COLLATE "C" NOT NULL,
	kind        text   COLLATE "C" NOT NULL,
	external_id text   COLLATE "C" NOT NULL,
	id          text   NOT NULL,
	version     bigint NOT NULL CHECK (version >= 1),
	PRIMARY KEY (source, kind, external_id)
);

CREATE TABLE crm_marks (
	source text COLLATE "C" NOT NULL,
	name   text COLLATE "C" NOT NULL,
	value  text NOT NULL,
	PRIMARY KEY (source, name)
);

-- Indicator schemes (考评指标体系): versions of a tree stored as JSON, drafts editable, published versions frozen.
CREATE TABLE schemes (
	id           BIGINT  PRIMARY KEY,
	family_id    BIGINT  NOT NULL,
	org_id       BIGINT  NOT NULL REFERENCES orgs(id),
	name         TEXT    NOT NULL,
	version      BIGINT  NOT NULL,
	status       TEXT    NOT NULL,
	body         TEXT    NOT NULL,
	created_by   BIGINT  NOT NULL DEFAULT 0,
	created_at   BIGINT  NOT NULL,
	published_at BIGINT  NOT NULL DEFAULT 0,
	UNIQUE (family_id, version)
);
CREATE INDEX schemes_org ON schemes(org_id);

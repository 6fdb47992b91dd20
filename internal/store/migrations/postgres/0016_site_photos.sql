-- Photos taken on a site visit, kept as sealed blobs.
CREATE TABLE site_photos (
	round_id     BIGINT  NOT NULL REFERENCES rounds(id),
	subject_id   BIGINT  NOT NULL REFERENCES orgs(id),
	position     INTEGER NOT NULL,
	blob_key     TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	size         BIGINT  NOT NULL,
	content_type TEXT    NOT NULL,
	added_by     BIGINT  NOT NULL DEFAULT 0,
	added_at     BIGINT  NOT NULL,
	PRIMARY KEY (round_id, subject_id, position)
);

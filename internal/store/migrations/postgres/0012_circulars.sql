-- The circular (通报) of a published round: what the office wrote around the results.
CREATE TABLE round_circulars (
	round_id   BIGINT  PRIMARY KEY REFERENCES rounds(id),
	issuer     TEXT    NOT NULL,
	doc_number TEXT    NOT NULL DEFAULT '',
	title      TEXT    NOT NULL,
	addressees TEXT    NOT NULL DEFAULT '',
	body       TEXT    NOT NULL DEFAULT '',
	after      TEXT    NOT NULL DEFAULT '',
	issued_on  BIGINT  NOT NULL,
	updated_at BIGINT  NOT NULL
);

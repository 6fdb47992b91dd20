-- Files a unit attaches to a progress report (photos, sign-in sheets, documents), kept as sealed blobs.
CREATE TABLE plan_report_files (
	report_id    BIGINT NOT NULL REFERENCES plan_reports(id),
	position     INTEGER NOT NULL,
	blob_key     TEXT   NOT NULL,
	name         TEXT   NOT NULL,
	size         BIGINT NOT NULL,
	content_type TEXT   NOT NULL,
	PRIMARY KEY (report_id, position)
);

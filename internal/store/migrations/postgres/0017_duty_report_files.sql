-- Evidence a unit attaches to its duty report (photos, PDF, Word, Excel), kept as sealed blobs.
CREATE TABLE duty_report_files (
	report_id    BIGINT  NOT NULL REFERENCES duty_reports(id),
	position     INTEGER NOT NULL,
	blob_key     TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	size         BIGINT  NOT NULL,
	content_type TEXT    NOT NULL,
	PRIMARY KEY (report_id, position)
);

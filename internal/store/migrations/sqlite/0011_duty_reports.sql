-- Duty reports (履职报告): one per unit per year, its five sections as JSON, and what the checks found at submission.
CREATE TABLE duty_reports (
	id           BIGINT  PRIMARY KEY,
	org_id       BIGINT  NOT NULL REFERENCES orgs(id),
	year         INTEGER NOT NULL,
	status       TEXT    NOT NULL,
	sections     TEXT    NOT NULL,
	checks       TEXT    NOT NULL DEFAULT '',
	submitted_at BIGINT  NOT NULL DEFAULT 0,
	updated_at   BIGINT  NOT NULL,
	UNIQUE (org_id, year)
);

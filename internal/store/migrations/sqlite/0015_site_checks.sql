-- Site visits (实地考察): a checklist per subject (座谈, 查阅台账, 窗口暗访, …) with notes.
CREATE TABLE site_checks (
	round_id   BIGINT  NOT NULL REFERENCES rounds(id),
	subject_id BIGINT  NOT NULL REFERENCES orgs(id),
	item       TEXT    NOT NULL,
	done       BOOLEAN NOT NULL,
	note       TEXT    NOT NULL DEFAULT '',
	checked_by BIGINT  NOT NULL DEFAULT 0,
	checked_at BIGINT  NOT NULL,
	PRIMARY KEY (round_id, subject_id, item)
);

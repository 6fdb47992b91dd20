-- An exam: the columns listings filter on, and the rest of its settings (rules, grading, review, slots) as JSON.
CREATE TABLE exams (
	id           BIGINT  PRIMARY KEY,
	org_id       BIGINT  NOT NULL REFERENCES orgs(id),
	title        TEXT    NOT NULL,
	year         INTEGER NOT NULL DEFAULT 0,
	sitters_path TEXT    NOT NULL,
	opens_at     BIGINT  NOT NULL,
	closes_at    BIGINT  NOT NULL,
	makeup_of    BIGINT  NOT NULL DEFAULT 0,
	settings     TEXT    NOT NULL,
	created_by   BIGINT  NOT NULL DEFAULT 0,
	created_at   BIGINT  NOT NULL
);
CREATE INDEX exams_org ON exams(org_id);
CREATE INDEX exams_closes ON exams(closes_at);

-- One attempt at an exam, with the paper drawn for it. Scores are in hundredths out of 100, raw and max points in millionths.
CREATE TABLE exam_attempts (
	id             BIGINT  PRIMARY KEY,
	exam_id        BIGINT  NOT NULL REFERENCES exams(id),
	user_id        BIGINT  NOT NULL REFERENCES users(id),
	org_id         BIGINT  NOT NULL REFERENCES orgs(id),
	no             INTEGER NOT NULL,
	paper          TEXT    NOT NULL,
	started_at     BIGINT  NOT NULL,
	deadline_at    BIGINT  NOT NULL,
	grace_end_at   BIGINT  NOT NULL,
	state          TEXT    NOT NULL,
	submitted_at   BIGINT  NOT NULL DEFAULT 0,
	auto_submitted BOOLEAN NOT NULL DEFAULT FALSE,
	score_cent     BIGINT  NOT NULL DEFAULT 0,
	raw_mu         BIGINT  NOT NULL DEFAULT 0,
	max_mu         BIGINT  NOT NULL DEFAULT 0,
	grade          TEXT    NOT NULL DEFAULT '',
	passed         BOOLEAN NOT NULL DEFAULT FALSE,
	pending_manual BOOLEAN NOT NULL DEFAULT FALSE,
	UNIQUE (exam_id, user_id, no)
);
-- At most one open attempt per person and exam: two concurrent starts make one.
CREATE UNIQUE INDEX exam_attempts_open ON exam_attempts(exam_id, user_id) WHERE state = 'open';
CREATE INDEX exam_attempts_due ON exam_attempts(state, grace_end_at);
CREATE INDEX exam_attempts_user ON exam_attempts(user_id);

-- The answer saved for one question of an attempt. No foreign key: the hot save path
-- checks the attempt in the same statement, and a key check per save would cost a lookup.
CREATE TABLE exam_answers (
	attempt_id BIGINT NOT NULL,
	question_id BIGINT NOT NULL,
	given      TEXT   NOT NULL,
	seq        BIGINT NOT NULL,
	saved_at   BIGINT NOT NULL,
	awarded_mu BIGINT,
	PRIMARY KEY (attempt_id, question_id)
);

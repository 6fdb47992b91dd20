-- Assessment rounds (考评轮次): a published scheme version applied to subjects, with stages, raters,
-- score sheets, public votes, and published results with their revisions.
CREATE TABLE rounds (
	id           BIGINT  PRIMARY KEY,
	org_id       BIGINT  NOT NULL REFERENCES orgs(id),
	scheme_id    BIGINT  NOT NULL REFERENCES schemes(id),
	title        TEXT    NOT NULL,
	period       TEXT    NOT NULL DEFAULT '',
	status       TEXT    NOT NULL,
	grading      TEXT    NOT NULL,
	revision     INTEGER NOT NULL DEFAULT 0,
	created_by   BIGINT  NOT NULL DEFAULT 0,
	created_at   BIGINT  NOT NULL,
	updated_at   BIGINT  NOT NULL,
	published_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX rounds_org ON rounds(org_id, created_at);

CREATE TABLE round_subjects (
	round_id BIGINT  NOT NULL REFERENCES rounds(id),
	org_id   BIGINT  NOT NULL REFERENCES orgs(id),
	position INTEGER NOT NULL,
	PRIMARY KEY (round_id, org_id)
);
CREATE INDEX round_subjects_org ON round_subjects(org_id);

CREATE TABLE round_stages (
	id            BIGINT  PRIMARY KEY,
	round_id      BIGINT  NOT NULL REFERENCES rounds(id),
	position      INTEGER NOT NULL,
	kind          TEXT    NOT NULL,
	name          TEXT    NOT NULL DEFAULT '',
	weight        DOUBLE PRECISION NOT NULL,
	min_raters    INTEGER NOT NULL DEFAULT 0,
	combine       TEXT    NOT NULL DEFAULT '',
	public_rule   TEXT    NOT NULL DEFAULT '',
	opens_at      BIGINT  NOT NULL DEFAULT 0,
	closes_at     BIGINT  NOT NULL DEFAULT 0,
	public_key    TEXT    NOT NULL DEFAULT '',
	vote_mode     TEXT    NOT NULL DEFAULT '',
	population    INTEGER NOT NULL DEFAULT 0,
	burst_votes   INTEGER NOT NULL DEFAULT 0,
	burst_seconds INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX round_stages_round ON round_stages(round_id, position);
CREATE INDEX round_stages_key ON round_stages(public_key);

-- Who scores whom: one row per stage, rater and subject.
CREATE TABLE stage_raters (
	stage_id   BIGINT NOT NULL REFERENCES round_stages(id),
	rater_id   BIGINT NOT NULL REFERENCES users(id),
	subject_id BIGINT NOT NULL REFERENCES orgs(id),
	round_id   BIGINT NOT NULL REFERENCES rounds(id),
	PRIMARY KEY (stage_id, rater_id, subject_id)
);
CREATE INDEX stage_raters_rater ON stage_raters(rater_id, round_id);
CREATE INDEX stage_raters_round ON stage_raters(round_id, subject_id);

-- A rater's score sheet for one subject in one stage. inputs is the sheet as the rater entered it (JSON);
-- total is the scored total in millionths of a point, set on submission.
CREATE TABLE sheets (
	id           BIGINT  PRIMARY KEY,
	round_id     BIGINT  NOT NULL REFERENCES rounds(id),
	stage_id     BIGINT  NOT NULL REFERENCES round_stages(id),
	subject_id   BIGINT  NOT NULL REFERENCES orgs(id),
	rater_id     BIGINT  NOT NULL REFERENCES users(id),
	status       TEXT    NOT NULL,
	inputs       TEXT    NOT NULL,
	note         TEXT    NOT NULL DEFAULT '',
	result       TEXT    NOT NULL DEFAULT '',
	total        BIGINT  NOT NULL DEFAULT 0,
	return_note  TEXT    NOT NULL DEFAULT '',
	updated_at   BIGINT  NOT NULL,
	submitted_at BIGINT  NOT NULL DEFAULT 0,
	UNIQUE (stage_id, subject_id, rater_id)
);
CREATE INDEX sheets_round ON sheets(round_id, subject_id, stage_id);
CREATE INDEX sheets_rater ON sheets(rater_id, round_id);

-- Every indicator's score of every submitted sheet, in millionths of a point, keyed so that a round's
-- per-subject, per-stage, per-indicator sums stream out in key order without a sort.
CREATE TABLE sheet_scores (
	round_id   BIGINT  NOT NULL,
	subject_id BIGINT  NOT NULL,
	stage_id   BIGINT  NOT NULL,
	ind        INTEGER NOT NULL,
	sheet_id   BIGINT  NOT NULL,
	score      BIGINT  NOT NULL,
	PRIMARY KEY (round_id, subject_id, stage_id, ind, sheet_id)
) ;

-- Veto items a submitted sheet marked failed.
CREATE TABLE sheet_vetoes (
	round_id   BIGINT NOT NULL,
	subject_id BIGINT NOT NULL,
	stage_id   BIGINT NOT NULL,
	code       TEXT   NOT NULL,
	sheet_id   BIGINT NOT NULL,
	PRIMARY KEY (round_id, subject_id, stage_id, code, sheet_id)
);

-- Invitation tokens of a public-rating stage (SM3 of the token); used_at is set by the first vote.
CREATE TABLE vote_tokens (
	stage_id   BIGINT NOT NULL REFERENCES round_stages(id),
	token_hash TEXT   NOT NULL,
	label      TEXT   NOT NULL DEFAULT '',
	issued_at  BIGINT NOT NULL,
	used_at    BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (stage_id, token_hash)
);

-- Phone verification codes of a public-rating stage: phone_key is the HMAC index of the number.
CREATE TABLE vote_codes (
	stage_id   BIGINT  NOT NULL REFERENCES round_stages(id),
	phone_key  TEXT    NOT NULL,
	code_hash  TEXT    NOT NULL,
	sent_at    BIGINT  NOT NULL,
	expires_at BIGINT  NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (stage_id, phone_key)
);

-- One vote per person per subject: voter is the token hash or the phone's HMAC index.
CREATE TABLE public_votes (
	id         BIGINT  PRIMARY KEY,
	round_id   BIGINT  NOT NULL REFERENCES rounds(id),
	stage_id   BIGINT  NOT NULL REFERENCES round_stages(id),
	subject_id BIGINT  NOT NULL REFERENCES orgs(id),
	voter      TEXT    NOT NULL,
	rating     INTEGER NOT NULL,
	comment    TEXT    NOT NULL DEFAULT '',
	client     TEXT    NOT NULL DEFAULT '',
	excluded   BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT  NOT NULL,
	UNIQUE (stage_id, subject_id, voter)
);
CREATE INDEX public_votes_subject ON public_votes(round_id, subject_id, stage_id, created_at);

-- Published results: one row per subject per revision; a revision is never changed.
CREATE TABLE round_revisions (
	round_id    BIGINT  NOT NULL REFERENCES rounds(id),
	revision    INTEGER NOT NULL,
	reason      TEXT    NOT NULL,
	entered_by  BIGINT  NOT NULL,
	approved_by BIGINT  NOT NULL,
	created_at  BIGINT  NOT NULL,
	PRIMARY KEY (round_id, revision)
);

CREATE TABLE round_results (
	round_id   BIGINT  NOT NULL REFERENCES rounds(id),
	revision   INTEGER NOT NULL,
	subject_id BIGINT  NOT NULL REFERENCES orgs(id),
	total      BIGINT  NOT NULL,
	grade      TEXT    NOT NULL,
	rank       INTEGER NOT NULL DEFAULT 0,
	detail     TEXT    NOT NULL,
	PRIMARY KEY (round_id, revision, subject_id)
);

-- A correction of a published total: entered by one person, approved by another.
CREATE TABLE round_corrections (
	id          BIGINT  PRIMARY KEY,
	round_id    BIGINT  NOT NULL REFERENCES rounds(id),
	subject_id  BIGINT  NOT NULL REFERENCES orgs(id),
	total       BIGINT  NOT NULL,
	reason      TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	entered_by  BIGINT  NOT NULL,
	entered_at  BIGINT  NOT NULL,
	decided_by  BIGINT  NOT NULL DEFAULT 0,
	decided_at  BIGINT  NOT NULL DEFAULT 0,
	revision    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX round_corrections_round ON round_corrections(round_id, status);

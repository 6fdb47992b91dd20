-- The knowledge contest (知识竞赛): contests, the finalists of their live finals, and each final as the host ran it.

-- A contest: the columns lookups and listings use, and the rest of its settings (intro, rounds, team rule,
-- awards, final with its questions and finalists) as JSON.
CREATE TABLE contests (
	id         BIGINT  PRIMARY KEY,
	org_id     BIGINT  NOT NULL REFERENCES orgs(id),
	title      TEXT    NOT NULL,
	year       INTEGER NOT NULL,
	definition TEXT    NOT NULL,
	created_by BIGINT  NOT NULL DEFAULT 0,
	created_at BIGINT  NOT NULL
);
CREATE INDEX contests_org ON contests(org_id, created_at);

-- The finalists of a contest's final, copied from its definition on every write so that a person's contests are
-- an indexed query. The definition stays the record of who they are and their teams; this table only indexes it,
-- so user_id has no foreign key (as the definition's ids have none).
CREATE TABLE contest_finalists (
	contest_id BIGINT NOT NULL REFERENCES contests(id),
	user_id    BIGINT NOT NULL,
	PRIMARY KEY (contest_id, user_id)
);
CREATE INDEX contest_finalists_user ON contest_finalists(user_id);

-- One question of a final as the host ran it: step no asks the final's question no (from 1), open from opened_at
-- to closes_at (a reveal closes it early); revealed_at is 0 until the answer is shown. The primary key is the last
-- guard against two hosts opening the same step.
CREATE TABLE contest_steps (
	contest_id  BIGINT  NOT NULL REFERENCES contests(id),
	no          INTEGER NOT NULL,
	question_id BIGINT  NOT NULL,
	opened_at   BIGINT  NOT NULL,
	closes_at   BIGINT  NOT NULL,
	revealed_at BIGINT  NOT NULL DEFAULT 0,
	PRIMARY KEY (contest_id, no)
);

-- A finalist's one answer to a step, marked when it came: the options given as JSON, the server's time it arrived,
-- and its verdict and points (counted once the step is revealed). The primary key holds one answer per person and step.
CREATE TABLE contest_answers (
	contest_id  BIGINT  NOT NULL,
	no          INTEGER NOT NULL,
	user_id     BIGINT  NOT NULL,
	given       TEXT    NOT NULL,
	answered_at BIGINT  NOT NULL,
	correct     BOOLEAN NOT NULL,
	points      DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (contest_id, no, user_id),
	FOREIGN KEY (contest_id, no) REFERENCES contest_steps(contest_id, no)
);

-- The public legal-literacy quiz: quizzes, invitation tokens, responses and their scores per dimension.

-- A quiz: the columns lookups and listings use, and the rest of its definition (dimensions, questions,
-- profile questions, limits, alarm, threshold) as JSON. key is the unguessable public key of its link and QR code.
CREATE TABLE quizzes (
	id         BIGINT  PRIMARY KEY,
	org_id     BIGINT  NOT NULL REFERENCES orgs(id),
	key        TEXT    NOT NULL UNIQUE,
	title      TEXT    NOT NULL,
	mode       TEXT    NOT NULL,
	opens_at   BIGINT  NOT NULL DEFAULT 0,
	closes_at  BIGINT  NOT NULL DEFAULT 0,
	definition TEXT    NOT NULL,
	created_by BIGINT  NOT NULL DEFAULT 0,
	created_at BIGINT  NOT NULL
);
CREATE INDEX quizzes_org ON quizzes(org_id, created_at);

-- The invitation tokens of an invited quiz, one per person of the sample; a response carrying one uses it.
CREATE TABLE quiz_tokens (
	quiz_id   BIGINT NOT NULL REFERENCES quizzes(id),
	token     TEXT   NOT NULL,
	issued_at BIGINT NOT NULL,
	PRIMARY KEY (quiz_id, token)
) WITHOUT ROWID;

-- One response: the seed that drew the respondent's option order (the uint64's bits as a signed integer), the
-- token (invited quizzes) or the device cookie (open quizzes), the keyed hash of the client address for the
-- rate limits, the profile answers as JSON, the total in hundredths out of 100, and each question's verdict as
-- JSON so the respondent's result page can be shown again. The unique keys allow one response per token and
-- per device; NULLs (the other mode's column) never collide.
CREATE TABLE quiz_responses (
	id         BIGINT  PRIMARY KEY,
	quiz_id    BIGINT  NOT NULL REFERENCES quizzes(id),
	seed       BIGINT  NOT NULL,
	token      TEXT,
	device     TEXT,
	client     TEXT    NOT NULL,
	profile    TEXT    NOT NULL,
	total      BIGINT  NOT NULL,
	answers    TEXT    NOT NULL,
	excluded   BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT  NOT NULL,
	UNIQUE (quiz_id, token),
	UNIQUE (quiz_id, device),
	FOREIGN KEY (quiz_id, token) REFERENCES quiz_tokens(quiz_id, token)
);
-- The rate limits read a client's recent responses to a quiz.
CREATE INDEX quiz_responses_client ON quiz_responses(quiz_id, client, created_at);

-- A response's score out of 100 on each dimension of its quiz, in hundredths.
CREATE TABLE quiz_response_scores (
	response_id BIGINT NOT NULL REFERENCES quiz_responses(id),
	dimension   TEXT   NOT NULL,
	score       BIGINT NOT NULL,
	PRIMARY KEY (response_id, dimension)
) WITHOUT ROWID;

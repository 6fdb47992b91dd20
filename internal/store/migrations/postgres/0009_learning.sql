-- The law library, must-know lists, the question bank, practice and the mistake book.
CREATE TABLE laws (
	id          BIGINT  PRIMARY KEY,
	org_id      BIGINT  NOT NULL REFERENCES orgs(id),
	title       TEXT    NOT NULL,
	category    TEXT    NOT NULL,
	issuer      TEXT    NOT NULL DEFAULT '',
	doc_number  TEXT    NOT NULL DEFAULT '',
	promulgated BIGINT  NOT NULL DEFAULT 0,
	effective   BIGINT  NOT NULL DEFAULT 0,
	status      TEXT    NOT NULL,
	preamble    TEXT    NOT NULL DEFAULT '',
	search_key  TEXT    NOT NULL,
	created_by  BIGINT  NOT NULL DEFAULT 0,
	created_at  BIGINT  NOT NULL,
	updated_at  BIGINT  NOT NULL
);
CREATE INDEX laws_org ON laws(org_id, title);

CREATE TABLE law_articles (
	id         BIGINT  PRIMARY KEY,
	law_id     BIGINT  NOT NULL REFERENCES laws(id),
	position   INTEGER NOT NULL,
	label      TEXT    NOT NULL,
	n          INTEGER NOT NULL DEFAULT 0,
	sub        INTEGER NOT NULL DEFAULT 0,
	part       TEXT    NOT NULL DEFAULT '',
	subpart    TEXT    NOT NULL DEFAULT '',
	chapter    TEXT    NOT NULL DEFAULT '',
	division   TEXT    NOT NULL DEFAULT '',
	body       TEXT    NOT NULL,
	search_key TEXT    NOT NULL,
	UNIQUE (law_id, position)
);

-- A question; law_id and article_id are 0 when it tests no particular law or article.
CREATE TABLE questions (
	id          BIGINT  PRIMARY KEY,
	org_id      BIGINT  NOT NULL REFERENCES orgs(id),
	qtype       TEXT    NOT NULL,
	stem        TEXT    NOT NULL,
	options     TEXT    NOT NULL,
	answer      TEXT    NOT NULL,
	analysis    TEXT    NOT NULL DEFAULT '',
	law_id      BIGINT  NOT NULL DEFAULT 0,
	article_id  BIGINT  NOT NULL DEFAULT 0,
	tags        TEXT    NOT NULL DEFAULT '',
	difficulty  INTEGER NOT NULL DEFAULT 0,
	source      TEXT    NOT NULL DEFAULT '',
	content_key TEXT    NOT NULL,
	active      BOOLEAN NOT NULL DEFAULT TRUE,
	created_by  BIGINT  NOT NULL DEFAULT 0,
	created_at  BIGINT  NOT NULL,
	UNIQUE (org_id, content_key)
);
CREATE INDEX questions_article ON questions(article_id);
CREATE INDEX questions_law ON questions(law_id);

-- A must-know list (应知应会清单) for an audience; an item is a whole law (article_id 0) or one article.
CREATE TABLE must_know_lists (
	id         BIGINT  PRIMARY KEY,
	org_id     BIGINT  NOT NULL REFERENCES orgs(id),
	title      TEXT    NOT NULL,
	audience   TEXT    NOT NULL,
	year       INTEGER NOT NULL DEFAULT 0,
	created_by BIGINT  NOT NULL DEFAULT 0,
	created_at BIGINT  NOT NULL
);
CREATE INDEX must_know_lists_org ON must_know_lists(org_id);

CREATE TABLE must_know_items (
	list_id    BIGINT  NOT NULL REFERENCES must_know_lists(id),
	position   INTEGER NOT NULL,
	law_id     BIGINT  NOT NULL REFERENCES laws(id),
	article_id BIGINT  NOT NULL DEFAULT 0,
	material   TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (list_id, position)
);

-- What a person has read and practised, and the questions they got wrong.
CREATE TABLE article_reads (
	user_id    BIGINT NOT NULL REFERENCES users(id),
	article_id BIGINT NOT NULL REFERENCES law_articles(id),
	read_at    BIGINT NOT NULL,
	PRIMARY KEY (user_id, article_id)
);

CREATE TABLE practice_answers (
	user_id     BIGINT  NOT NULL REFERENCES users(id),
	question_id BIGINT  NOT NULL REFERENCES questions(id),
	correct     BOOLEAN NOT NULL,
	answer      TEXT    NOT NULL,
	answered_at BIGINT  NOT NULL,
	PRIMARY KEY (user_id, question_id)
);

CREATE TABLE mistakes (
	user_id       BIGINT  NOT NULL REFERENCES users(id),
	question_id   BIGINT  NOT NULL REFERENCES questions(id),
	wrong_count   INTEGER NOT NULL,
	right_streak  INTEGER NOT NULL DEFAULT 0,
	last_wrong_at BIGINT  NOT NULL,
	PRIMARY KEY (user_id, question_id)
);

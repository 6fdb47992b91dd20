-- The foundation: orgs, users and roles, sessions, the audit log, notices, jobs, blobs, settings.
CREATE TABLE orgs (
	id         INTEGER PRIMARY KEY,
	parent_id  INTEGER REFERENCES orgs(id),
	path       TEXT    NOT NULL UNIQUE,
	kind       TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	code       TEXT    NOT NULL UNIQUE,
	sort_order INTEGER NOT NULL DEFAULT 0,
	active     BOOLEAN NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, sort_order);

CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	login               TEXT    NOT NULL UNIQUE,
	name                TEXT    NOT NULL,
	org_id              INTEGER NOT NULL REFERENCES orgs(id),
	rank                TEXT    NOT NULL DEFAULT 'staff',
	rank_title          TEXT    NOT NULL DEFAULT '',
	phone_enc           BLOB,
	phone_idx           TEXT,
	id_number_enc       BLOB,
	id_number_idx       TEXT,
	password_hash       TEXT    NOT NULL,
	password_changed_at INTEGER NOT NULL,
	must_change         BOOLEAN NOT NULL DEFAULT 0,
	active              BOOLEAN NOT NULL DEFAULT 1,
	failed_count        INTEGER NOT NULL DEFAULT 0,
	failed_since        INTEGER NOT NULL DEFAULT 0,
	locked_until        INTEGER NOT NULL DEFAULT 0,
	last_login_at       INTEGER NOT NULL DEFAULT 0,
	created_at          INTEGER NOT NULL,
	updated_at          INTEGER NOT NULL
);
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_phone_idx ON users(phone_idx);
CREATE INDEX users_id_number_idx ON users(id_number_idx);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users(id),
	role    TEXT    NOT NULL,
	PRIMARY KEY (user_id, role)
);
CREATE INDEX user_roles_role ON user_roles(role);

CREATE TABLE password_history (
	user_id    INTEGER NOT NULL REFERENCES users(id),
	hash       TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, created_at);

CREATE TABLE sessions (
	id               TEXT    PRIMARY KEY,
	user_id          INTEGER NOT NULL REFERENCES users(id),
	kind             TEXT    NOT NULL,
	created_at       INTEGER NOT NULL,
	last_seen_at     INTEGER NOT NULL,
	expires_at       INTEGER NOT NULL,
	keep_alive_until INTEGER NOT NULL DEFAULT 0,
	ip               TEXT    NOT NULL DEFAULT '',
	user_agent       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE audit_chains (
	chain_id TEXT    PRIMARY KEY,
	seq      INTEGER NOT NULL,
	mac      TEXT    NOT NULL
);

CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	chain_id    TEXT    NOT NULL,
	seq         INTEGER NOT NULL,
	at          INTEGER NOT NULL,
	actor_id    INTEGER NOT NULL DEFAULT 0,
	actor_login TEXT    NOT NULL DEFAULT '',
	roles       TEXT    NOT NULL DEFAULT '',
	org_id      INTEGER NOT NULL DEFAULT 0,
	action      TEXT    NOT NULL,
	object_type TEXT    NOT NULL DEFAULT '',
	object_id   TEXT    NOT NULL DEFAULT '',
	result      TEXT    NOT NULL,
	detail      TEXT    NOT NULL DEFAULT '',
	ip          TEXT    NOT NULL DEFAULT '',
	request_id  TEXT    NOT NULL DEFAULT '',
	prev_mac    TEXT    NOT NULL,
	mac         TEXT    NOT NULL,
	UNIQUE (chain_id, seq)
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);

CREATE TABLE notices (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	kind       TEXT    NOT NULL,
	title      TEXT    NOT NULL,
	body       TEXT    NOT NULL DEFAULT '',
	link       TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	read_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notices_user ON notices(user_id, created_at);

CREATE TABLE jobs (
	id          INTEGER PRIMARY KEY,
	kind        TEXT    NOT NULL,
	title       TEXT    NOT NULL,
	owner_id    INTEGER NOT NULL DEFAULT 0,
	status      TEXT    NOT NULL,
	done        INTEGER NOT NULL DEFAULT 0,
	total       INTEGER NOT NULL DEFAULT 0,
	message     TEXT    NOT NULL DEFAULT '',
	result_key  TEXT    NOT NULL DEFAULT '',
	result_name TEXT    NOT NULL DEFAULT '',
	error       TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	finished_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_owner ON jobs(owner_id, created_at);

CREATE TABLE blobs (
	key          TEXT    PRIMARY KEY,
	size         INTEGER NOT NULL,
	content_type TEXT    NOT NULL,
	name         TEXT    NOT NULL DEFAULT '',
	purpose      TEXT    NOT NULL DEFAULT '',
	created_by   INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
);

CREATE TABLE settings (
	key        TEXT    PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
);

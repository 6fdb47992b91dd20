-- Failure counts for logins that name no account, keyed by a keyed hash of the login, so they lock like real ones on every node and across restarts.
CREATE TABLE login_failures (
	login_mac    TEXT   PRIMARY KEY,
	failed_count INTEGER NOT NULL,
	failed_since BIGINT NOT NULL,
	locked_until BIGINT NOT NULL
);

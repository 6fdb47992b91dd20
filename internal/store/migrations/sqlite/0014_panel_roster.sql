-- The panel roster: who a reviewer is (人大代表, 政协委员, 法学专家, 律师, 媒体代表, 基层代表) and where from.
CREATE TABLE reviewer_profiles (
	user_id     BIGINT PRIMARY KEY REFERENCES users(id),
	kind        TEXT   NOT NULL,
	affiliation TEXT   NOT NULL DEFAULT '',
	updated_at  BIGINT NOT NULL
);

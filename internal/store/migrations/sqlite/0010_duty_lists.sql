-- Duty lists (普法责任清单): one per unit per year, its items, and the work-plan tasks each item serves.
CREATE TABLE duty_lists (
	id            BIGINT  PRIMARY KEY,
	org_id        BIGINT  NOT NULL REFERENCES orgs(id),
	year          INTEGER NOT NULL,
	status        TEXT    NOT NULL,
	return_reason TEXT    NOT NULL DEFAULT '',
	submitted_at  BIGINT  NOT NULL DEFAULT 0,
	approved_at   BIGINT  NOT NULL DEFAULT 0,
	approved_by   BIGINT  NOT NULL DEFAULT 0,
	updated_at    BIGINT  NOT NULL,
	UNIQUE (org_id, year)
);

-- laws, audience and forms are JSON arrays; phone_enc is SM4-sealed like a user's phone.
CREATE TABLE duty_items (
	id         BIGINT  PRIMARY KEY,
	list_id    BIGINT  NOT NULL REFERENCES duty_lists(id),
	position   INTEGER NOT NULL,
	laws       TEXT    NOT NULL,
	law_ids    TEXT    NOT NULL DEFAULT '[]',
	audience   TEXT    NOT NULL,
	measures   TEXT    NOT NULL,
	forms      TEXT    NOT NULL,
	timing     TEXT    NOT NULL DEFAULT '',
	office     TEXT    NOT NULL DEFAULT '',
	person     TEXT    NOT NULL DEFAULT '',
	phone_enc  BLOB,
	standard   TEXT    NOT NULL DEFAULT '',
	search_key TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX duty_items_list ON duty_items(list_id, position);

CREATE TABLE duty_item_tasks (
	item_id BIGINT NOT NULL REFERENCES duty_items(id),
	task_id BIGINT NOT NULL REFERENCES plan_items(id),
	PRIMARY KEY (item_id, task_id)
);
CREATE INDEX duty_item_tasks_task ON duty_item_tasks(task_id);

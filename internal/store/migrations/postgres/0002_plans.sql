-- Work plans (工作要点), their tree of sections and tasks, assigned units, progress reports and reminders.
CREATE TABLE plans (
	id          BIGINT PRIMARY KEY,
	org_id      BIGINT  NOT NULL REFERENCES orgs(id),
	year        BIGINT  NOT NULL,
	title       TEXT    NOT NULL,
	source_key  TEXT    NOT NULL DEFAULT '',
	source_name TEXT    NOT NULL DEFAULT '',
	created_by  BIGINT  NOT NULL DEFAULT 0,
	created_at  BIGINT  NOT NULL,
	updated_at  BIGINT  NOT NULL
);
CREATE INDEX plans_org ON plans(org_id, year);

CREATE TABLE plan_items (
	id            BIGINT PRIMARY KEY,
	plan_id       BIGINT  NOT NULL REFERENCES plans(id),
	parent_id     BIGINT  REFERENCES plan_items(id),
	position      BIGINT  NOT NULL,
	label         TEXT    NOT NULL DEFAULT '',
	title         TEXT    NOT NULL,
	body          TEXT    NOT NULL DEFAULT '',
	is_task       BOOLEAN NOT NULL,
	weight        DOUBLE PRECISION    NOT NULL DEFAULT 0,
	deadline_text TEXT    NOT NULL DEFAULT '',
	deadline      BIGINT  NOT NULL DEFAULT 0,
	outputs       TEXT    NOT NULL DEFAULT '',
	status        TEXT    NOT NULL DEFAULT 'not_started',
	percent       BIGINT  NOT NULL DEFAULT 0,
	updated_at    BIGINT  NOT NULL
);
CREATE INDEX plan_items_plan ON plan_items(plan_id, parent_id, position);

CREATE TABLE plan_item_units (
	item_id BIGINT  NOT NULL REFERENCES plan_items(id),
	org_id  BIGINT  NOT NULL REFERENCES orgs(id),
	lead    BOOLEAN NOT NULL,
	PRIMARY KEY (item_id, org_id)
);
CREATE INDEX plan_item_units_org ON plan_item_units(org_id);

CREATE TABLE plan_reports (
	id             BIGINT PRIMARY KEY,
	item_id        BIGINT  NOT NULL REFERENCES plan_items(id),
	org_id         BIGINT  NOT NULL REFERENCES orgs(id),
	author_id      BIGINT  NOT NULL REFERENCES users(id),
	status         TEXT    NOT NULL,
	percent        BIGINT  NOT NULL,
	body           TEXT    NOT NULL,
	reason         TEXT    NOT NULL DEFAULT '',
	review         TEXT    NOT NULL DEFAULT 'pending',
	review_comment TEXT    NOT NULL DEFAULT '',
	reviewed_by    BIGINT  NOT NULL DEFAULT 0,
	reviewed_at    BIGINT  NOT NULL DEFAULT 0,
	created_at     BIGINT  NOT NULL
);
CREATE INDEX plan_reports_item ON plan_reports(item_id, created_at);

CREATE TABLE plan_reminders (
	id         BIGINT PRIMARY KEY,
	item_id    BIGINT  NOT NULL REFERENCES plan_items(id),
	org_id     BIGINT  NOT NULL REFERENCES orgs(id),
	sent_by    BIGINT  NOT NULL,
	escalated  BOOLEAN NOT NULL DEFAULT FALSE,
	message    TEXT    NOT NULL DEFAULT '',
	created_at BIGINT  NOT NULL
);
CREATE INDEX plan_reminders_item ON plan_reminders(item_id, created_at);

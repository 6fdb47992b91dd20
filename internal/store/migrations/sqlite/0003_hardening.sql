-- Logins unique whatever their case (sign-in looks them up by LOWER), and a keyed MAC over each audit chain head so a cut tail is caught.
CREATE UNIQUE INDEX users_login_lower ON users(LOWER(login));
ALTER TABLE audit_chains ADD COLUMN head_mac TEXT NOT NULL DEFAULT '';

-- minitwit's tables. `flask --app minitwit init-db` runs this file: it drops
-- the old tables first, so it also resets a database to empty.

DROP TABLE IF EXISTS message;
DROP TABLE IF EXISTS follower;
DROP TABLE IF EXISTS user;

-- [schema-user]
CREATE TABLE user (
  user_id INTEGER PRIMARY KEY,
  -- COLLATE NOCASE: "Alice" and "alice" are the same name, for the UNIQUE
  -- constraint and for every lookup, so nobody can impersonate by case.
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  -- The address as email-validator normalised it (domain lower-cased).
  email TEXT NOT NULL,
  pw_hash TEXT NOT NULL,
  -- What Flask-Login keeps in the session and the remember-me cookie instead of
  -- user_id. A new random value on every password change or reset logs out
  -- every other session and kills every remember-me cookie.
  session_token TEXT NOT NULL UNIQUE,
  -- NULL until the owner clicks the link in the confirmation mail.
  confirmed_at TEXT,
  created TEXT NOT NULL
);

-- One account per address, whatever the case of the address.
CREATE UNIQUE INDEX user_email ON user (email COLLATE NOCASE);
-- [/schema-user]

-- [schema-follower]
CREATE TABLE follower (
  who_id INTEGER NOT NULL REFERENCES user (user_id) ON DELETE CASCADE,
  whom_id INTEGER NOT NULL REFERENCES user (user_id) ON DELETE CASCADE,
  -- Following twice keeps one row; nobody follows themselves.
  PRIMARY KEY (who_id, whom_id),
  CHECK (who_id <> whom_id)
) WITHOUT ROWID;

-- The primary key finds whom a user follows; this finds a user's followers.
CREATE INDEX follower_whom ON follower (whom_id, who_id);
-- [/schema-follower]

-- [schema-message]
CREATE TABLE message (
  message_id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES user (user_id) ON DELETE CASCADE,
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 280),
  pub_date TEXT NOT NULL
);

-- A user's page and the home timeline read one author's messages newest
-- first: one range of this index per author. (SQLite appends the rowid,
-- message_id, to every index, which breaks ties between equal dates.)
CREATE INDEX message_author_date ON message (author_id, pub_date);
-- The public timeline reads every message newest first.
CREATE INDEX message_date ON message (pub_date);
-- [/schema-message]

-- The flaskr database: users and their posts.
-- `flask --app flaskr init-db` runs this file: it drops the tables, then
-- creates them empty. Posts go first because they point at users.

DROP TABLE IF EXISTS post;
DROP TABLE IF EXISTS user;

CREATE TABLE user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- UNIQUE settles two registrations of one name at the same moment: the
  -- second INSERT fails. NOCASE: "Alice" and "alice" are one user.
  username TEXT UNIQUE NOT NULL COLLATE NOCASE,
  password TEXT NOT NULL,
  -- Copied into the session at login and checked on every request. Logging
  -- out adds one: every session cookie issued before stops working.
  session_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE post (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES user (id),
  -- UTC as ISO 8601 text, such as 2026-11-22T10:05:00Z: it sorts as it reads.
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  title TEXT NOT NULL,
  body TEXT NOT NULL
);

-- The index page lists posts newest first, a page at a time. This index
-- keeps each post's time, and its id, in order: SQLite jumps to where a
-- page starts and reads just that page. It never scans, counts or sorts
-- the whole table.
CREATE INDEX post_created ON post (created);
-- Finding a user's posts, and checking the foreign key when a user is deleted.
CREATE INDEX post_author_id ON post (author_id);

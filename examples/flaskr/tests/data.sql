-- Test data, loaded after schema.sql by the `app` fixture in conftest.py.
-- The password hashes are for "test-password" and "other-password", made with
-- generate_password_hash(..., method="pbkdf2:sha256:1000"), the method
-- TEST_CONFIG in conftest.py sets: few iterations, so tests run fast.
INSERT INTO user (username, password)
VALUES
  ('test', 'pbkdf2:sha256:1000$eMtSkMobiREx7EZ7$c25397652fdd44e6b71a5e34dc8b89980a2d460c32094f7e4b312da55c1a868a'),
  ('other', 'pbkdf2:sha256:1000$HWhwYFSnsfgJyzqk$07833d89d7e4e50358dc2ced11d516e6ae3650c60ea56a5146b3bf6e4703505f');

INSERT INTO post (title, body, author_id, created)
VALUES
  ('test title', 'test' || char(10) || 'body', 1, '2018-01-01T00:00:00Z');

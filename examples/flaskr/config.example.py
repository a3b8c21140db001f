"""flaskr's settings on a production server: copy to instance/config.py.

create_app reads instance/config.py after its defaults. Fill in the values,
and keep the file out of git: it holds the secret key.
"""

# Signs the session cookies. Make one with:
#     python -c "import secrets; print(secrets.token_hex())"
# Left empty, flaskr refuses to start.
SECRET_KEY = ""

# To change the key: put the old one here, the new one above, restart; a
# day (LOGIN_MAX_AGE) later empty the list and restart again.
SECRET_KEY_FALLBACKS = []

# The host names of the site. A request for any other Host gets 400.
TRUSTED_HOSTS = ["blog.example.com"]

# How many proxies (nginx, a load balancer) stand in front of flaskr, for a
# server that passes their X-Forwarded-* headers on unread: 1 under gunicorn
# behind one proxy. waitress, run as the deploy page says, reads them
# itself, from the proxy alone: keep 0.
PROXY_COUNT = 0

# Several server processes (gunicorn -w 4) must count login attempts in one
# place. Install Redis and `pip install "limits[redis]"`, then uncomment:
# RATELIMIT_STORAGE_URI = "redis://localhost:6379"

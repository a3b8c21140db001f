"""Use minitwit's JSON API from Python, as alice of the demo data.

Start the showcase (``python3 run.py -s serve``), then, with httpx
installed (``pip install httpx``): ``python api_client.py``. Another
minitwit: set ``MINITWIT_URL``, such as ``http://127.0.0.1:5000``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import islice

import httpx

BASE_URL = os.environ.get("MINITWIT_URL", "http://127.0.0.1:5000/minitwit")
#: A demo account of ``flask --app minitwit seed``: public on purpose.
USERNAME, PASSWORD = "alice", "minitwit-demo"


def messages(client: httpx.Client, url: str) -> Iterator[dict]:
    """Every message of a timeline, newest first, page after page."""
    while url:
        page = client.get(url).raise_for_status().json()
        yield from page["messages"]
        url = page["next"]  # None after the last page


def show(message: dict) -> None:
    """Print one message on one line."""
    print(f"{message['pub_date']} {message['author']}: {message['text']}")


def main() -> None:
    """Read, get a token, post, follow, unfollow, revoke, fail."""
    with httpx.Client(base_url=f"{BASE_URL}/api/v1") as client:
        print("The public timeline, its first 40 messages:")
        for message in islice(messages(client, "/messages"), 40):
            show(message)

        response = client.post("/tokens", auth=(USERNAME, PASSWORD))
        token = response.raise_for_status().json()["token"]
        # From here on, every request carries the token.
        client.headers["Authorization"] = f"Bearer {token}"

        new = {"text": "Hello from Python"}
        posted = client.post("/messages", json=new).raise_for_status()
        print("Posted message", posted.json()["id"])

        client.put("/following/carol").raise_for_status()
        print("Your home timeline, with carol's messages:")
        for message in islice(messages(client, "/timeline"), 5):
            show(message)
        client.delete("/following/carol").raise_for_status()

        client.delete("/tokens").raise_for_status()
        refused = client.get("/timeline")
        print(refused.status_code, refused.headers["Content-Type"])
        print(refused.json()["detail"])


if __name__ == "__main__":
    main()

"""The baseline of bench/run: what a minimal Python prototype of Mirt's webhook does, as a FastAPI app.

POST /webhooks/manychat parses the JSON, checks the X-ManyChat-Token header, and schedules the message into an
in-memory per-subscriber debounce: each new message cancels that subscriber's timer task and starts a new one.
When a subscriber has been quiet for DEBOUNCE_SECONDS the task builds a canned reply and POSTs one sendContent
call to MANYCHAT_API_URL. The answer is 202 {"status": "accepted"}. GET /health tells how many timers are
waiting and how many sends are under way, so that bench/run can wait for the backlog to drain.

Run (as bench/run does): /usr/bin/python3 -m uvicorn app:app --app-dir bench/baseline --host 127.0.0.1
--port 18092 --workers 1 --no-access-log --log-level warning

Debian's python3 has neither httpx nor aiohttp here, so the POST is urllib's, in the event loop's default thread
pool executor (an async client is used instead when one is installed).
"""

import asyncio
import json
import os
import urllib.request

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

TOKEN = os.environ.get("MANYCHAT_VERIFY_TOKEN", "bench-hook")
API_URL = os.environ.get("MANYCHAT_API_URL", "http://127.0.0.1:18091").rstrip("/")
API_KEY = os.environ.get("MANYCHAT_API_KEY", "bench-key")
QUIET = float(os.environ.get("DEBOUNCE_SECONDS", "3"))
SEND_URL = API_URL + "/fb/sending/sendContent"
HEADERS = {"Authorization": "Bearer " + API_KEY, "Content-Type": "application/json"}

try:
    import httpx  # noqa: F401
    CLIENT = "httpx"
except ImportError:
    try:
        import aiohttp  # noqa: F401
        CLIENT = "aiohttp"
    except ImportError:
        CLIENT = "urllib"

app = FastAPI()
buffers = {}   # subscriber id -> texts waiting
timers = {}    # subscriber id -> its debounce task
sending = 0
sent = 0
failed = 0
_client = None


def reply_body(subscriber_id, texts):
    text = "Дякуємо! Ви написали: " + " / ".join(texts)[:500]
    return {
        "subscriber_id": subscriber_id,
        "data": {"version": "v2", "content": {"type": "instagram", "messages": [{"type": "text", "text": text}]}},
        "message_tag": "ACCOUNT_UPDATE",
    }


def post_urllib(body):
    req = urllib.request.Request(SEND_URL, data=json.dumps(body).encode(), headers=HEADERS, method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


async def send(body):
    global _client
    if CLIENT == "httpx":
        import httpx
        if _client is None:
            _client = httpx.AsyncClient(timeout=10)
        (await _client.post(SEND_URL, json=body, headers=HEADERS)).raise_for_status()
    elif CLIENT == "aiohttp":
        import aiohttp
        if _client is None:
            _client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        async with _client.post(SEND_URL, json=body, headers=HEADERS) as resp:
            resp.raise_for_status()
            await resp.read()
    else:
        await asyncio.get_running_loop().run_in_executor(None, post_urllib, body)


async def debounce(subscriber_id):
    global sending, sent, failed
    try:
        await asyncio.sleep(QUIET)
    except asyncio.CancelledError:
        return  # a newer message restarted the timer
    texts = buffers.pop(subscriber_id, [])
    timers.pop(subscriber_id, None)
    sending += 1
    try:
        await send(reply_body(subscriber_id, texts))
        sent += 1
    except Exception:  # noqa: BLE001 - a benchmark counts failures, it does not retry them
        failed += 1
    finally:
        sending -= 1


@app.post("/webhooks/manychat")
async def webhook(request: Request):
    if request.headers.get("x-manychat-token") != TOKEN:
        return JSONResponse({"error": "invalid token"}, status_code=401)
    try:
        payload = await request.json()
        subscriber_id = payload["subscriber"]["id"]
        text = payload.get("message", {}).get("text", "")
    except Exception:  # noqa: BLE001
        return JSONResponse({"error": "invalid payload"}, status_code=400)
    buffers.setdefault(subscriber_id, []).append(text)
    old = timers.get(subscriber_id)
    if old is not None:
        old.cancel()
    timers[subscriber_id] = asyncio.create_task(debounce(subscriber_id))
    return JSONResponse({"status": "accepted"}, status_code=202)


@app.get("/health")
async def health():
    return {"status": "UP", "client": CLIENT, "pending": len(timers), "sending": sending, "sent": sent,
            "failed": failed}

"""FastAPI peer: the same JSON body as the Nest variants, with one async no-op background task (FastAPI's
fastest path; a plain `def` task would go through a thread pool). Run by bench/harness/servers.mjs as
  python3 -m uvicorn fastapi_app:app --loop uvloop --http httptools --workers 1 --no-access-log
"""
import json

from fastapi import BackgroundTasks, FastAPI

app = FastAPI()
counter = {"added": 0, "ran": 0}


async def noop_task() -> None:
    counter["ran"] += 1


@app.get("/bg")
async def bg(background_tasks: BackgroundTasks):
    counter["added"] += 1
    background_tasks.add_task(noop_task)
    return {"hello": "world"}


@app.on_event("shutdown")
async def report() -> None:
    # The line the Nest servers print, so the runner checks that the tasks ran here too.
    print("STATS " + json.dumps(counter), flush=True)

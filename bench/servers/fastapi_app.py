"""FastAPI peer: the Nest variants' JSON body and one async no-op background task (FastAPI's fastest path;
a plain `def` task goes through a thread pool), on uvicorn with uvloop and httptools (bench/harness/servers.mjs)."""
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

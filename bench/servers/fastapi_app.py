"""FastAPI peer of the Nest variants: the same JSON body on /plain and, with one no-op background task,
on /bg. Routes and the /bg task are async, FastAPI's fastest path (sync functions go through a thread
pool); /bg-sync adds a plain `def` task, the shape FastAPI's docs show. Run by the harness as:
  python3 -m uvicorn fastapi_app:app --loop uvloop --http httptools --workers 1 --no-access-log
"""
from fastapi import BackgroundTasks, FastAPI

app = FastAPI()
counter = {"added": 0, "ran": 0}


async def noop_task() -> None:
    counter["ran"] += 1


def noop_sync_task() -> None:
    # A plain `def` task, as in FastAPI's docs: Starlette runs it in a worker thread.
    counter["ran"] += 1


@app.get("/plain")
async def plain():
    return {"hello": "world"}


@app.get("/bg")
async def bg(background_tasks: BackgroundTasks):
    counter["added"] += 1
    background_tasks.add_task(noop_task)
    return {"hello": "world"}


@app.get("/bg-sync")
async def bg_sync(background_tasks: BackgroundTasks):
    counter["added"] += 1
    background_tasks.add_task(noop_sync_task)
    return {"hello": "world"}


@app.on_event("shutdown")
async def report() -> None:
    # Same line the Nest servers print, so the harness checks that the tasks ran here too.
    import json
    print("STATS " + json.dumps(counter), flush=True)

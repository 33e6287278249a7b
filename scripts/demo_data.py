#!/usr/bin/env python3
"""Loads demo data into a running service through its HTTP API (python3 stdlib only).

Everything goes through the real routes, so the workflows the API starts (waitlist cutoffs,
...) show up in the Temporal UI. Idempotent: if the demo courses already exist it prints
"demo data already loaded" and exits 0.

    python3 scripts/demo_data.py --api http://127.0.0.1:8080

Admin credentials come from ADMIN_USERNAME / ADMIN_PASSWORD (default admin/admin). Parents
log in with dev codes (demo-parent-1 ... demo-parent-N), which the service accepts when it
runs without WeChat credentials.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import urllib.error
import urllib.request

# name, course_type, level, duration_minutes, price, capacity
COURSES = [
    ("启蒙体操", "group", 1, 60, 150, 6),
    ("初级体操", "group", 2, 90, 180, 6),
    ("中级体操", "group", 3, 120, 220, 8),
    ("VIP小班", "vip", 2, 90, 320, 3),
    ("私教课", "private", 2, 60, 500, 1),
]

# course name -> [(weekday 1=Mon..7=Sun, start_time, coach, location)]
SCHEDULES = {
    "启蒙体操": [
        (1, "16:00:00", "王教练", "浦东馆"),
        (3, "16:00:00", "李教练", "徐汇馆"),
        (6, "09:00:00", "王教练", "浦东馆"),
        (7, "09:00:00", "张教练", "徐汇馆"),
    ],
    "初级体操": [
        (2, "17:30:00", "李教练", "浦东馆"),
        (4, "17:30:00", "张教练", "徐汇馆"),
        (6, "10:30:00", "李教练", "浦东馆"),
        (7, "10:30:00", "王教练", "徐汇馆"),
    ],
    "中级体操": [
        (3, "18:30:00", "张教练", "浦东馆"),
        (5, "18:00:00", "李教练", "徐汇馆"),
        (7, "09:00:00", "李教练", "浦东馆"),
    ],
    "VIP小班": [
        (2, "19:00:00", "王教练", "徐汇馆"),
        (6, "11:00:00", "王教练", "徐汇馆"),
    ],
    "私教课": [
        (1, "18:00:00", "张教练", "徐汇馆"),
        (4, "19:00:00", "王教练", "浦东馆"),
        (7, "11:00:00", "李教练", "浦东馆"),
    ],
}

# children per parent (parent i gets CHILDREN[i]); (name, level)
CHILDREN = [
    [("王小米", 1), ("王小禾", 2)],
    [("李思涵", 2)],
    [("张子轩", 3), ("张子琪", 1)],
    [("刘一诺", 2)],
    [("陈浩然", 1), ("陈欣怡", 3)],
    [("杨梓萱", 2)],
    [("赵雨桐", 3), ("赵俊熙", 2)],
    [("黄诗琪", 1)],
    [("周沐阳", 2), ("周可馨", 1)],
    [("吴语嫣", 3)],
]

FULL_SESSIONS = 6  # sessions filled to capacity, each with a waitlist
PARTIAL_SESSIONS = 4  # sessions with a few seats booked
MIN_LEAD = dt.timedelta(days=2)  # only sessions this far ahead (the cutoff is far away)


class ApiError(Exception):
    def __init__(self, method: str, path: str, status: int, message: str, body: dict | None):
        super().__init__(f"{method} {path} -> HTTP {status}: {message}")
        self.method, self.path, self.status, self.message, self.body = (
            method, path, status, message, body)


class Api:
    def __init__(self, base: str, timeout: float):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.last = ""

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None,
             expect: tuple[int, ...] = (200, 201)) -> dict:
        """Sends one request; returns the envelope's `data` or raises ApiError."""
        headers = {"Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.last = f"{method} {path}"
        req = urllib.request.Request(self.base + path, data=payload, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise SystemExit(f"demo data: cannot reach {self.base}: {reason}") from None
        try:
            envelope = json.loads(raw.decode() or "null")
        except (UnicodeDecodeError, json.JSONDecodeError):
            envelope = None
        if not isinstance(envelope, dict):
            text = raw[:200].decode(errors="replace")
            raise ApiError(method, path, status, f"not a JSON envelope: {text!r}", None)
        if status not in expect:
            raise ApiError(method, path, status, str(envelope.get("message", "")), envelope)
        return envelope.get("data") or {}


def fail(err: ApiError) -> None:
    print(f"demo data: unexpected answer: {err.method} {err.path} -> HTTP {err.status}: "
          f"{err.message}", file=sys.stderr)
    sys.exit(1)


def parse_instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def session_day(session: dict) -> str:
    return str(session["booking_date"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--api", default=os.environ.get("DEMO_API", "http://127.0.0.1:8080"),
                    help="base URL of the API (default %(default)s)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    args = ap.parse_args()
    api = Api(args.api, args.timeout)
    try:
        return load(api)
    except ApiError as err:
        fail(err)
        return 1
    except (KeyError, TypeError, ValueError) as err:
        print(f"demo data: unexpected response shape after {api.last}: {err!r}", file=sys.stderr)
        return 1


def load(api: Api) -> int:
    counts = dict(courses=0, schedules=0, parents=0, children=0, bookings=0, waitlist=0)

    # --- admin ---------------------------------------------------------------------------------
    admin = api.call("POST", "/api/v1/admin/login", {
        "username": os.environ.get("ADMIN_USERNAME", "admin"),
        "password": os.environ.get("ADMIN_PASSWORD", "admin"),
    })["token"]

    existing = api.call("GET", "/api/v1/admin/courses", token=admin).get("items", [])
    demo_names = {c[0] for c in COURSES}
    if any(c.get("name") in demo_names for c in existing):
        print("demo data already loaded")
        return 0

    course_ids: dict[str, int] = {}
    for name, course_type, level, minutes, price, capacity in COURSES:
        data = api.call("POST", "/api/v1/admin/courses", {
            "name": name, "course_type": course_type, "level": level,
            "duration_minutes": minutes, "price": price, "capacity": capacity,
        }, token=admin, expect=(201,))
        course_ids[name] = data["id"]
        counts["courses"] += 1
    for name, slots in SCHEDULES.items():
        for weekday, start, coach, location in slots:
            api.call("POST", "/api/v1/admin/schedules", {
                "course_id": course_ids[name], "weekday": weekday, "start_time": start,
                "coach": coach, "location": location,
            }, token=admin, expect=(201,))
            counts["schedules"] += 1
    print(f"created {counts['courses']} courses and {counts['schedules']} weekly schedules")

    # --- parents and children --------------------------------------------------------------------
    # children: list of (token, profile_id, name)
    children: list[tuple[str, int, str]] = []
    for i, kids in enumerate(CHILDREN, start=1):
        token = api.call("POST", "/api/v1/auth/login", {"code": f"demo-parent-{i}"})["token"]
        counts["parents"] += 1
        have = {p.get("name"): p.get("id")
                for p in api.call("GET", "/api/v1/profiles", token=token).get("items", [])}
        for name, level in kids:
            pid = have.get(name)
            if pid is None:
                pid = api.call("POST", "/api/v1/profiles", {"name": name, "level": level},
                               token=token, expect=(201,))["id"]
                counts["children"] += 1
            children.append((token, pid, name))
    print(f"{counts['parents']} parents with {len(children)} children")

    # --- sessions of the next two weeks ------------------------------------------------------------
    today = dt.date.today()
    query = f"date_from={today.isoformat()}&date_to={(today + dt.timedelta(days=13)).isoformat()}"
    sessions = api.call("GET", f"/api/v1/sessions?{query}", token=children[0][0]).get("items", [])
    now = dt.datetime.now(dt.timezone.utc)
    eligible = [s for s in sessions
                if s.get("course_name") in demo_names
                and parse_instant(s["starts_at"]) >= now + MIN_LEAD]
    eligible.sort(key=lambda s: s["starts_at"])
    if len(eligible) < FULL_SESSIONS:
        print(f"demo data: only {len(eligible)} sessions at least 2 days ahead; "
              f"filling what there is", file=sys.stderr)

    # One session per course first (variety), then the earliest others.
    chosen: list[dict] = []
    seen_courses: set[str] = set()
    for s in eligible:
        if s["course_name"] not in seen_courses:
            chosen.append(s)
            seen_courses.add(s["course_name"])
    for s in eligible:
        if len(chosen) >= FULL_SESSIONS + PARTIAL_SESSIONS:
            break
        if s not in chosen:
            chosen.append(s)
    full, partial = chosen[:FULL_SESSIONS], chosen[FULL_SESSIONS:FULL_SESSIONS + PARTIAL_SESSIONS]

    busy_days: dict[int, set[str]] = {}  # profile_id -> dates with a booking (no clashes)
    cursor = 0  # rotates through the children so the load spreads

    def book(session: dict, child: tuple[str, int, str]) -> bool:
        token, pid, name = child
        key = f"{session['course_name']} {session_day(session)}"
        try:
            data = api.call("POST", "/api/v1/bookings", {
                "profile_id": pid, "course_schedule_id": session["course_schedule_id"],
                "booking_date": session_day(session),
            }, token=token, expect=(201,))
        except ApiError as err:
            if err.status == 409:
                print(f"  note: booking {name} into {key} skipped (409: {err.message})")
                return False
            raise
        busy_days.setdefault(pid, set()).add(session_day(session))
        counts["bookings"] += 1
        return bool(data.get("booking_id"))

    def join(session: dict, child: tuple[str, int, str]) -> bool:
        token, pid, name = child
        key = f"{session['course_name']} {session_day(session)}"
        try:
            data = api.call("POST", "/api/v1/waitlist/join", {
                "profile_id": pid, "course_schedule_id": session["course_schedule_id"],
                "booking_date": session_day(session),
            }, token=token, expect=(201,))
        except ApiError as err:
            if err.status == 409:
                print(f"  note: {name} joining the waitlist of {key} skipped (409: {err.message})")
                return False
            raise
        counts["waitlist"] += 1
        print(f"  {name} is #{data.get('position')} on the waitlist of {key}")
        return True

    def fill(session: dict, seats: int) -> set[int]:
        """Books up to `seats` seats with children free that day; returns their profile ids."""
        nonlocal cursor
        booked: set[int] = set()
        day = session_day(session)
        for _ in range(len(children)):
            if len(booked) >= seats:
                break
            child = children[cursor % len(children)]
            cursor += 1
            if day in busy_days.get(child[1], set()):
                continue
            if book(session, child):
                booked.add(child[1])
        return booked

    for n, s in enumerate(full):
        seats = int(s["capacity"]) - int(s.get("booked", 0))
        in_session = fill(s, seats)
        print(f"filled {s['course_name']} {session_day(s)} {s['starts_at']}: "
              f"{len(in_session)} bookings")
        want = 2 + n % 3  # 2..4 waiting per full session
        joined = 0
        for _ in range(len(children)):
            if joined >= want:
                break
            child = children[cursor % len(children)]
            cursor += 1
            if child[1] in in_session:
                continue
            if join(s, child):
                joined += 1
    for n, s in enumerate(partial):
        seats = min(1 + n % 3, max(int(s["capacity"]) - int(s.get("booked", 0)) - 1, 0))
        got = fill(s, seats)
        print(f"booked {len(got)} seats in {s['course_name']} {session_day(s)}")

    print("demo data loaded: "
          f"{counts['courses']} courses, {counts['schedules']} schedules, "
          f"{counts['parents']} parents, {counts['children']} children, "
          f"{counts['bookings']} bookings, {counts['waitlist']} waitlist entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())

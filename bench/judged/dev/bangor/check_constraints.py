#!/usr/bin/env python3
"""Check the Bangor/Arfon judged set against FORMATS.md.

- every XML file is well-formed, has the right root and namespace, and is named after its id;
- every (patient, group) pair is tested against the 8 hard constraints of FORMATS.md section 2;
- no pair graded above 0 breaks one;
- qrels are complete (every patient x every group, exactly once, grades 0-3);
- every patient has at least two grade-3 groups;
- duplicates.txt keys exist and each line's listings share a grade for every patient.

Usage: python3 check_constraints.py [--feasible]   (--feasible lists the groups each patient may be shown)
Exit status 0 when clean.
"""
import csv
import glob
import math
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
POSTCODES = "/work/shared/data/uk-postcode-districts.csv"
TODAY = "2026-11-23"
FNS = "{urn:kith:feed:1}"
PNS = "{urn:kith:patient:1}"

errors = []


def err(msg):
    errors.append(msg)


# ---------- postcode table ----------
DISTRICTS = {}
with open(POSTCODES, newline="", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        try:
            DISTRICTS[row["district"].upper()] = (float(row["lat"]), float(row["lon"]))
        except ValueError:
            pass


def district_of(postcode):
    pc = postcode.strip().upper()
    if " " in pc:
        return pc.split()[0]
    return pc[:-3] if len(pc) > 4 else pc


def area_of(district):
    return "".join(ch for ch in district if ch.isalpha())


def haversine(a, b):
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    d = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(d))


def nearest_district(pt):
    return min(DISTRICTS, key=lambda d: haversine(pt, DISTRICTS[d]))


def mins(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


# ---------- load feeds ----------
groups = {}  # key -> dict
for path in sorted(glob.glob(os.path.join(HERE, "feeds", "*.xml"))):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        err(f"{path}: not well-formed: {e}")
        continue
    if root.tag != FNS + "feed":
        err(f"{path}: root is {root.tag}, expected {FNS}feed")
        continue
    fid = root.get("id")
    if os.path.basename(path) != f"{fid}.xml":
        err(f"{path}: file not named after feed id {fid}")
    if root.get("version") != "1":
        err(f"{path}: version must be 1")
    feed_area = (root.get("area") or "").split()
    seen = set()
    for g in root:
        if g.tag == FNS + "withdrawn":
            continue
        if g.tag != FNS + "group":
            err(f"{path}: unexpected element {g.tag}")
            continue
        gid = g.get("id")
        if gid in seen:
            err(f"{path}: duplicate group id {gid}")
        seen.add(gid)
        if g.find(FNS + "name") is None:
            err(f"{fid}/{gid}: no name")
        for el in g.iter():
            if not el.tag.startswith(FNS):
                err(f"{fid}/{gid}: element outside namespace {el.tag}")
        venues = []
        for v in g.findall(FNS + "venue"):
            p = v.find(FNS + "point")
            pc = v.findtext(FNS + "postcode")
            if p is not None:
                venues.append((float(p.get("lat")), float(p.get("lon"))))
            elif pc:
                d = district_of(pc)
                if d in DISTRICTS:
                    venues.append(DISTRICTS[d])
        hv = g.find(FNS + "home-visits")
        home_visits = None
        if hv is not None:
            hp = hv.find(FNS + "point")
            if hp is not None:
                home_visits = (float(hv.get("radius-km")), (float(hp.get("lat")), float(hp.get("lon"))))
        area_el = g.findtext(FNS + "area-served")
        area = area_el.split() if area_el else feed_area
        sched = g.find(FNS + "schedule")
        sessions, by_app, ends = [], False, None
        if sched is not None:
            ends = sched.get("ends")
            by_app = sched.find(FNS + "by-appointment") is not None
            for s in sched.findall(FNS + "session"):
                if mins(s.get("end")) <= mins(s.get("start")):
                    err(f"{fid}/{gid}: session end not after start")
                sessions.append((s.get("day"), mins(s.get("start")), mins(s.get("end"))))
        acc = g.find(FNS + "access")
        access = dict(acc.attrib) if acc is not None else {}
        el = g.find(FNS + "eligibility")
        elig = {"min": None, "max": None, "gender": "any", "requires": []}
        if el is not None:
            elig["min"] = int(el.get("min-age")) if el.get("min-age") else None
            elig["max"] = int(el.get("max-age")) if el.get("max-age") else None
            elig["gender"] = el.get("gender", "any")
            elig["requires"] = [r.text.strip() for r in el.findall(FNS + "requires")]
        c = g.find(FNS + "cost")
        cost = None
        if c is not None and c.get("free") != "yes" and c.get("amount"):
            cost = float(c.get("amount"))
        cap = g.find(FNS + "capacity")
        status = cap.get("status", "open") if cap is not None else "open"
        langs = (g.findtext(FNS + "languages") or "en").split()
        groups[f"{fid}/{gid}"] = dict(
            venues=venues, online=g.find(FNS + "online") is not None, home_visits=home_visits,
            area=area, has_schedule=sched is not None, sessions=sessions, by_app=by_app, ends=ends,
            access=access, elig=elig, cost=cost, status=status, langs=langs,
        )

# ---------- load patients ----------
patients = {}
for path in sorted(glob.glob(os.path.join(HERE, "patients", "*.xml"))):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        err(f"{path}: not well-formed: {e}")
        continue
    if root.tag != PNS + "patient":
        err(f"{path}: root is {root.tag}, expected {PNS}patient")
        continue
    pid = root.get("id")
    if os.path.basename(path) != f"{pid}.xml":
        err(f"{path}: file not named after patient id {pid}")
    for el in root.iter():
        if not el.tag.startswith(PNS):
            err(f"{pid}: element outside namespace {el.tag}")
    for child in set(ch.tag for ch in root):
        if len(root.findall(child)) > 1:
            err(f"{pid}: {child} appears more than once")
    home = root.find(PNS + "home")
    pc = home.get("postcode") if home is not None else None
    hp = home.find(PNS + "point") if home is not None else None
    if hp is not None:
        point = (float(hp.get("lat")), float(hp.get("lon")))
    elif pc and district_of(pc) in DISTRICTS:
        point = DISTRICTS[district_of(pc)]
    else:
        point = None
    if pc:
        pc_norm = pc.strip().upper()
        district = district_of(pc_norm)
    elif point:
        district = nearest_district(point)
        pc_norm = district
    else:
        pc_norm = district = None
    mob = root.find(PNS + "mobility")
    m = dict(mob.attrib) if mob is not None else {}
    av = root.find(PNS + "availability")
    windows = None
    if av is not None:
        windows = [(w.get("day"), mins(w.get("start")), mins(w.get("end"))) for w in av.findall(PNS + "window")]
    b = root.find(PNS + "budget")
    budget = float(b.get("max-per-session")) if b is not None and b.get("max-per-session") is not None else None
    patients[pid] = dict(
        age=int(root.findtext(PNS + "age")) if root.findtext(PNS + "age") else None,
        gender=root.findtext(PNS + "gender"),
        circ=(root.findtext(PNS + "circumstances") or "").split(),
        langs=(root.findtext(PNS + "languages") or "en").split(),
        point=point, postcode=pc_norm, district=district,
        max_km=float(m["max-travel-km"]) if "max-travel-km" in m else None,
        wheelchair=m.get("wheelchair") == "yes", step_free=m.get("step-free") == "yes",
        online=m.get("online") == "yes", housebound=m.get("housebound") == "yes",
        windows=windows, budget=budget,
    )


def in_area(p, area):
    if not p["postcode"]:
        return False
    for tok in area:
        tok = tok.upper()
        if " " in tok:  # sector
            if p["postcode"].startswith(tok):
                return True
        elif tok.isalpha():
            if area_of(p["district"]) == tok:
                return True
        elif p["district"] == tok:
            return True
    return False


def violations(p, g):
    v = []
    # 1 access
    if p["wheelchair"] and g["access"].get("wheelchair") == "no":
        v.append("1:wheelchair")
    if p["step_free"] and g["access"].get("step-free") == "no":
        v.append("1:step-free")
    # 2 eligibility
    e = g["elig"]
    if p["age"] is not None:
        if e["min"] is not None and p["age"] < e["min"]:
            v.append("2:too-young")
        if e["max"] is not None and p["age"] > e["max"]:
            v.append("2:too-old")
    if e["gender"] != "any" and p["gender"] != e["gender"]:
        v.append("2:gender")
    for r in e["requires"]:
        if r not in p["circ"]:
            v.append(f"2:requires-{r}")
    # 3 reach
    reach = False
    if g["online"] and p["online"]:
        reach = True
    if g["home_visits"] and p["point"]:
        radius, hpt = g["home_visits"]
        if haversine(hpt, p["point"]) <= radius:
            reach = True
    if not p["housebound"]:
        for vp in g["venues"]:
            if p["max_km"] is None or (p["point"] and haversine(vp, p["point"]) <= p["max_km"]):
                reach = True
    if not g["venues"] and not g["online"] and not g["home_visits"]:
        # place unknown: reachable only where an area served holds the home
        # (a housebound person cannot go to a place at all, known or not)
        reach = bool(g["area"]) and in_area(p, g["area"]) and not p["housebound"]
    if not reach:
        v.append("3:reach")
    # 4 schedule
    if g["has_schedule"] and not g["by_app"] and p["windows"] is not None:
        ok = False
        for day, s, en in g["sessions"]:
            for wd, ws, we in p["windows"]:
                if wd == day and min(en, we) - max(s, ws) >= 30:
                    ok = True
        if not ok:
            v.append("4:schedule")
    # 5 cost
    if g["cost"] is not None and p["budget"] is not None and g["cost"] > p["budget"]:
        v.append("5:cost")
    # 6 closed / ended
    if g["status"] == "closed":
        v.append("6:closed")
    if g["ends"] and g["ends"] < TODAY:
        v.append("6:ended")
    # 7 language
    if not set(p["langs"]) & set(g["langs"]):
        v.append("7:language")
    # 8 area served
    if g["area"] and not in_area(p, g["area"]):
        v.append("8:area")
    return v


# ---------- qrels ----------
qrels = {}
qpath = os.path.join(HERE, "qrels.txt")
if os.path.exists(qpath):
    for n, line in enumerate(open(qpath, encoding="utf-8"), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 4 or parts[1] != "0" or parts[3] not in "0123":
            err(f"qrels line {n}: bad format: {line.rstrip()}")
            continue
        pid, _, key, grade = parts
        if (pid, key) in qrels:
            err(f"qrels line {n}: duplicate {pid} {key}")
        if pid not in patients:
            err(f"qrels line {n}: unknown patient {pid}")
        if key not in groups:
            err(f"qrels line {n}: unknown group {key}")
        qrels[(pid, key)] = int(grade)
else:
    err("qrels.txt missing")

for pid in patients:
    for key in groups:
        if (pid, key) not in qrels:
            err(f"qrels: no judgment for {pid} {key}")
        else:
            v = violations(patients[pid], groups[key])
            if v and qrels[(pid, key)] > 0:
                err(f"{pid} {key}: grade {qrels[(pid, key)]} but breaks {','.join(v)}")
    threes = [k for k in groups if qrels.get((pid, k)) == 3]
    if len(threes) < 2:
        err(f"{pid}: only {len(threes)} grade-3 groups")

# ---------- duplicates ----------
dpath = os.path.join(HERE, "duplicates.txt")
if os.path.exists(dpath):
    for n, line in enumerate(open(dpath, encoding="utf-8"), 1):
        keys = line.split()
        if not keys:
            continue
        if len(keys) < 2:
            err(f"duplicates line {n}: fewer than two listings")
        if len({k.split('/')[0] for k in keys}) != len(keys):
            err(f"duplicates line {n}: listings should come from different feeds")
        for k in keys:
            if k not in groups:
                err(f"duplicates line {n}: unknown key {k}")
        for pid in patients:
            gs = {qrels.get((pid, k)) for k in keys}
            if len(gs) > 1:
                err(f"duplicates line {n}: {pid} grades differ {sorted(gs, key=str)}")
else:
    err("duplicates.txt missing")

# ---------- report ----------
if "--feasible" in sys.argv:
    for pid, p in patients.items():
        print(f"== {pid} home {p['postcode']} {p['point']}")
        for key, g in groups.items():
            v = violations(p, g)
            d = min((haversine(vp, p["point"]) for vp in g["venues"]), default=None) if p["point"] else None
            ds = f"{d:5.1f}km" if d is not None else "   -   "
            print(f"  {'OK ' if not v else '-- '} {ds} {key:55s} {qrels.get((pid, key), '?')} {','.join(v)}")

dist = {}
for gr in qrels.values():
    dist[gr] = dist.get(gr, 0) + 1
print(f"groups {len(groups)}, patients {len(patients)}, judgments {len(qrels)}, grades {dict(sorted(dist.items()))}")
for pid in sorted(patients):
    row = [qrels.get((pid, k), 0) for k in groups]
    print(f"  {pid}: 3s={row.count(3)} 2s={row.count(2)} 1s={row.count(1)} feasible={sum(1 for k in groups if not violations(patients[pid], groups[k]))}")
if errors:
    print(f"{len(errors)} problem(s):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("clean")

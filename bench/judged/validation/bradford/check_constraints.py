#!/usr/bin/env python3
"""Checks the Bradford judged set against FORMATS.md (hard constraints, section 2).

Parses feeds/*.xml and patients/*.xml, evaluates the 8 hard constraints for every
(patient, group) pair, and confirms:
  - all XML is well-formed and uses the right namespaces / root elements;
  - feed files are named after their feed id, patient files after their patient id;
  - qrels.txt is complete (every patient x every group, exactly once, grades 0-3);
  - no pair with grade > 0 breaks a hard constraint;
  - every patient has at least two grade-3 groups;
  - duplicates.txt keys exist and the listings of one group share a grade per patient.
Usage: python3 check_constraints.py [--dump]   (--dump prints feasible groups per patient)
"""
import csv
import math
import os
import sys
import xml.etree.ElementTree as ET
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = date(2026, 11, 23)
FNS = "urn:kith:feed:1"
PNS = "urn:kith:patient:1"
F = "{%s}" % FNS
P = "{%s}" % PNS
DISTRICTS = "/work/shared/data/uk-postcode-districts.csv"

errors = []
ORDER = ("name organisation description needs activities venue online home-visits area-served "
         "schedule access eligibility cost capacity languages contact").split()


def err(msg):
    errors.append(msg)


def load_districts():
    d = {}
    with open(DISTRICTS, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                d[row["district"].strip().upper()] = (float(row["lat"]), float(row["lon"]))
            except ValueError:
                pass
    return d


DIST = load_districts()


def outward(pc):
    pc = " ".join(pc.upper().split())
    if " " in pc:
        return pc.split(" ")[0]
    return pc[:-3] if len(pc) > 4 else pc


def haversine(a, b):
    r = 6371.0088
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def nearest_district(pt):
    return min(DIST, key=lambda k: haversine(pt, DIST[k]))


def mins(t):
    h, m = t.split(":")
    return int(h) * 60 + int(m)


def point_of(el, ns):
    p = el.find(ns + "point")
    if p is None:
        return None
    return (float(p.get("lat")), float(p.get("lon")))


# ---------------------------------------------------------------- feeds
def parse_feeds():
    groups = {}
    fdir = os.path.join(HERE, "feeds")
    for fn in sorted(os.listdir(fdir)):
        if not fn.endswith(".xml"):
            continue
        path = os.path.join(fdir, fn)
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            err("%s: not well-formed: %s" % (fn, e))
            continue
        if root.tag != F + "feed":
            err("%s: root is %s, want {%s}feed" % (fn, root.tag, FNS))
            continue
        fid = root.get("id")
        if fn != fid + ".xml":
            err("%s: file not named after feed id %s" % (fn, fid))
        if root.get("version") != "1":
            err("%s: version must be 1" % fn)
        feed_area = root.get("area")
        seen = set()
        for g in root.findall(F + "group"):
            gid = g.get("id")
            if gid in seen:
                err("%s: duplicate group id %s" % (fn, gid))
            seen.add(gid)
            for child in g:
                if not child.tag.startswith(F):
                    err("%s/%s: element %s outside feed namespace" % (fid, gid, child.tag))
            names = [c.tag[len(F):] for c in g if c.tag.startswith(F)]
            try:
                idx = [ORDER.index(t) for t in names]
                if idx != sorted(idx):
                    err("%s/%s: children out of FORMATS.md order: %s" % (fid, gid, names))
            except ValueError as e:
                err("%s/%s: unknown group child (%s)" % (fid, gid, e))
            if g.find(F + "name") is None:
                err("%s/%s: no name" % (fid, gid))
            grp = {"key": "%s/%s" % (fid, gid), "name": g.findtext(F + "name")}
            venues = []
            for v in g.findall(F + "venue"):
                pt = point_of(v, F)
                pc = v.findtext(F + "postcode")
                if pt is None and pc:
                    pt = DIST.get(outward(pc))
                venues.append({"point": pt, "postcode": pc})
            grp["venues"] = venues
            grp["online"] = g.find(F + "online") is not None
            hv = g.find(F + "home-visits")
            grp["home_visits"] = None
            if hv is not None:
                grp["home_visits"] = (float(hv.get("radius-km")), point_of(hv, F))
            a = g.findtext(F + "area-served")
            grp["area"] = (a or feed_area or "").split() or None
            sch = g.find(F + "schedule")
            grp["schedule"] = None
            if sch is not None:
                grp["schedule"] = {
                    "sessions": [(s.get("day"), mins(s.get("start")), mins(s.get("end")))
                                 for s in sch.findall(F + "session")],
                    "appt": sch.find(F + "by-appointment") is not None,
                    "ends": sch.get("ends"),
                    "starts": sch.get("starts"),
                }
                for s in sch.findall(F + "session"):
                    if mins(s.get("end")) <= mins(s.get("start")):
                        err("%s: session end not after start" % grp["key"])
            acc = g.find(F + "access")
            grp["access"] = dict(acc.attrib) if acc is not None else {}
            el = g.find(F + "eligibility")
            grp["min_age"] = grp["max_age"] = None
            grp["gender"] = "any"
            grp["requires"] = []
            if el is not None:
                grp["min_age"] = int(el.get("min-age")) if el.get("min-age") else None
                grp["max_age"] = int(el.get("max-age")) if el.get("max-age") else None
                grp["gender"] = el.get("gender", "any")
                grp["requires"] = [r.text.strip() for r in el.findall(F + "requires")]
            c = g.find(F + "cost")
            grp["cost"] = None
            if c is not None:
                if c.get("free") == "yes":
                    grp["cost"] = 0.0
                elif c.get("amount"):
                    grp["cost"] = float(c.get("amount"))
            cap = g.find(F + "capacity")
            grp["status"] = cap.get("status", "open") if cap is not None else "open"
            grp["languages"] = (g.findtext(F + "languages") or "en").split()
            groups[grp["key"]] = grp
    return groups


# ---------------------------------------------------------------- patients
def parse_patients():
    pats = {}
    pdir = os.path.join(HERE, "patients")
    for fn in sorted(os.listdir(pdir)):
        if not fn.endswith(".xml"):
            continue
        try:
            root = ET.parse(os.path.join(pdir, fn)).getroot()
        except ET.ParseError as e:
            err("%s: not well-formed: %s" % (fn, e))
            continue
        if root.tag != P + "patient":
            err("%s: root is %s, want {%s}patient" % (fn, root.tag, PNS))
            continue
        pid = root.get("id")
        if fn != pid + ".xml":
            err("%s: file not named after patient id %s" % (fn, pid))
        tags = {}
        for child in root:
            if not child.tag.startswith(P):
                err("%s: element %s outside patient namespace" % (pid, child.tag))
            tags[child.tag] = tags.get(child.tag, 0) + 1
        for t, n in tags.items():
            if n > 1:
                err("%s: %s appears %d times" % (pid, t, n))
        p = {"id": pid}
        p["age"] = int(root.findtext(P + "age")) if root.findtext(P + "age") else None
        p["gender"] = root.findtext(P + "gender")
        p["circ"] = (root.findtext(P + "circumstances") or "").split()
        p["languages"] = (root.findtext(P + "languages") or "en").split()
        home = root.find(P + "home")
        p["point"] = None
        p["district"] = None
        if home is not None:
            pt = point_of(home, P)
            pc = home.get("postcode")
            if pc:
                p["district"] = outward(pc)
            if pt is None and pc:
                pt = DIST.get(outward(pc))
                if pt is None:
                    err("%s: postcode %s not in district table" % (pid, pc))
            if pc is None and pt is not None:
                p["district"] = nearest_district(pt)
            p["point"] = pt
        mob = root.find(P + "mobility")
        m = dict(mob.attrib) if mob is not None else {}
        p["max_km"] = float(m["max-travel-km"]) if "max-travel-km" in m else None
        p["wheelchair"] = m.get("wheelchair") == "yes"
        p["step_free"] = m.get("step-free") == "yes"
        p["online"] = m.get("online") == "yes"
        p["housebound"] = m.get("housebound") == "yes"
        av = root.find(P + "availability")
        p["windows"] = None
        if av is not None:
            p["windows"] = [(w.get("day"), mins(w.get("start")), mins(w.get("end")))
                            for w in av.findall(P + "window")]
        b = root.find(P + "budget")
        p["budget"] = float(b.get("max-per-session")) if b is not None and b.get("max-per-session") else None
        pats[pid] = p
    return pats


# ---------------------------------------------------------------- rules
def in_area(p, area):
    d = p["district"]
    if d is None:
        return False
    letters = "".join(ch for ch in d if ch.isalpha())
    for tok in area:
        tok = tok.upper()
        if tok == d or (tok.isalpha() and tok == letters):
            return True
    return False


def breaches(p, g):
    out = []
    a = g["access"]
    # 1 access
    if p["wheelchair"] and a.get("wheelchair") == "no":
        out.append("1:wheelchair")
    if p["step_free"] and a.get("step-free") == "no":
        out.append("1:step-free")
    # 2 age, gender, requires
    if p["age"] is not None:
        if g["min_age"] is not None and p["age"] < g["min_age"]:
            out.append("2:too-young")
        if g["max_age"] is not None and p["age"] > g["max_age"]:
            out.append("2:too-old")
    if g["gender"] in ("female", "male") and p["gender"] != g["gender"]:
        out.append("2:gender")
    for r in g["requires"]:
        if r not in p["circ"]:
            out.append("2:requires-" + r)
    # 3 reach
    reach = False
    if g["online"] and p["online"]:
        reach = True
    if g["home_visits"] and p["point"]:
        rad, hp = g["home_visits"]
        if hp is None:
            hp = next((v["point"] for v in g["venues"] if v["point"]), None)
        if hp is not None and haversine(hp, p["point"]) <= rad:
            reach = True
    known = [v for v in g["venues"] if v["point"]]
    if not p["housebound"]:
        for v in known:
            if p["max_km"] is None or (p["point"] and haversine(v["point"], p["point"]) <= p["max_km"]):
                reach = True
    if not known and not g["online"] and not g["home_visits"]:
        # place unknown: reachable only inside an area served
        reach = bool(g["area"]) and in_area(p, g["area"]) and not p["housebound"]
    if not reach:
        out.append("3:reach")
    # 4 schedule
    s = g["schedule"]
    if s is not None and p["windows"] is not None and not s["appt"]:
        ok = False
        for (d, st, en) in s["sessions"]:
            for (wd, ws, we) in p["windows"]:
                if d == wd and min(en, we) - max(st, ws) >= 30:
                    ok = True
        if not ok:
            out.append("4:schedule")
    # 5 cost
    if g["cost"] is not None and p["budget"] is not None and g["cost"] > p["budget"]:
        out.append("5:cost")
    # 6 closed / ended
    if g["status"] == "closed":
        out.append("6:closed")
    if s is not None and s["ends"] and date.fromisoformat(s["ends"]) < TODAY:
        out.append("6:ended")
    # 7 language
    if not set(p["languages"]) & set(g["languages"]):
        out.append("7:language")
    # 8 area served
    if g["area"] and not in_area(p, g["area"]):
        out.append("8:area")
    return out


def main():
    groups = parse_feeds()
    pats = parse_patients()
    if not 45 <= len(groups) <= 60:
        err("group count %d outside 45-60" % len(groups))
    if len(pats) != 10:
        err("patient count %d, want 10" % len(pats))
    # qrels
    qrels = {}
    with open(os.path.join(HERE, "qrels.txt"), encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4 or parts[1] != "0" or parts[3] not in "0123":
                err("qrels line %d malformed: %r" % (n, line))
                continue
            k = (parts[0], parts[2])
            if k in qrels:
                err("qrels duplicate pair %s %s" % k)
            if parts[0] not in pats:
                err("qrels unknown patient %s" % parts[0])
            if parts[2] not in groups:
                err("qrels unknown group %s" % parts[2])
            qrels[k] = int(parts[3])
    for pid in pats:
        for gk in groups:
            if (pid, gk) not in qrels:
                err("qrels missing %s %s" % (pid, gk))
    # hard constraints
    dump = "--dump" in sys.argv
    for pid in sorted(pats):
        p = pats[pid]
        threes = 0
        if dump:
            print("== %s (district %s)" % (pid, p["district"]))
        for gk in groups:
            b = breaches(p, groups[gk])
            gr = qrels.get((pid, gk), 0)
            if gr > 0 and b:
                err("%s %s graded %d but breaks %s" % (pid, gk, gr, ",".join(b)))
            if gr == 3:
                threes += 1
            if dump and not b:
                print("   ok  g=%d  %s  (%s)" % (gr, gk, groups[gk]["name"]))
        if threes < 2:
            err("%s has %d grade-3s, want >= 2" % (pid, threes))
    # duplicates
    dpath = os.path.join(HERE, "duplicates.txt")
    if os.path.exists(dpath):
        with open(dpath, encoding="utf-8") as fh:
            for line in fh:
                keys = line.split()
                if not keys:
                    continue
                if len(keys) < 2:
                    err("duplicates line with one key: %r" % line)
                feeds = {k.split("/")[0] for k in keys}
                if len(feeds) < len(keys):
                    err("duplicates line lists one feed twice: %r" % line)
                for k in keys:
                    if k not in groups:
                        err("duplicates unknown key %s" % k)
                for pid in pats:
                    gs = {qrels.get((pid, k)) for k in keys}
                    if len(gs) > 1:
                        err("duplicates %s: %s grades differ %s" % (pid, keys, gs))
    else:
        err("duplicates.txt missing")
    # summary
    dist = {g: 0 for g in range(4)}
    for v in qrels.values():
        dist[v] += 1
    print("groups=%d patients=%d judgments=%d grades=%s" % (len(groups), len(pats), len(qrels), dist))
    if errors:
        print("%d PROBLEMS" % len(errors))
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("CLEAN")


if __name__ == "__main__":
    main()

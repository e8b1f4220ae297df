#!/usr/bin/env python3
"""Checker for the Truro judged set (written blind from FORMATS.md / VOCABULARY.md).

- every XML file well-formed, right namespace, ids match file names, group ids unique;
- every (patient, group) pair checked against the 8 hard constraints of FORMATS.md s.2;
- qrels complete (every patient x every group, exactly once, grades 0-3);
- no grade > 0 on a pair that breaks a hard constraint;
- every patient has at least two grade-3s;
- duplicates.txt keys exist and duplicate listings share grades.
Run: python3 check_constraints.py [--matrix]   (exit 1 on any error)
"""
import csv, math, os, re, sys, glob
import xml.etree.ElementTree as ET
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = date(2026, 11, 23)
FEED_NS = 'urn:kith:feed:1'
PAT_NS = 'urn:kith:patient:1'
DISTRICTS = '/work/shared/data/uk-postcode-districts.csv'

NEEDS = set('''loneliness low-mood anxiety bereavement confidence purpose carer-support physical-activity
healthy-weight long-term-condition falls-prevention memory money benefits housing employment learning
digital-skills food substance-use domestic-abuse parenting english-language'''.split())
ACTIVITIES = set('''walking running cycling swimming football walking-football bowls gym yoga tai-chi pilates
chair-exercise dance sport gardening nature conservation fishing bird-watching singing music drama film arts
crafts knitting sewing lace-making woodwork photography writing reading history heritage lectures languages
computers games quiz board-games cooking baking lunch-club coffee-morning community-meal befriending
peer-support mens-shed carers-group parent-and-baby mindfulness faith volunteering advice discussion'''.split())
CIRCS = set('''carer veteran dementia learning-disability autism sight-loss hearing-loss new-parent pregnant
refugee unemployed long-term-condition bereaved'''.split())
DAYS = 'mon tue wed thu fri sat sun'.split()
GROUP_ORDER = ['name', 'organisation', 'description', 'needs', 'activities', 'venue', 'online', 'home-visits',
               'area-served', 'schedule', 'access', 'eligibility', 'cost', 'capacity', 'languages', 'contact']

errors, warnings = [], []
def err(m): errors.append(m)
def warn(m): warnings.append(m)

# ---------- postcode table ----------
DIST = {}
with open(DISTRICTS, newline='') as f:
    for r in csv.DictReader(f):
        try:
            DIST[r['district'].upper()] = (float(r['lat']), float(r['lon']))
        except ValueError:
            pass

def outward(pc):
    pc = pc.strip().upper()
    if ' ' in pc:
        return pc.split()[0]
    return pc[:-3] if len(pc) > 4 else pc

def sector(pc):
    p = pc.strip().upper().split()
    return p[0] + ' ' + p[1][0] if len(p) == 2 and p[1] else None

def area_letters(pc):
    return re.match(r'[A-Z]+', pc.strip().upper()).group(0)

def pc_point(pc):
    return DIST.get(outward(pc))

def nearest_district(pt):
    return min(DIST, key=lambda d: hav(pt, DIST[d]))

def hav(a, b):
    R = 6371.0
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R * math.asin(math.sqrt(h))

def in_area(home_pc, area):
    dist, sec, ar = outward(home_pc), sector(home_pc), area_letters(home_pc)
    toks = re.findall(r'[A-Za-z]+[0-9][0-9A-Za-z]?\s[0-9]|[A-Za-z]+[0-9][0-9A-Za-z]?|[A-Za-z]+', area.upper())
    for t in toks:
        if ' ' in t:
            if sec == t: return True
        elif re.fullmatch(r'[A-Z]+', t):
            if ar == t: return True
        elif dist == t:
            return True
    return False

def tmin(s):
    h, m = s.split(':'); return int(h) * 60 + int(m)

# ---------- feeds ----------
def q(ns, tag): return '{%s}%s' % (ns, tag)

groups = {}   # key -> dict
for path in sorted(glob.glob(os.path.join(HERE, 'feeds', '*.xml'))):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        err('%s: not well-formed: %s' % (path, e)); continue
    if root.tag != q(FEED_NS, 'feed'):
        err('%s: root is %s, want {%s}feed' % (path, root.tag, FEED_NS)); continue
    fid = root.get('id')
    if not fid or not re.fullmatch(r'[a-z0-9][a-z0-9-]*', fid): err('%s: bad feed id %r' % (path, fid))
    if os.path.basename(path) != '%s.xml' % fid: err('%s: file not named after feed id %s' % (path, fid))
    if root.get('version') != '1': err('%s: version must be 1' % path)
    if root.get('mode', 'full') not in ('full', 'delta'): err('%s: bad mode' % path)
    feed_area = root.get('area')
    seen = set()
    for el in root.iter():
        if not el.tag.startswith('{%s}' % FEED_NS): err('%s: element outside namespace %s' % (path, el.tag))
    for g in root.findall(q(FEED_NS, 'group')):
        gid = g.get('id')
        if not gid or not re.fullmatch(r'[A-Za-z0-9][A-Za-z0-9._-]*', gid): err('%s: bad group id %r' % (path, gid))
        if gid in seen: err('%s: duplicate group id %s' % (path, gid))
        seen.add(gid)
        key = '%s/%s' % (fid, gid)
        kids = [c.tag.split('}')[1] for c in g]
        idx = [GROUP_ORDER.index(k) if k in GROUP_ORDER else -1 for k in kids]
        if -1 in idx: err('%s: unknown child in %s: %s' % (path, key, kids))
        if any(idx[i] > idx[i + 1] for i in range(len(idx) - 1) if kids[i] != kids[i + 1]) or \
           any(kids.count(k) > 1 for k in kids if k != 'venue'):
            err('%s: children out of order or repeated in %s: %s' % (path, key, kids))
        if g.find(q(FEED_NS, 'name')) is None: err('%s: %s has no name' % (path, key))
        G = {'key': key, 'name': g.findtext(q(FEED_NS, 'name')), 'venues': [], 'online': False, 'hv': None,
             'area': None, 'sessions': [], 'byappt': False, 'sched_known': False, 'ends': None,
             'access': {}, 'min_age': None, 'max_age': None, 'gender': 'any', 'requires': [],
             'cost': None, 'status': 'open', 'langs': ['en'], 'tagged': False}
        for n in g.iter(q(FEED_NS, 'need')):
            G['tagged'] = True
            if n.text not in NEEDS: warn('%s: need %r not in vocabulary' % (key, n.text))
        for a in g.iter(q(FEED_NS, 'activity')):
            G['tagged'] = True
            if a.text not in ACTIVITIES: warn('%s: activity %r not in vocabulary' % (key, a.text))
        for v in g.findall(q(FEED_NS, 'venue')):
            pt = v.find(q(FEED_NS, 'point'))
            pc = v.findtext(q(FEED_NS, 'postcode'))
            if pt is not None:
                G['venues'].append((float(pt.get('lat')), float(pt.get('lon'))))
            elif pc:
                p = pc_point(pc)
                if p is None: err('%s: venue postcode %s not in postcode table' % (key, pc))
                else: G['venues'].append(p)
        if g.find(q(FEED_NS, 'online')) is not None: G['online'] = True
        hv = g.find(q(FEED_NS, 'home-visits'))
        if hv is not None:
            pt = hv.find(q(FEED_NS, 'point'))
            G['hv'] = ((float(pt.get('lat')), float(pt.get('lon'))), float(hv.get('radius-km')))
        G['area'] = g.findtext(q(FEED_NS, 'area-served')) or feed_area
        sc = g.find(q(FEED_NS, 'schedule'))
        if sc is not None:
            if sc.get('ends'): G['ends'] = date.fromisoformat(sc.get('ends'))
            if sc.get('starts'): date.fromisoformat(sc.get('starts'))
            for s in sc.findall(q(FEED_NS, 'session')):
                d, st, en = s.get('day'), s.get('start'), s.get('end')
                if d not in DAYS or not re.fullmatch(r'\d\d:\d\d', st) or not re.fullmatch(r'\d\d:\d\d', en) \
                   or tmin(en) <= tmin(st):
                    err('%s: bad session %s %s-%s' % (key, d, st, en))
                if s.get('weeks'):
                    for w in s.get('weeks').split():
                        if w not in ('1', '2', '3', '4', '5', 'last'): err('%s: bad weeks %s' % (key, w))
                G['sessions'].append((d, tmin(st), tmin(en)))
            if sc.find(q(FEED_NS, 'by-appointment')) is not None: G['byappt'] = True
            G['sched_known'] = bool(G['sessions'] or G['byappt'])
        ac = g.find(q(FEED_NS, 'access'))
        if ac is not None:
            for k, v in ac.attrib.items():
                if v not in ('yes', 'no', 'unknown'): err('%s: access %s=%s' % (key, k, v))
                G['access'][k] = v
        el = g.find(q(FEED_NS, 'eligibility'))
        if el is not None:
            if el.get('min-age'): G['min_age'] = int(el.get('min-age'))
            if el.get('max-age'): G['max_age'] = int(el.get('max-age'))
            G['gender'] = el.get('gender', 'any')
            if G['gender'] not in ('any', 'female', 'male'): err('%s: gender %s' % (key, G['gender']))
            if el.get('referral', 'self') not in ('self', 'professional'): err('%s: referral' % key)
            G['requires'] = [r.text for r in el.findall(q(FEED_NS, 'requires'))]
            for r in G['requires']:
                if r not in CIRCS: warn('%s: requires %r not in vocabulary' % (key, r))
        co = g.find(q(FEED_NS, 'cost'))
        if co is not None:
            if co.get('free') == 'yes': G['cost'] = 0.0
            elif co.get('amount') is not None:
                G['cost'] = float(co.get('amount'))
                if co.get('per') not in ('session', 'week', 'month', 'course'): err('%s: cost per' % key)
        ca = g.find(q(FEED_NS, 'capacity'))
        if ca is not None:
            G['status'] = ca.get('status', 'open')
            if G['status'] not in ('open', 'waiting-list', 'closed'): err('%s: capacity %s' % (key, G['status']))
        if g.findtext(q(FEED_NS, 'languages')): G['langs'] = g.findtext(q(FEED_NS, 'languages')).split()
        groups[key] = G

# ---------- patients ----------
patients = {}
for path in sorted(glob.glob(os.path.join(HERE, 'patients', '*.xml'))):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        err('%s: not well-formed: %s' % (path, e)); continue
    if root.tag != q(PAT_NS, 'patient'):
        err('%s: root is %s, want {%s}patient' % (path, root.tag, PAT_NS)); continue
    for el in root.iter():
        if not el.tag.startswith('{%s}' % PAT_NS): err('%s: element outside namespace %s' % (path, el.tag))
    pid = root.get('id')
    if os.path.basename(path) != '%s.xml' % pid: err('%s: file not named after id %s' % (path, pid))
    tags = [c.tag for c in root]
    if len(tags) != len(set(tags)): err('%s: an element appears twice' % path)
    P = {'id': pid, 'age': None, 'gender': None, 'circs': [], 'langs': ['en'], 'home_pc': None, 'home_pt': None,
         'max_km': None, 'wheelchair': False, 'step_free': False, 'online': False, 'housebound': False,
         'windows': None, 'budget': None}
    if root.findtext(q(PAT_NS, 'age')): P['age'] = int(root.findtext(q(PAT_NS, 'age')))
    P['gender'] = root.findtext(q(PAT_NS, 'gender'))
    if P['gender'] not in (None, 'female', 'male', 'other'): err('%s: gender' % pid)
    if root.findtext(q(PAT_NS, 'circumstances')):
        P['circs'] = root.findtext(q(PAT_NS, 'circumstances')).split()
        for c in P['circs']:
            if c not in CIRCS: warn('%s: circumstance %r not in vocabulary' % (pid, c))
    for n in root.iter(q(PAT_NS, 'need')):
        if n.text not in NEEDS: warn('%s: need %r not in vocabulary' % (pid, n.text))
        if n.get('priority', 'normal') not in ('high', 'normal', 'low'): err('%s: priority' % pid)
    for t in root.iter(q(PAT_NS, 'tag')):
        if t.text not in ACTIVITIES: warn('%s: interest tag %r not in vocabulary' % (pid, t.text))
    if root.findtext(q(PAT_NS, 'languages')): P['langs'] = root.findtext(q(PAT_NS, 'languages')).split()
    h = root.find(q(PAT_NS, 'home'))
    if h is not None:
        P['home_pc'] = h.get('postcode')
        pt = h.find(q(PAT_NS, 'point'))
        if pt is not None: P['home_pt'] = (float(pt.get('lat')), float(pt.get('lon')))
        elif P['home_pc']:
            P['home_pt'] = pc_point(P['home_pc'])
            if P['home_pt'] is None: err('%s: home postcode not in table' % pid)
        if not P['home_pc'] and P['home_pt']: P['home_pc'] = nearest_district(P['home_pt'])
    m = root.find(q(PAT_NS, 'mobility'))
    if m is not None:
        if m.get('max-travel-km'): P['max_km'] = float(m.get('max-travel-km'))
        P['wheelchair'] = m.get('wheelchair') == 'yes'
        P['step_free'] = m.get('step-free') == 'yes'
        P['online'] = m.get('online') == 'yes'
        P['housebound'] = m.get('housebound') == 'yes'
    av = root.find(q(PAT_NS, 'availability'))
    if av is not None:
        P['windows'] = []
        for w in av.findall(q(PAT_NS, 'window')):
            if w.get('day') not in DAYS or tmin(w.get('end')) <= tmin(w.get('start')): err('%s: bad window' % pid)
            P['windows'].append((w.get('day'), tmin(w.get('start')), tmin(w.get('end'))))
    b = root.find(q(PAT_NS, 'budget'))
    if b is not None and b.get('max-per-session') is not None: P['budget'] = float(b.get('max-per-session'))
    patients[pid] = P

# ---------- hard constraints ----------
def violations(P, G):
    v = []
    # 1 access
    if P['wheelchair'] and G['access'].get('wheelchair') == 'no': v.append('1:wheelchair')
    if P['step_free'] and G['access'].get('step-free') == 'no': v.append('1:step-free')
    # 2 age, gender, requires
    if P['age'] is not None:
        if G['min_age'] is not None and P['age'] < G['min_age']: v.append('2:age<%d' % G['min_age'])
        if G['max_age'] is not None and P['age'] > G['max_age']: v.append('2:age>%d' % G['max_age'])
    if G['gender'] != 'any' and P['gender'] != G['gender']: v.append('2:gender')
    for r in G['requires']:
        if r not in P['circs']: v.append('2:requires-' + r)
    # 3 reach
    reach = False
    if G['venues'] and not P['housebound']:
        ds = [hav(P['home_pt'], vp) for vp in G['venues']]
        if P['max_km'] is None or min(ds) <= P['max_km']: reach = True
    if G['online'] and P['online']: reach = True
    if G['hv'] and hav(P['home_pt'], G['hv'][0]) <= G['hv'][1]: reach = True
    if not G['venues'] and not G['online'] and not G['hv']:
        reach = bool(G['area'] and in_area(P['home_pc'], G['area']))
    if not reach:
        d = min((hav(P['home_pt'], vp) for vp in G['venues']), default=None)
        v.append('3:reach' + ('(%.1fkm)' % d if d is not None else ''))
    # 4 schedule
    if G['sched_known'] and not G['byappt'] and P['windows'] is not None:
        ok = any(d == wd and min(e, we) - max(s, ws) >= 30
                 for (d, s, e) in G['sessions'] for (wd, ws, we) in P['windows'])
        if not ok: v.append('4:schedule')
    # 5 cost
    if G['cost'] is not None and P['budget'] is not None and G['cost'] > P['budget'] + 1e-9:
        v.append('5:cost')
    # 6 closed / ended
    if G['status'] == 'closed': v.append('6:closed')
    if G['ends'] is not None and G['ends'] < TODAY: v.append('6:ended')
    # 7 language
    if not set(P['langs']) & set(G['langs']): v.append('7:language')
    # 8 area served
    if G['area'] and not in_area(P['home_pc'], G['area']): v.append('8:area')
    return v

V = {(p, k): violations(patients[p], groups[k]) for p in patients for k in groups}

# ---------- qrels ----------
qrels = {}
qpath = os.path.join(HERE, 'qrels.txt')
if os.path.exists(qpath):
    for i, line in enumerate(open(qpath), 1):
        if not line.strip(): continue
        parts = line.split()
        if len(parts) != 4 or parts[1] != '0' or parts[3] not in '0123':
            err('qrels line %d malformed: %r' % (i, line)); continue
        p, _, k, gr = parts
        if p not in patients: err('qrels line %d: unknown patient %s' % (i, p))
        if k not in groups: err('qrels line %d: unknown group %s' % (i, k))
        if (p, k) in qrels: err('qrels line %d: duplicate pair %s %s' % (i, p, k))
        qrels[(p, k)] = int(gr)
    for p in patients:
        for k in groups:
            if (p, k) not in qrels: err('qrels: missing %s %s' % (p, k))
            elif qrels[(p, k)] > 0 and V[(p, k)]:
                err('qrels: %s %s graded %d but breaks %s' % (p, k, qrels[(p, k)], V[(p, k)]))
        n3 = sum(1 for k in groups if qrels.get((p, k)) == 3)
        if n3 < 2: err('%s has only %d grade-3s' % (p, n3))
else:
    err('no qrels.txt')

# ---------- duplicates ----------
dpath = os.path.join(HERE, 'duplicates.txt')
if os.path.exists(dpath):
    for line in open(dpath):
        keys = line.split()
        if not keys: continue
        if len(keys) < 2: err('duplicates: line with one key: %r' % line)
        feeds = [k.split('/')[0] for k in keys]
        if len(set(feeds)) != len(feeds): err('duplicates: two keys from one feed: %r' % line)
        for k in keys:
            if k not in groups: err('duplicates: unknown key %s' % k)
        for p in patients:
            gs = {qrels.get((p, k)) for k in keys}
            if len(gs) > 1: err('duplicates: %s grades differ for %s: %s' % (p, keys, gs))
else:
    err('no duplicates.txt')

# ---------- report ----------
if '--matrix' in sys.argv:
    for p in sorted(patients):
        print('==', p)
        for k in groups:
            g = qrels.get((p, k), '-')
            print('  %-45s %s %s' % (k, g, ','.join(V[(p, k)]) or 'FEASIBLE'))
untagged = sum(1 for G in groups.values() if not G['tagged'])
print('groups %d (untagged %d), patients %d, qrels %d' % (len(groups), untagged, len(patients), len(qrels)))
dist = {g: sum(1 for x in qrels.values() if x == g) for g in range(4)}
print('grades', dist, ' feasible pairs', sum(1 for x in V.values() if not x))
for p in sorted(patients):
    print('  %s: feasible %2d  grade3 %d grade2 %d grade1 %d' % (p, sum(1 for k in groups if not V[(p, k)]),
          *[sum(1 for k in groups if qrels.get((p, k)) == g) for g in (3, 2, 1)]))
for w in warnings: print('warning:', w)
for e in errors: print('ERROR:', e)
print('CLEAN' if not errors else '%d ERRORS' % len(errors))
sys.exit(1 if errors else 0)

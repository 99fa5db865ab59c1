/**
 * Reads a V8 .cpuprofile and says where the time went inside a window: self time by area of code (Nest's
 * injector, Nest's router, Fastify, Node core, this library, GC...), time spent with certain frames on
 * the stack (inclusive), and the top self-time functions. Pure: no I/O besides what the caller passes in.
 */
import { REPO_DIR } from './config.mjs';

/** Areas of code, tried in order: the first whose test matches a frame owns its self time. */
const AREAS = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['V8 (program): unattributed VM work', (f) => f.functionName === '(program)'],
  ['native (syscalls such as writev, V8 builtins, runMicrotasks)', (f) => f.url === ''],
  ['this library (dist/)', (f) => f.url.includes(`${REPO_DIR}/dist/`)],
  ['bench app', (f) => f.url.includes('/bench/.build/')],
  ['Nest DI (core/injector)', (f) => /@nestjs\/core\/(injector|helpers\/context-id-factory)/.test(f.url)],
  ['Nest router + contexts (core, other)', (f) => f.url.includes('/@nestjs/core/')],
  ['Nest common', (f) => f.url.includes('/@nestjs/common/')],
  ['Nest Fastify adapter', (f) => f.url.includes('/@nestjs/platform-fastify/')],
  ['Fastify + deps', (f) => /node_modules\/(fastify|find-my-way|@fastify|avvio|light-my-request|fast-json-stringify|secure-json-parse|fast-querystring|toad-cache|process-warning|rfdc|abstract-logging|pino)/.test(f.url)],
  ['RxJS', (f) => f.url.includes('/node_modules/rxjs/')],
  ['reflect-metadata', (f) => f.url.includes('/node_modules/reflect-metadata/')],
  ['Node core (http, net, streams, timers)', (f) => f.url.startsWith('node:')],
  ['other packages', () => true],
];

/** Frames whose presence on the stack defines an inclusive bucket. */
const INCLUSIVE = [
  ['Nest request-scope DI: a frame of @nestjs/core/injector on the stack (includes constructors it calls)',
    (f) => /@nestjs\/core\/injector\//.test(f.url)],
  ['Nest per-request context rebuild: RouterExplorer.createCallbackProxy on the stack',
    (f) => f.functionName === 'createCallbackProxy'],
  ['this library: a frame of dist/ on the stack (includes Node code it calls)',
    (f) => f.url.includes(`${REPO_DIR}/dist/`)],
  ['this library inside Nest DI: BackgroundTasks constructor on the stack',
    (f) => f.functionName === 'BackgroundTasks' && f.url.includes(`${REPO_DIR}/dist/`)],
  ['RxJS on the stack', (f) => f.url.includes('/node_modules/rxjs/')],
];

function areaOf(frame) {
  return AREAS.find(([, test]) => test(frame))[0];
}

function shortUrl(url) {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith(`${REPO_DIR}/`) ? path.slice(REPO_DIR.length + 1) : path;
}

function frameKey(frame) {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : name;
}

/**
 * @param profile  parsed .cpuprofile
 * @param window   { fromUs, toUs } on the profile's clock, or undefined for the whole profile
 * @param requests requests served inside the window, to express costs per request
 */
export function summarizeProfile(profile, window, requests) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByArea = new Map();
  const selfByFunction = new Map();
  const inclusive = INCLUSIVE.map(() => 0);
  const inclusiveByLibraryFunction = new Map();
  let busyUs = 0;
  let idleUs = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i];
    t += delta;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const leaf = byId.get(profile.samples[i]);
    const area = areaOf(leaf.callFrame);
    if (area === 'idle') {
      idleUs += delta;
      continue;
    }
    busyUs += delta;
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + delta);
    const key = frameKey(leaf.callFrame);
    const entry = selfByFunction.get(key) ?? { us: 0, area };
    entry.us += delta;
    selfByFunction.set(key, entry);

    const hit = INCLUSIVE.map(() => false);
    const libraryFunctions = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id).callFrame;
      INCLUSIVE.forEach(([, test], k) => {
        if (test(frame)) hit[k] = true;
      });
      if (frame.url.includes(`${REPO_DIR}/dist/`)) libraryFunctions.add(frameKey(frame));
    }
    hit.forEach((h, k) => {
      if (h) inclusive[k] += delta;
    });
    for (const key of libraryFunctions) inclusiveByLibraryFunction.set(key, (inclusiveByLibraryFunction.get(key) ?? 0) + delta);
  }

  const share = (us) => us / busyUs;
  const perRequest = (us) => (requests ? us / requests : undefined);
  const row = ([name, us]) => ({ name, ms: us / 1000, share: share(us), usPerRequest: perRequest(us) });
  return {
    windowMs: window ? (window.toUs - window.fromUs) / 1000 : (profile.endTime - profile.startTime) / 1000,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    requests,
    busyUsPerRequest: perRequest(busyUs),
    areas: [...selfByArea].sort((a, b) => b[1] - a[1]).map(row),
    inclusive: INCLUSIVE.map(([name], k) => row([name, inclusive[k]])),
    topSelf: [...selfByFunction].sort((a, b) => b[1].us - a[1].us).slice(0, 25)
      .map(([name, { us, area }]) => ({ ...row([name, us]), area })),
    libraryInclusive: [...inclusiveByLibraryFunction].sort((a, b) => b[1] - a[1]).slice(0, 15).map(row),
  };
}

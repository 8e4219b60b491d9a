// 大屏 browser side (component bigscreen_top). Served from static/bigscreen/top.js; no outside resource.
const STATE = new WeakMap();
let active = null;
const pad = (n) => String(n).padStart(2, '0');
const WEEK = '日一二三四五六';
function clockText() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} 星期${WEEK[d.getDay()]} ` +
         `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
function fmt(v, dec) {
  return v.toLocaleString('en-US', { minimumFractionDigits: dec, maximumFractionDigits: dec });
}
// Text goes into the DOM as textContent (never innerHTML): no escaping needed, none written by hand.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function stepTickers() {
  // the 典型案例 lists: one card up per step; after the last card (the copy is showing) jump back unseen
  document.querySelectorAll('.bs-cases-roll').forEach((el) => {
    const n = +el.dataset.n, vh = +el.dataset.stepVh;
    let k = (+el.dataset.k || 0) + 1;
    el.style.transition = 'transform 0.8s ease-in-out';
    el.style.transform = `translateY(-${k * vh}vh)`;
    if (k >= n) {
      k = 0;
      setTimeout(() => { el.style.transition = 'none'; el.style.transform = 'translateY(0)'; }, 900);
    }
    el.dataset.k = k;
  });
}
// The rotation progress bar moves in 250 ms steps (no CSS animation: without a GPU a continuous one
// makes the browser recomposite the screen 60 times a second).
function restartProgress(s, root, paused) {
  s.done = 0;
  s.t0 = paused ? null : performance.now();
  root.classList.toggle('bs-paused', !!paused);
  drawProgress(s, root);
}
function holdProgress(s, root, paused) {
  if (paused && s.t0 != null) { s.done += performance.now() - s.t0; s.t0 = null; }
  if (!paused && s.t0 == null) s.t0 = performance.now();
  root.classList.toggle('bs-paused', !!paused);
}
function drawProgress(s, root) {
  const bar = root.querySelector('.bs-prog i');
  if (!bar || !s.interval) return;
  const ms = s.done + (s.t0 != null ? performance.now() - s.t0 : 0);
  const p = Math.min(1, ms / (s.interval * 1000));
  const v = `scaleX(${p.toFixed(3)})`;
  if (bar.style.transform !== v) bar.style.transform = v;
}
function fitNumbers(box, tiles) {
  // shrink a number that would not fit its tile (e.g. 1,100,729 at scale ×25), measured on the final text
  box.querySelectorAll('.bs-kpi').forEach((c, i) => {
    const n = c.querySelector('.bs-kpi-n'), v = c.querySelector('.bs-kpi-v');
    n.style.fontSize = '';
    n.textContent = tiles[i].text;
    const room = v.clientWidth, need = v.scrollWidth;
    if (need > room && room > 0) {
      const base = parseFloat(getComputedStyle(n).fontSize);
      n.style.fontSize = Math.floor(base * room / need * 0.97) + 'px';
    }
  });
}
function floorPx(root) {
  // the smallest text size of the screen (--bs-floor, 18 px at 1080p): what the scope caption uses
  return parseFloat(getComputedStyle(root.querySelector('.bs-scope-k')).fontSize);
}
function fitName(el, text, root) {
  // the scope name is never cut: shrink it to fit one line (not below the floor), else use two lines
  el.classList.remove('wrap');
  el.style.fontSize = '';
  el.textContent = text;
  const room = el.clientWidth, need = el.scrollWidth;
  if (room > 0 && need > room) {
    const base = parseFloat(getComputedStyle(el).fontSize), floor = floorPx(root);
    const size = Math.floor(base * room / need * 0.98 * 10) / 10;
    if (size >= floor) {
      el.style.fontSize = size + 'px';
    } else {
      el.classList.add('wrap');
      el.style.fontSize = floor + 'px';
    }
  }
}
function countUp(s, box, tiles) {
  if (s.raf) cancelAnimationFrame(s.raf);
  fitNumbers(box, tiles);
  const els = Array.from(box.querySelectorAll('.bs-kpi-n'));
  const from = tiles.map((t) => (s.prev[t.key] ?? 0));
  const t0 = performance.now(), dur = 1400;
  const step = (now) => {
    const p = Math.min(1, (now - t0) / dur), e = 1 - Math.pow(1 - p, 3);
    tiles.forEach((t, i) => {
      if (!els[i]) return;
      els[i].textContent = (p >= 1 || t.text === '—') ? t.text : fmt(from[i] + (t.value - from[i]) * e, t.dec);
    });
    s.raf = p < 1 ? requestAnimationFrame(step) : null;
    if (p >= 1) { box.dataset.settled = '1'; }
  };
  box.dataset.settled = '0';
  s.raf = requestAnimationFrame(step);
  tiles.forEach((t) => { s.prev[t.key] = t.value; });
}
function renderKpis(s, box, tiles) {
  const sig = tiles.map((t) => t.key).join(',');
  if (box.dataset.sig !== sig) {
    box.replaceChildren(...tiles.map((t) => {
      const card = el('div', 'bs-kpi');
      card.dataset.kpi = t.key;
      const v = el('div', 'bs-kpi-v');
      v.append(el('span', 'bs-kpi-n'), el('span', 'bs-kpi-u'));
      card.append(el('div', 'bs-kpi-l', t.label), v, el('div', 'bs-kpi-d'), el('div', 'bs-kpi-s'));
      return card;
    }));
    box.dataset.sig = sig;
  }
  const cards = box.querySelectorAll('.bs-kpi');
  tiles.forEach((t, i) => {
    const c = cards[i];
    c.dataset.value = t.text;
    c.querySelector('.bs-kpi-l').textContent = t.label;
    c.querySelector('.bs-kpi-u').textContent = t.unit;
    const d = c.querySelector('.bs-kpi-d');
    if (t.delta) d.replaceChildren('环比 ', el('span', t.delta.cls, `${t.delta.arrow} ${t.delta.text}`));
    else d.replaceChildren('环比 —');
    const st = c.querySelector('.bs-kpi-s');
    if (t.status) st.replaceChildren(el('b', t.status.cls, `● ${t.status.word}`), ` ${t.status.text}`);
    else st.replaceChildren('\u00a0');
  });
  countUp(s, box, tiles);
}
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector('.bs-top');
  if (!root || !data) return;
  let s = STATE.get(parentElement);
  if (!s) {
    s = { clock: null, timer: null, key: null, paused: null, prev: {}, raf: null, send: null, sig: null };
    STATE.set(parentElement, s);
    const tick = () => { const el = root.querySelector('.bs-clock'); if (el) el.textContent = clockText(); };
    tick();
    s.clock = setInterval(tick, 1000);
    s.onKey = (e) => {
      if (e.code === 'Space' || e.key === ' ') { e.preventDefault(); active && active.toggle(); }
    };
    s.onClick = () => { active && active.toggle(); };
    document.addEventListener('keydown', s.onKey);
    // text is measured to fit: measure again once the fonts are in and whenever the screen changes size
    s.refit = () => {
      if (s.scope != null) fitName(root.querySelector('.bs-scope-n'), s.scope, root);
      if (s.tiles) fitNumbers(root.querySelector('.bs-kpis'), s.tiles);
    };
    window.addEventListener('resize', s.refit);
    document.fonts.ready.then(s.refit);
    document.addEventListener('click', s.onClick);
    s.ticker = setInterval(stepTickers, data.case_step_s * 1000);
    s.prog = setInterval(() => drawProgress(s, root), 250);
  }
  s.send = setTriggerValue;
  const schedule = () => {
    clearTimeout(s.timer);
    s.timer = null;
    if (s.paused) return;
    const fire = () => {
      s.send && s.send('advance', s.key);
      // if the server did not move on (connection hiccup), ask again later
      s.timer = setTimeout(fire, Math.max(3, data.interval / 2) * 1000);
    };
    s.timer = setTimeout(fire, data.interval * 1000);
  };
  active = {
    toggle: () => {
      s.paused = !s.paused;                    // show it at once; the server confirms
      holdProgress(s, root, s.paused);
      if (s.paused) { clearTimeout(s.timer); s.timer = null; }
      s.send && s.send('toggle', Date.now());
    },
  };

  root.querySelector('.bs-asof').replaceChildren('数据截至 ', el('b', '', data.as_of),
                                                 ` · ${data.quarter} · ${data.source}`);
  root.querySelector('.bs-mode').textContent = `当前范围 · ${data.mode}`;
  s.scope = data.scope;
  fitName(root.querySelector('.bs-scope-n'), data.scope, root);
  root.querySelector('.bs-scope-i').textContent = `${data.idx + 1} / ${data.n}`;
  root.querySelector('.bs-run').textContent = `每 ${data.interval} 秒`;
  const dots = root.querySelector('.bs-dots');
  if (dots.children.length !== data.n) dots.innerHTML = '<i></i>'.repeat(data.n);
  Array.from(dots.children).forEach((d, i) => {
    d.className = i === data.idx ? 'on' : (i < data.idx ? 'done' : '');
  });
  const sig = JSON.stringify(data.tiles);
  if (sig !== s.sig) { s.sig = sig; s.tiles = data.tiles; renderKpis(s, root.querySelector('.bs-kpis'), data.tiles); }
  if (data.item_key !== s.key) {               // a new item (or resumed): full interval again
    s.key = data.item_key;
    s.paused = !!data.paused;
    s.serverPaused = data.paused;
    s.interval = data.interval;
    restartProgress(s, root, s.paused);
    schedule();
  } else if (data.paused !== s.serverPaused) {  // paused on the server: hold the bar where it is
    s.paused = !!data.paused;
    s.serverPaused = data.paused;
    holdProgress(s, root, s.paused);
    schedule();
  }
  root.dataset.item = data.item_key;
  return () => {
    clearInterval(s.clock);
    clearInterval(s.ticker);
    clearInterval(s.prog);
    clearTimeout(s.timer);
    if (s.raf) cancelAnimationFrame(s.raf);
    document.removeEventListener('keydown', s.onKey);
    window.removeEventListener('resize', s.refit);
    document.removeEventListener('click', s.onClick);
    STATE.delete(parentElement);
    active = null;
  };
}

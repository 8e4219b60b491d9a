// 大屏 on a phone (viewport narrower than 768 px): go to the phone view, the default page (总览), keeping the
// chain/park scope of the URL. Never for a kiosk-token session (a wall screen; the token opens only /bigscreen).
// The decision is left on <html data-bs-phone="stay|go"> (what the browser test waits for).
export default function (component) {
  const { data } = component;
  if (!data) return;
  const go = !data.kiosk && window.innerWidth < data.min_width;
  document.documentElement.dataset.bsPhone = go ? 'go' : 'stay';
  if (!go) return;
  const here = new URLSearchParams(window.location.search);
  const keep = new URLSearchParams();
  for (const k of data.keep) { if (here.get(k)) keep.set(k, here.get(k)); }
  const base = window.location.pathname.replace(/bigscreen\/?$/, '');
  const q = keep.toString();
  window.location.replace(base + (q ? '?' + q : ''));
}

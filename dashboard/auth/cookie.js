// Session cookie hand-over: the server sets/clears an HttpOnly cookie in answer to a same-origin POST.
// data = {url, code, id}: POST `code` (one-time, in the body, never in a URL) to `url`, then report back.
const DONE = new Set();
export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || !data.url || DONE.has(data.id)) return;
  DONE.add(data.id);
  fetch(data.url, { method: 'POST', body: data.code || '', credentials: 'same-origin',
                    headers: { 'Content-Type': 'text/plain' } })
    .then((r) => setTriggerValue('done', { id: data.id, ok: r.ok }))
    .catch(() => setTriggerValue('done', { id: data.id, ok: false }));
}

// The live channel: a WebSocket that names the key in its first frame and hears what changed.

/**
 * Keeps the live channel open: `onChange(parts)` when the business's orders or conversations changed,
 * `onState('live' | 'down' | 'rejected')`. Reconnects with a growing delay after the server goes away.
 */
export function connectLive({ key, onChange, onState }) {
  let socket;
  let stopped = false;
  let delay = 1000;
  let timer;

  const open = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/dashboard/live`);
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', key })));
    socket.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        delay = 1000;
        onState('live');
        // Whatever changed while the channel was down.
        onChange(['orders', 'conversations']);
      }
      if (frame.type === 'changed') onChange(frame.parts ?? []);
    });
    socket.addEventListener('close', (event) => {
      if (stopped) return;
      if (event.code === 4401) {
        onState('rejected');
        return;
      }
      onState('down');
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, 15_000);
    });
  };
  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

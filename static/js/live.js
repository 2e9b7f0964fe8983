// The /live WebSocket: connects on the page's own host (the upgrade authenticates with the
// HttpOnly cookie set by POST /auth/session), hands every parsed message on, and reconnects
// with capped exponential backoff plus jitter after a drop or a server restart. The server's
// first message after each connect is a snapshot, so a reconnect is also a full resync.

const MIN_DELAY = 500;
const MAX_DELAY = 15000;

export function startLive({ onMessage, onStatus }) {
  let ws = null;
  let attempt = 0;
  let timer = 0;
  let stopped = false;

  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/live";

  function connect() {
    clearTimeout(timer);
    timer = 0;
    if (stopped) return;
    onStatus("connecting", "");
    try {
      ws = new WebSocket(url);
    } catch {
      retry();
      return;
    }
    const socket = ws;
    socket.onopen = () => {
      attempt = 0;
      onStatus("live", "");
    };
    socket.onmessage = ev => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return; // not ours to interpret
      }
      if (msg && typeof msg === "object") onMessage(msg);
    };
    socket.onclose = () => {
      if (ws === socket) {
        ws = null;
        retry();
      }
    };
    socket.onerror = () => {
      try { socket.close(); } catch { /* already closing */ }
    };
  }

  function retry() {
    if (stopped || timer) return;
    attempt = Math.min(attempt + 1, 10);
    const base = Math.min(MAX_DELAY, MIN_DELAY * 2 ** attempt);
    const delay = Math.round(base / 2 + Math.random() * base / 2);
    onStatus("offline", "retrying in " + Math.ceil(delay / 1000) + " s");
    timer = setTimeout(connect, delay);
  }

  // a tab coming back to the foreground, or the network returning, should not wait out the backoff
  const kick = () => {
    if (!ws && !stopped && document.visibilityState === "visible") {
      attempt = 0;
      connect();
    }
  };
  document.addEventListener("visibilitychange", kick);
  window.addEventListener("online", kick);

  connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (ws) ws.close(1000);
      document.removeEventListener("visibilitychange", kick);
      window.removeEventListener("online", kick);
    },
    isOpen: () => ws != null && ws.readyState === WebSocket.OPEN,
  };
}

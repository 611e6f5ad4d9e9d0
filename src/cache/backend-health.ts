/** What a cache or pub/sub backend says about itself. `detail` never contains credentials. */
export interface BackendHealth {
  ok: boolean;
  detail?: string | undefined;
}

/** Called when a backend goes down or comes back (transitions only, not on every failed call). */
export type BackendStatusListener = (health: BackendHealth) => void;

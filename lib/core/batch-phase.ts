/** How the handler of a request ended, as the interceptor saw it. */
export type HandlerOutcome = 'success' | 'error';

/**
 * Where a batch stands (ARCHITECTURE.md draws it):
 * - `collecting`: tasks wait for the response to be sent and every handler to end;
 * - `releasing`: both are known, the release waits for the end of this turn (HTTP only);
 * - `released`: tasks run, `concurrency` at a time; tasks added now run too;
 * - `abandoned`: the drain deadline passed; nothing runs any more.
 */
export type BatchPhase = 'collecting' | 'releasing' | 'released' | 'abandoned';

/** What the handler did, as far as the batch knows: not seen (no interceptor ran), entered, or threw. */
export type HandlerState = 'unseen' | 'entered' | 'failed';

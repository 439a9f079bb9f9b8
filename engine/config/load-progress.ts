/**
 * How far a long load of a bot has come, for a progress display: files
 * parsed and checked ({@link loadBot}), then businesses and products written
 * ({@link seedBot}). `done` grows to `total` within a phase.
 *
 * @example
 * ```ts
 * const bot = await loadBot(dir, { onProgress: ({ phase, done, total }) => console.log(`${phase}: ${done}/${total}`) });
 * ```
 */
export interface LoadProgress {
  phase: 'files parsed' | 'businesses' | 'products';
  done: number;
  total: number;
}

/** Receives {@link LoadProgress} reports. */
export type OnLoadProgress = (progress: LoadProgress) => void;

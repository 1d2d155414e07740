export type ShutdownSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * What the engine needs of the process it runs in: its environment, where it was started, stderr for logs, and the
 * signals that stop or reload a loop. The CLI's Io is one; a test passes a fake.
 */
export interface ProcessIo {
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Subscribes to a signal; returns the unsubscribe function. */
  onSignal(signal: ShutdownSignal, handler: () => void): () => void;
}

import { Clock } from './clock.ts';
import { emptyFaults, type FaultSettings } from './faults.ts';
import { CredentialRegistry } from './identity.ts';
import { RequestLog } from './request-log.ts';

export interface EmulatorSettings {
  /** SigV4: how far the request time may be from the emulator clock (AWS: 15 minutes). */
  maxClockSkewSeconds: number;
  /** IAM enforcement in the authorize stage (on by default, as on AWS). */
  enforceIam: boolean;
  /** DynamoDB CreateTable: how long a table stays CREATING (never zero: that is the point). */
  tableCreateDelayMs: number;
  /** DynamoDB DeleteTable: how long a table stays DELETING. */
  tableDeleteDelayMs: number;
  /** Largest request body accepted in memory, in bytes. */
  maxBodyBytes: number;
}

export function defaultSettings(): EmulatorSettings {
  return {
    maxClockSkewSeconds: 15 * 60,
    enforceIam: true,
    tableCreateDelayMs: 500,
    tableDeleteDelayMs: 300,
    maxBodyBytes: 64 * 1024 * 1024,
  };
}

/** Seeds state after construction and after every reset (e.g. the other account's buckets). */
export type Seeder = (store: Store) => void;

/**
 * All emulator state, in one place so it can be reset in one call: credentials,
 * the clock, faults, the request log, and each service's own state (which the
 * service keys as it needs: S3 bucket names are global, DynamoDB tables live in
 * account -> region).
 */
export class Store {
  readonly clock = new Clock();
  readonly credentials = new CredentialRegistry();
  readonly log = new RequestLog();
  faults: FaultSettings = emptyFaults();
  settings: EmulatorSettings;
  private services = new Map<string, unknown>();

  constructor(
    private readonly seeders: Seeder[] = [],
    private readonly initialSettings: Partial<EmulatorSettings> = {},
  ) {
    this.settings = { ...defaultSettings(), ...initialSettings };
    this.seed();
  }

  /** The state of one service, created on first use. */
  serviceState<T>(service: string, init: () => T): T {
    let state = this.services.get(service) as T | undefined;
    if (state === undefined) {
      state = init();
      this.services.set(service, state);
    }
    return state;
  }

  /** Everything back to a fresh start, the seeds included. */
  reset(): void {
    this.services.clear();
    this.credentials.clear();
    this.log.clear();
    this.faults = emptyFaults();
    this.clock.reset();
    this.settings = { ...defaultSettings(), ...this.initialSettings };
    this.seed();
  }

  private seed(): void {
    for (const seeder of this.seeders) seeder(this);
  }
}

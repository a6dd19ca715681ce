import type { ConnectionNote } from '../../shared/record/session-record';
import type { Logger } from '../log/logger';

/** Link qualities LiveKit reports for a participant (joins and leaves are events of their own). */
export type LinkQuality = Extract<
  ConnectionNote['quality'],
  'excellent' | 'good' | 'poor' | 'lost'
>;

/**
 * What a recorder hears from its room, free of the SDK's types, so the room can live in this
 * process or in a worker process (see worker/recorder-pool.ts) and feed the same SessionRecorder.
 * Calls arrive in the room's order.
 */
export interface RoomLinkEvents {
  onData(payload: Uint8Array, identity: string | undefined, topic: string | undefined): void;
  onSpeakers(identities: string[]): void;
  onQuality(identity: string, quality: LinkQuality): void;
  onParticipant(identity: string, joined: boolean): void;
  /** LiveKit dropped the recorder (or its worker died); never called after `close()`. */
  onLost(reason: string): void;
}

/** The recorder's place in one LiveKit room. */
export interface RoomLink {
  readonly roomName: string;
  /** Remote participants already in the room when the recorder joined. */
  readonly participants: readonly string[];
  /** Reliable data to the candidate only, on the protocol's topic; rejects when not sent. */
  publishToCandidate(payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export type OpenRoomLink = (options: {
  url: string;
  token: string;
  events: RoomLinkEvents;
  log: Logger;
}) => Promise<RoomLink>;

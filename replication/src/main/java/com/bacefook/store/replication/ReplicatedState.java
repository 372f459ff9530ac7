package com.bacefook.store.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The state a replica group keeps the same on every member: the plain class that holds the logic,
 * to which the Raft state machine only hands what it decoded. Every member applies the same commands
 * in the same order, so {@link #apply} must depend on nothing but the state and the command.
 */
public interface ReplicatedState {
  /** Applies one committed command and returns the answer for the client that proposed it. */
  byte[] apply(byte[] command);

  /** Writes the whole state, as of the last command applied, for {@link #readSnapshot}. */
  void writeSnapshot(OutputStream out) throws IOException;

  /** Replaces the whole state by what {@link #writeSnapshot} wrote. */
  void readSnapshot(InputStream in) throws IOException;
}

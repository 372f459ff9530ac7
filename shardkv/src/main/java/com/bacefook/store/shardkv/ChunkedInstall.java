package com.bacefook.store.shardkv;

import com.bacefook.store.sharding.IdSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a replica group installs a handoff through its log when the keys may not fit in one log entry:
 * {@link GroupCommand.HandoffChunk}s that stage the keys of {@code chunks} on every member, in order,
 * then {@code install}, which carries the last keys and installs them all if every key handed over
 * is staged. Each of these commands, encoded without a client ID, takes at most the byte limit it was
 * planned for. A handoff that fits takes the install alone.
 *
 * @param configNumber the configuration the handoff is for
 * @param from the sender's name
 * @param chunks the keys of each chunk to stage before the install, in order
 * @param install the command that installs the handoff
 */
record ChunkedInstall(
    long configNumber,
    String from,
    List<Map<String, StoredValue>> chunks,
    GroupCommand.HandoffInstalled install) {
  /** Copies the chunks. */
  ChunkedInstall {
    chunks = chunks.stream().map(Map::copyOf).toList();
  }

  /**
   * Cuts the {@code keys} of {@code ids} from {@code from} for configuration {@code configNumber}
   * into commands of at most {@code maxCommandBytes} each, filled in key order.
   *
   * @throws IllegalArgumentException if one key and its value alone do not fit in a command
   */
  static ChunkedInstall of(
      long configNumber, String from, IdSet ids, Map<String, StoredValue> keys, long maxCommandBytes) {
    int keyCount = keys.size();
    long digest = HandoffDigest.of(keys.entrySet());
    long header =
        Math.max(
            new GroupCommand.HandoffChunk(configNumber, from, 0, Map.of()).encode("", 0, 0).length,
            new GroupCommand.HandoffInstalled(configNumber, from, ids, Map.of(), keyCount, digest)
                .encode("", 0, 0)
                .length);
    long room = maxCommandBytes - header;
    List<Map<String, StoredValue>> parts = new ArrayList<>();
    Map<String, StoredValue> part = new TreeMap<>();
    long used = 0;
    for (Map.Entry<String, StoredValue> entry : new TreeMap<>(keys).entrySet()) {
      long bytes = GroupCommand.encodedBytes(entry.getKey(), entry.getValue());
      if (bytes > room) {
        throw new IllegalArgumentException(
            "key " + entry.getKey() + " of the handoff from " + from + " for configuration #"
                + configNumber + " takes " + bytes + " bytes; a log entry has room for " + room);
      }
      if (used + bytes > room) {
        parts.add(part);
        part = new TreeMap<>();
        used = 0;
      }
      part.put(entry.getKey(), entry.getValue());
      used += bytes;
    }
    return new ChunkedInstall(
        configNumber,
        from,
        parts,
        new GroupCommand.HandoffInstalled(configNumber, from, ids, part, keyCount, digest));
  }

  /** Returns the command that stages chunk {@code index}, sent at {@code now} (the leader's clock). */
  GroupCommand.HandoffChunk chunk(int index, long now) {
    return new GroupCommand.HandoffChunk(configNumber, from, now, chunks.get(index));
  }
}

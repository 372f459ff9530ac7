package com.bacefook.store.client;

import com.bacefook.store.proto.BatchReply;
import com.bacefook.store.proto.KeyFailure;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.KeyFailures;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.InvalidKeyException;
import com.bacefook.store.sharding.KeyId;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

/**
 * Writes a batch of keys with one RPC per owner (and per {@link #MAX_KEYS} keys or {@link #MAX_BYTES}
 * bytes), sent in parallel. Keys the servers refuse are routed again, alone, after a configuration
 * refresh, to the owner the refusal names, or past a replica group member that did not answer to the
 * group's next member, until the deadline; an RPC whose outcome is unknown is not
 * sent again, and its keys are reported as failed with that status. Blocks its caller.
 */
final class BatchRoute {
  /** Most keys in one RPC. */
  static final int MAX_KEYS = 1000;
  /** Most payload bytes (UTF-16 characters, roughly) in one RPC, well under the 8 MiB message limit. */
  static final long MAX_BYTES = 1 << 20;

  private final ConfigurationSource configs;
  private final Function<String, ShardkvGrpc.ShardkvFutureStub> stubs;
  private final Duration operationDeadline;

  BatchRoute(
      ConfigurationSource configs,
      Function<String, ShardkvGrpc.ShardkvFutureStub> stubs,
      Duration operationDeadline) {
    this.configs = configs;
    this.stubs = stubs;
    this.operationDeadline = operationDeadline;
  }

  /**
   * Routes {@code keys}; {@code send} sends the keys at the given positions to a stub's server, {@code
   * bytesOf} says how large the key at a position is.
   */
  BatchResult run(
      List<String> keys,
      IntToLongFunction bytesOf,
      BiFunction<ShardkvGrpc.ShardkvFutureStub, List<Integer>, ListenableFuture<BatchReply>> send) {
    Map<Integer, StatusRuntimeException> failures = new HashMap<>();
    int[] ids = new int[keys.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      try {
        ids[i] = KeyId.of(keys.get(i));
        pending.add(i);
      } catch (InvalidKeyException e) {
        failures.put(i, Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      }
    }
    long deadline = System.nanoTime() + operationDeadline.toNanos();
    Duration backoff = RetryRules.FIRST_BACKOFF;
    Configuration config = configs.current();
    // Where a server sent a key (followed without asking the shardmaster first), and where a key
    // goes instead of a replica group member that did not answer (RetryRules.detour).
    Map<Integer, String> hints = new HashMap<>();
    Map<Integer, String> detours = new HashMap<>();
    boolean refreshed = false;
    while (!pending.isEmpty()) {
      Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
      List<Integer> unowned = new ArrayList<>();
      for (int i : pending) {
        String sentTo = hints.getOrDefault(i, detours.get(i));
        Optional<String> owner = sentTo != null ? Optional.of(sentTo) : config.ownerOf(ids[i]);
        if (owner.isPresent()) {
          byOwner.computeIfAbsent(owner.get(), o -> new ArrayList<>()).add(i);
        } else {
          unowned.add(i);
        }
      }
      if (!unowned.isEmpty() && !refreshed) {
        config = configs.refresh();
        refreshed = true;
        continue;
      }
      hints.clear();
      detours.clear();
      for (int i : unowned) {
        failures.put(i, RetryRules.noOwner(keys.get(i), ids[i], config));
      }
      List<Integer> again = new ArrayList<>(unowned);
      List<Chunk> chunks = chunks(byOwner, bytesOf);
      for (Chunk chunk : chunks) {
        chunk.reply = send.apply(stubs.apply(chunk.server), chunk.positions);
      }
      for (Chunk chunk : chunks) {
        settle(chunk, config, failures, hints, detours, again);
      }
      if (again.isEmpty()) {
        break;
      }
      if (System.nanoTime() + backoff.toNanos() > deadline) {
        break;
      }
      again.forEach(failures::remove);
      pending = again;
      RetryRules.sleep(backoff);
      backoff = RetryRules.next(backoff);
      if (hints.isEmpty()) {
        Configuration before = config;
        try {
          config = configs.refresh();
        } catch (StatusRuntimeException e) {
          // The next round routes by the configuration it has; its failures say what went wrong.
        }
        // Where the configuration moved on, follow it rather than the detour.
        Configuration after = config;
        detours.keySet().removeIf(i -> !after.ownerOf(ids[i]).equals(before.ownerOf(ids[i])));
      }
    }
    return new BatchResult(keys.size(), new TreeMap<>(failures));
  }

  /**
   * Records the outcome of one sent chunk: failures, and keys to send again with their hints and
   * detours.
   */
  private static void settle(
      Chunk chunk,
      Configuration config,
      Map<Integer, StatusRuntimeException> failures,
      Map<Integer, String> hints,
      Map<Integer, String> detours,
      List<Integer> again) {
    BatchReply reply;
    try {
      reply = chunk.reply.get();
    } catch (ExecutionException e) {
      StatusRuntimeException status = RetryRules.asStatus(e.getCause());
      boolean retry = RetryRules.retryable(status, false);
      Optional<String> detour = RetryRules.detour(status, config, chunk.server);
      for (int i : chunk.positions) {
        failures.put(i, status);
        if (retry) {
          again.add(i);
          detour.ifPresent(next -> detours.put(i, next));
        }
      }
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
    for (KeyFailure failure : reply.getFailuresList()) {
      if (failure.getIndex() >= chunk.positions.size()) {
        continue;
      }
      int i = chunk.positions.get(failure.getIndex());
      StatusRuntimeException status = KeyFailures.toException(failure);
      failures.put(i, status);
      if (RetryRules.retryable(status, false)) {
        again.add(i);
        RetryRules.hint(status, config)
            .ifPresentOrElse(
                owner -> hints.put(i, owner),
                () ->
                    RetryRules.detour(status, config, chunk.server)
                        .ifPresent(next -> detours.put(i, next)));
      }
    }
  }

  private static List<Chunk> chunks(Map<String, List<Integer>> byOwner, IntToLongFunction bytesOf) {
    List<Chunk> chunks = new ArrayList<>();
    byOwner.forEach(
        (server, positions) -> {
          Chunk chunk = new Chunk(server);
          long bytes = 0;
          for (int i : positions) {
            long size = bytesOf.applyAsLong(i);
            if (!chunk.positions.isEmpty()
                && (chunk.positions.size() >= MAX_KEYS || bytes + size > MAX_BYTES)) {
              chunks.add(chunk);
              chunk = new Chunk(server);
              bytes = 0;
            }
            chunk.positions.add(i);
            bytes += size;
          }
          chunks.add(chunk);
        });
    return chunks;
  }

  /** The keys sent to one server in one RPC, and its reply. */
  private static final class Chunk {
    final String server;
    final List<Integer> positions = new ArrayList<>();
    ListenableFuture<BatchReply> reply;

    Chunk(String server) {
      this.server = server;
    }
  }
}

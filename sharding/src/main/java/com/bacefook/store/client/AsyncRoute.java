package com.bacefook.store.client;

import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.sharding.Configuration;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One operation of {@link StoreClient} routed without blocking the caller: each attempt is a future
 * stub call, and a retry waits out its backoff on {@link CompletableFuture#delayedExecutor}, never on
 * the caller's or a gRPC thread. Retries follow {@link RetryRules}, as the blocking path does.
 */
final class AsyncRoute<T> implements FutureCallback<T> {
  private final ConfigurationSource configs;
  private final Function<String, ShardkvGrpc.ShardkvFutureStub> stubs;
  private final String key;
  private final int id;
  private final boolean read;
  private final Function<ShardkvGrpc.ShardkvFutureStub, ListenableFuture<T>> call;
  private final long deadline;
  private final CompletableFuture<Reply<T>> result = new CompletableFuture<>();

  // Touched by one attempt at a time: each attempt starts only after the previous one ended.
  private Configuration config;
  private Duration backoff = RetryRules.FIRST_BACKOFF;
  private Optional<String> hint = Optional.empty();
  /** Whether {@link #hint} is a server's answer (no need to ask the shardmaster before following it). */
  private boolean named;
  private StatusRuntimeException last;
  private String server;

  AsyncRoute(
      ConfigurationSource configs,
      Function<String, ShardkvGrpc.ShardkvFutureStub> stubs,
      String key,
      int id,
      boolean read,
      Duration operationDeadline,
      Function<ShardkvGrpc.ShardkvFutureStub, ListenableFuture<T>> call) {
    this.configs = configs;
    this.stubs = stubs;
    this.key = key;
    this.id = id;
    this.read = read;
    this.call = call;
    this.deadline = System.nanoTime() + operationDeadline.toNanos();
    this.config = configs.current();
  }

  /** Sends the first attempt and returns the outcome of the operation. */
  CompletableFuture<Reply<T>> start() {
    attempt();
    return result;
  }

  private void attempt() {
    try {
      Optional<String> owner = hint.isPresent() ? hint : config.ownerOf(id);
      hint = Optional.empty();
      named = false;
      if (owner.isEmpty() && last == null) {
        config = configs.refresh();
        owner = config.ownerOf(id);
      }
      if (owner.isEmpty()) {
        last = RetryRules.noOwner(key, id, config);
        retryLater();
        return;
      }
      server = owner.get();
      Futures.addCallback(call.apply(stubs.apply(server)), this, MoreExecutors.directExecutor());
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  @Override
  public void onSuccess(T value) {
    result.complete(new Reply<>(server, value));
  }

  @Override
  public void onFailure(Throwable t) {
    StatusRuntimeException e = RetryRules.asStatus(t);
    last = e;
    if (!RetryRules.retryable(e, read)) {
      result.completeExceptionally(e);
      return;
    }
    hint = RetryRules.hint(e, config);
    named = hint.isPresent();
    if (!named) {
      hint = RetryRules.detour(e, config, server);
    }
    retryLater();
  }

  private void retryLater() {
    if (System.nanoTime() + backoff.toNanos() > deadline) {
      result.completeExceptionally(last);
      return;
    }
    Duration wait = backoff;
    backoff = RetryRules.next(backoff);
    CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (!named) {
                Optional<String> listed = config.ownerOf(id);
                try {
                  config = configs.refresh();
                } catch (StatusRuntimeException e) {
                  last = e;
                }
                if (!config.ownerOf(id).equals(listed)) {
                  hint = Optional.empty(); // the configuration moved on: follow it, not the detour
                }
              }
              attempt();
            });
  }
}
